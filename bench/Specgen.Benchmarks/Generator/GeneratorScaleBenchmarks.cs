using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using BenchmarkDotNet.Attributes;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;

namespace Specgen.Benchmarks.Generator;

/// <summary>
/// How the generator's cost grows with the document: the OpenAI document at 1, 2, 4 and 8 times its
/// schemas and operations (<see cref="ScaledDocument"/>), per kind of run an IDE makes. Setup prints
/// each size's text, types and files, and the memory the driver keeps between runs (what an IDE
/// holds for the project as long as it is open).
/// </summary>
[Config(typeof(BenchmarkConfig.Scale))]
public class GeneratorScaleBenchmarks
{
    private CSharpCompilation _compilation = null!;
    private CSharpCompilation _editedCompilation = null!;
    private GeneratorInputs.Spec _spec = null!;
    private GeneratorInputs.Spec _editedSpec = null!;
    private GeneratorDriver _ran = null!;

    [Params(1, 2, 4, 8)]
    public int Factor { get; set; }

    [GlobalSetup]
    public void Setup()
    {
        string path = GeneratorInputs.PathOf(GeneratorInputs.OpenAI);
        if (!File.Exists(path))
        {
            throw new InvalidOperationException($"The scale benchmark needs the OpenAI document at {path} (../shared).");
        }

        string text = File.ReadAllText(path);
        string scaledPath = Path.ChangeExtension(path, ".scaled.json");
        _spec = new GeneratorInputs.Spec(scaledPath, ScaledDocument.Build(path, text, Factor));
        _editedSpec = new GeneratorInputs.Spec(scaledPath, ScaledDocument.Build(path, text, Factor, editOneSchema: true));
        _compilation = GeneratorInputs.Compilation();
        SyntaxTree tree = _compilation.SyntaxTrees[0];
        _editedCompilation = _compilation.ReplaceSyntaxTree(tree, tree.WithChangedText(tree.GetText().Replace(tree.ToString().IndexOf("1", StringComparison.Ordinal), 1, "2")));

        long before = GC.GetTotalMemory(forceFullCollection: true);
        _ran = GeneratorInputs.Driver(_spec).RunGenerators(_compilation);
        long retained = GC.GetTotalMemory(forceFullCollection: true) - before;
        GeneratorDriverRunResult result = _ran.GetRunResult();
        if (result.Diagnostics.Any(d => d.Severity == DiagnosticSeverity.Error) || result.GeneratedTrees.Length < 3)
        {
            throw new InvalidOperationException($"The scaled document did not generate: {string.Join("; ", result.Diagnostics.Take(5))}");
        }

        long generated = result.GeneratedTrees.Sum(t => (long)t.Length);
        Console.WriteLine($"// x{Factor}: {_spec.GetText().Length / 1024 / 1024.0:0.0} MB of JSON, {result.GeneratedTrees.Length} files, {generated / 1024 / 1024.0:0.0} M characters generated, driver retains {retained / 1024 / 1024.0:0.0} MB");
    }

    [Benchmark(Description = "Whole run, new driver")]
    public GeneratorDriver WholeRun() => GeneratorInputs.Driver(_spec).RunGenerators(_compilation);

    [Benchmark(Description = "Unrelated C# edit")]
    public GeneratorDriver UnrelatedEdit() => _ran.RunGenerators(_editedCompilation);

    [Benchmark(Description = "One-schema spec edit")]
    public GeneratorDriver OneSchemaEdit() => _ran.ReplaceAdditionalText(_spec, _editedSpec).RunGenerators(_compilation);
}
