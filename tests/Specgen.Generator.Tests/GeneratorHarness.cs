using System;
using System.Collections.Generic;
using System.Collections.Immutable;
using System.IO;
using System.Linq;
using System.Threading;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.Diagnostics;
using Microsoft.CodeAnalysis.Text;
using Specgen.Generator;

namespace Specgen.Generator.Tests;

/// <summary>An in-memory spec file handed to the generator as an AdditionalFiles item.</summary>
public sealed class InMemoryAdditionalText(string path, string text) : AdditionalText
{
    private readonly SourceText _text = SourceText.From(text);

    public override string Path { get; } = path;

    public override SourceText GetText(CancellationToken cancellationToken = default) => _text;
}

/// <summary>Per-file metadata and project properties, as MSBuild would pass them.</summary>
public sealed class TestOptionsProvider(IReadOnlyDictionary<string, IReadOnlyDictionary<string, string>> perFile, IReadOnlyDictionary<string, string> global) : AnalyzerConfigOptionsProvider
{
    public override AnalyzerConfigOptions GlobalOptions { get; } = new Options(global);

    public override AnalyzerConfigOptions GetOptions(SyntaxTree tree) => new Options(new Dictionary<string, string>());

    public override AnalyzerConfigOptions GetOptions(AdditionalText textFile) =>
        new Options(perFile.TryGetValue(textFile.Path, out IReadOnlyDictionary<string, string>? values) ? values : new Dictionary<string, string>());

    private sealed class Options(IReadOnlyDictionary<string, string> values) : AnalyzerConfigOptions
    {
        public override bool TryGetValue(string key, out string value)
        {
            if (values.TryGetValue(key, out string? found))
            {
                value = found;
                return true;
            }

            value = string.Empty;
            return false;
        }
    }
}

/// <summary>Runs the generator the way the compiler does, and compiles what it produced.</summary>
public static class GeneratorHarness
{
    public const string SpecPath = "/specs/api.yaml";

    private static readonly Lazy<ImmutableArray<MetadataReference>> References = new(() =>
    {
        // The test process runs on the same framework a user's app targets; its assemblies plus
        // the runtime library are exactly what generated code may use.
        string[] platform = ((string)AppContext.GetData("TRUSTED_PLATFORM_ASSEMBLIES")!).Split(Path.PathSeparator);
        return platform
            .Where(path => Path.GetFileName(path).StartsWith("System.", StringComparison.Ordinal) || Path.GetFileName(path) is "mscorlib.dll" or "netstandard.dll")
            .Append(typeof(Specgen.Runtime.ApiPipeline).Assembly.Location)
            .Select(path => (MetadataReference)MetadataReference.CreateFromFile(path))
            .ToImmutableArray();
    });

    public static CSharpCompilation CreateCompilation(params string[] sources) =>
        CSharpCompilation.Create(
            "GeneratedClientTests",
            sources.Select(source => CSharpSyntaxTree.ParseText(source, new CSharpParseOptions(LanguageVersion.CSharp12))),
            References.Value,
            new CSharpCompilationOptions(
                OutputKind.DynamicallyLinkedLibrary,
                nullableContextOptions: NullableContextOptions.Enable,
                generalDiagnosticOption: ReportDiagnostic.Error,
                // The runtime is built against net8.0 reference assemblies and runs here on a newer
                // framework; the SDK hides these unification notes (NoWarn 1701;1702) and so do we.
                specificDiagnosticOptions: new Dictionary<string, ReportDiagnostic> { ["CS1701"] = ReportDiagnostic.Suppress, ["CS1702"] = ReportDiagnostic.Suppress }));

    public static GeneratorDriver CreateDriver(IEnumerable<AdditionalText> specs, TestOptionsProvider? options = null) =>
        CSharpGeneratorDriver.Create(
            new[] { new SpecgenGenerator().AsSourceGenerator() },
            specs,
            new CSharpParseOptions(LanguageVersion.CSharp12),
            options ?? DefaultOptions(),
            new GeneratorDriverOptions(IncrementalGeneratorOutputKind.None, trackIncrementalGeneratorSteps: true));

    public static TestOptionsProvider DefaultOptions(string path = SpecPath, string ns = "Test.Api", string client = "TestClient") =>
        new(
            new Dictionary<string, IReadOnlyDictionary<string, string>>
            {
                [path] = new Dictionary<string, string>
                {
                    ["build_metadata.AdditionalFiles.SpecgenNamespace"] = ns,
                    ["build_metadata.AdditionalFiles.SpecgenClientName"] = client,
                },
            },
            new Dictionary<string, string> { ["build_property.RootNamespace"] = "TestProject" });

    /// <summary>Generates from one spec; returns the generated files and every diagnostic.</summary>
    public static GenerationResult Run(string specText, string path = SpecPath, TestOptionsProvider? options = null) =>
        Run(new[] { new InMemoryAdditionalText(path, specText) }, options ?? DefaultOptions(path));

    /// <summary>Generates from several AdditionalFiles at once, as a project with more than one spec would.</summary>
    public static GenerationResult Run(IEnumerable<AdditionalText> files, TestOptionsProvider options)
    {
        GeneratorDriver driver = CreateDriver(files, options);
        CSharpCompilation input = CreateCompilation("namespace Consumer { internal static class Placeholder { } }");
        driver = driver.RunGeneratorsAndUpdateCompilation(input, out Compilation output, out ImmutableArray<Diagnostic> generatorDiagnostics);
        GeneratorDriverRunResult run = driver.GetRunResult();
        var generated = run.Results.SelectMany(r => r.GeneratedSources)
            .OrderBy(s => s.HintName, StringComparer.Ordinal)
            .ToDictionary(s => s.HintName, s => s.SourceText.ToString(), StringComparer.Ordinal);
        ImmutableArray<Exception> exceptions = run.Results.Where(r => r.Exception is not null).Select(r => r.Exception!).ToImmutableArray();
        ImmutableArray<Diagnostic> compileDiagnostics = output.GetDiagnostics().Where(d => d.Severity >= DiagnosticSeverity.Warning).ToImmutableArray();
        return new GenerationResult(generated, generatorDiagnostics.AddRange(exceptions.Select(e => Diagnostic.Create("CRASH", "Test", e.ToString(), DiagnosticSeverity.Error, DiagnosticSeverity.Error, true, 0))), compileDiagnostics, output)
        {
            Exceptions = exceptions,
        };
    }

    /// <summary>The text of <c>Scenarios/&lt;name&gt;.yaml</c>, copied next to the test binaries.</summary>
    public static string Scenario(string name) => File.ReadAllText(Path.Combine(AppContext.BaseDirectory, "Scenarios", name + ".yaml"));

    /// <summary>Metadata for several files: each path with its namespace and client name.</summary>
    public static TestOptionsProvider OptionsFor(params (string Path, string Namespace, string Client)[] specs) =>
        new(
            specs.ToDictionary(
                s => s.Path,
                s => (IReadOnlyDictionary<string, string>)new Dictionary<string, string>
                {
                    ["build_metadata.AdditionalFiles.SpecgenNamespace"] = s.Namespace,
                    ["build_metadata.AdditionalFiles.SpecgenClientName"] = s.Client,
                }),
            new Dictionary<string, string> { ["build_property.RootNamespace"] = "TestProject" });

    /// <summary>Metadata for files given raw (for example <c>Specgen=true</c> alone, or nothing).</summary>
    public static TestOptionsProvider OptionsWithMetadata(string path, IReadOnlyDictionary<string, string> metadata) =>
        new(
            new Dictionary<string, IReadOnlyDictionary<string, string>>
            {
                [path] = metadata.ToDictionary(m => "build_metadata.AdditionalFiles." + m.Key, m => m.Value),
            },
            new Dictionary<string, string> { ["build_property.RootNamespace"] = "TestProject" });
}

public sealed record GenerationResult(
    IReadOnlyDictionary<string, string> Files,
    ImmutableArray<Diagnostic> GeneratorDiagnostics,
    ImmutableArray<Diagnostic> CompileDiagnostics,
    Compilation Compilation)
{
    /// <summary>The exceptions the generator threw (each one is CS8785 for a user: every output lost).</summary>
    public ImmutableArray<Exception> Exceptions { get; init; } = ImmutableArray<Exception>.Empty;

    public string Describe(IEnumerable<Diagnostic> diagnostics) => string.Join("\n", diagnostics.Select(d => d.ToString()));

    /// <summary>The generator neither threw nor had its exception turned into CS8785.</summary>
    public void AssertNoCrash()
    {
        Assert.True(Exceptions.IsEmpty, "The generator threw:\n" + string.Join("\n", Exceptions));
        Assert.DoesNotContain(GeneratorDiagnostics, d => d.Id is "CS8785" or "CRASH");
    }

    /// <summary>No diagnostic from the generator at all, and an output that compiles without a warning.</summary>
    public void AssertCleanAndCompiles()
    {
        AssertNoCrash();
        Assert.True(GeneratorDiagnostics.IsEmpty, "Generator diagnostics:\n" + Describe(GeneratorDiagnostics));
        AssertCompiles();
    }

    /// <summary>The generated code compiles with nullable enabled and warnings as errors.</summary>
    public void AssertCompiles() =>
        Assert.True(CompileDiagnostics.IsEmpty, "The generated code does not compile cleanly:\n" + Describe(CompileDiagnostics));

    /// <summary>
    /// A generated file with its wrapped parameter and argument lists joined back into one line
    /// each (<c>M(\n    a,\n    b)</c> -> <c>M(a, b)</c>), for assertions about signatures that
    /// do not depend on where the emitter breaks a long line.
    /// </summary>
    public string Unwrapped(string hintName) => WrappedList.Replace(Files[hintName], m => m.Value[0] == '(' ? "(" : ", ");

    private static readonly System.Text.RegularExpressions.Regex WrappedList = new(@"[(,]\n +", System.Text.RegularExpressions.RegexOptions.CultureInvariant);

    /// <summary>The diagnostics the generator reported with <paramref name="id"/>.</summary>
    public IReadOnlyList<Diagnostic> WithId(string id) => GeneratorDiagnostics.Where(d => d.Id == id).ToList();
}
