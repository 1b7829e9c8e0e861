using System;
using System.ClientModel;
using System.ClientModel.Primitives;
using System.Collections.Generic;
using System.Net.Http;
using System.Threading.Tasks;
using BenchmarkDotNet.Attributes;
using BenchmarkDotNet.Configs;
using OpenAI;
using OpenAI.Assistants;
using Specgen.Benchmarks.OpenAI;
using Specgen.Runtime;

namespace Specgen.Benchmarks.Runtime;

/// <summary>
/// Each Threads and Messages operation, and a listing paged two at a time, through three clients
/// against the same canned loopback server (in another process): the hand-written floor
/// (HttpClient + System.Text.Json source generation; the baseline of each category), the client
/// Specgen generates from spec/openai-threads.yaml, and the official OpenAI SDK's AssistantClient.
/// Each client owns its HttpClient and keeps its connection warm; requests are built per call.
/// </summary>
[Config(typeof(BenchmarkConfig.Runtime))]
[GroupBenchmarksBy(BenchmarkLogicalGroupRule.ByCategory)]
[CategoriesColumn]
public class ClientBenchmarks
{
    private const string ApiKey = "sk-bench";
    private const string ThreadId = CannedThreadsServer.ThreadId;
    private const string MessageId = CannedThreadsServer.MessageId;
    private const string Text = "Which neighbourhoods should I stay in?";

    private ServerProcess? _server;
    private HttpClient? _floorHttp;
    private HttpClient? _specgenHttp;
    private HttpClient? _sdkHttp;
    private FloorClient _floor = null!;
    private ThreadsClient _specgen = null!;
    private AssistantClient _sdk = null!;

    [GlobalSetup]
    public void Setup()
    {
        _server = ServerProcess.Start();
        Uri baseAddress = _server.BaseAddress;

        _floorHttp = new HttpClient(new SocketsHttpHandler());
        _floor = new FloorClient(_floorHttp, baseAddress, ApiKey);

        _specgenHttp = new HttpClient(new SocketsHttpHandler());
        var options = new ApiClientOptions { BaseAddress = baseAddress, ApiKey = ApiKey };
        options.DefaultHeaders["OpenAI-Beta"] = "assistants=v2";
        _specgen = new ThreadsClient(options, _specgenHttp);

        _sdkHttp = new HttpClient(new SocketsHttpHandler());
        _sdk = new AssistantClient(
            new ApiKeyCredential(ApiKey),
            new AssistantClientOptions { Endpoint = baseAddress, Transport = new HttpClientPipelineTransport(_sdkHttp) });

        // Every client must read every response before anything is timed.
        Task.WhenAll(SanityAsync()).GetAwaiter().GetResult();
    }

    [GlobalCleanup]
    public void Cleanup()
    {
        _floorHttp?.Dispose();
        _specgenHttp?.Dispose();
        _sdkHttp?.Dispose();
        _server?.Dispose();
    }

    // createThread

    [Benchmark(Baseline = true, Description = "Floor"), BenchmarkCategory("CreateThread")]
    public Task<FloorThread> CreateThread_Floor() => _floor.CreateThreadAsync(new FloorCreateThread
    {
        Messages = [new FloorCreateMessage { Role = "user", Content = Text }],
        Metadata = new Dictionary<string, string> { ["topic"] = "travel" },
    });

    [Benchmark(Description = "Specgen"), BenchmarkCategory("CreateThread")]
    public Task<ThreadObject> CreateThread_Specgen() => _specgen.CreateThreadAsync(new CreateThreadRequest
    {
        Messages = [new CreateMessageRequest { Role = CreateMessageRequestRole.User, Content = Text }],
        Metadata = new Dictionary<string, string> { ["topic"] = "travel" },
    });

    [Benchmark(Description = "OpenAI SDK"), BenchmarkCategory("CreateThread")]
    public async Task<AssistantThread> CreateThread_Sdk()
    {
        var options = new ThreadCreationOptions { InitialMessages = { Text } };
        options.Metadata["topic"] = "travel";
        return (await _sdk.CreateThreadAsync(options)).Value;
    }

    // getThread

    [Benchmark(Baseline = true, Description = "Floor"), BenchmarkCategory("GetThread")]
    public Task<FloorThread> GetThread_Floor() => _floor.GetThreadAsync(ThreadId);

    [Benchmark(Description = "Specgen"), BenchmarkCategory("GetThread")]
    public Task<ThreadObject> GetThread_Specgen() => _specgen.GetThreadAsync(ThreadId);

    [Benchmark(Description = "OpenAI SDK"), BenchmarkCategory("GetThread")]
    public async Task<AssistantThread> GetThread_Sdk() => (await _sdk.GetThreadAsync(ThreadId)).Value;

    // modifyThread

    [Benchmark(Baseline = true, Description = "Floor"), BenchmarkCategory("ModifyThread")]
    public Task<FloorThread> ModifyThread_Floor() =>
        _floor.ModifyThreadAsync(ThreadId, new FloorModify { Metadata = new Dictionary<string, string> { ["topic"] = "travel", ["status"] = "planning" } });

    [Benchmark(Description = "Specgen"), BenchmarkCategory("ModifyThread")]
    public Task<ThreadObject> ModifyThread_Specgen() =>
        _specgen.ModifyThreadAsync(ThreadId, new ModifyThreadRequest { Metadata = new Dictionary<string, string> { ["topic"] = "travel", ["status"] = "planning" } });

    [Benchmark(Description = "OpenAI SDK"), BenchmarkCategory("ModifyThread")]
    public async Task<AssistantThread> ModifyThread_Sdk()
    {
        var options = new ThreadModificationOptions();
        options.Metadata["topic"] = "travel";
        options.Metadata["status"] = "planning";
        return (await _sdk.ModifyThreadAsync(ThreadId, options)).Value;
    }

    // deleteThread

    [Benchmark(Baseline = true, Description = "Floor"), BenchmarkCategory("DeleteThread")]
    public Task<FloorDeleted> DeleteThread_Floor() => _floor.DeleteThreadAsync(ThreadId);

    [Benchmark(Description = "Specgen"), BenchmarkCategory("DeleteThread")]
    public Task<DeleteThreadResponse> DeleteThread_Specgen() => _specgen.DeleteThreadAsync(ThreadId);

    [Benchmark(Description = "OpenAI SDK"), BenchmarkCategory("DeleteThread")]
    public async Task<ThreadDeletionResult> DeleteThread_Sdk() => (await _sdk.DeleteThreadAsync(ThreadId)).Value;

    // createMessage

    [Benchmark(Baseline = true, Description = "Floor"), BenchmarkCategory("CreateMessage")]
    public Task<FloorMessage> CreateMessage_Floor() => _floor.CreateMessageAsync(ThreadId, new FloorCreateMessage { Role = "user", Content = Text });

    [Benchmark(Description = "Specgen"), BenchmarkCategory("CreateMessage")]
    public Task<MessageObject> CreateMessage_Specgen() =>
        _specgen.CreateMessageAsync(ThreadId, new CreateMessageRequest { Role = CreateMessageRequestRole.User, Content = Text });

    [Benchmark(Description = "OpenAI SDK"), BenchmarkCategory("CreateMessage")]
    public async Task<ThreadMessage> CreateMessage_Sdk() =>
        (await _sdk.CreateMessageAsync(ThreadId, MessageRole.User, [MessageContent.FromText(Text)])).Value;

    // getMessage

    [Benchmark(Baseline = true, Description = "Floor"), BenchmarkCategory("GetMessage")]
    public Task<FloorMessage> GetMessage_Floor() => _floor.GetMessageAsync(ThreadId, MessageId);

    [Benchmark(Description = "Specgen"), BenchmarkCategory("GetMessage")]
    public Task<MessageObject> GetMessage_Specgen() => _specgen.GetMessageAsync(ThreadId, MessageId);

    [Benchmark(Description = "OpenAI SDK"), BenchmarkCategory("GetMessage")]
    public async Task<ThreadMessage> GetMessage_Sdk() => (await _sdk.GetMessageAsync(ThreadId, MessageId)).Value;

    // modifyMessage

    [Benchmark(Baseline = true, Description = "Floor"), BenchmarkCategory("ModifyMessage")]
    public Task<FloorMessage> ModifyMessage_Floor() =>
        _floor.ModifyMessageAsync(ThreadId, MessageId, new FloorModify { Metadata = new Dictionary<string, string> { ["pinned"] = "true" } });

    [Benchmark(Description = "Specgen"), BenchmarkCategory("ModifyMessage")]
    public Task<MessageObject> ModifyMessage_Specgen() =>
        _specgen.ModifyMessageAsync(ThreadId, MessageId, new ModifyMessageRequest { Metadata = new Dictionary<string, string> { ["pinned"] = "true" } });

    [Benchmark(Description = "OpenAI SDK"), BenchmarkCategory("ModifyMessage")]
    public async Task<ThreadMessage> ModifyMessage_Sdk()
    {
        var options = new MessageModificationOptions();
        options.Metadata["pinned"] = "true";
        return (await _sdk.ModifyMessageAsync(ThreadId, MessageId, options)).Value;
    }

    // deleteMessage

    [Benchmark(Baseline = true, Description = "Floor"), BenchmarkCategory("DeleteMessage")]
    public Task<FloorDeleted> DeleteMessage_Floor() => _floor.DeleteMessageAsync(ThreadId, MessageId);

    [Benchmark(Description = "Specgen"), BenchmarkCategory("DeleteMessage")]
    public Task<DeleteMessageResponse> DeleteMessage_Specgen() => _specgen.DeleteMessageAsync(ThreadId, MessageId);

    [Benchmark(Description = "OpenAI SDK"), BenchmarkCategory("DeleteMessage")]
    public async Task<MessageDeletionResult> DeleteMessage_Sdk() => (await _sdk.DeleteMessageAsync(ThreadId, MessageId)).Value;

    // listMessages: one page of five

    [Benchmark(Baseline = true, Description = "Floor"), BenchmarkCategory("ListMessages")]
    public Task<FloorMessageList> ListMessages_Floor() => _floor.ListMessagesAsync(ThreadId);

    [Benchmark(Description = "Specgen"), BenchmarkCategory("ListMessages")]
    public Task<ListMessagesResponse> ListMessages_Specgen() => _specgen.ListMessagesAsync(ThreadId);

    [Benchmark(Description = "OpenAI SDK"), BenchmarkCategory("ListMessages")]
    public async Task<int> ListMessages_Sdk()
    {
        // The SDK offers listing only as a collection; with has_more false it fetches one page.
        int count = 0;
        await foreach (ThreadMessage message in _sdk.GetMessagesAsync(ThreadId))
        {
            count++;
        }

        return count;
    }

    // listMessages paged: five messages, two per page, three requests

    [Benchmark(Baseline = true, Description = "Floor"), BenchmarkCategory("ListMessagesPaged")]
    public async Task<int> ListMessagesPaged_Floor()
    {
        int count = 0;
        await foreach (FloorMessage message in _floor.ListAllMessagesAsync(ThreadId, limit: 2))
        {
            count++;
        }

        return count;
    }

    [Benchmark(Description = "Specgen"), BenchmarkCategory("ListMessagesPaged")]
    public async Task<int> ListMessagesPaged_Specgen()
    {
        int count = 0;
        await foreach (MessageObject message in _specgen.ListMessagesAutoPagingAsync(ThreadId, limit: 2))
        {
            count++;
        }

        return count;
    }

    [Benchmark(Description = "OpenAI SDK"), BenchmarkCategory("ListMessagesPaged")]
    public async Task<int> ListMessagesPaged_Sdk()
    {
        int count = 0;
        await foreach (ThreadMessage message in _sdk.GetMessagesAsync(ThreadId, new MessageCollectionOptions { PageSizeLimit = 2 }))
        {
            count++;
        }

        return count;
    }

    private IEnumerable<Task> SanityAsync()
    {
        yield return Expect("floor", async () => (await ListMessagesPaged_Floor()) == 5 && (await GetMessage_Floor()).Content[0].Text?.Value == Text);
        yield return Expect("specgen", async () => (await ListMessagesPaged_Specgen()) == 5 && (await GetMessage_Specgen()).Content[0].AsText?.Text.Value == Text);
        yield return Expect("sdk", async () => (await ListMessagesPaged_Sdk()) == 5 && (await GetMessage_Sdk()).Content[0].Text == Text);
    }

    private static async Task Expect(string client, Func<Task<bool>> check)
    {
        if (!await check())
        {
            throw new InvalidOperationException($"The {client} client did not read the canned responses as expected.");
        }
    }
}
