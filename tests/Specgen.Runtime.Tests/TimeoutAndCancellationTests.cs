using System;
using System.Collections.Generic;
using System.Linq;
using System.Net.Http;
using System.Threading;
using System.Threading.Tasks;
using Microsoft.AspNetCore.Http;

namespace Specgen.Runtime.Tests;

/// <summary>
/// A try that runs out of time is a timeout (retried, then <see cref="ApiTimeoutException"/>); a
/// cancelled token is the caller's decision (<see cref="OperationCanceledException"/> at once, never
/// retried). Time moves only through the <see cref="ManualClock"/>.
/// </summary>
public sealed class TimeoutAndCancellationTests
{
    [Fact]
    public async Task A_response_slower_than_the_timeout_is_retried_and_then_surfaces_as_a_timeout()
    {
        await using LoopbackServer server = await LoopbackServer.StartAsync(Respond.Stall());
        var clock = new ManualClock();
        using TestClient client = TestClient.Retrying(server.BaseAddress, clock, options => options.MaxRetries = 1);
        var thirtySeconds = new RequestOptions { Timeout = TimeSpan.FromSeconds(30) };

        Task<ApiResponse<Item>> call = client.GetItemAsync(new ApiRequest(HttpMethod.Get, "getItem").AppendPath("/items/1"), thirtySeconds);

        Assert.Equal(TimeSpan.FromSeconds(30), await clock.NextScheduledAsync());
        await server.WaitForRequestsAsync(1);
        clock.Advance(TimeSpan.FromSeconds(30));
        Assert.Equal(TimeSpan.FromSeconds(0.5), await clock.NextScheduledAsync());
        clock.Advance(TimeSpan.FromSeconds(0.5));
        Assert.Equal(TimeSpan.FromSeconds(30), await clock.NextScheduledAsync());
        await server.WaitForRequestsAsync(2);
        clock.Advance(TimeSpan.FromSeconds(30));

        ApiTimeoutException error = await Assert.ThrowsAsync<ApiTimeoutException>(() => call.WaitAsync(ManualClock.HangGuard));
        Assert.Equal(2, server.RequestCount);
        Assert.Equal(2, error.Attempts);
        Assert.Equal(TimeSpan.FromSeconds(30), error.Timeout);
        Assert.IsAssignableFrom<OperationCanceledException>(error.InnerException);
        Assert.Equal("getItem (GET /items/1) failed: no complete response within 30 s (RequestOptions.Timeout); gave up after 2 attempts", error.Message);
        Assert.IsAssignableFrom<ApiConnectionException>(error);
        Secrets.AssertNoneIn(error);
    }

    [Fact]
    public async Task Every_try_gets_the_default_ten_minute_timeout()
    {
        await using LoopbackServer server = await LoopbackServer.StartAsync(Respond.Sequence(Respond.Error(503), Respond.Item()));
        var clock = new ManualClock();
        using TestClient client = TestClient.Retrying(server.BaseAddress, clock);

        Task<ApiResponse<Item>> call = client.GetItemAsync(new ApiRequest(HttpMethod.Get, "getItem").AppendPath("/items/1"));

        Assert.Equal(TimeSpan.FromMinutes(10), await clock.NextScheduledAsync());
        Assert.Equal(TimeSpan.FromSeconds(0.5), await clock.NextScheduledAsync());
        clock.Advance(TimeSpan.FromSeconds(0.5));
        Assert.Equal(TimeSpan.FromMinutes(10), await clock.NextScheduledAsync());
        Assert.Equal("item_1", (await call.WaitAsync(ManualClock.HangGuard)).Value.Id);
    }

    [Fact]
    public async Task A_timeout_that_is_not_reached_lets_a_slow_response_through()
    {
        var release = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        await using LoopbackServer server = await LoopbackServer.StartAsync(async context =>
        {
            await release.Task.WaitAsync(ManualClock.HangGuard);
            await Respond.Item()(context);
        });
        var clock = new ManualClock();
        using TestClient client = TestClient.Retrying(server.BaseAddress, clock, options => options.Timeout = TimeSpan.FromSeconds(30));

        Task<ApiResponse<Item>> call = client.GetItemAsync(new ApiRequest(HttpMethod.Get, "getItem").AppendPath("/items/1"));
        Assert.Equal(TimeSpan.FromSeconds(30), await clock.NextScheduledAsync());
        await server.WaitForRequestsAsync(1);
        clock.Advance(TimeSpan.FromSeconds(29));
        release.SetResult();

        Assert.Equal("item_1", (await call.WaitAsync(ManualClock.HangGuard)).Value.Id);
        Assert.Equal(1, server.RequestCount);
    }

    [Fact]
    public async Task The_http_clients_own_timeout_also_counts_as_a_timeout()
    {
        await using LoopbackServer server = await LoopbackServer.StartAsync(Respond.Stall());
        using var client = new TestClient(server);
        client.HttpClient.Timeout = TimeSpan.FromMilliseconds(200);

        ApiTimeoutException error = await Assert.ThrowsAsync<ApiTimeoutException>(() =>
            client.GetItemAsync(new ApiRequest(HttpMethod.Get, "getItem").AppendPath("/items/1")).WaitAsync(ManualClock.HangGuard));

        Assert.Equal(TimeSpan.FromMilliseconds(200), error.Timeout);
        Assert.Contains("(HttpClient.Timeout)", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Cancelling_during_the_backoff_stops_at_once_without_another_try()
    {
        await using LoopbackServer server = await LoopbackServer.StartAsync(Respond.Error(503));
        var clock = new ManualClock();
        using TestClient client = TestClient.Retrying(server.BaseAddress, clock);
        using var cancellation = new CancellationTokenSource();

        Task<ApiResponse<Item>> call = client.Pipeline.SendAsync(new ApiRequest(HttpMethod.Get, "getItem").AppendPath("/items/1"), Readers.ReadItem, null, cancellation.Token);
        Assert.Equal(TimeSpan.FromSeconds(0.5), await clock.NextWaitShorterThanAsync(ApiClientOptions.DefaultTimeout));
        cancellation.Cancel();

        OperationCanceledException error = await Assert.ThrowsAnyAsync<OperationCanceledException>(() => call.WaitAsync(ManualClock.HangGuard));
        Assert.Equal(cancellation.Token, error.CancellationToken);
        clock.Advance(TimeSpan.FromMinutes(1));
        Assert.Equal(1, server.RequestCount);
    }

    [Fact]
    public async Task Cancelling_while_the_response_is_read_stops_at_once_without_another_try()
    {
        var headersSent = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        await using LoopbackServer server = await LoopbackServer.StartAsync(async context =>
        {
            context.Response.ContentType = "application/json";
            context.Response.ContentLength = 1000;
            await context.Response.WriteAsync("""{"id":"item_1",""");
            await context.Response.Body.FlushAsync();
            headersSent.SetResult();
            await Respond.Stall()(context);
        });
        var clock = new ManualClock();
        using TestClient client = TestClient.Retrying(server.BaseAddress, clock);
        using var cancellation = new CancellationTokenSource();

        Task<ApiResponse<Item>> call = client.Pipeline.SendAsync(new ApiRequest(HttpMethod.Get, "getItem").AppendPath("/items/1"), Readers.ReadItem, null, cancellation.Token);
        await headersSent.Task.WaitAsync(ManualClock.HangGuard);
        cancellation.Cancel();

        OperationCanceledException error = await Assert.ThrowsAnyAsync<OperationCanceledException>(() => call.WaitAsync(ManualClock.HangGuard));
        Assert.Equal(cancellation.Token, error.CancellationToken);
        Assert.IsNotType<ApiTimeoutException>(error.InnerException);
        Assert.Equal(1, server.RequestCount);
    }

    [Fact]
    public async Task A_token_cancelled_before_the_call_sends_nothing()
    {
        await using LoopbackServer server = await LoopbackServer.StartAsync(Respond.Item());
        using TestClient client = TestClient.Retrying(server.BaseAddress, new ManualClock());

        await Assert.ThrowsAnyAsync<OperationCanceledException>(() =>
            client.Pipeline.SendAsync(new ApiRequest(HttpMethod.Get, "getItem").AppendPath("/items/1"), Readers.ReadItem, null, new CancellationToken(canceled: true)));

        Assert.Equal(0, server.RequestCount);
    }

    [Fact]
    public async Task On_the_system_clock_a_timeout_still_fires_after_its_source_was_reused_and_a_fired_one_is_never_reused()
    {
        // Finished tries hand their timeout source back for the next one; the third try here runs
        // on a reused source and must still time out, and the fourth must not inherit its cancellation.
        await using LoopbackServer server = await LoopbackServer.StartAsync(Respond.Sequence(Respond.Item(), Respond.Item(), Respond.Stall(), Respond.Item()));
        using var client = new TestClient(server, options => options.Timeout = TimeSpan.FromSeconds(2));
        ApiRequest Get() => new ApiRequest(HttpMethod.Get, "getItem").AppendPath("/items/1");

        Assert.Equal("item_1", (await client.GetItemAsync(Get())).Value.Id);
        Assert.Equal("item_1", (await client.GetItemAsync(Get())).Value.Id);
        ApiTimeoutException timeout = await Assert.ThrowsAsync<ApiTimeoutException>(() => client.GetItemAsync(Get()).WaitAsync(ManualClock.HangGuard));
        Assert.Equal(TimeSpan.FromSeconds(2), timeout.Timeout);
        Assert.Contains("(ApiClientOptions.Timeout)", timeout.Message, StringComparison.Ordinal);
        Assert.Equal("item_1", (await client.GetItemAsync(Get())).Value.Id);
        Assert.Equal(4, server.RequestCount);
    }

    [Fact]
    public async Task A_cancellable_token_and_the_timeout_both_still_apply_on_a_reused_source()
    {
        await using LoopbackServer server = await LoopbackServer.StartAsync(Respond.Sequence(Respond.Item(), Respond.Stall()));
        using var client = new TestClient(server, options => options.Timeout = TimeSpan.FromMinutes(5));
        ApiRequest Get() => new ApiRequest(HttpMethod.Get, "getItem").AppendPath("/items/1");
        using var cancellation = new CancellationTokenSource();

        Assert.Equal("item_1", (await client.Pipeline.SendAsync(Get(), Readers.ReadItem, null, cancellation.Token)).Value.Id);
        Task<ApiResponse<Item>> call = client.Pipeline.SendAsync(Get(), Readers.ReadItem, null, cancellation.Token);
        await server.WaitForRequestsAsync(2);
        cancellation.Cancel();

        OperationCanceledException error = await Assert.ThrowsAnyAsync<OperationCanceledException>(() => call.WaitAsync(ManualClock.HangGuard));
        Assert.Equal(cancellation.Token, error.CancellationToken);
    }

    [Fact]
    public void The_shared_http_client_leaves_the_time_limit_to_the_pipeline()
    {
        // No HttpClient passed: the pipeline's own shared client must not cut a try at its default 100 s.
        var pipeline = new ApiPipeline(new ApiClientOptions(), new Uri("https://example.invalid/v1"));

        Assert.Equal(Timeout.InfiniteTimeSpan, pipeline.HttpClient.Timeout);
    }
}
