using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using System.Reflection;
using Specgen.Packaging.Tests.Support;

namespace Specgen.Packaging.Tests;

/// <summary>What the packed .nupkg files hold, read as zips and, for assemblies, as metadata.</summary>
[Collection(PackagesCollection.Name)]
public sealed class PackageContentsTests(PackagesFixture packages)
{
    private const string AnalyzerFolder = "analyzers/dotnet/cs";

    // The oldest compiler we support: the .NET 8 SDK's, Roslyn 4.8, running on .NET 8. It provides
    // Roslyn and the framework to every analyzer; a reference to a newer version would not load there.
    private static readonly Version OldestRoslyn = new(4, 8, 0, 0);
    private static readonly Version OldestHostFramework = new(8, 0, 0, 0);

    private static readonly HashSet<string> FrameworkAssemblies =
        ((string)AppContext.GetData("TRUSTED_PLATFORM_ASSEMBLIES")!)
            .Split(Path.PathSeparator)
            .Select(Path.GetFileNameWithoutExtension)
            .OfType<string>()
            .ToHashSet(StringComparer.OrdinalIgnoreCase);

    [Fact]
    public void The_analyzer_folder_holds_exactly_the_generator_and_the_closure_of_its_references()
    {
        NuGetPackage package = NuGetPackage.Open(packages.GeneratorPackage);
        IReadOnlyList<string> files = package.FilesIn(AnalyzerFolder);
        Dictionary<string, AssemblyFile> shipped = files
            .Where(f => f.EndsWith(".dll", StringComparison.Ordinal))
            .Select(f => AssemblyFile.Read(package.Read($"{AnalyzerFolder}/{f}")))
            .ToDictionary(a => a.Name.Name!, StringComparer.OrdinalIgnoreCase);

        var problems = new List<string>();
        problems.AddRange(files.Where(f => !f.EndsWith(".dll", StringComparison.Ordinal)).Select(f => $"{f} is not an assembly"));
        problems.AddRange(shipped.Keys.Where(IsProvidedByHost).Select(name => $"{name}.dll is shipped, but the compiler host provides it (a second copy can only conflict)"));

        // Walk the references from the generator: each one is either shipped (and walked in turn)
        // or provided by the host at a version the oldest supported host has.
        var needed = new HashSet<string>(StringComparer.OrdinalIgnoreCase);
        var pending = new Queue<string>(["Specgen.Generator"]);
        while (pending.TryDequeue(out string? name))
        {
            if (!needed.Add(name))
            {
                continue;
            }

            if (!shipped.TryGetValue(name, out AssemblyFile? assembly))
            {
                problems.Add($"{name}.dll is needed but not in {AnalyzerFolder}");
                continue;
            }

            foreach (AssemblyName reference in assembly.References)
            {
                if (shipped.TryGetValue(reference.Name!, out AssemblyFile? target))
                {
                    if (reference.Version > target.Name.Version)
                    {
                        problems.Add($"{name} references {reference.FullName}, but the package ships {target.Name.Version}");
                    }

                    pending.Enqueue(reference.Name!);
                }
                else if (HostProblem(reference) is { } problem)
                {
                    problems.Add($"{name} references {reference.FullName}: {problem}");
                }
            }
        }

        problems.AddRange(shipped.Keys.Where(name => !needed.Contains(name)).Select(name => $"{name}.dll is shipped but nothing the generator loads references it"));

        Assert.True(problems.Count == 0, $"{AnalyzerFolder} holds {string.Join(", ", files)}. Problems:\n" + string.Join("\n", problems));
        // The closure today, spelled out so that a change to it is a reviewed change.
        Assert.Equal(["Microsoft.OpenApi.dll", "Specgen.Generator.dll", "YamlDotNet.dll"], files);
    }

    [Fact]
    public void The_generator_references_Roslyn_no_newer_than_4_8()
    {
        AssemblyFile generator = AssemblyFile.Read(NuGetPackage.Open(packages.GeneratorPackage).Read($"{AnalyzerFolder}/Specgen.Generator.dll"));

        List<AssemblyName> roslyn = generator.References.Where(r => r.Name!.StartsWith("Microsoft.CodeAnalysis", StringComparison.Ordinal)).ToList();

        Assert.Contains(roslyn, r => r.Name == "Microsoft.CodeAnalysis");
        Assert.All(roslyn, r => Assert.True(r.Version <= OldestRoslyn, $"{r.FullName} is newer than Roslyn {OldestRoslyn}: the .NET 8 SDK's compiler could not load the generator."));
    }

    [Fact]
    public void The_generator_carries_its_symbols_as_an_embedded_pdb()
    {
        AssemblyFile generator = AssemblyFile.Read(NuGetPackage.Open(packages.GeneratorPackage).Read($"{AnalyzerFolder}/Specgen.Generator.dll"));

        Assert.True(generator.HasEmbeddedPdb, "Specgen.Generator.dll has no embedded PDB; an analyzer's symbols cannot travel in a .snupkg.");
    }

    [Fact]
    public void The_package_has_nothing_to_compile_against_and_depends_on_the_runtime_of_the_same_version()
    {
        NuGetPackage package = NuGetPackage.Open(packages.GeneratorPackage);

        Assert.DoesNotContain(package.Files, f => f.StartsWith("lib/", StringComparison.Ordinal) || f.StartsWith("ref/", StringComparison.Ordinal));
        Assert.Equal(
            [(".NETStandard2.0", "Specgen.Runtime", packages.Version), ("net8.0", "Specgen.Runtime", packages.Version)],
            package.Dependencies().Order());
    }

    [Fact]
    public void The_package_imports_the_props_in_build_and_buildTransitive_and_bundles_the_Threads_fragment()
    {
        NuGetPackage package = NuGetPackage.Open(packages.GeneratorPackage);
        byte[] props = File.ReadAllBytes(Repository.PathOf("generator", "build", "Specgen.props"));

        Assert.Equal(props, package.Read("build/Specgen.props"));
        Assert.Equal(props, package.Read("buildTransitive/Specgen.props"));
        Assert.Equal(File.ReadAllBytes(Repository.PathOf("spec", "openai-threads.yaml")), package.Read("specs/openai-threads.yaml"));
        Assert.Equal(
            ["LICENSE", "README.md", "analyzers/dotnet/cs/Microsoft.OpenApi.dll", "analyzers/dotnet/cs/Specgen.Generator.dll", "analyzers/dotnet/cs/YamlDotNet.dll", "build/Specgen.props", "buildTransitive/Specgen.props", "specs/openai-threads.yaml"],
            package.Files.Order(StringComparer.Ordinal));
    }

    [Theory]
    [InlineData("Specgen")]
    [InlineData("Specgen.Runtime")]
    public void Each_package_has_the_metadata_users_expect(string id)
    {
        NuGetPackage package = NuGetPackage.Open(id == "Specgen" ? packages.GeneratorPackage : packages.RuntimePackage);

        Assert.Equal(id, package.Metadata("id"));
        Assert.Equal(packages.Version, package.Metadata("version"));
        Assert.False(string.IsNullOrWhiteSpace(package.Metadata("description")));
        Assert.False(string.IsNullOrWhiteSpace(package.Metadata("authors")));
        Assert.Equal("MIT", package.Metadata("license"));
        Assert.Equal("expression", package.MetadataElement("license")?.Attribute("type")?.Value);
        Assert.Equal("README.md", package.Metadata("readme"));
        Assert.Contains("README.md", package.Files);
        Assert.Contains("LICENSE", package.Files);
        Assert.Contains("openapi", package.Metadata("tags") ?? string.Empty, StringComparison.Ordinal);
    }

    [Fact]
    public void The_runtime_package_holds_the_library_with_its_docs_and_its_symbols_in_a_snupkg()
    {
        NuGetPackage package = NuGetPackage.Open(packages.RuntimePackage);
        NuGetPackage symbols = NuGetPackage.Open(packages.RuntimeSymbolsPackage);

        foreach (string framework in new[] { "net8.0", "netstandard2.0" })
        {
            Assert.Equal(["Specgen.Runtime.dll", "Specgen.Runtime.xml"], package.FilesIn($"lib/{framework}"));
            Assert.Equal(["Specgen.Runtime.pdb"], symbols.FilesIn($"lib/{framework}"));
        }
    }

    [Fact]
    public void The_runtime_depends_on_the_BCL_packages_of_what_netstandard2_0_lacks_and_on_net8_only_on_those_a_netstandard_library_needs()
    {
        NuGetPackage package = NuGetPackage.Open(packages.RuntimePackage);

        Assert.Equal(
            ["Microsoft.Bcl.AsyncInterfaces", "Microsoft.Bcl.TimeProvider", "System.Diagnostics.DiagnosticSource", "System.Text.Json"],
            package.Dependencies().Where(d => d.TargetFramework == ".NETStandard2.0").Select(d => d.Id).Order(StringComparer.Ordinal));
        // A .NET app running a netstandard2.0 library's client resolves these through our net8.0 group.
        Assert.Equal(
            ["Microsoft.Bcl.AsyncInterfaces", "Microsoft.Bcl.TimeProvider"],
            package.Dependencies().Where(d => d.TargetFramework == "net8.0").Select(d => d.Id).Order(StringComparer.Ordinal));
        // A .NET Framework project gets the System.Net.Http reference that generated clients compile against.
        Assert.Equal(File.ReadAllBytes(Repository.PathOf("runtime", "buildTransitive", "net462", "Specgen.Runtime.targets")), package.Read("buildTransitive/net462/Specgen.Runtime.targets"));
    }

    private static bool IsProvidedByHost(string name) =>
        name.StartsWith("Microsoft.CodeAnalysis", StringComparison.OrdinalIgnoreCase) || FrameworkAssemblies.Contains(name);

    private static string? HostProblem(AssemblyName reference)
    {
        string name = reference.Name!;
        if (name.StartsWith("Microsoft.CodeAnalysis", StringComparison.Ordinal))
        {
            return reference.Version <= OldestRoslyn ? null : $"newer than Roslyn {OldestRoslyn}, which the .NET 8 SDK's compiler provides";
        }

        if (FrameworkAssemblies.Contains(name))
        {
            return reference.Version <= OldestHostFramework ? null : $"newer than .NET {OldestHostFramework.Major}'s, which the .NET 8 SDK's compiler runs on";
        }

        return "neither shipped in the package nor provided by the compiler host";
    }
}
