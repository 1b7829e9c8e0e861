using System;
using System.Collections.Generic;
using System.Collections.Immutable;
using System.IO;
using System.Threading;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.Diagnostics;
using Microsoft.CodeAnalysis.Text;
using Specgen.Generator;

namespace Specgen.Benchmarks.Generator;

/// <summary>
/// The specs the generator benchmarks read, and a driver set up the way the compiler sets it up
/// (one AdditionalFiles item with its metadata, one small C# file).
/// </summary>
internal static class GeneratorInputs
{
    public const string Threads = "threads";
    public const string OpenAI = "openai";

    public const string Namespace = "Bench.Api";
    public const string ClientName = "BenchClient";

    /// <summary>
    /// The specs present here: the Threads fragment always, the official OpenAI document when
    /// ../shared has it, and, when <c>SPECGEN_BENCH_SCALES</c> lists factors (<c>4,8</c>), the OpenAI
    /// document at those sizes (<c>openai-x4</c>, see <see cref="ScaledDocument"/>), to compare phases across sizes.
    /// </summary>
    public static IEnumerable<string> Available()
    {
        yield return Threads;
        if (File.Exists(PathOf(OpenAI)))
        {
            yield return OpenAI;
            foreach (string factor in (Environment.GetEnvironmentVariable("SPECGEN_BENCH_SCALES") ?? string.Empty).Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
            {
                yield return $"{OpenAI}-x{factor}";
            }
        }
    }

    public static string PathOf(string spec) => spec switch
    {
        Threads => Path.Combine(RepositoryRoot, "spec", "openai-threads.yaml"),
        OpenAI => Path.GetFullPath(Path.Combine(RepositoryRoot, "..", "shared", "specs", "openai", "openapi.yaml")),
        _ when ScaleOf(spec) is int factor => Path.ChangeExtension(PathOf(OpenAI), $".x{factor}.json"),
        _ => throw new ArgumentOutOfRangeException(nameof(spec), spec, null),
    };

    /// <summary>The text of <paramref name="spec"/>: the file's, or the scaled OpenAI document built in memory.</summary>
    public static string TextOf(string spec) =>
        ScaleOf(spec) is int factor ? ScaledDocument.Build(PathOf(OpenAI), File.ReadAllText(PathOf(OpenAI)), factor) : File.ReadAllText(PathOf(spec));

    /// <summary><paramref name="text"/> (the text of <paramref name="spec"/>) with one schema's description changed.</summary>
    public static string EditedTextOf(string spec, string text) =>
        ScaleOf(spec) is int factor ? ScaledDocument.Build(PathOf(OpenAI), File.ReadAllText(PathOf(OpenAI)), factor, editOneSchema: true) : EditOneSchema(text);

    private static int? ScaleOf(string spec) =>
        spec.StartsWith(OpenAI + "-x", StringComparison.Ordinal) && int.TryParse(spec.AsSpan(OpenAI.Length + 2), out int factor) ? factor : null;

    public static string RepositoryRoot { get; } = FindRoot();

    /// <summary>
    /// The spec with one schema's description changed: a real edit that changes one model type
    /// (in a YAML spec the parse stays cached and the words are put in after it; in a JSON one the
    /// whole document is parsed again; either way only that type's file is emitted again).
    /// </summary>
    public static string EditOneSchema(string text)
    {
        int schemas = text.IndexOf("\n  schemas:\n", StringComparison.Ordinal);
        for (int at = schemas; schemas >= 0 && (at = text.IndexOf("\n      description: ", at + 1, StringComparison.Ordinal)) >= 0;)
        {
            int lineEnd = text.IndexOf('\n', at + 1);
            string value = text[(at + "\n      description: ".Length)..lineEnd].Trim();
            if (value.Length > 0 && value[0] is not ('|' or '>' or '"' or '\''))
            {
                return text[..lineEnd] + " Edited." + text[lineEnd..];
            }
        }

        throw new InvalidOperationException("No plain single-line schema description to edit.");
    }

    /// <summary>
    /// <paramref name="text"/> with a property added to one schema: an edit of the document's
    /// structure, which maps it again (a description edit leaves the parse cached).
    /// </summary>
    public static string AddPropertyToOneSchema(string text)
    {
        bool json = text.TrimStart().StartsWith('{');
        string schemas = json ? "\"schemas\":{" : "\n  schemas:\n";
        string properties = json ? "\"properties\":{" : "\n      properties:\n";
        string added = json ? "\"zz_added_by_the_benchmark\":{\"type\":\"string\"}," : "        zz_added_by_the_benchmark:\n          type: string\n";
        int at = text.IndexOf(properties, Math.Max(0, text.IndexOf(schemas, StringComparison.Ordinal)), StringComparison.Ordinal);
        if (at < 0)
        {
            throw new InvalidOperationException("No schema with properties to add one to.");
        }

        return text.Insert(at + properties.Length, added);
    }

    public static CSharpCompilation Compilation(string source = "namespace App { internal static class Program { private static int Value = 1; } }") =>
        CSharpCompilation.Create(
            "BenchApp",
            [CSharpSyntaxTree.ParseText(source, new CSharpParseOptions(LanguageVersion.CSharp12), path: "Program.cs")],
            [MetadataReference.CreateFromFile(typeof(object).Assembly.Location)],
            new CSharpCompilationOptions(OutputKind.DynamicallyLinkedLibrary));

    public static GeneratorDriver Driver(params AdditionalText[] specs) =>
        CSharpGeneratorDriver.Create(
            [new SpecgenGenerator().AsSourceGenerator()],
            specs,
            new CSharpParseOptions(LanguageVersion.CSharp12),
            new Options(),
            new GeneratorDriverOptions(IncrementalGeneratorOutputKind.None, trackIncrementalGeneratorSteps: false));

    private static string FindRoot()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            if (File.Exists(Path.Combine(dir.FullName, "Generators.sln")))
            {
                return dir.FullName;
            }
        }

        throw new InvalidOperationException($"No folder above {AppContext.BaseDirectory} holds Generators.sln.");
    }

    /// <summary>A spec as the compiler hands it over.</summary>
    public sealed class Spec(string path, string text) : AdditionalText
    {
        private readonly SourceText _text = SourceText.From(text);

        public override string Path { get; } = path;

        public override SourceText GetText(CancellationToken cancellationToken = default) => _text;
    }

    /// <summary>The namespace and client name of every spec, and a root namespace, as MSBuild passes them.</summary>
    private sealed class Options : AnalyzerConfigOptionsProvider
    {
        private static readonly Values FileOptions = new(ImmutableDictionary<string, string>.Empty
            .Add("build_metadata.AdditionalFiles.SpecgenNamespace", Namespace)
            .Add("build_metadata.AdditionalFiles.SpecgenClientName", ClientName));

        public override AnalyzerConfigOptions GlobalOptions { get; } = new Values(ImmutableDictionary<string, string>.Empty.Add("build_property.RootNamespace", "BenchApp"));

        public override AnalyzerConfigOptions GetOptions(SyntaxTree tree) => Values.Empty;

        public override AnalyzerConfigOptions GetOptions(AdditionalText textFile) => FileOptions;

        private sealed class Values(ImmutableDictionary<string, string> values) : AnalyzerConfigOptions
        {
            public static readonly Values Empty = new(ImmutableDictionary<string, string>.Empty);

            public override bool TryGetValue(string key, out string value) => values.TryGetValue(key, out value!);
        }
    }
}
