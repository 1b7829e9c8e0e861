namespace Specgen.Generator.Tests;

/// <summary>The shape of the generated client methods: argument order and documentation.</summary>
public sealed class ClientMethodTests
{
    [Fact]
    public void Required_arguments_come_first_then_the_body_then_optional_ones()
    {
        string client = GeneratorHarness.Run(GeneratorHarness.Scenario("Parameters")).Unwrapped("Test.Api.TestClient.g.cs");

        Assert.Matches(
            @"UploadFileAsync\(string \w+, string \w+, global::Test\.Api\.UploadFileOrder order, global::Test\.Api\.FileRequest body, int\? limit = null, bool\? dryRun = null, string\? tag = null, string\? idempotencyKey = null, global::Specgen\.Runtime\.RequestOptions\? options = null, global::System\.Threading\.CancellationToken cancellationToken = default\)",
            client);
    }

    [Fact]
    public void Path_arguments_follow_the_order_of_the_path_template()
    {
        string client = GeneratorHarness.Run(GeneratorHarness.Scenario("Parameters")).Unwrapped("Test.Api.TestClient.g.cs");

        Assert.Contains("UploadFileAsync(string orgId, string projectId, ", client);
        Assert.Contains("DeleteFilesAsync(string orgId, string projectId, ", client);
    }

    [Fact]
    public void A_parameter_without_a_description_is_documented_with_its_name_in_code_style()
    {
        string client = GeneratorHarness.Run(GeneratorHarness.Scenario("Parameters")).Unwrapped("Test.Api.TestClient.g.cs");

        Assert.Contains("/// <param name=\"orgId\">The <c>org_id</c> path parameter.</param>", client);
        Assert.DoesNotContain("&lt;c&gt;", client);
    }

    [Fact]
    public void A_parameter_description_from_the_spec_is_escaped_for_XML()
    {
        string spec = GeneratorHarness.Scenario("Parameters").Replace("description: The project.", "description: The project <id> & name.");

        string client = GeneratorHarness.Run(spec).Files["Test.Api.TestClient.g.cs"];

        Assert.Contains("/// <param name=\"projectId\">The project &lt;id&gt; &amp; name.</param>", client);
    }
}
