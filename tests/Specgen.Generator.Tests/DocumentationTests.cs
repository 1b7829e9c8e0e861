using System.IO;
using System.Linq;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;

namespace Specgen.Generator.Tests;

/// <summary>
/// Generated code in a project that builds its XML documentation (GenerateDocumentationFile with
/// warnings as errors): every public member is documented and every <c>cref</c> resolves.
/// </summary>
public sealed class DocumentationTests
{
    [Theory]
    [InlineData("Object")]
    [InlineData("Union")]
    [InlineData("Streaming")]
    [InlineData("Files")]
    [InlineData("FormBody")]
    [InlineData("ParameterStyles")]
    [InlineData("Deprecated")]
    [InlineData("Grouping", "SpecgenClientGrouping", "tags")]
    public void The_generated_documentation_is_complete_and_its_references_resolve(string scenario, string? setting = null, string? value = null)
    {
        var metadata = new System.Collections.Generic.Dictionary<string, string> { ["SpecgenNamespace"] = "Test.Api", ["SpecgenClientName"] = "TestClient" };
        if (setting is not null)
        {
            metadata[setting] = value!;
        }

        AssertDocumented(GeneratorHarness.Run(GeneratorHarness.Scenario(scenario), options: GeneratorHarness.OptionsWithMetadata(GeneratorHarness.SpecPath, metadata)));
    }

    [Fact]
    public void The_documentation_of_the_bundled_threads_client_is_complete_and_its_references_resolve()
    {
        AssertDocumented(GeneratorHarness.Run(File.ReadAllText(RepoPaths.ThreadsFragment), options: GeneratorHarness.DefaultOptions(ns: "OpenAI.Threads", client: "ThreadsClient")));
    }

    [Fact]
    public void The_documentation_of_the_bundled_threads_client_names_no_path_of_this_repository()
    {
        GenerationResult result = GeneratorHarness.Run(File.ReadAllText(RepoPaths.ThreadsFragment), options: GeneratorHarness.DefaultOptions(ns: "OpenAI.Threads", client: "ThreadsClient"));

        string[] leaks = result.Files.Values
            .SelectMany(text => text.Split('\n'))
            .Where(line => line.TrimStart().StartsWith("///", System.StringComparison.Ordinal) && RepositoryPath.IsMatch(line))
            .ToArray();

        Assert.True(leaks.Length == 0, string.Join("\n", leaks));
    }

    private static readonly System.Text.RegularExpressions.Regex RepositoryPath = new(@"\b(tests|generator|runtime|samples|spec|bench)/|\.cs\b|\.csproj\b", System.Text.RegularExpressions.RegexOptions.CultureInvariant);

    private static void AssertDocumented(GenerationResult result)
    {
        var parse = new CSharpParseOptions(LanguageVersion.CSharp12, DocumentationMode.Diagnose);
        Compilation documented = GeneratorHarness.CreateCompilation()
            .AddSyntaxTrees(result.Files.Select(f => CSharpSyntaxTree.ParseText(f.Value, parse, path: f.Key)));

        Diagnostic[] problems = documented.GetDiagnostics().Where(d => d.Severity >= DiagnosticSeverity.Warning).ToArray();

        Assert.True(problems.Length == 0, string.Join("\n", problems.Take(20).Select(d => d.ToString())));
    }
}
