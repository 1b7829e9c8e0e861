using System;
using System.ClientModel;
using System.ClientModel.Primitives;
using System.Net.Http;
using System.Threading.Tasks;
using BenchmarkDotNet.Attributes;
using OpenAI;
using OpenAI.Assistants;
using Specgen.Benchmarks.OpenAI;
using Specgen.Runtime;

namespace Specgen.Benchmarks.Runtime;

/// <summary>
/// A streamed run (<c>POST /threads/{thread_id}/runs</c> with <c>stream: true</c>) read to its end
/// by the three clients of <see cref="ClientBenchmarks"/>: <see cref="Deltas"/>
/// <c>thread.message.delta</c> events and 11 lifecycle events (<see cref="CannedRunStream"/>), each
/// written on its own by the canned server in its child process. The floor (the baseline) reads
/// the events with the BCL's <c>SseParser</c> and System.Text.Json's source-generated metadata.
/// Each benchmark returns the length of the reply the deltas add up to.
/// </summary>
[Config(typeof(BenchmarkConfig.Streaming))]
public class StreamingBenchmarks
{
    private const string ApiKey = "sk-bench";
    private const string ThreadId = CannedThreadsServer.ThreadId;
    private const string AssistantId = "asst_abc123";

    private ServerProcess? _server;
    private HttpClient? _floorHttp;
    private HttpClient? _specgenHttp;
    private HttpClient? _sdkHttp;
    private FloorClient _floor = null!;
    private ThreadsClient _specgen = null!;
    private AssistantClient _sdk = null!;

    /// <summary>How many <c>thread.message.delta</c> events a run streams.</summary>
    [Params(CannedThreadsServer.DefaultDeltas)]
    public int Deltas { get; set; } = CannedThreadsServer.DefaultDeltas;

    /// <summary>Every event of a run: the deltas and the lifecycle events around them.</summary>
    public int Events => Deltas + CannedRunStream.LifecycleEvents;

    [GlobalSetup]
    public void Setup()
    {
        _server = ServerProcess.Start(Deltas);
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

        // Every client must read the whole reply, and nothing else, before anything is timed.
        int expected = CannedRunStream.ReplyText(Deltas).Length;
        foreach ((string client, Func<Task<int>> run) in new (string, Func<Task<int>>)[] { ("floor", Floor), ("specgen", Specgen), ("sdk", Sdk) })
        {
            int length = run().GetAwaiter().GetResult();
            if (length != expected)
            {
                throw new InvalidOperationException($"The {client} client read {length} characters of reply instead of {expected}.");
            }
        }
    }

    [GlobalCleanup]
    public void Cleanup()
    {
        _floorHttp?.Dispose();
        _specgenHttp?.Dispose();
        _sdkHttp?.Dispose();
        _server?.Dispose();
    }

    [Benchmark(Baseline = true, Description = "Floor")]
    public async Task<int> Floor()
    {
        int length = 0;
        bool completed = false;
        await foreach (object item in _floor.StreamRunAsync(ThreadId, new FloorCreateRun { AssistantId = AssistantId, Stream = true }))
        {
            if (item is FloorMessageDelta delta)
            {
                foreach (FloorDeltaContent part in delta.Delta.Content ?? [])
                {
                    length += part.Text?.Value.Length ?? 0;
                }
            }
            else if (item is FloorRun { Status: "completed" })
            {
                completed = true;
            }
        }

        return completed ? length : -1;
    }

    [Benchmark(Description = "Specgen")]
    public async Task<int> Specgen()
    {
        int length = 0;
        bool completed = false;
        await foreach (AssistantStreamEvent item in _specgen.CreateRunStreamingAsync(ThreadId, new CreateRunRequest { AssistantId = AssistantId }))
        {
            if (item.AsThreadMessageDelta is { } delta)
            {
                foreach (MessageDeltaContentPart part in delta.Data.Delta.Content ?? [])
                {
                    length += part.AsText?.Text?.Value?.Length ?? 0;
                }
            }
            else if (item.IsThreadRunCompleted)
            {
                completed = true;
            }
            else if (item.IsUnknown)
            {
                return -1;
            }
        }

        return completed ? length : -1;
    }

    [Benchmark(Description = "OpenAI SDK")]
    public async Task<int> Sdk()
    {
        int length = 0;
        bool completed = false;
        await foreach (StreamingUpdate update in await _sdk.CreateRunStreamingAsync(ThreadId, AssistantId))
        {
            if (update is MessageContentUpdate content)
            {
                length += content.Text?.Length ?? 0;
            }
            else if (update is RunUpdate { UpdateKind: StreamingUpdateReason.RunCompleted })
            {
                completed = true;
            }
        }

        return completed ? length : -1;
    }
}
