using System.Collections.Immutable;
using System.IO;
using System.Linq;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;

namespace Specgen.Generator.Tests;

/// <summary>
/// A project on a C# too old for the generated code gets one error at the spec that says which
/// <c>LangVersion</c> to set, not a wall of compiler errors; the oldest version named compiles it.
/// </summary>
public sealed class LanguageVersionTests
{
    private static (ImmutableArray<Diagnostic> Generator, ImmutableArray<Diagnostic> Compiled, int Files) Generate(LanguageVersion version)
    {
        var parse = new CSharpParseOptions(version);
        CSharpCompilation input = GeneratorHarness.CreateCompilation()
            .AddSyntaxTrees(CSharpSyntaxTree.ParseText("namespace Consumer { internal static class Placeholder { } }", parse));
        GeneratorDriver driver = CSharpGeneratorDriver.Create(
            new[] { new SpecgenGenerator().AsSourceGenerator() },
            new[] { new InMemoryAdditionalText(GeneratorHarness.SpecPath, File.ReadAllText(RepoPaths.ThreadsFragment)) },
            parse,
            GeneratorHarness.DefaultOptions());
        driver = driver.RunGeneratorsAndUpdateCompilation(input, out Compilation output, out ImmutableArray<Diagnostic> diagnostics);
        ImmutableArray<Diagnostic> compiled = output.GetDiagnostics().Where(d => d.Severity >= DiagnosticSeverity.Warning).ToImmutableArray();
        return (diagnostics, compiled, driver.GetRunResult().GeneratedTrees.Length);
    }

    [Fact]
    public void Below_CSharp_11_the_spec_gets_one_error_naming_the_LangVersion_and_nothing_is_generated()
    {
        (ImmutableArray<Diagnostic> generator, ImmutableArray<Diagnostic> compiled, int files) = Generate(LanguageVersion.CSharp10);

        Diagnostic error = Assert.Single(generator);
        Assert.Equal("SPEC010", error.Id);
        Assert.Equal(DiagnosticSeverity.Error, error.Severity);
        Assert.Contains("set <LangVersion>11.0</LangVersion>", error.GetMessage());
        Assert.Contains("compiles C# 10.0", error.GetMessage());
        Assert.EndsWith(GeneratorHarness.SpecPath, error.Location.GetLineSpan().Path);
        Assert.Equal(0, files);
        Assert.Empty(compiled);
    }

    [Fact]
    public void CSharp_11_compiles_the_generated_code()
    {
        (ImmutableArray<Diagnostic> generator, ImmutableArray<Diagnostic> compiled, int files) = Generate(LanguageVersion.CSharp11);

        Assert.DoesNotContain(generator, d => d.Severity >= DiagnosticSeverity.Warning);
        Assert.True(files > 100, $"{files} files");
        Assert.True(compiled.IsEmpty, string.Join("\n", compiled.Take(10)));
    }
}
