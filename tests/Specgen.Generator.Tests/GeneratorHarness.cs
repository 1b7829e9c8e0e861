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
    public static GenerationResult Run(string specText, string path = SpecPath, TestOptionsProvider? options = null)
    {
        GeneratorDriver driver = CreateDriver(new[] { new InMemoryAdditionalText(path, specText) }, options ?? DefaultOptions(path));
        CSharpCompilation input = CreateCompilation("namespace Consumer { internal static class Placeholder { } }");
        driver = driver.RunGeneratorsAndUpdateCompilation(input, out Compilation output, out ImmutableArray<Diagnostic> generatorDiagnostics);
        GeneratorDriverRunResult run = driver.GetRunResult();
        var files = run.Results.SelectMany(r => r.GeneratedSources)
            .OrderBy(s => s.HintName, StringComparer.Ordinal)
            .ToDictionary(s => s.HintName, s => s.SourceText.ToString(), StringComparer.Ordinal);
        ImmutableArray<Diagnostic> compileDiagnostics = output.GetDiagnostics().Where(d => d.Severity >= DiagnosticSeverity.Warning).ToImmutableArray();
        return new GenerationResult(files, generatorDiagnostics.AddRange(run.Results.Where(r => r.Exception is not null).Select(r => Diagnostic.Create("CRASH", "Test", r.Exception!.ToString(), DiagnosticSeverity.Error, DiagnosticSeverity.Error, true, 0))), compileDiagnostics, output);
    }
}

public sealed record GenerationResult(
    IReadOnlyDictionary<string, string> Files,
    ImmutableArray<Diagnostic> GeneratorDiagnostics,
    ImmutableArray<Diagnostic> CompileDiagnostics,
    Compilation Compilation)
{
    public string Describe(IEnumerable<Diagnostic> diagnostics) => string.Join("\n", diagnostics.Select(d => d.ToString()));
}
