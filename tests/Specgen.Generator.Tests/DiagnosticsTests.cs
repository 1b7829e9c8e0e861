using System;
using System.Collections.Generic;
using System.Linq;
using Microsoft.CodeAnalysis;

namespace Specgen.Generator.Tests;

/// <summary>
/// Bad input: every problem is a located diagnostic with a stable id, whatever can still be
/// generated is generated and compiles, and the generator never throws (which a user would see as
/// CS8785, with every other generated file of the project gone).
/// </summary>
public sealed class DiagnosticsTests
{
    private const string Header = "openapi: 3.1.0\ninfo:\n  title: Test\n  version: 1.0.0\n";

    [Theory]
    [InlineData("openapi: 3.1.0\ninfo:\n  title: Broken\n version: 1.0.0\npaths: {}\n", 4)]
    [InlineData("openapi: 3.1.0\ninfo:\n  title: Broken\n  version: 1.0.0\npaths: {}\ncomponents:\n  schemas:\n    Thing:\n      type: object\n      description: a: b\n", 10)]
    [InlineData("openapi: 3.1.0\ninfo:\n  title: Broken\n  version: 1.0.0\npaths: {}\ntags: [a, b\n", 7)]
    public void A_YAML_syntax_error_is_SPEC001_on_its_line_and_nothing_is_generated(string spec, int line)
    {
        GenerationResult result = GeneratorHarness.Run(spec);

        result.AssertNoCrash();
        Diagnostic error = Assert.Single(result.GeneratorDiagnostics);
        Assert.Equal("SPEC001", error.Id);
        Assert.Equal(DiagnosticSeverity.Error, error.Severity);
        AssertLocated(error, GeneratorHarness.SpecPath, line);
        Assert.Empty(result.Files);
    }

    [Fact]
    public void An_unclosed_flow_mapping_is_SPEC001_near_its_line_with_a_YAML_message()
    {
        string spec = Lines(
            "openapi: 3.1.0",
            "info:",
            "  title: Broken",
            "  version: 1.0.0",
            "paths:",
            "  /things:",
            "    get: {responses: {\"200\": {description: ok}}",
            "components: {}");

        GenerationResult result = GeneratorHarness.Run(spec);

        result.AssertNoCrash();
        Diagnostic error = Assert.Single(result.GeneratorDiagnostics);
        Assert.Equal("SPEC001", error.Id);
        Assert.DoesNotContain("current state of the object", error.GetMessage());
        int reported = error.Location.GetLineSpan().StartLinePosition.Line + 1;
        Assert.True(reported is 7 or 8, $"SPEC001 is reported on line {reported}; the unclosed '{{' is on line 7 and the file ends on line 8.");
        Assert.Empty(result.Files);
    }

    [Fact]
    public void A_JSON_syntax_error_is_SPEC001_on_its_line()
    {
        const string path = "/specs/api.json";
        string spec = Lines(
            "{",
            "  \"openapi\": \"3.1.0\",",
            "  \"info\": { \"title\": \"Broken\", \"version\": \"1.0.0\" }",
            "  \"paths\": {}",
            "}");

        GenerationResult result = GeneratorHarness.Run(spec, path);

        result.AssertNoCrash();
        Diagnostic error = Assert.Single(result.GeneratorDiagnostics);
        Assert.Equal("SPEC001", error.Id);
        AssertLocated(error, path, line: 4);
        Assert.Empty(result.Files);
    }

    [Fact]
    public void An_unresolvable_ref_is_SPEC002_at_the_referencing_schema_and_everything_else_generates()
    {
        string spec = Header + Lines(
            "paths: {}",
            "components:",
            "  schemas:",
            "    Thing:",
            "      type: object",
            "      properties:",
            "        name:",
            "          type: string",
            "        owner:",
            "          $ref: '#/components/schemas/Missing'",
            "    Other:",
            "      type: object",
            "      properties:",
            "        id:",
            "          type: string");

        GenerationResult result = GeneratorHarness.Run(spec);

        result.AssertNoCrash();
        Diagnostic unresolved = Assert.Single(result.WithId("SPEC002"));
        Assert.Equal(DiagnosticSeverity.Warning, unresolved.DefaultSeverity);
        Assert.Contains("#/components/schemas/Missing", unresolved.GetMessage());
        AssertLocated(unresolved, GeneratorHarness.SpecPath, line: LineOf(spec, "$ref: '#/components/schemas/Missing'"));
        Assert.Contains("Test.Api.Thing.g.cs", result.Files.Keys);
        Assert.Contains("Test.Api.Other.g.cs", result.Files.Keys);
        Assert.Contains("public global::System.Text.Json.JsonElement? Owner { get; set; }", result.Files["Test.Api.Thing.g.cs"]);
        result.AssertCompiles();
    }

    [Fact]
    public void A_form_body_that_is_not_an_object_is_SPEC003_at_its_schema_and_the_other_operations_still_generate()
    {
        string spec = Header + Lines(
            "paths:",
            "  /files:",
            "    post:",
            "      operationId: uploadFile",
            "      requestBody:",
            "        content:",
            "          application/x-www-form-urlencoded:",
            "            schema:",
            "              type: string",
            "      responses:",
            "        '200':",
            "          description: ok",
            "    get:",
            "      operationId: listFiles",
            "      responses:",
            "        '200':",
            "          description: ok");

        GenerationResult result = GeneratorHarness.Run(spec);

        result.AssertNoCrash();
        Diagnostic unsupported = Assert.Single(result.GeneratorDiagnostics);
        Assert.Equal("SPEC003", unsupported.Id);
        Assert.Contains("application/x-www-form-urlencoded", unsupported.GetMessage());
        Assert.Contains("uploadFile", unsupported.GetMessage());
        Assert.EndsWith("(at #/paths/~1files/post/requestBody/content/application~1x-www-form-urlencoded/schema)", unsupported.GetMessage());
        AssertLocated(unsupported, GeneratorHarness.SpecPath, line: LineOf(spec, "type: string"));
        string client = result.Files["Test.Api.TestClient.g.cs"];
        Assert.Contains("ListFilesAsync(", client);
        Assert.DoesNotContain("UploadFile", client);
        result.AssertCompiles();
    }

    [Fact]
    public void A_path_parameter_that_is_an_object_in_matrix_style_is_SPEC003_and_only_its_operation_is_left_out()
    {
        // In the simple style an object is `x,1`; in the label and matrix styles it has no spelling here.
        string spec = Header + Lines(
            "paths:",
            "  /points/{point}:",
            "    get:",
            "      operationId: getPoint",
            "      parameters:",
            "        - name: point",
            "          in: path",
            "          required: true",
            "          style: matrix",
            "          schema:",
            "            type: object",
            "            properties:",
            "              x: { type: integer }",
            "      responses:",
            "        '204':",
            "          description: ok",
            "  /session:",
            "    get:",
            "      operationId: getSession",
            "      parameters:",
            "        - name: session_token",
            "          in: cookie",
            "          schema:",
            "            type: string",
            "      responses:",
            "        '204':",
            "          description: ok");

        GenerationResult result = GeneratorHarness.Run(spec);

        result.AssertNoCrash();
        Diagnostic unsupported = Assert.Single(result.GeneratorDiagnostics);
        Assert.Equal("SPEC003", unsupported.Id);
        Assert.Contains("'point'", unsupported.GetMessage());
        Assert.Contains("getPoint", unsupported.GetMessage());
        AssertLocated(unsupported, GeneratorHarness.SpecPath, line: LineOf(spec, "- name: point"));
        string client = result.Unwrapped("Test.Api.TestClient.g.cs");
        Assert.DoesNotContain("GetPointAsync", client);
        Assert.Contains("GetSessionAsync(string? sessionToken = null,", client);
        result.AssertCompiles();
    }

    [Theory]
    [InlineData("")]
    [InlineData("   \n\n")]
    [InlineData("# only a comment\n")]
    public void An_empty_file_marked_as_a_spec_is_a_diagnostic_not_a_crash(string text)
    {
        GenerationResult result = GeneratorHarness.Run(text, options: GeneratorHarness.OptionsWithMetadata(GeneratorHarness.SpecPath, new Dictionary<string, string> { ["Specgen"] = "true" }));

        result.AssertNoCrash();
        Diagnostic error = Assert.Single(result.GeneratorDiagnostics);
        Assert.Contains(error.Id, new[] { "SPEC001", "SPEC006" });
        Assert.Equal(DiagnosticSeverity.Error, error.Severity);
        Assert.Equal(GeneratorHarness.SpecPath, error.Location.GetLineSpan().Path);
        Assert.Empty(result.Files);
    }

    [Theory]
    [InlineData("services:\n  web:\n    image: nginx\n")]
    [InlineData("- just\n- a\n- list\n")]
    [InlineData("a plain scalar\n")]
    public void A_YAML_file_that_is_not_OpenAPI_but_marked_as_a_spec_is_SPEC006(string text)
    {
        GenerationResult result = GeneratorHarness.Run(text, options: GeneratorHarness.OptionsWithMetadata(GeneratorHarness.SpecPath, new Dictionary<string, string> { ["Specgen"] = "true" }));

        result.AssertNoCrash();
        Diagnostic error = Assert.Single(result.GeneratorDiagnostics);
        Assert.Equal("SPEC006", error.Id);
        Assert.Equal(GeneratorHarness.SpecPath, error.Location.GetLineSpan().Path);
        Assert.Empty(result.Files);
    }

    [Fact]
    public void A_JSON_file_without_Specgen_metadata_that_is_not_OpenAPI_is_ignored_silently()
    {
        const string path = "/project/appsettings.json";
        string settings = """{ "Logging": { "LogLevel": { "Default": "Information" } }, "AllowedHosts": "*" }""";

        GenerationResult result = GeneratorHarness.Run(settings, path, GeneratorHarness.OptionsWithMetadata(path, new Dictionary<string, string>()));

        result.AssertNoCrash();
        Assert.Empty(result.GeneratorDiagnostics);
        Assert.Empty(result.Files);
    }

    [Fact]
    public void A_spec_switched_off_with_Specgen_false_is_ignored()
    {
        GenerationResult result = GeneratorHarness.Run(GeneratorHarness.Scenario("Object"), options: GeneratorHarness.OptionsWithMetadata(GeneratorHarness.SpecPath, new Dictionary<string, string> { ["Specgen"] = "false" }));

        result.AssertNoCrash();
        Assert.Empty(result.GeneratorDiagnostics);
        Assert.Empty(result.Files);
    }

    [Fact]
    public void Two_specs_with_different_namespaces_both_generate_without_hint_name_collisions()
    {
        // Same file name and the same schema names in both: only the namespace tells them apart.
        var files = new[]
        {
            new InMemoryAdditionalText("/specs/billing/api.yaml", GeneratorHarness.Scenario("Object")),
            new InMemoryAdditionalText("/specs/shipping/api.yaml", GeneratorHarness.Scenario("Object")),
        };
        TestOptionsProvider options = GeneratorHarness.OptionsFor(
            ("/specs/billing/api.yaml", "Billing.Api", "BillingClient"),
            ("/specs/shipping/api.yaml", "Shipping.Api", "ShippingClient"));

        GenerationResult result = GeneratorHarness.Run(files, options);

        result.AssertCleanAndCompiles();
        Assert.Contains("Billing.Api.Widget.g.cs", result.Files.Keys);
        Assert.Contains("Shipping.Api.Widget.g.cs", result.Files.Keys);
        Assert.Contains("Billing.Api.BillingClient.g.cs", result.Files.Keys);
        Assert.Contains("Shipping.Api.ShippingClient.g.cs", result.Files.Keys);
        Assert.Equal(result.Files.Count, result.Files.Keys.Distinct(StringComparer.OrdinalIgnoreCase).Count());
    }

    [Fact]
    public void A_broken_spec_does_not_stop_a_good_one_in_the_same_project()
    {
        var files = new[]
        {
            new InMemoryAdditionalText("/specs/good.yaml", GeneratorHarness.Scenario("Enum")),
            new InMemoryAdditionalText("/specs/bad.yaml", "openapi: 3.1.0\ninfo: [\n"),
        };
        TestOptionsProvider options = GeneratorHarness.OptionsFor(("/specs/good.yaml", "Good.Api", "GoodClient"), ("/specs/bad.yaml", "Bad.Api", "BadClient"));

        GenerationResult result = GeneratorHarness.Run(files, options);

        result.AssertNoCrash();
        Diagnostic error = Assert.Single(result.GeneratorDiagnostics);
        Assert.Equal("SPEC001", error.Id);
        Assert.Equal("/specs/bad.yaml", error.Location.GetLineSpan().Path);
        Assert.Contains("Good.Api.GoodClient.g.cs", result.Files.Keys);
        Assert.DoesNotContain(result.Files.Keys, k => k.StartsWith("Bad.", StringComparison.Ordinal));
        result.AssertCompiles();
    }

    [Fact]
    public void Every_diagnostic_message_ends_with_the_JSON_pointer_of_the_construct()
    {
        string spec = Header + Lines(
            "paths: {}",
            "components:",
            "  schemas:",
            "    Thing:",
            "      type: object",
            "      properties:",
            "        owner:",
            "          $ref: '#/components/schemas/Missing'");

        Diagnostic unresolved = Assert.Single(GeneratorHarness.Run(spec).WithId("SPEC002"));

        Assert.EndsWith("(at #/components/schemas/Thing/properties/owner)", unresolved.GetMessage());
    }

    private static string Lines(params string[] lines) => string.Join("\n", lines) + "\n";

    /// <summary>The 1-based line of the only line that contains <paramref name="text"/>.</summary>
    private static int LineOf(string spec, string text)
    {
        string[] lines = spec.Split('\n');
        int[] matches = Enumerable.Range(0, lines.Length).Where(i => lines[i].Contains(text, StringComparison.Ordinal)).ToArray();
        Assert.True(matches.Length == 1, $"'{text}' is on {matches.Length} lines of the spec, not one.");
        return matches[0] + 1;
    }

    private static void AssertLocated(Diagnostic diagnostic, string path, int line)
    {
        FileLinePositionSpan span = diagnostic.Location.GetLineSpan();
        Assert.True(span.IsValid, $"{diagnostic.Id} has no location: {diagnostic}");
        Assert.Equal(path, span.Path);
        Assert.True(span.StartLinePosition.Line + 1 == line, $"{diagnostic.Id} is reported on line {span.StartLinePosition.Line + 1}, expected line {line}: {diagnostic.GetMessage()}");
    }
}
