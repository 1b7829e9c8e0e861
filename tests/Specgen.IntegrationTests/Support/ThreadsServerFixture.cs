using System;
using System.Collections.Generic;
using System.Net.Http;
using System.Threading.Tasks;
using Specgen.IntegrationTests.OpenAI;
using Specgen.Runtime;
using ThreadsServer;

namespace Specgen.IntegrationTests.Support;

/// <summary>
/// One <see cref="LocalThreadsServer"/> per test class. Tests do not share threads: each creates
/// its own, so they stay independent while the server is shared.
/// </summary>
public sealed class ThreadsServerFixture : IAsyncLifetime
{
    private LocalThreadsServer? _server;

    /// <summary>The API root, <c>http://127.0.0.1:{port}/v1</c>.</summary>
    public Uri BaseAddress => (_server ?? throw new InvalidOperationException("The server has not started.")).BaseAddress;

    public async Task InitializeAsync() => _server = await LocalThreadsServer.StartAsync();

    public async Task DisposeAsync()
    {
        if (_server is not null)
        {
            await _server.DisposeAsync();
        }
    }
}

/// <summary>A generated <see cref="ThreadsClient"/> together with the handler that sees its requests.</summary>
public sealed class RecordedClient : IDisposable
{
    public const string ApiKey = "sk-specgen-integration";

    private readonly HttpClient _httpClient;

    public RecordedClient(Uri baseAddress)
    {
        Recorder = new RecordingHandler();
        _httpClient = new HttpClient(Recorder);
        Options = new ApiClientOptions { BaseAddress = baseAddress, ApiKey = ApiKey };
        Options.DefaultHeaders["OpenAI-Beta"] = "assistants=v2";
        Client = new ThreadsClient(Options, _httpClient);
    }

    public ThreadsClient Client { get; }

    public RecordingHandler Recorder { get; }

    public ApiClientOptions Options { get; }

    /// <summary>Creates an empty thread and forgets that request, so a test sees only its own.</summary>
    public async Task<ThreadObject> NewThreadAsync(IDictionary<string, string>? metadata = null)
    {
        ThreadObject thread = await Client.CreateThreadAsync(metadata is null ? null : new CreateThreadRequest { Metadata = metadata });
        Recorder.Clear();
        return thread;
    }

    /// <summary>Creates a thread whose one user message says <paramref name="text"/>; the request is forgotten.</summary>
    public async Task<ThreadObject> NewThreadSayingAsync(string text)
    {
        ThreadObject thread = await Client.CreateThreadAsync(new CreateThreadRequest
        {
            Messages = [new CreateMessageRequest { Role = CreateMessageRequestRole.User, Content = text }],
        });
        Recorder.Clear();
        return thread;
    }

    /// <summary>Adds user messages "m1", "m2", ... and returns them in creation order; the requests are forgotten.</summary>
    public async Task<IReadOnlyList<MessageObject>> AddMessagesAsync(string threadId, int count)
    {
        var messages = new List<MessageObject>();
        for (int i = 1; i <= count; i++)
        {
            messages.Add(await Client.CreateMessageAsync(threadId, new CreateMessageRequest { Role = CreateMessageRequestRole.User, Content = $"m{i}" }));
        }

        Recorder.Clear();
        return messages;
    }

    public void Dispose() => _httpClient.Dispose();
}
