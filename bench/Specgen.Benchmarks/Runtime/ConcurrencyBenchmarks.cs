using System;
using System.Collections.Generic;
using System.Threading.Tasks;
using BenchmarkDotNet.Attributes;
using BenchmarkDotNet.Configs;
using OpenAI.Assistants;
using Specgen.Benchmarks.OpenAI;

namespace Specgen.Benchmarks.Runtime;

/// <summary>
/// One client shared by 1, 16 or 64 calls in flight (<see cref="InFlight"/>): GetThread and
/// CreateMessage through the floor (the baseline), the generated client on an
/// <see cref="System.Net.Http.HttpClient"/> of its own, the same client on the runtime's shared
/// one, and the official SDK. An invocation is <see cref="CallsPerInvoke"/> calls made by
/// <see cref="InFlight"/> loops that each start their next call when the last one returns, so the
/// time per operation is the inverse of the throughput. Latency per call (p50, p99) is measured by
/// the <c>latency</c> pass (<see cref="ClientLatency"/>), over the same calls.
/// </summary>
[Config(typeof(BenchmarkConfig.Runtime))]
[GroupBenchmarksBy(BenchmarkLogicalGroupRule.ByCategory, BenchmarkLogicalGroupRule.ByParams)]
[CategoriesColumn]
public class ConcurrencyBenchmarks
{
    /// <summary>Calls per invocation: a multiple of every <see cref="InFlight"/>, so each loop makes the same number.</summary>
    public const int CallsPerInvoke = 256;

    private const string Text = "Which neighbourhoods should I stay in?";

    private ServerProcess? _server;
    private BenchClients _clients = null!;

    [Params(1, 16, 64)]
    public int InFlight { get; set; } = 1;

    [GlobalSetup]
    public void Setup()
    {
        _server = ServerProcess.Start();
        _clients = new BenchClients(_server.BaseAddress);

        // Every client must read the responses, and open its connections, before anything is timed.
        foreach ((string operation, string client, Func<Task> call) in Calls())
        {
            RunAsync(call, InFlight, CallsPerInvoke).GetAwaiter().GetResult();
        }

        string? text = _clients.Specgen.CreateMessageAsync(CannedThreadsServer.ThreadId, Message()).GetAwaiter().GetResult().Content[0].AsText?.Text.Value;
        if (text != Text || _clients.Floor.GetThreadAsync(CannedThreadsServer.ThreadId).GetAwaiter().GetResult().Id != CannedThreadsServer.ThreadId)
        {
            throw new InvalidOperationException("The clients did not read the canned responses as expected.");
        }
    }

    [GlobalCleanup]
    public void Cleanup()
    {
        _clients?.Dispose();
        _server?.Dispose();
    }

    [Benchmark(Baseline = true, Description = "Floor", OperationsPerInvoke = CallsPerInvoke), BenchmarkCategory("GetThread")]
    public Task GetThread_Floor() => RunAsync(GetThreadFloor, InFlight, CallsPerInvoke);

    [Benchmark(Description = "Specgen", OperationsPerInvoke = CallsPerInvoke), BenchmarkCategory("GetThread")]
    public Task GetThread_Specgen() => RunAsync(GetThreadSpecgen, InFlight, CallsPerInvoke);

    [Benchmark(Description = "Specgen, shared HttpClient", OperationsPerInvoke = CallsPerInvoke), BenchmarkCategory("GetThread")]
    public Task GetThread_SpecgenShared() => RunAsync(GetThreadSpecgenShared, InFlight, CallsPerInvoke);

    [Benchmark(Description = "OpenAI SDK", OperationsPerInvoke = CallsPerInvoke), BenchmarkCategory("GetThread")]
    public Task GetThread_Sdk() => RunAsync(GetThreadSdk, InFlight, CallsPerInvoke);

    [Benchmark(Baseline = true, Description = "Floor", OperationsPerInvoke = CallsPerInvoke), BenchmarkCategory("CreateMessage")]
    public Task CreateMessage_Floor() => RunAsync(CreateMessageFloor, InFlight, CallsPerInvoke);

    [Benchmark(Description = "Specgen", OperationsPerInvoke = CallsPerInvoke), BenchmarkCategory("CreateMessage")]
    public Task CreateMessage_Specgen() => RunAsync(CreateMessageSpecgen, InFlight, CallsPerInvoke);

    [Benchmark(Description = "Specgen, shared HttpClient", OperationsPerInvoke = CallsPerInvoke), BenchmarkCategory("CreateMessage")]
    public Task CreateMessage_SpecgenShared() => RunAsync(CreateMessageSpecgenShared, InFlight, CallsPerInvoke);

    [Benchmark(Description = "OpenAI SDK", OperationsPerInvoke = CallsPerInvoke), BenchmarkCategory("CreateMessage")]
    public Task CreateMessage_Sdk() => RunAsync(CreateMessageSdk, InFlight, CallsPerInvoke);

    /// <summary>Each operation's single call per client, in the order of the columns (the floor first).</summary>
    public IEnumerable<(string Operation, string Client, Func<Task> Call)> Calls()
    {
        yield return ("GetThread", "Floor", GetThreadFloor);
        yield return ("GetThread", "Specgen", GetThreadSpecgen);
        yield return ("GetThread", "Specgen, shared HttpClient", GetThreadSpecgenShared);
        yield return ("GetThread", "OpenAI SDK", GetThreadSdk);
        yield return ("CreateMessage", "Floor", CreateMessageFloor);
        yield return ("CreateMessage", "Specgen", CreateMessageSpecgen);
        yield return ("CreateMessage", "Specgen, shared HttpClient", CreateMessageSpecgenShared);
        yield return ("CreateMessage", "OpenAI SDK", CreateMessageSdk);
    }

    /// <summary><paramref name="inFlight"/> loops making <paramref name="calls"/> calls between them, each call started when the loop's last one returned.</summary>
    public static Task RunAsync(Func<Task> call, int inFlight, int calls)
    {
        var loops = new Task[inFlight];
        for (int i = 0; i < inFlight; i++)
        {
            loops[i] = LoopAsync(call, calls / inFlight);
        }

        return Task.WhenAll(loops);

        static async Task LoopAsync(Func<Task> call, int count)
        {
            // Off the caller's thread at once, so that the loops start together rather than one after another's first send.
            await Task.Yield();
            for (int i = 0; i < count; i++)
            {
                await call().ConfigureAwait(false);
            }
        }
    }

    private static CreateMessageRequest Message() => new() { Role = CreateMessageRequestRole.User, Content = Text };

    private Task GetThreadFloor() => _clients.Floor.GetThreadAsync(CannedThreadsServer.ThreadId);

    private Task GetThreadSpecgen() => _clients.Specgen.GetThreadAsync(CannedThreadsServer.ThreadId);

    private Task GetThreadSpecgenShared() => _clients.SpecgenDefaultHttp.GetThreadAsync(CannedThreadsServer.ThreadId);

    private Task GetThreadSdk() => _clients.Sdk.GetThreadAsync(CannedThreadsServer.ThreadId);

    private Task CreateMessageFloor() => _clients.Floor.CreateMessageAsync(CannedThreadsServer.ThreadId, new FloorCreateMessage { Role = "user", Content = Text });

    private Task CreateMessageSpecgen() => _clients.Specgen.CreateMessageAsync(CannedThreadsServer.ThreadId, Message());

    private Task CreateMessageSpecgenShared() => _clients.SpecgenDefaultHttp.CreateMessageAsync(CannedThreadsServer.ThreadId, Message());

    private Task CreateMessageSdk() => _clients.Sdk.CreateMessageAsync(CannedThreadsServer.ThreadId, MessageRole.User, [MessageContent.FromText(Text)]);
}
