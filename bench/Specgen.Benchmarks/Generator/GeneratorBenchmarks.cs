using System;
using System.Collections.Generic;
using System.Collections.Immutable;
using System.IO;
using System.Linq;
using System.Threading;
using BenchmarkDotNet.Attributes;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.Text;
using Microsoft.OpenApi;
using Specgen.Generator.Diagnostics;
using Specgen.Generator.Emitting;
using Specgen.Generator.Mapping;
using Specgen.Generator.Model;
using Specgen.Generator.Reading;

namespace Specgen.Benchmarks.Generator;

/// <summary>
/// The generator in a warm process. The phases one by one, as the Parse step chains them (YAML to
/// JSON nodes, the normalized copy, Microsoft.OpenApi reading it, mapping to the model, emitting
/// C#; then the compiler parsing what was emitted, which the driver does inside every run), a whole
/// driver run with a new driver, and the two edits an already-run driver sees in an IDE: an
/// unrelated C# edit, and one schema's description changed in the spec.
/// </summary>
[Config(typeof(BenchmarkConfig.Generator))]
public class GeneratorBenchmarks
{
    private string _path = null!;
    private string _text = null!;
    private SpecDocument _document = null!;
    private NormalizedDocument _normalized = null!;
    private WrittenReferences _references = null!;
    private OpenApiDocument _openApi = null!;
    private ApiModel _model = null!;
    private CSharpCompilation _compilation = null!;
    private CSharpCompilation _editedCompilation = null!;
    private GeneratorInputs.Spec _spec = null!;
    private GeneratorInputs.Spec _editedSpec = null!;
    private GeneratorInputs.Spec _restructuredSpec = null!;
    private GeneratorDriver _ran = null!;
    private SourceText[] _emitted = null!;

    [ParamsSource(nameof(Specs))]
    public string Spec { get; set; } = GeneratorInputs.Threads;

    public static IEnumerable<string> Specs() => GeneratorInputs.Available();

    [GlobalSetup]
    public void Setup()
    {
        _path = GeneratorInputs.PathOf(Spec);
        _text = GeneratorInputs.TextOf(Spec);
        _document = SpecReader.Read(_path, _text);
        _normalized = new NormalizedDocument(_document);
        ExternalReferences.Resolve(_normalized, readFile: null, CancellationToken.None);
        SpecShape.Check(_normalized, CancellationToken.None);
        _references = WrittenReferences.Collect(_normalized, CancellationToken.None);
        _openApi = ReadOpenApi() ?? throw new InvalidOperationException("The spec did not read as OpenAPI.");
        // What the emitters get in a build: the mapped model after the settings step (default settings).
        _model = Configuration.Apply(new ParseResult(_path, (ApiModel)Map(), EquatableArray<DiagnosticInfo>.Empty), ImmutableArray<SpecConfiguration>.Empty).Model!;

        _compilation = GeneratorInputs.Compilation();
        SyntaxTree tree = _compilation.SyntaxTrees[0];
        _editedCompilation = _compilation.ReplaceSyntaxTree(tree, tree.WithChangedText(tree.GetText().Replace(tree.ToString().IndexOf("1", StringComparison.Ordinal), 1, "2")));
        _spec = new GeneratorInputs.Spec(_path, _text);
        _editedSpec = new GeneratorInputs.Spec(_path, GeneratorInputs.EditedTextOf(Spec, _text));
        _restructuredSpec = new GeneratorInputs.Spec(_path, GeneratorInputs.AddPropertyToOneSchema(_text));
        _ran = GeneratorInputs.Driver(_spec).RunGenerators(_compilation);
        int files = _ran.GetRunResult().GeneratedTrees.Length;
        if (files < 3)
        {
            throw new InvalidOperationException($"The generator produced {files} files from {_path}: {string.Join("; ", _ran.GetRunResult().Diagnostics)}");
        }

        _emitted = [.. _ran.GetRunResult().Results[0].GeneratedSources.Select(source => source.SourceText)];
        Console.WriteLine($"// {Spec}: {_text.Length / 1024} KiB of YAML, {_model.Types.Count} types, {_model.Client.Operations.Count} operations, {files} files");
    }

    [Benchmark(Description = "1 YAML to JSON")]
    public object YamlToJson() => SpecReader.Read(_path, _text);

    [Benchmark(Description = "2 Normalizing")]
    public object Normalize()
    {
        var normalized = new NormalizedDocument(_document);
        ExternalReferences.Resolve(normalized, readFile: null, CancellationToken.None);
        SpecShape.Check(normalized, CancellationToken.None);
        return WrittenReferences.Collect(normalized, CancellationToken.None);
    }

    [Benchmark(Description = "3 OpenAPI reading")]
    public OpenApiDocument? ReadOpenApi() => OpenApiReading.Read(_normalized, swagger2: false, new List<DiagnosticInfo>());

    [Benchmark(Description = "4 Mapping")]
    public object Map() => ApiMapper.Map(_openApi, new MappingContext(_normalized.Locate, _references, GeneratorInputs.Namespace, GeneratorInputs.ClientName, TargetFeatures.Modern, CancellationToken.None));

    [Benchmark(Description = "5 Emitting")]
    public int Emit()
    {
        int length = ClientEmitter.Emit(_model.Client).Length + ResolverEmitter.Emit(_model.Resolver!).Length;
        foreach (TypeFileModel file in FileLayout.Files(_model.Types))
        {
            length += TypeEmitter.Emit(file).Length;
        }

        return length;
    }

    /// <summary>
    /// Not the generator's work but the compiler's: the driver parses every generated file into a
    /// syntax tree. Shown so that the whole run can be told apart into the two.
    /// </summary>
    [Benchmark(Description = "6 Parsing the output (Roslyn)")]
    public int ParseOutput()
    {
        int nodes = 0;
        var options = new CSharpParseOptions(LanguageVersion.CSharp12);
        foreach (SourceText text in _emitted)
        {
            nodes += CSharpSyntaxTree.ParseText(text, options).GetRoot().FullSpan.Length;
        }

        return nodes;
    }

    [Benchmark(Description = "Whole run, new driver")]
    public GeneratorDriver WholeRun() => GeneratorInputs.Driver(_spec).RunGenerators(_compilation);

    [Benchmark(Description = "Unrelated C# edit")]
    public GeneratorDriver UnrelatedEdit() => _ran.RunGenerators(_editedCompilation);

    [Benchmark(Description = "One-schema spec edit")]
    public GeneratorDriver OneSchemaEdit() => _ran.ReplaceAdditionalText(_spec, _editedSpec).RunGenerators(_compilation);

    [Benchmark(Description = "One-schema structural edit (a property added)")]
    public GeneratorDriver OneSchemaStructuralEdit() => _ran.ReplaceAdditionalText(_spec, _restructuredSpec).RunGenerators(_compilation);
}
