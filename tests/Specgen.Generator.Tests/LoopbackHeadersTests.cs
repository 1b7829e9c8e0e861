using System;
using System.Net;
using System.Net.Http;
using System.Threading;
using System.Threading.Tasks;
using Microsoft.AspNetCore.Http;
using Specgen.Runtime;

namespace Specgen.Generator.Tests;

/// <summary>
/// Headers and media types as a document declares them, on a real Kestrel: a versioning Accept
/// and a fixed Content-Type declared as parameters, a required single-valued header, a defaulted
/// query parameter, a content header, vendor JSON types, a choice of patch media types, and 202 or
/// 204 answers without a body where the spec declares one.
/// </summary>
public sealed class LoopbackHeadersTests
{
    [Fact]
    public async Task Reserved_constant_defaulted_and_content_headers_reach_the_wire_as_declared_without_being_arguments()
    {
        using GeneratedAssembly generated = GeneratedAssembly.FromSpec(GeneratorHarness.Scenario("Headers"), options: null, allowDiagnostics: true);
        await using RecordingServer server = await RecordingServer.StartAsync(Json("""{"incidents":[]}"""));
        object client = Client(generated, server);

        await GeneratedAssembly.CallAsync(client, "ListIncidentsAsync", "ops@example.com", null, "de-CH", null, CancellationToken.None);
        await GeneratedAssembly.CallAsync(client, "ListIncidentsAsync", "ops@example.com", 5L, null, null, CancellationToken.None);

        Seen first = server.Seen[0];
        Assert.Equal("application/vnd.incidents+json;version=2, application/json", first.Header("Accept"));
        Assert.Equal("application/json", first.Header("Content-Type"));
        Assert.Equal(string.Empty, first.Body);
        Assert.Equal("incidents-v3", first.Header("X-EARLY-ACCESS"));
        Assert.Equal("ops@example.com", first.Header("From"));
        Assert.Equal("de-CH", first.Header("Content-Language"));
        Assert.Equal("?limit=25", first.Query);
        Assert.Null(first.Authorization);
        Assert.Equal("?limit=5", server.Seen[1].Query);
    }

    [Fact]
    public async Task A_vendor_JSON_body_goes_as_its_own_media_type_and_a_202_without_a_body_is_a_success_without_a_value()
    {
        using GeneratedAssembly generated = GeneratedAssembly.FromSpec(GeneratorHarness.Scenario("Headers"), options: null, allowDiagnostics: true);
        await using RecordingServer server = await RecordingServer.StartAsync(context =>
        {
            context.Response.StatusCode = 202;
            return Task.CompletedTask;
        });
        object client = Client(generated, server);
        object incident = generated.Read("Incident", """{"id":"inc_1","title":"Disk full"}""");

        object? value = await GeneratedAssembly.CallAsync(client, "CreateIncidentAsync", incident, null, CancellationToken.None);
        var response = (ApiResponse)(await GeneratedAssembly.CallAsync(client, "CreateIncidentWithResponseAsync", incident, null, CancellationToken.None))!;

        Seen sent = server.Seen[0];
        Assert.Equal("application/vnd.api+json", sent.Header("Content-Type"));
        Assert.Equal("application/vnd.api+json", sent.Header("Accept"));
        Assert.Equal("""{"id":"inc_1","title":"Disk full"}""", sent.Body);
        Assert.Null(value);
        Assert.Equal(HttpStatusCode.Accepted, response.Status);
        Assert.False((bool)GeneratedAssembly.Get(response, "HasValue")!);
    }

    [Fact]
    public async Task A_patch_goes_as_the_first_declared_media_type_or_the_one_the_caller_picks_and_a_204_reads_as_null()
    {
        using GeneratedAssembly generated = GeneratedAssembly.FromSpec(GeneratorHarness.Scenario("Headers"), options: null, allowDiagnostics: true);
        await using RecordingServer server = await RecordingServer.StartAsync(context =>
        {
            context.Response.StatusCode = 204;
            return Task.CompletedTask;
        });
        object client = Client(generated, server);
        object merge = generated.Type("PatchIncidentContentType").GetProperty("ApplicationMergePatchJson")!.GetValue(null)!;
        System.Text.Json.JsonElement body = System.Text.Json.JsonDocument.Parse("""{"title":"Disk ok"}""").RootElement;

        object? first = await GeneratedAssembly.CallAsync(client, "PatchIncidentAsync", "inc_1", body, null, null, CancellationToken.None);
        await GeneratedAssembly.CallAsync(client, "PatchIncidentAsync", "inc_1", body, merge, null, CancellationToken.None);

        Assert.Null(first);
        Assert.Equal("application/json-patch+json", server.Seen[0].Header("Content-Type"));
        Assert.Equal("application/merge-patch+json", server.Seen[1].Header("Content-Type"));
        Assert.Equal("""{"title":"Disk ok"}""", server.Seen[1].Body);
    }

    private static Func<HttpContext, Task> Json(string json) => context =>
    {
        context.Response.ContentType = "application/json";
        return context.Response.WriteAsync(json);
    };

    private static object Client(GeneratedAssembly generated, RecordingServer server) =>
        Activator.CreateInstance(generated.Type("TestClient"), new ApiClientOptions { BaseAddress = server.BaseAddress, MaxRetries = 0 }, new HttpClient())!;
}
