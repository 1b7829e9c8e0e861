using System;
using System.Collections.Generic;
using System.IO;
using System.Threading.Tasks;
using Specgen.Packaging.Tests.Support;

namespace Specgen.Packaging.Tests;

/// <summary>
/// Packs Specgen.Runtime, Specgen.Runtime.DependencyInjection and Specgen once per test run, as a maintainer would
/// (<c>dotnet pack -c Release</c>), into a folder that then serves as the local feed.
/// </summary>
/// <remarks>
/// The version is unique to the run (<c>0.1.0-test.*</c>) and every consumer restores into its
/// own NUGET_PACKAGES folder, so neither a package cached by an earlier run nor one in the
/// machine's global cache can stand in for the one just packed. Build output goes to a temporary
/// artifacts folder (<c>--artifacts-path</c>), so the pack never touches the working tree's bin/
/// and obj/ while other test projects use them.
/// </remarks>
public sealed class PackagesFixture : IAsyncLifetime
{
    private static readonly TimeSpan PackTimeout = TimeSpan.FromMinutes(5);

    private readonly TempDirectory _root = new("specgen-packages");

    /// <summary>The version both packages were packed with.</summary>
    public string Version { get; } = $"0.1.0-test.{DateTime.UtcNow:yyyyMMddHHmmss}.{Environment.ProcessId}";

    /// <summary>The folder feed: Specgen.&lt;version&gt;.nupkg, Specgen.Runtime.&lt;version&gt;.nupkg and .snupkg.</summary>
    public string Feed => _root.Combine("feed");

    public string GeneratorPackage => Path.Combine(Feed, $"Specgen.{Version}.nupkg");

    public string RuntimePackage => Path.Combine(Feed, $"Specgen.Runtime.{Version}.nupkg");

    public string RuntimeSymbolsPackage => Path.Combine(Feed, $"Specgen.Runtime.{Version}.snupkg");

    public string DependencyInjectionPackage => Path.Combine(Feed, $"Specgen.Runtime.DependencyInjection.{Version}.nupkg");

    /// <summary>A fresh NUGET_PACKAGES folder for one consumer.</summary>
    public string NewPackagesFolder() => Directory.CreateDirectory(_root.Combine("nuget-packages", Guid.NewGuid().ToString("N"))).FullName;

    public async Task InitializeAsync()
    {
        Directory.CreateDirectory(Feed);
        // The runtime first: Specgen's pack builds it again only if something changed.
        foreach (string project in new[] { Repository.PathOf("runtime", "Specgen.Runtime.csproj"), Repository.PathOf("runtime.DependencyInjection", "Specgen.Runtime.DependencyInjection.csproj"), Repository.PathOf("pack", "Specgen.csproj") })
        {
            ProcessResult pack = await ChildProcess.DotnetAsync(
                Repository.Root,
                PackTimeout,
                environment: null,
                "pack", project, "-c", "Release", "-o", Feed, "--artifacts-path", _root.Combine("artifacts"),
                $"-p:Version={Version}", "-nodeReuse:false");
            if (pack.ExitCode != 0)
            {
                throw new InvalidOperationException("Packing failed.\n" + pack.Describe());
            }
        }

        foreach (string package in new[] { GeneratorPackage, RuntimePackage, DependencyInjectionPackage })
        {
            if (!File.Exists(package))
            {
                throw new InvalidOperationException($"dotnet pack reported success but wrote no {Path.GetFileName(package)}; the feed holds: {string.Join(", ", Directory.GetFiles(Feed))}");
            }
        }
    }

    public Task DisposeAsync()
    {
        _root.Dispose();
        return Task.CompletedTask;
    }
}

[CollectionDefinition(Name)]
public sealed class PackagesCollection : ICollectionFixture<PackagesFixture>
{
    public const string Name = "Packages";
}
