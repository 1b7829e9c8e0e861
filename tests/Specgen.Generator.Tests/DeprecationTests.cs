using System.Linq;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;

namespace Specgen.Generator.Tests;

/// <summary>
/// What the spec marks deprecated is <c>[Obsolete]</c>: the user's code that uses it warns
/// (CS0618), the generated code that must still use it does not.
/// </summary>
public sealed class DeprecationTests
{
    [Fact]
    public void Using_a_deprecated_operation_member_or_type_warns_in_the_callers_code_only()
    {
        GenerationResult result = GeneratorHarness.Run(GeneratorHarness.Scenario("Deprecated"));
        result.AssertCleanAndCompiles();
        SyntaxTree consumer = CSharpSyntaxTree.ParseText("""
            namespace Consumer;
            internal static class Uses
            {
                internal static object Run(Test.Api.TestClient client, Test.Api.Item item)
                {
                    _ = item.Name;
                    _ = new Test.Api.LegacyItem();
                    _ = item.Kinds;
                    return client.ListLegacyItemsAsync();
                }
            }
            """, new CSharpParseOptions(LanguageVersion.CSharp12), path: "Consumer.cs");

        Diagnostic[] diagnostics = result.Compilation.AddSyntaxTrees(consumer).GetDiagnostics()
            .Where(d => d.Severity >= DiagnosticSeverity.Warning).ToArray();

        Assert.All(diagnostics, d => Assert.Equal("CS0618", d.Id));
        Assert.All(diagnostics, d => Assert.Equal("Consumer.cs", d.Location.SourceTree?.FilePath));
        Assert.Equal(3, diagnostics.Length);
        Assert.Contains(diagnostics, d => d.GetMessage().Contains("Item.Name"));
        Assert.Contains(diagnostics, d => d.GetMessage().Contains("LegacyItem"));
        Assert.Contains(diagnostics, d => d.GetMessage().Contains("ListLegacyItemsAsync"));
    }

    [Fact]
    public void Files_that_use_nothing_deprecated_do_not_silence_the_warning()
    {
        GenerationResult result = GeneratorHarness.Run(GeneratorHarness.Scenario("Deprecated"));

        Assert.Contains("#pragma warning disable CS0618", result.Files["Test.Api.Item.g.cs"]);
        Assert.Contains("#pragma warning disable CS0618", result.Files["Test.Api.TestClientJsonTypeInfoResolver.g.cs"]);
        Assert.DoesNotContain("#pragma", GeneratorHarness.Run(GeneratorHarness.Scenario("Object")).Files["Test.Api.Widget.g.cs"]);
        Assert.DoesNotContain("#pragma", GeneratorHarness.Run(GeneratorHarness.Scenario("Object")).Files["Test.Api.TestClient.g.cs"]);
    }
}
