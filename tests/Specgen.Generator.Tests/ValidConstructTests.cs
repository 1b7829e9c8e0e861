using System.Linq;

namespace Specgen.Generator.Tests;

/// <summary>
/// A construct the specification allows is never a warning, even where the OpenAPI reader calls it
/// invalid; the invalid construct next to it still is one, so each excuse is exactly as wide as the rule.
/// </summary>
public sealed class ValidConstructTests
{
    private const string Swagger2 = "swagger: '2.0'\ninfo: {title: t, version: '1'}\nhost: api.example.com\npaths:\n  /a:\n    get:\n      operationId: getA\n";

    private const string OpenApi30 = "openapi: 3.0.3\ninfo: {title: t, version: '1'}\npaths:\n  /a:\n    get:\n      operationId: getA\n";

    private const string OpenApi31 = "openapi: 3.1.0\ninfo: {title: t, version: '1'}\npaths:\n  /a:\n    get:\n      operationId: getA\n";

    private const string Ok = "      responses:\n        '200': {description: ok}\n";

    [Fact]
    public void Swagger_2_operation_schemes_are_valid_and_the_same_member_in_OpenAPI_3_is_not()
    {
        Assert.Empty(Diagnostics(Swagger2 + "      schemes: [https]\n" + Ok));
        Assert.Contains("schemes is not a valid property", Assert.Single(Diagnostics(OpenApi30 + "      schemes: [https]\n" + Ok)));
    }

    [Fact]
    public void Swagger_2_array_keywords_on_query_parameters_and_their_items_are_valid_and_on_a_3_0_parameter_they_are_not()
    {
        const string parameter = "      parameters:\n        - {name: ids, in: query, type: array, uniqueItems: true, maxItems: 3, collectionFormat: pipes, items: {type: integer, multipleOf: 2, collectionFormat: csv}}\n";
        Assert.Empty(Diagnostics(Swagger2 + parameter + Ok));
        Assert.Contains("collectionFormat is not a valid property", Assert.Single(Diagnostics(OpenApi30 + "      parameters:\n        - {name: ids, in: query, collectionFormat: pipes, schema: {type: array, items: {type: integer}}}\n" + Ok)));
    }

    [Fact]
    public void An_OpenAPI_3_1_operation_may_leave_out_responses_but_not_declare_an_empty_list_and_a_3_0_one_must_have_them()
    {
        GenerationResult result = GeneratorHarness.Run(OpenApi31);

        Assert.Empty(result.GeneratorDiagnostics);
        Assert.Contains("GetAAsync", result.Files["Test.Api.TestClient.g.cs"]);
        Assert.Contains("Responses must contain at least one response", Assert.Single(Diagnostics(OpenApi31 + "      responses: {}\n")));
        Assert.Contains("Responses must contain at least one response", Assert.Single(Diagnostics(OpenApi30)));
    }

    [Fact]
    public void An_OpenAPI_3_2_document_is_read_with_its_own_version_and_no_diagnostic()
    {
        GenerationResult result = GeneratorHarness.Run(OpenApi31.Replace("3.1.0", "3.2.0") + Ok);

        Assert.Empty(result.GeneratorDiagnostics);
        Assert.Contains("GetAAsync", result.Files["Test.Api.TestClient.g.cs"]);
        result.AssertCompiles();
    }

    private static string[] Diagnostics(string spec) =>
        GeneratorHarness.Run(spec).GeneratorDiagnostics.Select(d => d.GetMessage(System.Globalization.CultureInfo.InvariantCulture)).ToArray();
}
