using System;
using System.Collections.Generic;
using System.Globalization;
using System.Linq;
using System.Net;
using System.Net.Http;
using System.Net.Sockets;
using System.Threading;
using System.Threading.Tasks;
using Microsoft.AspNetCore.Http;

namespace Specgen.Runtime.Tests;

/// <summary>
/// The retry contract against a fault-injecting Kestrel server: which failures are retried, how
/// long the pipeline waits (read from a <see cref="ManualClock"/>, never slept), what each try
/// carries, and what the caller gets when the retries run out.
/// </summary>
public sealed class RetryTests
{
    private static readonly TimeSpan PerTry = ApiClientOptions.DefaultTimeout;

    private static TimeSpan Seconds(double value) => TimeSpan.FromSeconds(value);

    [Theory]
    [InlineData(500)]
    [InlineData(502)]
    [InlineData(503)]
    [InlineData(504)]
    public async Task A_server_error_is_retried_twice_with_backoff_and_the_third_try_succeeds(int status)
    {
        await using LoopbackServer server = await LoopbackServer.StartAsync(Respond.Sequence(Respond.Error(status), Respond.Error(status), Respond.Item()));
        var clock = new ManualClock();
        using TestClient client = TestClient.Retrying(server.BaseAddress, clock);

        Task<ApiResponse<Item>> call = client.GetItemAsync(new ApiRequest(HttpMethod.Get, "getItem").AppendPath("/items/1"));
        IReadOnlyList<TimeSpan> waits = await clock.RunThroughWaitsAsync(call, PerTry);

        Assert.Equal(new Item("item_1", 42), (await call).Value);
        Assert.Equal(new[] { Seconds(0.5), Seconds(1) }, waits);
        Assert.Equal(3, server.RequestCount);
        Assert.Equal(new[] { "0", "1", "2" }, server.Requests.Select(r => r.Header(ApiClientOptions.DefaultRetryCountHeader)).ToArray());
    }

    [Fact]
    public async Task When_the_retries_run_out_the_last_error_surfaces_with_the_attempts_in_it()
    {
        await using LoopbackServer server = await LoopbackServer.StartAsync(Respond.Error(503, "Overloaded"));
        var clock = new ManualClock();
        using TestClient client = TestClient.Retrying(server.BaseAddress, clock);

        Task<ApiResponse<Item>> call = client.GetItemAsync(new ApiRequest(HttpMethod.Get, "getItem").AppendPath("/items/1"));
        IReadOnlyList<TimeSpan> waits = await clock.RunThroughWaitsAsync(call, PerTry);

        ServerErrorException error = await Assert.ThrowsAsync<ServerErrorException>(() => call);
        Assert.Equal(new[] { Seconds(0.5), Seconds(1) }, waits);
        Assert.Equal(3, server.RequestCount);
        Assert.Equal(3, error.Attempts);
        Assert.Equal(2, error.RetryCount);
        Assert.Equal("getItem (GET /items/1) failed with 503 ServiceUnavailable: Overloaded (request id req_503); gave up after 3 attempts", error.Message);
        Secrets.AssertNoneIn(error);
    }

    [Fact]
    public async Task The_backoff_doubles_up_to_eight_seconds()
    {
        await using LoopbackServer server = await LoopbackServer.StartAsync(Respond.Error(500));
        var clock = new ManualClock();
        using TestClient client = TestClient.Retrying(server.BaseAddress, clock, options => options.MaxRetries = 6);

        Task<ApiResponse<Item>> call = client.GetItemAsync(new ApiRequest(HttpMethod.Get, "getItem").AppendPath("/items/1"));
        IReadOnlyList<TimeSpan> waits = await clock.RunThroughWaitsAsync(call, PerTry);

        await Assert.ThrowsAsync<ServerErrorException>(() => call);
        Assert.Equal(new[] { 0.5, 1, 2, 4, 8, 8 }.Select(Seconds).ToArray(), waits);
        Assert.Equal(7, server.RequestCount);
    }

    [Fact]
    public async Task Jitter_shortens_each_wait_by_up_to_a_quarter()
    {
        await using LoopbackServer server = await LoopbackServer.StartAsync(Respond.Error(500));
        var clock = new ManualClock();
        using TestClient client = TestClient.Retrying(server.BaseAddress, clock, options => options.JitterSource = () => 0.2);

        Task<ApiResponse<Item>> call = client.GetItemAsync(new ApiRequest(HttpMethod.Get, "getItem").AppendPath("/items/1"));
        IReadOnlyList<TimeSpan> waits = await clock.RunThroughWaitsAsync(call, PerTry);

        await Assert.ThrowsAsync<ServerErrorException>(() => call);
        Assert.Equal(new[] { Seconds(0.475), Seconds(0.95) }, waits);
    }

    [Fact]
    public async Task Without_an_injected_jitter_source_the_waits_are_random_within_the_quarter()
    {
        await using LoopbackServer server = await LoopbackServer.StartAsync(Respond.Error(500));
        var clock = new ManualClock();
        using TestClient client = TestClient.Retrying(server.BaseAddress, clock, options => options.JitterSource = null);

        Task<ApiResponse<Item>> call = client.GetItemAsync(new ApiRequest(HttpMethod.Get, "getItem").AppendPath("/items/1"));
        IReadOnlyList<TimeSpan> waits = await clock.RunThroughWaitsAsync(call, PerTry);

        await Assert.ThrowsAsync<ServerErrorException>(() => call);
        Assert.InRange(waits[0], Seconds(0.375), Seconds(0.5));
        Assert.InRange(waits[1], Seconds(0.75), Seconds(1));
    }

    [Theory]
    [InlineData(408, typeof(ApiException))]
    [InlineData(409, typeof(ConflictException))]
    [InlineData(429, typeof(RateLimitException))]
    public async Task Timeouts_conflicts_and_rate_limits_are_retried(int status, Type expected)
    {
        await using LoopbackServer server = await LoopbackServer.StartAsync(Respond.Error(status));
        var clock = new ManualClock();
        using TestClient client = TestClient.Retrying(server.BaseAddress, clock);

        Task<ApiResponse<Item>> call = client.GetItemAsync(new ApiRequest(HttpMethod.Get, "getItem").AppendPath("/items/1"));
        IReadOnlyList<TimeSpan> waits = await clock.RunThroughWaitsAsync(call, PerTry);

        ApiException error = await Assert.ThrowsAnyAsync<ApiException>(() => call);
        Assert.IsType(expected, error);
        Assert.Equal(2, waits.Count);
        Assert.Equal(3, server.RequestCount);
        Assert.Equal(3, error.Attempts);
    }

    [Theory]
    [InlineData(400)]
    [InlineData(401)]
    [InlineData(403)]
    [InlineData(404)]
    [InlineData(422)]
    public async Task A_client_error_is_not_retried(int status)
    {
        await using LoopbackServer server = await LoopbackServer.StartAsync(Respond.Error(status));
        var clock = new ManualClock();
        using TestClient client = TestClient.Retrying(server.BaseAddress, clock);

        Task<ApiResponse<Item>> call = client.GetItemAsync(new ApiRequest(HttpMethod.Get, "getItem").AppendPath("/items/1"));
        IReadOnlyList<TimeSpan> waits = await clock.RunThroughWaitsAsync(call, PerTry);

        ApiException error = await Assert.ThrowsAnyAsync<ApiException>(() => call);
        Assert.Empty(waits);
        Assert.Equal(1, server.RequestCount);
        Assert.Equal(1, error.Attempts);
        Assert.DoesNotContain("attempts", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task X_should_retry_true_makes_a_client_error_retryable()
    {
        await using LoopbackServer server = await LoopbackServer.StartAsync(Respond.Sequence(Respond.Error(400, "Not yet", ("x-should-retry", "true")), Respond.Item()));
        var clock = new ManualClock();
        using TestClient client = TestClient.Retrying(server.BaseAddress, clock);

        Task<ApiResponse<Item>> call = client.GetItemAsync(new ApiRequest(HttpMethod.Get, "getItem").AppendPath("/items/1"));
        IReadOnlyList<TimeSpan> waits = await clock.RunThroughWaitsAsync(call, PerTry);

        Assert.Equal("item_1", (await call).Value.Id);
        Assert.Equal(new[] { Seconds(0.5) }, waits);
        Assert.Equal(2, server.RequestCount);
    }

    [Fact]
    public async Task X_should_retry_false_stops_a_server_error_from_being_retried()
    {
        await using LoopbackServer server = await LoopbackServer.StartAsync(Respond.Error(503, "Down for good", ("x-should-retry", "false")));
        var clock = new ManualClock();
        using TestClient client = TestClient.Retrying(server.BaseAddress, clock);

        Task<ApiResponse<Item>> call = client.GetItemAsync(new ApiRequest(HttpMethod.Get, "getItem").AppendPath("/items/1"));
        IReadOnlyList<TimeSpan> waits = await clock.RunThroughWaitsAsync(call, PerTry);

        ServerErrorException error = await Assert.ThrowsAsync<ServerErrorException>(() => call);
        Assert.Empty(waits);
        Assert.Equal(1, server.RequestCount);
        Assert.Equal(1, error.Attempts);
    }

    [Theory]
    [InlineData("retry-after-ms", "1500", 1.5)]
    [InlineData("retry-after", "2", 2)]
    [InlineData("retry-after", "2.5", 2.5)]
    [InlineData("retry-after", "60", 60)]
    public async Task A_rate_limit_waits_exactly_as_long_as_the_server_asks(string header, string value, double seconds)
    {
        await using LoopbackServer server = await LoopbackServer.StartAsync(Respond.Sequence(Respond.Error(429, "Slow down", (header, value)), Respond.Item()));
        var clock = new ManualClock();
        using TestClient client = TestClient.Retrying(server.BaseAddress, clock);

        Task<ApiResponse<Item>> call = client.GetItemAsync(new ApiRequest(HttpMethod.Get, "getItem").AppendPath("/items/1"));
        IReadOnlyList<TimeSpan> waits = await clock.RunThroughWaitsAsync(call, PerTry);

        Assert.Equal("item_1", (await call).Value.Id);
        Assert.Equal(new[] { Seconds(seconds) }, waits);
        Assert.Equal(2, server.RequestCount);
    }

    [Fact]
    public async Task A_retry_after_date_is_measured_against_the_clock()
    {
        var clock = new ManualClock();
        string inThreeSeconds = clock.GetUtcNow().AddSeconds(3).ToString("r", CultureInfo.InvariantCulture);
        await using LoopbackServer server = await LoopbackServer.StartAsync(Respond.Sequence(Respond.Error(429, "Slow down", ("retry-after", inThreeSeconds)), Respond.Item()));
        using TestClient client = TestClient.Retrying(server.BaseAddress, clock);

        Task<ApiResponse<Item>> call = client.GetItemAsync(new ApiRequest(HttpMethod.Get, "getItem").AppendPath("/items/1"));
        IReadOnlyList<TimeSpan> waits = await clock.RunThroughWaitsAsync(call, PerTry);

        Assert.Equal("item_1", (await call).Value.Id);
        Assert.Equal(new[] { Seconds(3) }, waits);
    }

    [Fact]
    public async Task Retry_after_ms_wins_over_retry_after()
    {
        await using LoopbackServer server = await LoopbackServer.StartAsync(Respond.Sequence(Respond.Error(429, "Slow down", ("retry-after", "30"), ("retry-after-ms", "250")), Respond.Item()));
        var clock = new ManualClock();
        using TestClient client = TestClient.Retrying(server.BaseAddress, clock);

        Task<ApiResponse<Item>> call = client.GetItemAsync(new ApiRequest(HttpMethod.Get, "getItem").AppendPath("/items/1"));
        IReadOnlyList<TimeSpan> waits = await clock.RunThroughWaitsAsync(call, PerTry);

        await call;
        Assert.Equal(new[] { TimeSpan.FromMilliseconds(250) }, waits);
    }

    [Theory]
    [InlineData("retry-after", "soon")]
    [InlineData("retry-after", "0")]
    [InlineData("retry-after", "-5")]
    [InlineData("retry-after", "Tue, 01 Jan 2030 00:00:00 GMT")]
    [InlineData("retry-after-ms", "NaN")]
    public async Task A_malformed_zero_or_past_retry_after_falls_back_to_the_backoff(string header, string value)
    {
        await using LoopbackServer server = await LoopbackServer.StartAsync(Respond.Sequence(Respond.Error(429, "Slow down", (header, value)), Respond.Item()));
        var clock = new ManualClock();
        using TestClient client = TestClient.Retrying(server.BaseAddress, clock);

        Task<ApiResponse<Item>> call = client.GetItemAsync(new ApiRequest(HttpMethod.Get, "getItem").AppendPath("/items/1"));
        IReadOnlyList<TimeSpan> waits = await clock.RunThroughWaitsAsync(call, PerTry);

        await call;
        Assert.Equal(new[] { Seconds(0.5) }, waits);
    }

    [Theory]
    [InlineData("retry-after", "61", "61 s (retry-after)")]
    [InlineData("retry-after", "198300", "198300 s (retry-after)")]
    [InlineData("retry-after-ms", "3600000", "3600 s (retry-after-ms)")]
    [InlineData("retry-after", "1e400", "retry-after")]
    public async Task A_server_delay_above_the_cap_is_not_waited_out_and_the_error_surfaces_at_once(string header, string value, string quoted)
    {
        await using LoopbackServer server = await LoopbackServer.StartAsync(Respond.Error(429, "Quota exhausted", (header, value)));
        var clock = new ManualClock();
        using TestClient client = TestClient.Retrying(server.BaseAddress, clock);

        Task<ApiResponse<Item>> call = client.GetItemAsync(new ApiRequest(HttpMethod.Get, "getItem").AppendPath("/items/1"));
        IReadOnlyList<TimeSpan> waits = await clock.RunThroughWaitsAsync(call, PerTry);

        RateLimitException error = await Assert.ThrowsAsync<RateLimitException>(() => call);
        Assert.Empty(waits);
        Assert.Equal(1, server.RequestCount);
        Assert.Equal(1, error.Attempts);
        Assert.Contains("Quota exhausted", error.Message, StringComparison.Ordinal);
        Assert.Contains("not retried: the server asked to wait", error.Message, StringComparison.Ordinal);
        Assert.Contains(quoted, error.Message, StringComparison.Ordinal);
        Assert.Contains("MaxRetryAfter (60 s)", error.Message, StringComparison.Ordinal);
        Secrets.AssertNoneIn(error);
    }

    [Fact]
    public async Task The_retry_after_cap_is_configurable()
    {
        await using LoopbackServer server = await LoopbackServer.StartAsync(Respond.Sequence(Respond.Error(503, "Maintenance", ("retry-after", "90")), Respond.Item()));
        var clock = new ManualClock();
        using TestClient client = TestClient.Retrying(server.BaseAddress, clock, options => options.MaxRetryAfter = TimeSpan.FromMinutes(2));

        Task<ApiResponse<Item>> call = client.GetItemAsync(new ApiRequest(HttpMethod.Get, "getItem").AppendPath("/items/1"));
        IReadOnlyList<TimeSpan> waits = await clock.RunThroughWaitsAsync(call, PerTry);

        await call;
        Assert.Equal(new[] { Seconds(90) }, waits);
    }

    [Fact]
    public async Task The_body_is_sent_again_intact_and_the_idempotency_key_stays_the_same_on_every_try()
    {
        await using LoopbackServer server = await LoopbackServer.StartAsync(Respond.Sequence(Respond.Error(500), Respond.Error(502), Respond.Item()));
        var clock = new ManualClock();
        using TestClient client = TestClient.Retrying(server.BaseAddress, clock, options => options.IdempotencyHeader = "Idempotency-Key");
        ApiRequest request = new ApiRequest(HttpMethod.Post, "createItem").AppendPath("/items").SetJsonBody(new Item("né \"x\"", 7), Readers.WriteItem);

        Task<ApiResponse<Item>> call = client.GetItemAsync(request);
        await clock.RunThroughWaitsAsync(call, PerTry);
        await call;

        RecordedRequest[] tries = server.Requests.ToArray();
        Assert.Equal(3, tries.Length);
        foreach (RecordedRequest attempt in tries)
        {
            Assert.Equal(request.JsonBody!.Value.ToArray(), attempt.Body);
            Assert.Equal("application/json; charset=utf-8", attempt.Header("Content-Type"));
            Assert.Equal("Bearer " + TestClient.ApiKey, attempt.Header("Authorization"));
        }

        string key = tries[0].Header("Idempotency-Key")!;
        Assert.StartsWith("specgen-", key, StringComparison.Ordinal);
        Assert.All(tries, attempt => Assert.Equal(key, attempt.Header("Idempotency-Key")));
    }

    [Fact]
    public async Task Each_call_gets_its_own_idempotency_key_and_a_get_gets_none()
    {
        await using LoopbackServer server = await LoopbackServer.StartAsync(Respond.Item());
        using TestClient client = TestClient.Retrying(server.BaseAddress, new ManualClock(), options => options.IdempotencyHeader = "Idempotency-Key");

        await client.GetItemAsync(new ApiRequest(HttpMethod.Post, "createItem").AppendPath("/items"));
        await client.GetItemAsync(new ApiRequest(HttpMethod.Post, "createItem").AppendPath("/items"));
        var mine = new RequestOptions { IdempotencyKey = "my-key-1" };
        await client.GetItemAsync(new ApiRequest(HttpMethod.Post, "createItem").AppendPath("/items"), mine);
        await client.GetItemAsync(new ApiRequest(HttpMethod.Get, "getItem").AppendPath("/items/1"));

        string?[] keys = server.Requests.Select(r => r.Header("Idempotency-Key")).ToArray();
        Assert.NotEqual(keys[0], keys[1]);
        Assert.Equal("my-key-1", keys[2]);
        Assert.Null(keys[3]);
    }

    [Fact]
    public async Task No_idempotency_key_is_sent_unless_a_header_name_is_configured()
    {
        await using LoopbackServer server = await LoopbackServer.StartAsync(Respond.Item());
        using TestClient client = TestClient.Retrying(server.BaseAddress, new ManualClock());

        await client.GetItemAsync(new ApiRequest(HttpMethod.Post, "createItem").AppendPath("/items"), new RequestOptions { IdempotencyKey = "ignored" });

        Assert.DoesNotContain(Assert.Single(server.Requests).Headers.Keys, name => name.Contains("idempotency", StringComparison.OrdinalIgnoreCase));
    }

    [Fact]
    public async Task The_retry_count_header_can_be_renamed_turned_off_or_set_by_the_caller()
    {
        await using LoopbackServer server = await LoopbackServer.StartAsync(Respond.Item());
        using TestClient renamed = TestClient.Retrying(server.BaseAddress, new ManualClock(), options => options.RetryCountHeader = "x-stainless-retry-count");
        using TestClient off = TestClient.Retrying(server.BaseAddress, new ManualClock(), options => options.RetryCountHeader = null);
        var callers = new RequestOptions();
        callers.Headers[ApiClientOptions.DefaultRetryCountHeader] = "7";
        using TestClient standard = TestClient.Retrying(server.BaseAddress, new ManualClock());

        await renamed.GetItemAsync(new ApiRequest(HttpMethod.Get, "getItem").AppendPath("/items/1"));
        await off.GetItemAsync(new ApiRequest(HttpMethod.Get, "getItem").AppendPath("/items/1"));
        await standard.GetItemAsync(new ApiRequest(HttpMethod.Get, "getItem").AppendPath("/items/1"), callers);

        RecordedRequest[] seen = server.Requests.ToArray();
        Assert.Equal("0", seen[0].Header("x-stainless-retry-count"));
        Assert.Null(seen[0].Header(ApiClientOptions.DefaultRetryCountHeader));
        Assert.DoesNotContain(seen[1].Headers.Keys, name => name.Contains("retry-count", StringComparison.OrdinalIgnoreCase));
        Assert.Equal(new[] { "7" }, seen[2].HeaderValues(ApiClientOptions.DefaultRetryCountHeader));
    }

    [Fact]
    public async Task Per_request_max_retries_overrides_the_client_setting()
    {
        await using LoopbackServer server = await LoopbackServer.StartAsync(Respond.Error(500));
        var clock = new ManualClock();
        using TestClient client = TestClient.Retrying(server.BaseAddress, clock);

        Task<ApiResponse<Item>> once = client.GetItemAsync(new ApiRequest(HttpMethod.Get, "getItem").AppendPath("/items/1"), new RequestOptions { MaxRetries = 0 });
        Assert.Empty(await clock.RunThroughWaitsAsync(once, PerTry));
        Assert.Equal(1, (await Assert.ThrowsAsync<ServerErrorException>(() => once)).Attempts);

        Task<ApiResponse<Item>> more = client.GetItemAsync(new ApiRequest(HttpMethod.Get, "getItem").AppendPath("/items/1"), new RequestOptions { MaxRetries = 3 });
        Assert.Equal(3, (await clock.RunThroughWaitsAsync(more, PerTry)).Count);
        Assert.Equal(4, (await Assert.ThrowsAsync<ServerErrorException>(() => more)).Attempts);
        Assert.Equal(5, server.RequestCount);
    }

    [Fact]
    public async Task A_refused_connection_is_retried_and_surfaces_as_a_connection_exception_with_the_cause_inside()
    {
        Uri closed = ClosedPort();
        var clock = new ManualClock();
        using TestClient client = TestClient.Retrying(closed, clock);

        Task<ApiResponse<Item>> call = client.GetItemAsync(new ApiRequest(HttpMethod.Get, "getItem").AppendPath("/items/1"));
        IReadOnlyList<TimeSpan> waits = await clock.RunThroughWaitsAsync(call, PerTry);

        ApiConnectionException error = await Assert.ThrowsAsync<ApiConnectionException>(() => call);
        Assert.Equal(new[] { Seconds(0.5), Seconds(1) }, waits);
        Assert.Equal(3, error.Attempts);
        Assert.IsType<HttpRequestException>(error.InnerException);
        Assert.StartsWith("getItem (GET /items/1) failed: the connection failed (", error.Message, StringComparison.Ordinal);
        Assert.EndsWith("; gave up after 3 attempts", error.Message, StringComparison.Ordinal);
        Secrets.AssertNoneIn(error);
    }

    [Fact]
    public async Task A_connection_dropped_mid_body_is_retried_and_surfaces_as_a_connection_exception()
    {
        var headersArrived = new SemaphoreSlim(0);
        await using LoopbackServer server = await LoopbackServer.StartAsync(Respond.DropMidBody(headersArrived));
        var clock = new ManualClock();
        using TestClient client = TestClient.Retrying(server.BaseAddress, clock, headersArrived: headersArrived);

        Task<ApiResponse<Item>> call = client.GetItemAsync(new ApiRequest(HttpMethod.Get, "getItem").AppendPath("/items/1"));
        IReadOnlyList<TimeSpan> waits = await clock.RunThroughWaitsAsync(call, PerTry);

        ApiConnectionException error = await Assert.ThrowsAsync<ApiConnectionException>(() => call);
        Assert.Equal(new[] { Seconds(0.5), Seconds(1) }, waits);
        Assert.Equal(3, server.RequestCount);
        Assert.Equal(3, error.Attempts);
        Assert.IsType<HttpRequestException>(error.InnerException);
        Assert.IsAssignableFrom<System.IO.IOException>(error.InnerException!.InnerException);
        Assert.Contains("the response (200 OK) broke off before its whole body arrived", error.Message, StringComparison.Ordinal);
        Secrets.AssertNoneIn(error);
    }

    [Fact]
    public async Task A_body_dropped_once_is_sent_again_and_succeeds()
    {
        var headersArrived = new SemaphoreSlim(0);
        await using LoopbackServer server = await LoopbackServer.StartAsync(Respond.Sequence(Respond.DropMidBody(headersArrived), Respond.Item()));
        var clock = new ManualClock();
        using TestClient client = TestClient.Retrying(server.BaseAddress, clock, headersArrived: headersArrived);

        Task<ApiResponse<Item>> call = client.GetItemAsync(new ApiRequest(HttpMethod.Get, "getItem").AppendPath("/items/1"));
        await clock.RunThroughWaitsAsync(call, PerTry);

        Assert.Equal("item_1", (await call).Value.Id);
        Assert.Equal(2, server.RequestCount);
    }

    [Fact]
    public async Task A_truncated_json_body_that_ended_cleanly_is_not_retried()
    {
        await using LoopbackServer server = await LoopbackServer.StartAsync(Respond.Json("""{"id":"item_1","n":"""));
        var clock = new ManualClock();
        using TestClient client = TestClient.Retrying(server.BaseAddress, clock);

        Task<ApiResponse<Item>> call = client.GetItemAsync(new ApiRequest(HttpMethod.Get, "getItem").AppendPath("/items/1"));
        Assert.Empty(await clock.RunThroughWaitsAsync(call, PerTry));

        InvalidResponseException error = await Assert.ThrowsAsync<InvalidResponseException>(() => call);
        Assert.Equal(1, server.RequestCount);
        Assert.Equal(1, error.Attempts);
        Assert.IsAssignableFrom<System.Text.Json.JsonException>(error.InnerException);
    }

    [Fact]
    public async Task An_html_error_page_from_a_gateway_is_retried_and_kept_as_the_raw_body()
    {
        const string page = "<html><body><h1>502 Bad Gateway</h1></body></html>";
        await using LoopbackServer server = await LoopbackServer.StartAsync(context =>
        {
            context.Response.StatusCode = 502;
            context.Response.ContentType = "text/html";
            return context.Response.WriteAsync(page);
        });
        var clock = new ManualClock();
        using TestClient client = TestClient.Retrying(server.BaseAddress, clock);

        Task<ApiResponse<Item>> call = client.GetItemAsync(new ApiRequest(HttpMethod.Get, "getItem").AppendPath("/items/1"));
        await clock.RunThroughWaitsAsync(call, PerTry);

        ServerErrorException error = await Assert.ThrowsAsync<ServerErrorException>(() => call);
        Assert.Equal(3, server.RequestCount);
        Assert.Null(error.Error);
        Assert.Equal(page, error.RawBody);
        Assert.Equal("getItem (GET /items/1) failed with 502 BadGateway; gave up after 3 attempts", error.Message);
    }

    [Fact]
    public async Task A_huge_error_body_is_read_only_up_to_the_cap()
    {
        const int size = 8 * 1024 * 1024;
        await using LoopbackServer server = await LoopbackServer.StartAsync(async context =>
        {
            context.Response.StatusCode = 500;
            context.Response.Headers["x-should-retry"] = "false";
            context.Response.ContentType = "text/plain";
            context.Response.ContentLength = size;
            byte[] block = new byte[64 * 1024];
            Array.Fill(block, (byte)'x');
            for (int sent = 0; sent < size; sent += block.Length)
            {
                await context.Response.Body.WriteAsync(block, context.RequestAborted);
            }
        });
        var clock = new ManualClock();
        using TestClient client = TestClient.Retrying(server.BaseAddress, clock);

        Task<ApiResponse<Item>> call = client.GetItemAsync(new ApiRequest(HttpMethod.Get, "getItem").AppendPath("/items/1"));
        await clock.RunThroughWaitsAsync(call, PerTry);

        ServerErrorException error = await Assert.ThrowsAsync<ServerErrorException>(() => call);
        Assert.Equal(ApiFailure.MaxRawBodyLength, error.RawBody!.Length);
        Assert.Equal(new string('x', ApiFailure.MaxRawBodyLength), error.RawBody);
        Assert.True(error.Message.Length < 200, error.Message);
        Assert.Null(error.InnerException);
    }

    [Fact]
    public async Task An_error_body_cut_short_keeps_the_status_exception_and_says_so()
    {
        var headersArrived = new SemaphoreSlim(0);
        await using LoopbackServer server = await LoopbackServer.StartAsync(Respond.DropMidBody(headersArrived, 404));
        var clock = new ManualClock();
        using TestClient client = TestClient.Retrying(server.BaseAddress, clock, headersArrived: headersArrived);

        Task<ApiResponse<Item>> call = client.GetItemAsync(new ApiRequest(HttpMethod.Get, "getItem").AppendPath("/items/1"));
        await clock.RunThroughWaitsAsync(call, PerTry);

        NotFoundException error = await Assert.ThrowsAsync<NotFoundException>(() => call);
        Assert.Equal(1, server.RequestCount);
        Assert.Equal("""{"id":"item_1","n":""", error.RawBody);
        Assert.Contains("the response body broke off after 19 bytes", error.Message, StringComparison.Ordinal);
        Assert.NotNull(error.InnerException);
    }

    [Fact]
    public void The_defaults_are_two_retries_half_a_second_to_eight_seconds_a_sixty_second_cap_and_ten_minutes_per_try()
    {
        var options = new ApiClientOptions();

        Assert.Equal(2, options.MaxRetries);
        Assert.Equal(TimeSpan.FromSeconds(0.5), options.InitialRetryDelay);
        Assert.Equal(TimeSpan.FromSeconds(8), options.MaxRetryDelay);
        Assert.Equal(TimeSpan.FromSeconds(60), options.MaxRetryAfter);
        Assert.Equal(TimeSpan.FromMinutes(10), options.Timeout);
        Assert.Equal("x-specgen-retry-count", options.RetryCountHeader);
        Assert.Null(options.IdempotencyHeader);
        Assert.Same(TimeProvider.System, options.TimeProvider);
    }

    [Fact]
    public void Out_of_range_settings_are_rejected()
    {
        var options = new ApiClientOptions();

        Assert.Throws<ArgumentOutOfRangeException>(() => options.MaxRetries = -1);
        Assert.Throws<ArgumentOutOfRangeException>(() => options.Timeout = TimeSpan.Zero);
        Assert.Throws<ArgumentOutOfRangeException>(() => options.InitialRetryDelay = TimeSpan.FromSeconds(-1));
        Assert.Throws<ArgumentOutOfRangeException>(() => options.MaxRetryAfter = TimeSpan.FromSeconds(-1));
        Assert.Throws<ArgumentException>(() => options.IdempotencyHeader = "Idempotency-Key\r\nX-Injected: 1");
        Assert.Throws<ArgumentOutOfRangeException>(() => new RequestOptions { MaxRetries = -1 });
        Assert.Throws<ArgumentOutOfRangeException>(() => new RequestOptions { Timeout = TimeSpan.FromSeconds(-1) });
        Assert.Throws<ArgumentException>(() => new RequestOptions { IdempotencyKey = "k\n1" });
        options.Timeout = System.Threading.Timeout.InfiniteTimeSpan;
    }

    // A loopback port nothing listens on: bound, read, and released.
    private static Uri ClosedPort()
    {
        var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        int port = ((IPEndPoint)listener.LocalEndpoint).Port;
        listener.Stop();
        return new Uri($"http://127.0.0.1:{port}/");
    }
}
