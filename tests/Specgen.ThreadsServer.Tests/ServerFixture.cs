using System;
using System.Collections.Generic;
using System.Linq;
using System.Net;
using System.Net.Http;
using System.Text;
using System.Text.Json;
using System.Threading.Tasks;
using ThreadsServer;

namespace Specgen.ThreadsServer.Tests;

/// <summary>One server per test class, driven with a plain <see cref="HttpClient"/>.</summary>
public sealed class ServerFixture : IAsyncLifetime, IAsyncDisposable
{
    private LocalThreadsServerOptions? _options;
    private LocalThreadsServer? _server;
    private HttpClient? _http;

    /// <summary>A started fixture for a server with non-default options; dispose it.</summary>
    public static async Task<ServerFixture> StartAsync(LocalThreadsServerOptions options)
    {
        var fixture = new ServerFixture { _options = options };
        await fixture.InitializeAsync();
        return fixture;
    }

    public LocalThreadsServer Server => _server ?? throw new InvalidOperationException("Not started.");

    public HttpClient Http => _http ?? throw new InvalidOperationException("Not started.");

    public async Task InitializeAsync()
    {
        _server = _options is null ? await LocalThreadsServer.StartAsync() : await LocalThreadsServer.StartAsync(_options);
        // A trailing slash so that relative paths ("threads/...") stay under /v1.
        _http = new HttpClient { BaseAddress = new Uri(_server.BaseAddress + "/") };
        _http.DefaultRequestHeaders.Add("OpenAI-Beta", "assistants=v2");
        _http.DefaultRequestHeaders.Add("Authorization", "Bearer sk-local-test");
    }

    ValueTask IAsyncDisposable.DisposeAsync() => new(DisposeAsync());

    public async Task DisposeAsync()
    {
        _http?.Dispose();
        if (_server is not null)
        {
            await _server.DisposeAsync();
        }
    }

    public Task<ApiResponse> GetAsync(string path) => SendAsync(HttpMethod.Get, path, null);

    public Task<ApiResponse> DeleteAsync(string path) => SendAsync(HttpMethod.Delete, path, null);

    public Task<ApiResponse> PostAsync(string path, string? json) => SendAsync(HttpMethod.Post, path, json);

    public async Task<ApiResponse> SendAsync(HttpMethod method, string path, string? body)
    {
        using var request = new HttpRequestMessage(method, path);
        if (body is not null)
        {
            request.Content = new StringContent(body, Encoding.UTF8, "application/json");
        }

        using var response = await Http.SendAsync(request);
        var text = await response.Content.ReadAsStringAsync();
        var requestId = response.Headers.TryGetValues("x-request-id", out var values) ? values.Single() : null;
        var pollAfter = response.Headers.TryGetValues("openai-poll-after-ms", out var pollValues) ? pollValues.Single() : null;
        return new ApiResponse(response.StatusCode, requestId, response.Content.Headers.ContentType?.MediaType, JsonDocument.Parse(text).RootElement.Clone(), pollAfter);
    }

    /// <summary>Creates a thread (optionally with a JSON body) and returns its id.</summary>
    public async Task<string> CreateThreadAsync(string? body = null)
    {
        var response = await PostAsync("threads", body);
        Assert.Equal(HttpStatusCode.OK, response.Status);
        return response.Json.GetProperty("id").GetString()!;
    }

    /// <summary>Creates user messages "m1", "m2", ... and returns their ids in creation order.</summary>
    public async Task<IReadOnlyList<string>> CreateMessagesAsync(string threadId, int count)
    {
        var ids = new List<string>();
        for (var i = 1; i <= count; i++)
        {
            var response = await PostAsync($"threads/{threadId}/messages", $$"""{"role": "user", "content": "m{{i}}"}""");
            Assert.Equal(HttpStatusCode.OK, response.Status);
            ids.Add(response.Json.GetProperty("id").GetString()!);
        }

        return ids;
    }
}

/// <summary>A response reduced to what the tests look at.</summary>
public sealed record ApiResponse(HttpStatusCode Status, string? RequestId, string? MediaType, JsonElement Json, string? PollAfterMs = null)
{
    public string? String(string name) => Json.GetProperty(name).GetString();

    /// <summary>The error envelope's message, for 4xx responses.</summary>
    public string? ErrorMessage => Json.GetProperty("error").GetProperty("message").GetString();

    /// <summary>The error envelope's param, for 4xx responses.</summary>
    public string? ErrorParam => Json.GetProperty("error").GetProperty("param").GetString();

    public IReadOnlyList<string> DataIds() =>
        Json.GetProperty("data").EnumerateArray().Select(m => m.GetProperty("id").GetString()!).ToArray();

    /// <summary>The names of the object's properties, sorted, for exact shape checks.</summary>
    public static IReadOnlyList<string> Keys(JsonElement element) =>
        element.EnumerateObject().Select(p => p.Name).OrderBy(n => n, StringComparer.Ordinal).ToArray();
}
