using System.Linq;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;

namespace Specgen.Generator.Tests;

/// <summary>
/// The state of generated models and unions (unknown members, presence flags, the variant held and
/// its kind) is private: the user's other code in the same assembly sees only the documented API.
/// Their converters reach it by being nested in them.
/// </summary>
public sealed class PrivateStateTests
{
    private const string Spec = """
        openapi: 3.1.0
        info: { title: State, version: 1.0.0 }
        paths: {}
        components:
          schemas:
            Widget:
              type: object
              properties:
                note: { type: [string, "null"] }
            Shape:
              oneOf:
                - { type: string }
                - $ref: "#/components/schemas/Widget"
        """;

    [Theory]
    [InlineData("widget._additionalProperties")]
    [InlineData("widget._note")]
    [InlineData("widget._noteIsSet")]
    [InlineData("shape._value")]
    [InlineData("shape._kind")]
    [InlineData("new global::Test.Api.Shape(widget, default)")]
    public void User_code_cannot_reach_the_state_of_a_generated_type(string expression)
    {
        AssertInaccessible($$"""
            namespace Consumer;

            internal static class User
            {
                public static object? Reach(global::Test.Api.Widget widget, global::Test.Api.Shape shape) => {{expression}};
            }
            """);
    }

    [Fact]
    public void A_class_derived_from_a_nested_converter_cannot_reach_the_state_either()
    {
        // Deriving is allowed in the same assembly (the constructor is private protected), but
        // only code inside Widget's own braces sees its private members.
        AssertInaccessible("""
            namespace Consumer;

            internal sealed class Sneaky : global::Test.Api.Widget.JsonConverter
            {
                public static object? Reach(global::Test.Api.Widget widget) => widget._additionalProperties;
            }
            """);
    }

    [Fact]
    public void The_public_API_and_the_static_converter_methods_stay_reachable()
    {
        Diagnostic[] errors = CompileNextToGenerated("""
            namespace Consumer;

            internal static class User
            {
                public static string Use(global::Test.Api.Widget widget, global::Test.Api.Shape shape)
                {
                    widget.AdditionalProperties["extra"] = default;
                    widget.Note = null;
                    var json = new global::System.IO.MemoryStream();
                    using (var writer = new global::System.Text.Json.Utf8JsonWriter(json))
                    {
                        global::Test.Api.WidgetJsonConverter.WriteValue(writer, widget);
                    }

                    var reader = new global::System.Text.Json.Utf8JsonReader(json.ToArray());
                    reader.Read();
                    global::Test.Api.Widget copy = global::Test.Api.WidgetJsonConverter.ReadValue(ref reader);
                    global::System.Text.Json.Serialization.JsonConverter<global::Test.Api.Shape> converter = new global::Test.Api.ShapeJsonConverter();
                    return (shape.IsString ? shape.AsString : copy.Note) + converter.ToString();
                }
            }
            """);

        Assert.Empty(errors);
    }

    /// <summary>The one problem of <paramref name="userCode"/> is that it reaches for an inaccessible member.</summary>
    private static void AssertInaccessible(string userCode)
    {
        Diagnostic error = Assert.Single(CompileNextToGenerated(userCode));
        Assert.Equal("CS0122", error.Id);
    }

    /// <summary>The errors and warnings of <paramref name="userCode"/> compiled with the generated code.</summary>
    private static Diagnostic[] CompileNextToGenerated(string userCode)
    {
        GenerationResult result = GeneratorHarness.Run(Spec);
        result.AssertCleanAndCompiles();
        Compilation withUser = result.Compilation.AddSyntaxTrees(CSharpSyntaxTree.ParseText(userCode, new CSharpParseOptions(LanguageVersion.CSharp12), path: "User.cs"));
        return withUser.GetDiagnostics().Where(d => d.Severity >= DiagnosticSeverity.Warning).ToArray();
    }
}
