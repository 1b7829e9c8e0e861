using System.Collections.Generic;
using System.IO;
using BenchmarkDotNet.Attributes;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;

namespace Specgen.Benchmarks.Generator;

/// <summary>
/// The first generation in a fresh process (five processes, one measurement each): loading and
/// JIT-compiling the generator, YamlDotNet and Microsoft.OpenApi included. The compiler itself is
/// warmed first by a run without a spec, as a compiler that has already compiled something is.
/// </summary>
[Config(typeof(BenchmarkConfig.Cold))]
public class GeneratorColdBenchmarks
{
    private GeneratorInputs.Spec _spec = null!;
    private CSharpCompilation _compilation = null!;

    [ParamsSource(nameof(Specs))]
    public string Spec { get; set; } = GeneratorInputs.Threads;

    public static IEnumerable<string> Specs() => GeneratorInputs.Available();

    [GlobalSetup]
    public void Setup()
    {
        string path = GeneratorInputs.PathOf(Spec);
        _spec = new GeneratorInputs.Spec(path, GeneratorInputs.TextOf(Spec));
        _compilation = GeneratorInputs.Compilation();
        GeneratorInputs.Driver().RunGenerators(_compilation);
    }

    [Benchmark(Description = "First run, fresh process")]
    public GeneratorDriver FirstRun() => GeneratorInputs.Driver(_spec).RunGenerators(_compilation);
}
