using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using System.Text.RegularExpressions;
using System.Threading.Tasks;
using Xunit.Abstractions;

namespace Specgen.Packaging.Tests.Support;

/// <summary>
/// A new user's console app in a temporary folder, made with the commands a user types:
/// <c>dotnet new console</c>, <c>dotnet add package Specgen</c>, <c>dotnet build</c>, then run.
/// </summary>
/// <remarks>
/// Its nuget.config adds the local feed to the machine's usual sources (nothing is cleared, so the
/// user's normal source still serves any other dependency), and its NUGET_PACKAGES folder is its
/// own, so only the packages just packed can satisfy <c>Specgen</c>.
/// </remarks>
internal sealed class ConsumerApp : IDisposable
{
    private static readonly TimeSpan NewTimeout = TimeSpan.FromMinutes(2);
    private static readonly TimeSpan RestoreTimeout = TimeSpan.FromMinutes(4);
    private static readonly TimeSpan BuildTimeout = TimeSpan.FromMinutes(5);
    private static readonly TimeSpan RunTimeout = TimeSpan.FromMinutes(1);

    // Any warning from the compiler, the generator or NuGet, except NuGet's audit reporting that a
    // source could not give vulnerability data (a statement about the network, not about us).
    private static readonly Regex Warning = new(@":\s+warning\s+(?!NU1900)[A-Z]+\d+", RegexOptions.CultureInvariant);

    private readonly TempDirectory _root;
    private readonly PackagesFixture _packages;
    private readonly ITestOutputHelper _log;
    private readonly Dictionary<string, string?> _environment;

    public ConsumerApp(PackagesFixture packages, string name, ITestOutputHelper log)
    {
        _packages = packages;
        _log = log;
        Name = name;
        _root = new TempDirectory("specgen-consumer");
        _environment = new Dictionary<string, string?>
        {
            ["NUGET_PACKAGES"] = packages.NewPackagesFolder(),
            // A user's shell has none of these; an API key must never reach a test app.
            ["OPENAI_API_KEY"] = null,
        };
    }

    public string Name { get; }

    public string Directory => _root.Combine(Name);

    public string ProjectFile => Path.Combine(Directory, Name + ".csproj");

    /// <summary><c>dotnet new console</c>, then <c>dotnet add package Specgen</c> from the local feed.</summary>
    /// <param name="template">The <c>dotnet new</c> template: <c>console</c>, or <c>classlib</c> for a library.</param>
    /// <param name="framework">
    /// The project's target framework. One the template does not offer (<c>net472</c>) is written
    /// into the project file after <c>dotnet new</c>, as a user would.
    /// </param>
    /// <param name="addSpecgen">False for an app that gets its client from a library that has it.</param>
    public async Task CreateAsync(string template = "console", string framework = "net10.0", bool addSpecgen = true)
    {
        File.WriteAllText(_root.Combine("nuget.config"), $"""
            <?xml version="1.0" encoding="utf-8"?>
            <configuration>
              <packageSources>
                <add key="specgen-local" value="{_packages.Feed}" />
              </packageSources>
            </configuration>
            """);
        string offered = framework.StartsWith("net4", StringComparison.Ordinal) ? "netstandard2.0" : framework;
        await DotnetAsync(_root.Path, NewTimeout, "new", template, "--name", Name, "--output", Name, "--framework", offered, "--no-restore");
        if (offered != framework)
        {
            File.WriteAllText(ProjectFile, File.ReadAllText(ProjectFile).Replace($"<TargetFramework>{offered}</TargetFramework>", $"<TargetFramework>{framework}</TargetFramework>"));
        }

        if (!addSpecgen)
        {
            return;
        }

        await DotnetAsync(Directory, RestoreTimeout, "add", ProjectFile, "package", "Specgen", "--version", _packages.Version);

        string restored = Path.Combine(_environment["NUGET_PACKAGES"]!, "specgen", _packages.Version);
        Assert.True(System.IO.Directory.Exists(restored), $"Specgen {_packages.Version} was not restored into the app's own package folder ({restored}).");
    }

    /// <summary><c>dotnet add package</c> of another package from the local feed (<c>Specgen.Runtime.DependencyInjection</c>).</summary>
    public Task AddPackageAsync(string id) => DotnetAsync(Directory, RestoreTimeout, "add", ProjectFile, "package", id, "--version", _packages.Version);

    /// <summary><c>dotnet add reference</c> to another consumer's project (an app that uses a library).</summary>
    public Task AddReferenceAsync(ConsumerApp library) => DotnetAsync(Directory, RestoreTimeout, "add", ProjectFile, "reference", library.ProjectFile);

    public void WriteFile(string relativePath, string content) => File.WriteAllText(Path.Combine(Directory, relativePath), content);

    /// <summary>Adds MSBuild XML at the end of the project file, as a user editing it would.</summary>
    public void AddToProject(string xml)
    {
        string project = File.ReadAllText(ProjectFile);
        int end = project.LastIndexOf("</Project>", StringComparison.Ordinal);
        File.WriteAllText(ProjectFile, project[..end] + xml + Environment.NewLine + project[end..]);
    }

    /// <summary><c>dotnet build</c>; fails on an error or any warning.</summary>
    public async Task BuildAsync()
    {
        ProcessResult build = await DotnetAsync(Directory, BuildTimeout, "build", ProjectFile, "-nodeReuse:false");
        string[] warnings = build.Output.Split('\n').Where(line => Warning.IsMatch(line)).Distinct().ToArray();
        Assert.True(warnings.Length == 0, $"The build warned:\n{string.Join("\n", warnings)}\n\n{build.Describe()}");
    }

    /// <summary>Runs the built app and returns what it printed; fails unless it exits with 0.</summary>
    public async Task<string> RunAsync(params (string Name, string Value)[] environment)
    {
        var variables = new Dictionary<string, string?>(_environment);
        foreach ((string name, string value) in environment)
        {
            variables[name] = value;
        }

        string dll = Path.Combine(Directory, "bin", "Debug", "net10.0", Name + ".dll");
        ProcessResult run = await ChildProcess.RunAsync(ChildProcess.DotnetExecutable, [dll], Directory, RunTimeout, variables);
        _log.WriteLine(run.Describe());
        Assert.True(run.ExitCode == 0, "The app failed.\n" + run.Describe());
        return run.Output;
    }

    public void Dispose() => _root.Dispose();

    private async Task<ProcessResult> DotnetAsync(string workingDirectory, TimeSpan timeout, params string[] arguments)
    {
        ProcessResult result = await ChildProcess.DotnetAsync(workingDirectory, timeout, _environment, arguments);
        _log.WriteLine($"{result.CommandLine}: exit {result.ExitCode} in {result.Elapsed.TotalSeconds:0.0} s");
        Assert.True(result.ExitCode == 0, result.Describe());
        return result;
    }
}
