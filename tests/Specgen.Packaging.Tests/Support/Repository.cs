using System;
using System.IO;

namespace Specgen.Packaging.Tests.Support;

/// <summary>Where the tests find the repository.</summary>
internal static class Repository
{
    private const string SolutionFileName = "Generators.sln";

    /// <summary>The folder that holds Generators.sln, found by walking up from the test binaries.</summary>
    public static string Root { get; } = FindRoot();

    public static string PathOf(params string[] parts) => Path.Combine([Root, .. parts]);

    private static string FindRoot()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            if (File.Exists(Path.Combine(dir.FullName, SolutionFileName)))
            {
                return dir.FullName;
            }
        }

        throw new InvalidOperationException(
            $"No folder above {AppContext.BaseDirectory} contains {SolutionFileName}; the tests must run from inside the repository.");
    }
}
