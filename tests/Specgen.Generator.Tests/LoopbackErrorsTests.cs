using System;
using System.Collections.Generic;
using System.Net;
using System.Net.Http;
using System.Threading;
using System.Threading.Tasks;
using Microsoft.AspNetCore.Http;
using Specgen.Runtime;

namespace Specgen.Generator.Tests;

/// <summary>
/// Declared error bodies read into their types and reached from the exception without a cast
/// chain, by exact status, then range, then <c>default</c>; a lone <c>default</c> response read as
/// the success; successes whose schemas differ by status read as a union.
/// </summary>
public sealed class LoopbackErrorsTests
{
    [Theory]
    [InlineData(404, """{"message":"No pet pet_1","id":"pet_1"}""", typeof(NotFoundException), "NotFound")]
    [InlineData(400, """{"reason":"bad id"}""", typeof(BadRequestException), "GetPetStatus4XXError")]
    [InlineData(418, """{"reason":"a teapot"}""", typeof(ApiException), "GetPetStatus4XXError")]
    [InlineData(503, """["database","cache"]""", typeof(ServerErrorException), "List`1")]
    [InlineData(302, """{"title":"Moved","status":302}""", typeof(ApiException), "Problem")]
    public async Task An_error_body_is_read_into_the_type_declared_for_its_status(int status, string body, Type exception, string bodyType)
    {
        using GeneratedAssembly generated = GeneratedAssembly.FromScenario("Errors");
        await using RecordingServer server = await RecordingServer.StartAsync(Respond(status, body));
        object client = Client(generated, server);

        ApiException error = (ApiException)await Assert.ThrowsAnyAsync<ApiException>(() => GeneratedAssembly.CallAsync(client, "GetPetAsync", "pet_1", null, CancellationToken.None));

        Assert.IsType(exception, error);
        Assert.Equal(bodyType, error.Body!.GetType().Name);
        Assert.Equal(body, error.RawBody);
    }

    [Fact]
    public async Task The_typed_body_is_matched_with_a_pattern_and_its_members_read()
    {
        using GeneratedAssembly generated = GeneratedAssembly.FromScenario("Errors");
        await using RecordingServer server = await RecordingServer.StartAsync(Respond(503, """["database","cache"]"""));
        object client = Client(generated, server);

        ServerErrorException error = await Assert.ThrowsAsync<ServerErrorException>(() => GeneratedAssembly.CallAsync(client, "DeletePetAsync", "pet_1", null, CancellationToken.None));

        Assert.True(error.Body is IList<string> broken && broken.Count == 2 && broken[1] == "cache");
    }

    [Fact]
    public async Task An_error_body_that_is_not_the_declared_schema_leaves_Body_null_and_keeps_the_raw_text()
    {
        using GeneratedAssembly generated = GeneratedAssembly.FromScenario("Errors");
        await using RecordingServer server = await RecordingServer.StartAsync(Respond(404, "<html>not found</html>"));
        object client = Client(generated, server);

        NotFoundException error = await Assert.ThrowsAsync<NotFoundException>(() => GeneratedAssembly.CallAsync(client, "GetPetAsync", "pet_1", null, CancellationToken.None));

        Assert.Null(error.Body);
        Assert.Equal("<html>not found</html>", error.RawBody);
    }

    [Fact]
    public async Task A_lone_default_response_is_the_success_body_and_the_error_body()
    {
        using GeneratedAssembly generated = GeneratedAssembly.FromScenario("Errors");
        int calls = 0;
        await using RecordingServer server = await RecordingServer.StartAsync(context =>
            Interlocked.Increment(ref calls) == 1 ? Respond(200, """{"count":3}""")(context) : Respond(500, """{"count":-1}""")(context));
        object client = Client(generated, server);

        object count = (await GeneratedAssembly.CallAsync(client, "CountPetsAsync", null, CancellationToken.None))!;
        ServerErrorException error = await Assert.ThrowsAsync<ServerErrorException>(() => GeneratedAssembly.CallAsync(client, "CountPetsAsync", null, CancellationToken.None));

        Assert.Equal(3L, GeneratedAssembly.Get(count, "Count2"));
        Assert.Equal(-1L, GeneratedAssembly.Get(error.Body!, "Count2"));
    }

    [Theory]
    [InlineData(200, """{"id":"pet_1"}""", "IsPet")]
    [InlineData(201, """{"owner":"ann","since":"2026-12-07"}""", "IsSetOwnerStatus201Response")]
    public async Task Successes_whose_bodies_differ_by_status_are_read_as_the_union_of_them(int status, string body, string variant)
    {
        using GeneratedAssembly generated = GeneratedAssembly.FromScenario("Errors");
        await using RecordingServer server = await RecordingServer.StartAsync(Respond(status, body));
        object client = Client(generated, server);

        object result = (await GeneratedAssembly.CallAsync(client, "SetOwnerAsync", "pet_1", null, CancellationToken.None))!;

        Assert.True((bool)GeneratedAssembly.Get(result, variant)!);
    }

    [Fact]
    public async Task The_declared_success_without_content_beside_them_reads_as_null()
    {
        using GeneratedAssembly generated = GeneratedAssembly.FromScenario("Errors");
        await using RecordingServer server = await RecordingServer.StartAsync(context =>
        {
            context.Response.StatusCode = 204;
            return Task.CompletedTask;
        });
        object client = Client(generated, server);

        object? result = await GeneratedAssembly.CallAsync(client, "SetOwnerAsync", "pet_1", null, CancellationToken.None);

        Assert.Null(result);
    }

    private static Func<HttpContext, Task> Respond(int status, string json) => context =>
    {
        context.Response.StatusCode = status;
        context.Response.ContentType = "application/json";
        return context.Response.WriteAsync(json);
    };

    private static object Client(GeneratedAssembly generated, RecordingServer server) =>
        Activator.CreateInstance(generated.Type("TestClient"), new ApiClientOptions { BaseAddress = server.BaseAddress, MaxRetries = 0 }, new HttpClient(new SocketsHttpHandler { AllowAutoRedirect = false }))!;
}
