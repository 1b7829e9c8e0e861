using System;
using System.IO;

namespace Specgen.IntegrationTests.Support;

/// <summary>Where the tests find the repository and the documents around it.</summary>
internal static class RepositoryPaths
{
    private const string SolutionFileName = "Generators.sln";

    /// <summary>Overrides the spec Prism serves (a path); for checking the fallback by hand.</summary>
    public const string PrismSpecVariable = "SPECGEN_PRISM_SPEC";

    /// <summary>The folder that holds Generators.sln, found by walking up from the test binaries.</summary>
    public static string Root { get; } = FindRoot();

    /// <summary>spec/openai-threads.yaml: our fragment, the spec the client is generated from.</summary>
    public static string ThreadsFragment => Path.Combine(Root, "spec", "openai-threads.yaml");

    /// <summary>The official OpenAI document next to the repository (<c>../shared/specs/openai/openapi.yaml</c>); absent in a user's clone.</summary>
    public static string OfficialOpenAiDocument => Path.GetFullPath(Path.Combine(Root, "..", "shared", "specs", "openai", "openapi.yaml"));

    /// <summary>
    /// The spec Prism mocks: the official document when it exists (an independent check of our
    /// fragment), otherwise our fragment.
    /// </summary>
    public static string PrismSpec =>
        Environment.GetEnvironmentVariable(PrismSpecVariable) is { Length: > 0 } overridden ? Path.GetFullPath(overridden)
        : File.Exists(OfficialOpenAiDocument) ? OfficialOpenAiDocument
        : ThreadsFragment;

    /// <summary>Where the contract tests install Prism (<c>.tools/</c> is gitignored).</summary>
    public static string PrismInstallDirectory => Path.Combine(Root, ".tools", "prism");

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
