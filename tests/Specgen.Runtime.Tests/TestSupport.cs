using System;
using System.Collections.Concurrent;
using System.Collections.Generic;
using System.Net.Http;
using System.Text;
using System.Text.Json;
using System.Threading;
using System.Threading.Tasks;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging;

namespace Specgen.Runtime.Tests;

/// <summary>A model of the kind the generator emits: <c>{"id": string (required), "n": integer}</c>.</summary>
public sealed record Item(string Id, long N);

/// <summary>A cursor page: <c>{"data": [Item], "has_more": bool, "last_id": string?}</c>; <see cref="Data"/> is null when the member is absent.</summary>
public sealed record ItemPage(IList<Item>? Data, bool HasMore, string? LastId);

/// <summary>Hand-written readers in the shape the generator emits (<see cref="JsonValueReader{T}"/>).</summary>
public static class Readers
{
    public static Item ReadItem(ref Utf8JsonReader reader)
    {
        JsonSupport.Expect(ref reader, JsonTokenType.StartObject, nameof(Item));
        string? id = null;
        long n = 0;
        while (true)
        {
            JsonSupport.Next(ref reader);
            if (reader.TokenType == JsonTokenType.EndObject)
            {
                break;
            }

            string name = reader.GetString()!;
            JsonSupport.Next(ref reader);
            switch (name)
            {
                case "id":
                    id = JsonSupport.ReadString(ref reader);
                    break;
                case "n":
                    n = reader.GetInt64();
                    break;
                default:
                    reader.Skip();
                    break;
            }
        }

        return new Item(id ?? throw JsonSupport.MissingRequired(nameof(Item), "id"), n);
    }

    public static ItemPage ReadPage(ref Utf8JsonReader reader)
    {
        JsonSupport.Expect(ref reader, JsonTokenType.StartObject, nameof(ItemPage));
        List<Item>? data = null;
        bool hasMore = false;
        string? lastId = null;
        while (true)
        {
            JsonSupport.Next(ref reader);
            if (reader.TokenType == JsonTokenType.EndObject)
            {
                break;
            }

            string name = reader.GetString()!;
            JsonSupport.Next(ref reader);
            switch (name)
            {
                case "data":
                    JsonSupport.Expect(ref reader, JsonTokenType.StartArray, nameof(ItemPage));
                    data = new List<Item>();
                    while (true)
                    {
                        JsonSupport.Next(ref reader);
                        if (reader.TokenType == JsonTokenType.EndArray)
                        {
                            break;
                        }

                        data.Add(ReadItem(ref reader));
                    }

                    break;
                case "has_more":
                    hasMore = reader.GetBoolean();
                    break;
                case "last_id":
                    lastId = reader.TokenType == JsonTokenType.Null ? null : JsonSupport.ReadString(ref reader);
                    break;
                default:
                    reader.Skip();
                    break;
            }
        }

        return new ItemPage(data, hasMore, lastId);
    }

    public static void WriteItem(Utf8JsonWriter writer, Item item)
    {
        writer.WriteStartObject();
        writer.WriteString("id", item.Id);
        writer.WriteNumber("n", item.N);
        writer.WriteEndObject();
    }
}

/// <summary>A pipeline pointed at a <see cref="LoopbackServer"/>, with its own <see cref="HttpClient"/>.</summary>
/// <remarks>
/// Sends each request once unless <c>configure</c> says otherwise: these clients test one exchange.
/// <see cref="Retrying"/> makes one with the default retry settings on a <see cref="ManualClock"/>.
/// </remarks>
public sealed class TestClient : IDisposable
{
    public const string ApiKey = "sk-test-SECRET-0123456789abcdef";

    public TestClient(LoopbackServer server, Action<ApiClientOptions>? configure = null, SemaphoreSlim? headersArrived = null)
        : this(server.BaseAddress, options =>
        {
            options.MaxRetries = 0;
            configure?.Invoke(options);
        }, headersArrived)
    {
    }

    private TestClient(Uri root, Action<ApiClientOptions> configure, SemaphoreSlim? headersArrived)
    {
        Options = new ApiClientOptions { BaseAddress = new Uri(root, "v1") };
        configure(Options);
        HttpClient = new HttpClient(new HeadersArrivedHandler(headersArrived ?? new SemaphoreSlim(0)) { InnerHandler = new SocketsHttpHandler() });
        Pipeline = new ApiPipeline(Options, new Uri("https://spec-default.invalid/"), HttpClient);
    }

    /// <summary>
    /// A client with the default retry and timeout settings, the API key set, waiting on
    /// <paramref name="clock"/> and with no jitter (so that every wait is exact).
    /// </summary>
    public static TestClient Retrying(Uri root, ManualClock clock, Action<ApiClientOptions>? configure = null, SemaphoreSlim? headersArrived = null) =>
        new(root, options =>
        {
            options.ApiKey = ApiKey;
            options.TimeProvider = clock;
            options.JitterSource = () => 0;
            configure?.Invoke(options);
        }, headersArrived);

    public ApiClientOptions Options { get; }

    public HttpClient HttpClient { get; }

    public ApiPipeline Pipeline { get; }

    public Task<ApiResponse<Item>> GetItemAsync(ApiRequest request, RequestOptions? options = null) =>
        Pipeline.SendAsync(request, Readers.ReadItem, options, default);

    public void Dispose() => HttpClient.Dispose();

    // Observes (never changes) the exchange: released once per response whose headers reached the
    // client, so that a server can break the body off at a point the client is sure to have reached.
    private sealed class HeadersArrivedHandler(SemaphoreSlim headersArrived) : DelegatingHandler
    {
        protected override async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
        {
            HttpResponseMessage response = await base.SendAsync(request, cancellationToken);
            headersArrived.Release();
            return response;
        }
    }
}

/// <summary>Small handler building blocks.</summary>
public static class Respond
{
    public const string ItemJson = """{"id":"item_1","n":42}""";

    public static Func<HttpContext, Task> Json(string json, int status = 200, string? requestId = null) => context =>
    {
        context.Response.StatusCode = status;
        context.Response.ContentType = "application/json";
        if (requestId is not null)
        {
            context.Response.Headers["x-request-id"] = requestId;
        }

        return context.Response.WriteAsync(json, Encoding.UTF8);
    };

    public static Func<HttpContext, Task> Item() => Json(ItemJson);

    /// <summary>Answers the n-th request with the n-th handler, and every later one with the last.</summary>
    public static Func<HttpContext, Task> Sequence(params Func<HttpContext, Task>[] handlers)
    {
        int count = -1;
        return context => handlers[Math.Min(System.Threading.Interlocked.Increment(ref count), handlers.Length - 1)](context);
    }

    /// <summary>An error envelope with <paramref name="status"/> and extra response headers.</summary>
    public static Func<HttpContext, Task> Error(int status, string message = "Try again later.", params (string Name, string Value)[] headers) => context =>
    {
        foreach ((string name, string value) in headers)
        {
            context.Response.Headers[name] = value;
        }

        context.Response.Headers.SetCookie = "session=cookie-SECRET; Path=/; HttpOnly";
        return Json("{\"error\":{\"message\":\"" + message + "\",\"type\":\"server_error\"}}", status, requestId: "req_" + status)(context);
    };

    /// <summary>
    /// Promises 1000 bytes, sends the start of a JSON object and, once the client has the headers
    /// (<paramref name="headersArrived"/>, released by <see cref="TestClient"/>), drops the connection.
    /// </summary>
    public static Func<HttpContext, Task> DropMidBody(SemaphoreSlim headersArrived, int status = 200) => async context =>
    {
        context.Response.StatusCode = status;
        context.Response.ContentType = "application/json";
        context.Response.ContentLength = 1000;
        await context.Response.WriteAsync("""{"id":"item_1","n":""");
        await context.Response.Body.FlushAsync();
        Assert.True(await headersArrived.WaitAsync(ManualClock.HangGuard), "The client never got the headers.");
        context.Abort();
    };

    /// <summary>Never answers: waits until the client gives up on the request.</summary>
    public static Func<HttpContext, Task> Stall() => async context =>
    {
        try
        {
            await Task.Delay(System.Threading.Timeout.Infinite, context.RequestAborted);
        }
        catch (OperationCanceledException)
        {
        }
    };
}

/// <summary>Assertions that a secret never escaped.</summary>
public static class Secrets
{
    /// <summary>Fails when the API key, a bearer token or a cookie value appears in <paramref name="text"/>.</summary>
    public static void AssertNoneIn(string? text)
    {
        Assert.NotNull(text);
        Assert.DoesNotContain(TestClient.ApiKey, text, StringComparison.Ordinal);
        Assert.DoesNotContain("Bearer", text, StringComparison.OrdinalIgnoreCase);
        Assert.DoesNotContain("cookie-SECRET", text, StringComparison.Ordinal);
    }

    /// <summary>Checks the message, the whole <see cref="Exception.ToString"/> (inner exceptions included) and every header kept.</summary>
    public static void AssertNoneIn(Exception exception)
    {
        AssertNoneIn(exception.Message);
        AssertNoneIn(exception.ToString());
        if (exception is ApiException api)
        {
            Assert.False(api.Headers.ContainsKey("Set-Cookie"));
            foreach (KeyValuePair<string, string> header in api.Headers)
            {
                AssertNoneIn(header.Key + ": " + header.Value);
            }
        }
    }
}

/// <summary>Keeps every log message (and the exception with it) as text.</summary>
public sealed class ListLoggerProvider : ILoggerProvider
{
    private readonly ConcurrentQueue<string> _messages = new();

    public IReadOnlyList<string> Messages => _messages.ToArray();

    public ILogger CreateLogger(string categoryName) => new ListLogger(_messages);

    public void Dispose()
    {
    }

    private sealed class ListLogger(ConcurrentQueue<string> messages) : ILogger
    {
        public IDisposable? BeginScope<TState>(TState state) where TState : notnull => null;

        public bool IsEnabled(LogLevel logLevel) => true;

        public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter) =>
            messages.Enqueue(formatter(state, exception) + " " + exception);
    }
}
