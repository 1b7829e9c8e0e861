using System;
using System.IO;
using System.Linq;
using System.Net;
using System.Net.Http;
using System.Text;
using System.Threading;
using System.Threading.Tasks;
using Microsoft.AspNetCore.Http;

namespace Specgen.Runtime.Tests;

/// <summary>
/// <see cref="ApiPipeline.SendStreamingAsync"/>: retries, timeouts and typed errors up to the
/// response headers, then the open body, which no per-try timeout cuts.
/// </summary>
public sealed class StreamingTests
{
    [Fact]
    public async Task The_body_is_handed_back_open_and_outlives_the_per_try_timeout()
    {
        var secondHalf = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        await using LoopbackServer server = await LoopbackServer.StartAsync(async context =>
        {
            context.Response.ContentType = "text/event-stream";
            context.Response.Headers["x-request-id"] = "req_stream";
            await context.Response.WriteAsync("data: one\n\n");
            await context.Response.Body.FlushAsync();
            await secondHalf.Task.WaitAsync(ManualClock.HangGuard);
            await context.Response.WriteAsync("data: two\n\n");
        });
        var clock = new ManualClock();
        using TestClient client = TestClient.Retrying(server.BaseAddress, clock, options => options.Timeout = TimeSpan.FromSeconds(30));

        await using StreamingResponse response = await client.Pipeline.SendStreamingAsync(
            new ApiRequest(HttpMethod.Post, "createRun").AppendPath("/runs"), null, default).WaitAsync(ManualClock.HangGuard);
        using var reader = new StreamReader(response.Body, Encoding.UTF8);

        Assert.Equal(HttpStatusCode.OK, response.Status);
        Assert.Equal("req_stream", response.RequestId);
        Assert.Equal("text/event-stream", response.Headers["Content-Type"]);
        Assert.Equal("data: one", await reader.ReadLineAsync().WaitAsync(ManualClock.HangGuard));

        // Far past the per-try timeout: the stream must not notice.
        clock.Advance(TimeSpan.FromHours(1));
        secondHalf.SetResult();

        Assert.Equal("", await reader.ReadLineAsync().WaitAsync(ManualClock.HangGuard));
        Assert.Equal("data: two", await reader.ReadLineAsync().WaitAsync(ManualClock.HangGuard));
        Assert.Equal("", await reader.ReadLineAsync().WaitAsync(ManualClock.HangGuard));
        Assert.Null(await reader.ReadLineAsync().WaitAsync(ManualClock.HangGuard));
        Assert.Equal(1, server.RequestCount);
    }

    [Fact]
    public async Task A_failure_before_the_headers_is_retried_like_any_call()
    {
        await using LoopbackServer server = await LoopbackServer.StartAsync(Respond.Sequence(Respond.Error(503), Respond.Json("data: ok\n\n")));
        var clock = new ManualClock();
        using TestClient client = TestClient.Retrying(server.BaseAddress, clock);

        Task<StreamingResponse> call = client.Pipeline.SendStreamingAsync(new ApiRequest(HttpMethod.Post, "createRun").AppendPath("/runs"), null, default);
        Assert.Equal(new[] { TimeSpan.FromSeconds(0.5) }, await clock.RunThroughWaitsAsync(call, ApiClientOptions.DefaultTimeout));

        await using StreamingResponse response = await call;
        Assert.Equal("data: ok\n\n", await new StreamReader(response.Body).ReadToEndAsync());
        Assert.Equal(new[] { "0", "1" }, server.Requests.Select(r => r.Header(ApiClientOptions.DefaultRetryCountHeader)).ToArray());
    }

    [Fact]
    public async Task A_failure_status_throws_the_typed_exception_with_the_servers_error()
    {
        await using LoopbackServer server = await LoopbackServer.StartAsync(Respond.Error(404, "No such run"));
        using TestClient client = TestClient.Retrying(server.BaseAddress, new ManualClock());

        NotFoundException error = await Assert.ThrowsAsync<NotFoundException>(() =>
            client.Pipeline.SendStreamingAsync(new ApiRequest(HttpMethod.Get, "getRun").AppendPath("/runs/1"), null, default));

        Assert.Equal("No such run", error.Error!.Message);
        Assert.Equal("req_404", error.RequestId);
        Assert.Equal(1, server.RequestCount);
    }

    [Fact]
    public async Task Headers_slower_than_the_timeout_are_a_timeout()
    {
        await using LoopbackServer server = await LoopbackServer.StartAsync(Respond.Stall());
        var clock = new ManualClock();
        using TestClient client = TestClient.Retrying(server.BaseAddress, clock, options =>
        {
            options.Timeout = TimeSpan.FromSeconds(30);
            options.MaxRetries = 0;
        });

        Task<StreamingResponse> call = client.Pipeline.SendStreamingAsync(new ApiRequest(HttpMethod.Post, "createRun").AppendPath("/runs"), null, default);
        Assert.Equal(TimeSpan.FromSeconds(30), await clock.NextScheduledAsync());
        await server.WaitForRequestsAsync(1);
        clock.Advance(TimeSpan.FromSeconds(30));

        ApiTimeoutException error = await Assert.ThrowsAsync<ApiTimeoutException>(() => call.WaitAsync(ManualClock.HangGuard));
        Assert.Equal(1, error.Attempts);
    }

    [Fact]
    public async Task A_stream_that_breaks_off_throws_a_connection_exception_from_the_read()
    {
        var headersArrived = new SemaphoreSlim(0);
        await using LoopbackServer server = await LoopbackServer.StartAsync(Respond.DropMidBody(headersArrived));
        using TestClient client = TestClient.Retrying(server.BaseAddress, new ManualClock(), headersArrived: headersArrived);

        await using StreamingResponse response = await client.Pipeline.SendStreamingAsync(
            new ApiRequest(HttpMethod.Post, "createRun").AppendPath("/runs"), null, default).WaitAsync(ManualClock.HangGuard);

        ApiConnectionException error = await Assert.ThrowsAsync<ApiConnectionException>(() => new StreamReader(response.Body).ReadToEndAsync().WaitAsync(ManualClock.HangGuard));
        Assert.StartsWith("createRun (POST /runs) failed: the response stream broke off after ", error.Message, StringComparison.Ordinal);
        Assert.IsAssignableFrom<IOException>(error.InnerException);
        Assert.Equal(1, server.RequestCount);
    }
}
