using System;
using System.Buffers;
using System.Collections.Generic;
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
/// Success bodies are read into pooled buffers: every buffer goes back exactly once, on every path,
/// and nothing reads it afterwards (the pool scribbles over what comes back).
/// </summary>
public sealed class BodyBufferTests
{
    private static ApiRequest Get() => new ApiRequest(HttpMethod.Get, "getItem").AppendPath("/items/1");

    [Fact]
    public async Task A_body_with_a_content_length_is_parsed_and_its_buffer_returned_once()
    {
        await using LoopbackServer server = await LoopbackServer.StartAsync(context =>
        {
            context.Response.ContentLength = Encoding.UTF8.GetByteCount(Respond.ItemJson);
            return Respond.Item()(context);
        });
        using var client = new TestClient(server);
        var pool = new CheckingPool();
        client.Pipeline.BodyBufferPool = pool;

        ApiResponse<Item> response = await client.GetItemAsync(Get());

        Assert.Equal(new Item("item_1", 42), response.Value);
        Assert.Equal(1, pool.Rents);
        Assert.Equal(Respond.ItemJson.Length + 1, pool.LargestRequest);
        pool.AssertAllReturned();
    }

    [Fact]
    public async Task A_chunked_body_larger_than_the_first_buffer_grows_and_every_buffer_is_returned()
    {
        string id = new('x', 100_000);
        await using LoopbackServer server = await LoopbackServer.StartAsync(async context =>
        {
            context.Response.ContentType = "application/json";
            await context.Response.WriteAsync("{\"id\":\"");
            for (int i = 0; i < 10; i++)
            {
                await context.Response.WriteAsync(id.Substring(i * 10_000, 10_000));
                await context.Response.Body.FlushAsync();
            }

            await context.Response.WriteAsync("\",\"n\":7}");
        });
        using var client = new TestClient(server);
        var pool = new CheckingPool();
        client.Pipeline.BodyBufferPool = pool;

        ApiResponse<Item> response = await client.GetItemAsync(Get());

        Assert.Equal(new Item(id, 7), response.Value);
        Assert.Equal("chunked", response.Headers["Transfer-Encoding"]);
        Assert.True(pool.Rents > 1, "The first buffer should have been too small.");
        pool.AssertAllReturned();
    }

    [Fact]
    public async Task A_body_longer_than_its_content_length_claims_is_read_whole()
    {
        // Only a handler can do this (on the wire HttpClient holds the body to Content-Length).
        var pool = new CheckingPool();
        using var http = new HttpClient(new Answer(() => Content(Respond.ItemJson, claimedLength: 3)));
        var pipeline = Pipeline(http, pool);

        ApiResponse<Item> response = await pipeline.SendAsync(Get(), Readers.ReadItem, null, default);

        Assert.Equal(new Item("item_1", 42), response.Value);
        Assert.Equal(4, pool.FirstRequest);
        pool.AssertAllReturned();
    }

    [Fact]
    public async Task A_body_shorter_than_its_content_length_claims_is_what_arrived()
    {
        var pool = new CheckingPool();
        using var http = new HttpClient(new Answer(() => Content(Respond.ItemJson, claimedLength: 5000)));
        var pipeline = Pipeline(http, pool);

        ApiResponse<Item> response = await pipeline.SendAsync(Get(), Readers.ReadItem, null, default);

        Assert.Equal(new Item("item_1", 42), response.Value);
        pool.AssertAllReturned();
    }

    [Fact]
    public async Task A_huge_claimed_length_reserves_no_more_than_the_first_buffer_cap()
    {
        var pool = new CheckingPool();
        using var http = new HttpClient(new Answer(() => Content(Respond.ItemJson, claimedLength: 10L * 1024 * 1024 * 1024)));
        var pipeline = Pipeline(http, pool);

        ApiResponse<Item> response = await pipeline.SendAsync(Get(), Readers.ReadItem, null, default);

        Assert.Equal("item_1", response.Value.Id);
        Assert.Equal(1024 * 1024, pool.LargestRequest);
        pool.AssertAllReturned();
    }

    [Theory]
    [InlineData("""{"id":"item_1","n":4""")]
    [InlineData("<html>not json</html>")]
    [InlineData(" \n ")]
    public async Task A_body_that_is_not_the_declared_json_keeps_its_text_and_returns_its_buffer(string body)
    {
        await using LoopbackServer server = await LoopbackServer.StartAsync(Respond.Json(body));
        using var client = new TestClient(server);
        var pool = new CheckingPool();
        client.Pipeline.BodyBufferPool = pool;

        InvalidResponseException ex = await Assert.ThrowsAsync<InvalidResponseException>(() => client.GetItemAsync(Get()));

        Assert.Equal(body, ex.RawBody);
        pool.AssertAllReturned();
    }

    [Fact]
    public async Task A_body_that_breaks_off_returns_its_buffer()
    {
        var headersArrived = new SemaphoreSlim(0);
        await using LoopbackServer server = await LoopbackServer.StartAsync(Respond.DropMidBody(headersArrived));
        using var client = new TestClient(server, headersArrived: headersArrived);
        var pool = new CheckingPool();
        client.Pipeline.BodyBufferPool = pool;

        ApiConnectionException ex = await Assert.ThrowsAsync<ApiConnectionException>(() => client.GetItemAsync(Get()));

        Assert.IsType<HttpRequestException>(ex.InnerException);
        Assert.Equal(1, pool.Rents);
        pool.AssertAllReturned();
    }

    [Fact]
    public async Task A_body_cut_by_cancellation_returns_its_buffer()
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
        using var client = new TestClient(server);
        var pool = new CheckingPool();
        client.Pipeline.BodyBufferPool = pool;
        using var cancellation = new CancellationTokenSource();

        Task<ApiResponse<Item>> call = client.Pipeline.SendAsync(Get(), Readers.ReadItem, null, cancellation.Token);
        await headersSent.Task.WaitAsync(ManualClock.HangGuard);
        await pool.FirstRent.WaitAsync(ManualClock.HangGuard);
        cancellation.Cancel();

        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => call.WaitAsync(ManualClock.HangGuard));
        pool.AssertAllReturned();
    }

    [Fact]
    public async Task A_body_cut_by_the_timeout_returns_its_buffer_and_the_retry_gets_a_new_one()
    {
        var headersArrived = new SemaphoreSlim(0);
        await using LoopbackServer server = await LoopbackServer.StartAsync(Respond.Sequence(
            async context =>
            {
                context.Response.ContentType = "application/json";
                context.Response.ContentLength = 1000;
                await context.Response.WriteAsync("""{"id":"item_1",""");
                await context.Response.Body.FlushAsync();
                await Respond.Stall()(context);
            },
            Respond.Item()));
        var clock = new ManualClock();
        using TestClient client = TestClient.Retrying(server.BaseAddress, clock, options => options.Timeout = TimeSpan.FromSeconds(30));
        var pool = new CheckingPool();
        client.Pipeline.BodyBufferPool = pool;

        Task<ApiResponse<Item>> call = client.GetItemAsync(Get());
        Assert.Equal(TimeSpan.FromSeconds(30), await clock.NextScheduledAsync());
        await pool.FirstRent.WaitAsync(ManualClock.HangGuard);
        clock.Advance(TimeSpan.FromSeconds(30));
        Assert.Equal(TimeSpan.FromSeconds(0.5), await clock.NextScheduledAsync());
        clock.Advance(TimeSpan.FromSeconds(0.5));

        Assert.Equal("item_1", (await call.WaitAsync(ManualClock.HangGuard)).Value.Id);
        Assert.Equal(2, pool.Rents);
        pool.AssertAllReturned();
    }

    [Fact]
    public async Task An_error_status_rents_no_body_buffer()
    {
        await using LoopbackServer server = await LoopbackServer.StartAsync(Respond.Error(404, "No such item"));
        using var client = new TestClient(server);
        var pool = new CheckingPool();
        client.Pipeline.BodyBufferPool = pool;

        NotFoundException ex = await Assert.ThrowsAsync<NotFoundException>(() => client.GetItemAsync(Get()));

        Assert.Equal("No such item", ex.Error!.Message);
        Assert.Equal(0, pool.Rents);
    }

    [Fact]
    public async Task Text_and_bodyless_calls_return_their_buffers()
    {
        await using LoopbackServer server = await LoopbackServer.StartAsync(context =>
        {
            context.Response.ContentType = "text/plain; charset=utf-8";
            return context.Response.WriteAsync("héllo");
        });
        using var client = new TestClient(server);
        var pool = new CheckingPool();
        client.Pipeline.BodyBufferPool = pool;

        Assert.Equal("héllo", (await client.Pipeline.SendForTextAsync(Get(), null, default)).Value);
        Assert.Equal("héllo", (await client.Pipeline.SendForStringAsync(Get(), null, default)).Value);
        Assert.Equal(HttpStatusCode.OK, (await client.Pipeline.SendAsync(Get(), null, default)).Status);
        Assert.Equal(3, pool.Rents);
        pool.AssertAllReturned();
    }

    [Fact]
    public async Task A_streamed_response_rents_no_body_buffer()
    {
        await using LoopbackServer server = await LoopbackServer.StartAsync(Respond.Item());
        using var client = new TestClient(server);
        var pool = new CheckingPool();
        client.Pipeline.BodyBufferPool = pool;

        await using (StreamingResponse response = await client.Pipeline.SendStreamingAsync(Get(), null, default))
        {
            using var reader = new StreamReader(response.Body);
            Assert.Equal(Respond.ItemJson, await reader.ReadToEndAsync());
        }

        Assert.Equal(0, pool.Rents);
    }

    [Fact]
    public async Task Calls_in_parallel_some_retried_each_get_their_own_body_and_return_every_buffer()
    {
        // The pipeline reuses state machine boxes and timeout sources between calls; calls running
        // at once must never see each other's state.
        var failedOnce = new System.Collections.Concurrent.ConcurrentDictionary<string, bool>(StringComparer.Ordinal);
        await using LoopbackServer server = await LoopbackServer.StartAsync(context =>
        {
            string id = context.Request.Path.Value!.Split('/')[^1];
            int n = int.Parse(id, System.Globalization.CultureInfo.InvariantCulture);
            if (n % 3 == 0 && failedOnce.TryAdd(id, true))
            {
                return Respond.Error(503)(context);
            }

            return Respond.Json("{\"id\":\"item_" + id + "\",\"n\":" + id + ",\"pad\":\"" + new string('p', n * 37 % 5000) + "\"}")(context);
        });
        using var client = new TestClient(server, options =>
        {
            options.MaxRetries = 2;
            options.InitialRetryDelay = TimeSpan.FromMilliseconds(1);
            options.MaxRetryDelay = TimeSpan.FromMilliseconds(5);
        });
        var pool = new CheckingPool();
        client.Pipeline.BodyBufferPool = pool;

        Item[] items = await Task.WhenAll(Enumerable.Range(1, 60).Select(n => Task.Run(() =>
            client.GetItemAsync(new ApiRequest(HttpMethod.Get, "getItem").AppendPath("/items/").AppendPathParameter("id", n.ToString(System.Globalization.CultureInfo.InvariantCulture)))
                .ContinueWith(t => t.Result.Value, TaskScheduler.Default))));

        Assert.Equal(Enumerable.Range(1, 60).Select(n => new Item("item_" + n, n)), items);
        Assert.Equal(60 + 20, server.RequestCount);
        pool.AssertAllReturned();
    }

    [Fact]
    public async Task The_value_only_send_returns_the_body_retries_and_fails_like_the_response_send()
    {
        await using LoopbackServer server = await LoopbackServer.StartAsync(Respond.Sequence(
            Respond.Error(503), Respond.Item(), Respond.Error(404, "No such item"), Respond.Json("""{"n":1}""", requestId: "req_invalid")));
        using var client = new TestClient(server, options =>
        {
            options.MaxRetries = 1;
            options.InitialRetryDelay = TimeSpan.FromMilliseconds(1);
        });
        var pool = new CheckingPool();
        client.Pipeline.BodyBufferPool = pool;

        Item item = await client.Pipeline.SendForValueAsync(Get(), Readers.ReadItem, null, default);
        NotFoundException notFound = await Assert.ThrowsAsync<NotFoundException>(() => client.Pipeline.SendForValueAsync(Get(), Readers.ReadItem, null, default));
        InvalidResponseException invalid = await Assert.ThrowsAsync<InvalidResponseException>(() => client.Pipeline.SendForValueAsync(Get(), Readers.ReadItem, null, default));

        Assert.Equal(new Item("item_1", 42), item);
        Assert.Equal("No such item", notFound.Error!.Message);
        Assert.Equal("req_invalid", invalid.RequestId);
        Assert.Equal("""{"n":1}""", invalid.RawBody);
        Assert.Equal(4, server.RequestCount);
        Assert.Equal(2, pool.Rents);
        pool.AssertAllReturned();
        await Assert.ThrowsAsync<ArgumentNullException>(() => client.Pipeline.SendForValueAsync<Item>(Get(), null!, null, default));
    }

    private static ApiPipeline Pipeline(HttpClient http, CheckingPool pool) =>
        new(new ApiClientOptions { BaseAddress = new Uri("http://127.0.0.1:1/v1"), MaxRetries = 0 }, null, http) { BodyBufferPool = pool };

    private static HttpContent Content(string json, long claimedLength)
    {
        var content = new StreamContent(new MemoryStream(Encoding.UTF8.GetBytes(json)));
        content.Headers.ContentType = new System.Net.Http.Headers.MediaTypeHeaderValue("application/json");
        content.Headers.TryAddWithoutValidation("Content-Length", claimedLength.ToString(System.Globalization.CultureInfo.InvariantCulture));
        return content;
    }

    // Answers every request itself, with whatever content a test makes: headers that lie included.
    private sealed class Answer(Func<HttpContent> content) : HttpMessageHandler
    {
        protected override Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken) =>
            Task.FromResult(new HttpResponseMessage(HttpStatusCode.OK) { Content = content(), RequestMessage = request });
    }

    /// <summary>
    /// A pool that hands out fresh arrays, fails on a return of an array it does not have out (a
    /// second return, or a stranger), and fills each returned array with 0xFF so that a read after
    /// the return would see garbage.
    /// </summary>
    private sealed class CheckingPool : ArrayPool<byte>
    {
        private readonly object _gate = new();
        private readonly HashSet<byte[]> _out = new(ReferenceEqualityComparer.Instance);
        private readonly TaskCompletionSource _firstRent = new(TaskCreationOptions.RunContinuationsAsynchronously);

        public int Rents { get; private set; }

        public int LargestRequest { get; private set; }

        public int FirstRequest { get; private set; }

        public Task FirstRent => _firstRent.Task;

        public override byte[] Rent(int minimumLength)
        {
            var array = new byte[minimumLength];
            lock (_gate)
            {
                Rents++;
                FirstRequest = Rents == 1 ? minimumLength : FirstRequest;
                LargestRequest = Math.Max(LargestRequest, minimumLength);
                _out.Add(array);
            }

            _firstRent.TrySetResult();
            return array;
        }

        public override void Return(byte[] array, bool clearArray = false)
        {
            lock (_gate)
            {
                Assert.True(_out.Remove(array), "A buffer came back that was not out: returned twice, or never rented here.");
            }

            array.AsSpan().Fill(0xFF);
        }

        public void AssertAllReturned()
        {
            lock (_gate)
            {
                Assert.True(_out.Count == 0, $"{_out.Count} of {Rents} buffers were never returned.");
            }
        }
    }
}
