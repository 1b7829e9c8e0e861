using System;
using System.Collections.Generic;
using System.Diagnostics;
using System.Linq;
using System.Threading;
using System.Threading.Tasks;
using Microsoft.AspNetCore.Http;
using Specgen.IntegrationTests.OpenAI;
using Specgen.IntegrationTests.Support;
using Specgen.Runtime;
using LocalThreadsServer = global::ThreadsServer.LocalThreadsServer;
using LocalThreadsServerOptions = global::ThreadsServer.LocalThreadsServerOptions;

namespace Specgen.IntegrationTests.ThreadsServer;

/// <summary>
/// The polling helpers against ThreadsServer, whose runs move one step per getRun and whose every
/// run answer says <c>openai-poll-after-ms: 10</c>. The interval given is ten minutes wherever the
/// header should win: a helper that ignored the header would hang until the test's own 30 s token
/// fails it.
/// </summary>
public sealed class RunPollingTests : IClassFixture<ThreadsServerFixture>, IDisposable
{
    private static readonly TimeSpan TenMinutes = TimeSpan.FromMinutes(10);

    private readonly RecordedClient _api;

    public RunPollingTests(ThreadsServerFixture server)
    {
        _api = new RecordedClient(server.BaseAddress);
    }

    private ThreadsClient Client => _api.Client;

    public void Dispose() => _api.Dispose();

    [Fact]
    public async Task CreateRunAndPollAsync_ends_at_completed_waiting_only_as_long_as_openai_poll_after_ms_says()
    {
        ThreadObject thread = await _api.NewThreadSayingAsync("Hello there");
        var clock = Stopwatch.StartNew();

        RunObject run = await Client.CreateRunAndPollAsync(thread.Id, new CreateRunRequest { AssistantId = RunSupport.AssistantId }, pollInterval: TenMinutes, cancellationToken: RunSupport.Bounded());

        Assert.True(clock.Elapsed < RunSupport.Bound, $"Polling took {clock.Elapsed}.");
        Assert.Equal(RunObjectStatus.Completed, run.Status);
        Assert.Equal(6, run.Usage!.TotalTokens);
        Assert.Equal(
            ["POST /v1/threads/{t}/runs", "GET /v1/threads/{t}/runs/{r}", "GET /v1/threads/{t}/runs/{r}"],
            Requests(thread.Id, run.Id));
        Assert.Equal("You said: Hello there", RunSupport.Text((await Client.ListMessagesAsync(thread.Id, limit: 1)).Data[0]));
    }

    [Fact]
    public async Task CreateThreadAndRunAndPollAsync_and_ModifyRunAndPollAsync_end_at_completed_too()
    {
        RunObject fromThreadAndRun = await Client.CreateThreadAndRunAndPollAsync(new CreateThreadAndRunRequest
        {
            AssistantId = RunSupport.AssistantId,
            Thread = new CreateThreadRequest { Messages = [new CreateMessageRequest { Role = CreateMessageRequestRole.User, Content = "Hi" }] },
        }, pollInterval: TenMinutes, cancellationToken: RunSupport.Bounded());
        ThreadObject thread = await _api.NewThreadSayingAsync("Hello there");
        RunObject queued = await Client.CreateRunAsync(thread.Id, new CreateRunRequest { AssistantId = RunSupport.AssistantId });
        _api.Recorder.Clear();
        RunObject fromModify = await Client.ModifyRunAndPollAsync(thread.Id, queued.Id, new ModifyRunRequest
        {
            Metadata = new Dictionary<string, string> { ["tag"] = "polled" },
        }, pollInterval: TenMinutes, cancellationToken: RunSupport.Bounded());

        Assert.Equal(RunObjectStatus.Completed, fromThreadAndRun.Status);
        Assert.Equal(RunObjectStatus.Completed, fromModify.Status);
        Assert.Equal(new Dictionary<string, string> { ["tag"] = "polled" }, fromModify.Metadata);
        Assert.Equal(
            ["POST /v1/threads/{t}/runs/{r}", "GET /v1/threads/{t}/runs/{r}", "GET /v1/threads/{t}/runs/{r}"],
            Requests(thread.Id, queued.Id));
    }

    [Fact]
    public async Task Polling_stops_at_requires_action_and_SubmitToolOuputsToRunAndPollAsync_continues_to_completed()
    {
        ThreadObject thread = await _api.NewThreadSayingAsync("What does get_weather say?");

        RunObject waiting = await Client.CreateRunAndPollAsync(thread.Id, new CreateRunRequest
        {
            AssistantId = RunSupport.AssistantId,
            Tools = [RunSupport.Function("get_weather")],
        }, pollInterval: TenMinutes, cancellationToken: RunSupport.Bounded());
        string[] untilAction = Requests(thread.Id, waiting.Id);
        _api.Recorder.Clear();
        RequiredToolCall call = Assert.Single(waiting.RequiredAction!.SubmitToolOutputs.ToolCalls);
        RunObject completed = await Client.SubmitToolOuputsToRunAndPollAsync(thread.Id, waiting.Id, new SubmitToolOutputsRequest
        {
            ToolOutputs = [new ToolOutput { ToolCallId = call.Id, Output = "sunny" }],
        }, pollInterval: TenMinutes, cancellationToken: RunSupport.Bounded());

        Assert.Equal(RunObjectStatus.RequiresAction, waiting.Status);
        Assert.Equal("get_weather", call.Function.Name);
        Assert.Equal(["POST /v1/threads/{t}/runs", "GET /v1/threads/{t}/runs/{r}", "GET /v1/threads/{t}/runs/{r}"], untilAction);
        Assert.Equal(RunObjectStatus.Completed, completed.Status);
        Assert.Null(completed.RequiredAction);
        Assert.Equal(
            ["POST /v1/threads/{t}/runs/{r}/submit_tool_outputs", "GET /v1/threads/{t}/runs/{r}", "GET /v1/threads/{t}/runs/{r}"],
            Requests(thread.Id, waiting.Id));
        Assert.EndsWith("get_weather returned: sunny", RunSupport.Text((await Client.ListMessagesAsync(thread.Id, limit: 1)).Data[0]), StringComparison.Ordinal);
    }

    [Fact]
    public async Task CancelRunAndPollAsync_ends_at_cancelled()
    {
        ThreadObject thread = await _api.NewThreadSayingAsync("Hello there");
        RunObject run = await Client.CreateRunAsync(thread.Id, new CreateRunRequest { AssistantId = RunSupport.AssistantId });
        _api.Recorder.Clear();

        RunObject cancelled = await Client.CancelRunAndPollAsync(thread.Id, run.Id, pollInterval: TenMinutes, cancellationToken: RunSupport.Bounded());

        Assert.Equal(RunObjectStatus.Cancelled, cancelled.Status);
        Assert.NotNull(cancelled.CancelledAt);
        Assert.Equal(["POST /v1/threads/{t}/runs/{r}/cancel", "GET /v1/threads/{t}/runs/{r}"], Requests(thread.Id, run.Id));
    }

    [Fact]
    public async Task PollRunAsync_on_a_run_that_is_already_done_returns_it_without_a_request()
    {
        ThreadObject thread = await _api.NewThreadSayingAsync("Use get_weather");
        RunObject requiresAction = await Client.CreateRunAndPollAsync(thread.Id, new CreateRunRequest
        {
            AssistantId = RunSupport.AssistantId,
            Tools = [RunSupport.Function("get_weather")],
        }, cancellationToken: RunSupport.Bounded());
        RunObject cancelled = await Client.CancelRunAndPollAsync(thread.Id, requiresAction.Id, cancellationToken: RunSupport.Bounded());
        RunObject completed = await Client.CreateRunAndPollAsync(thread.Id, new CreateRunRequest { AssistantId = RunSupport.AssistantId }, cancellationToken: RunSupport.Bounded());
        _api.Recorder.Clear();

        RunObject[] polled =
        [
            await Client.PollRunAsync(requiresAction, TenMinutes, cancellationToken: RunSupport.Bounded()),
            await Client.PollRunAsync(cancelled, TenMinutes, cancellationToken: RunSupport.Bounded()),
            await Client.PollRunAsync(completed, TenMinutes, cancellationToken: RunSupport.Bounded()),
        ];

        Assert.Empty(_api.Recorder.Requests);
        Assert.Same(requiresAction, polled[0]);
        Assert.Same(cancelled, polled[1]);
        Assert.Same(completed, polled[2]);
        Assert.True(ThreadsClient.IsRunDone(requiresAction));
        await Assert.ThrowsAsync<ArgumentNullException>(() => Client.PollRunAsync(null!));
    }

    [Fact]
    public async Task PollRunAsync_on_a_queued_run_reads_it_until_completed_then_stops()
    {
        ThreadObject thread = await _api.NewThreadSayingAsync("Hello there");
        RunObject queued = await Client.CreateRunAsync(thread.Id, new CreateRunRequest { AssistantId = RunSupport.AssistantId });
        _api.Recorder.Clear();

        // Its first wait is the interval (no answer has said otherwise yet); the second, the header's.
        RunObject completed = await Client.PollRunAsync(queued, TimeSpan.FromMilliseconds(5), cancellationToken: RunSupport.Bounded());

        Assert.Equal(RunObjectStatus.Queued, queued.Status);
        Assert.Equal(RunObjectStatus.Completed, completed.Status);
        Assert.Equal(["GET /v1/threads/{t}/runs/{r}", "GET /v1/threads/{t}/runs/{r}"], Requests(thread.Id, queued.Id));
        Assert.False(ThreadsClient.IsRunDone(queued));
        Assert.True(ThreadsClient.IsRunDone(completed));
    }

    [Fact]
    public async Task Every_read_of_a_poll_carries_the_calls_request_options()
    {
        ThreadObject thread = await _api.NewThreadSayingAsync("Hello there");
        var options = new RequestOptions();
        options.Headers["X-Trace"] = "poll-1";
        options.QueryParameters.Add(new KeyValuePair<string, string>("trace", "1"));

        RunObject run = await Client.CreateRunAndPollAsync(thread.Id, new CreateRunRequest { AssistantId = RunSupport.AssistantId }, options: options, cancellationToken: RunSupport.Bounded());

        Assert.Equal(RunObjectStatus.Completed, run.Status);
        Assert.Equal(3, _api.Recorder.Requests.Count);
        Assert.All(_api.Recorder.Requests, sent =>
        {
            Assert.Equal("poll-1", sent.Header("X-Trace"));
            Assert.Equal([("trace", "1")], sent.QueryPairs());
        });
    }

    [Fact]
    public async Task With_an_idempotency_header_the_creating_call_gets_a_key_and_the_polling_reads_none()
    {
        ThreadObject thread = await _api.NewThreadSayingAsync("Hello there");
        using var http = new System.Net.Http.HttpClient(_api.Recorder, disposeHandler: false);
        var client = new ThreadsClient(new ApiClientOptions { ApiKey = "sk-test", BaseAddress = _api.Options.BaseAddress, IdempotencyHeader = "Idempotency-Key" }, http);

        RunObject run = await client.CreateRunAndPollAsync(thread.Id, new CreateRunRequest { AssistantId = RunSupport.AssistantId }, cancellationToken: RunSupport.Bounded());
        var streamed = new RequestOptions { IdempotencyKey = "stream-key-1" };
        await foreach (AssistantStreamEvent item in client.CreateRunStreamingAsync(thread.Id, new CreateRunRequest { AssistantId = RunSupport.AssistantId }, options: streamed, cancellationToken: RunSupport.Bounded()))
        {
        }

        IReadOnlyList<SentRequest> sent = _api.Recorder.Requests;
        Assert.Equal(RunObjectStatus.Completed, run.Status);
        Assert.Equal(["POST", "GET", "GET", "POST"], sent.Select(request => request.Method));
        Assert.False(string.IsNullOrEmpty(sent[0].Header("Idempotency-Key")));
        Assert.Null(sent[1].Header("Idempotency-Key"));
        Assert.Null(sent[2].Header("Idempotency-Key"));
        Assert.Equal("stream-key-1", sent[3].Header("Idempotency-Key"));
    }

    [Fact]
    public async Task Without_the_header_the_poller_waits_the_interval_it_was_given()
    {
        await using LocalThreadsServer server = await LocalThreadsServer.StartAsync(new LocalThreadsServerOptions { PollAfterMilliseconds = null });
        using var api = new RecordedClient(server.BaseAddress);
        ThreadObject thread = await api.NewThreadSayingAsync("Hello there");
        var clock = Stopwatch.StartNew();

        ApiResponse<RunObject> created = await api.Client.CreateRunWithResponseAsync(thread.Id, new CreateRunRequest { AssistantId = RunSupport.AssistantId });
        RunObject run = await api.Client.PollRunAsync(created.Value, TimeSpan.FromMilliseconds(50), cancellationToken: RunSupport.Bounded());

        Assert.False(created.Headers.ContainsKey(Poller.PollAfterHeader));
        Assert.Equal(RunObjectStatus.Completed, run.Status);
        Assert.Equal(3, api.Recorder.Requests.Count);
        // Two waits of 50 ms (a timer may fire a tick early).
        Assert.True(clock.Elapsed >= TimeSpan.FromMilliseconds(90), $"Polled in {clock.Elapsed.TotalMilliseconds} ms.");
    }

    [Fact]
    public async Task Cancelling_the_token_while_the_poller_waits_is_an_OperationCanceledException_with_that_token()
    {
        // No header: the poller waits the ten minutes it was given, until the token fires.
        await using LocalThreadsServer server = await LocalThreadsServer.StartAsync(new LocalThreadsServerOptions { PollAfterMilliseconds = null });
        using var api = new RecordedClient(server.BaseAddress);
        ThreadObject first = await api.NewThreadSayingAsync("Hello there");
        ThreadObject second = await api.NewThreadSayingAsync("Hello again");
        RunObject queued = await api.Client.CreateRunAsync(first.Id, new CreateRunRequest { AssistantId = RunSupport.AssistantId });
        api.Recorder.Clear();
        using var whilePolling = new CancellationTokenSource(TimeSpan.FromMilliseconds(100));
        using var whileCreatingAndPolling = new CancellationTokenSource(TimeSpan.FromMilliseconds(300));

        OperationCanceledException poll = await Assert.ThrowsAnyAsync<OperationCanceledException>(() =>
            api.Client.PollRunAsync(queued, TenMinutes, cancellationToken: whilePolling.Token));
        int readsWhilePolling = api.Recorder.Requests.Count;
        OperationCanceledException createAndPoll = await Assert.ThrowsAnyAsync<OperationCanceledException>(() =>
            api.Client.CreateRunAndPollAsync(second.Id, new CreateRunRequest { AssistantId = RunSupport.AssistantId }, pollInterval: TenMinutes, cancellationToken: whileCreatingAndPolling.Token));

        Assert.Equal(whilePolling.Token, poll.CancellationToken);
        Assert.Equal(0, readsWhilePolling);
        Assert.Equal(RunObjectStatus.Queued, (await api.Client.ListRunsAsync(first.Id)).Data[0].Status);
        Assert.Equal(whileCreatingAndPolling.Token, createAndPoll.CancellationToken);
        Assert.Equal("POST", Assert.Single(api.Recorder.Requests, sent => sent.Uri.AbsolutePath.Contains(second.Id, StringComparison.Ordinal)).Method);
    }

    [Fact]
    public async Task A_token_cancelled_before_polling_sends_nothing()
    {
        ThreadObject thread = await _api.NewThreadSayingAsync("Hello there");
        ThreadObject untouched = await _api.NewThreadSayingAsync("Hello there");
        RunObject queued = await Client.CreateRunAsync(thread.Id, new CreateRunRequest { AssistantId = RunSupport.AssistantId });
        _api.Recorder.Clear();
        using var cancellation = new CancellationTokenSource();
        cancellation.Cancel();

        OperationCanceledException poll = await Assert.ThrowsAnyAsync<OperationCanceledException>(() =>
            Client.PollRunAsync(queued, TimeSpan.Zero, cancellationToken: cancellation.Token));
        int pollRequests = _api.Recorder.Requests.Count;
        OperationCanceledException create = await Assert.ThrowsAnyAsync<OperationCanceledException>(() =>
            Client.CreateRunAndPollAsync(untouched.Id, new CreateRunRequest { AssistantId = RunSupport.AssistantId }, cancellationToken: cancellation.Token));

        Assert.Equal(cancellation.Token, poll.CancellationToken);
        Assert.Equal(0, pollRequests);
        Assert.Equal(cancellation.Token, create.CancellationToken);
        Assert.Empty((await Client.ListRunsAsync(untouched.Id)).Data);
        Assert.Equal(RunObjectStatus.Queued, (await Client.ListRunsAsync(thread.Id)).Data[0].Status);
    }

    [Theory]
    [InlineData("3600000")]
    [InlineData("soon")]
    [InlineData("-5")]
    [InlineData("")]
    public async Task A_poll_after_hint_that_is_not_a_sane_number_of_milliseconds_falls_back_to_the_interval(string hint)
    {
        int reads = 0;
        await using StubServer server = await StubServer.StartAsync(async context =>
        {
            string status = Interlocked.Increment(ref reads) == 1 ? "queued" : "completed";
            context.Response.ContentType = "application/json";
            context.Response.Headers[Poller.PollAfterHeader] = hint;
            await context.Response.WriteAsync(StubJson.Run(status));
        });
        var client = new ThreadsClient(new ApiClientOptions { ApiKey = "sk-test", BaseAddress = server.BaseAddress });

        RunObject run = await client.CreateRunAndPollAsync(StubJson.ThreadId, new CreateRunRequest { AssistantId = RunSupport.AssistantId }, pollInterval: TimeSpan.FromMilliseconds(5), cancellationToken: RunSupport.Bounded());

        Assert.Equal(RunObjectStatus.Completed, run.Status);
        Assert.Equal(2, reads);
    }

    private static CreateThreadRequest HelloThread => new()
    {
        Messages = [new CreateMessageRequest { Role = CreateMessageRequestRole.User, Content = "Hello there" }],
    };

    /// <summary>Moves the client's clock past a poll interval every 10 ms of real time, for at most 10 s, until the poll ends.</summary>
    private static async Task MoveClockUntilDoneAsync(SteppingClock clock, Task polling)
    {
        var realTime = Stopwatch.StartNew();
        while (!polling.IsCompleted && realTime.Elapsed < TimeSpan.FromSeconds(10))
        {
            clock.Advance(TenMinutes);
            await Task.Delay(10);
        }
    }

    [Fact]
    public async Task The_polling_waits_follow_the_clients_TimeProvider()
    {
        await using LocalThreadsServer server = await LocalThreadsServer.StartAsync(new LocalThreadsServerOptions { PollAfterMilliseconds = null });
        var clock = new SteppingClock();
        using var http = new System.Net.Http.HttpClient();
        var client = new ThreadsClient(new ApiClientOptions { ApiKey = "sk-test", BaseAddress = server.BaseAddress, TimeProvider = clock, Timeout = Timeout.InfiniteTimeSpan, MaxRetries = 0 }, http);
        ThreadObject thread = await client.CreateThreadAsync(HelloThread);

        Task<RunObject> polling = client.CreateRunAndPollAsync(thread.Id, new CreateRunRequest { AssistantId = RunSupport.AssistantId }, pollInterval: TenMinutes, cancellationToken: RunSupport.Bounded());
        await MoveClockUntilDoneAsync(clock, polling);

        Assert.True(polling.IsCompleted, "The poll still waits in real time although its client's clock has moved past every interval.");
        Assert.Equal(RunObjectStatus.Completed, (await polling).Status);
    }

    [Fact]
    public async Task PollRunAsync_waits_on_the_clients_TimeProvider_too()
    {
        await using LocalThreadsServer server = await LocalThreadsServer.StartAsync(new LocalThreadsServerOptions { PollAfterMilliseconds = null });
        var clock = new SteppingClock();
        using var http = new System.Net.Http.HttpClient();
        var client = new ThreadsClient(new ApiClientOptions { ApiKey = "sk-test", BaseAddress = server.BaseAddress, TimeProvider = clock, Timeout = Timeout.InfiniteTimeSpan, MaxRetries = 0 }, http);
        ThreadObject thread = await client.CreateThreadAsync(HelloThread);
        RunObject queued = await client.CreateRunAsync(thread.Id, new CreateRunRequest { AssistantId = RunSupport.AssistantId });

        Task<RunObject> polling = client.PollRunAsync(queued, TenMinutes, cancellationToken: RunSupport.Bounded());
        await MoveClockUntilDoneAsync(clock, polling);

        Assert.True(polling.IsCompleted, "PollRunAsync still waits in real time although its client's clock has moved past every interval.");
        Assert.Equal(RunObjectStatus.Completed, (await polling).Status);
    }

    [Fact]
    public async Task The_stepping_clock_the_test_above_uses_fires_a_delay_only_when_moved_past_it()
    {
        var clock = new SteppingClock();
        Task delay = Task.Delay(TenMinutes, clock);

        clock.Advance(TenMinutes - TimeSpan.FromSeconds(1));
        bool earlyDone = delay.IsCompleted;
        clock.Advance(TimeSpan.FromSeconds(1));
        await delay.WaitAsync(RunSupport.Bound);

        Assert.False(earlyDone);
        Assert.Equal(0, clock.PendingTimers);
    }

    [Fact]
    public async Task A_negative_interval_is_refused()
    {
        ThreadObject thread = await _api.NewThreadSayingAsync("Hello there");
        RunObject queued = await Client.CreateRunAsync(thread.Id, new CreateRunRequest { AssistantId = RunSupport.AssistantId });
        _api.Recorder.Clear();

        await Assert.ThrowsAsync<ArgumentOutOfRangeException>(() => Client.PollRunAsync(queued, TimeSpan.FromSeconds(-1)));

        Assert.Empty(_api.Recorder.Requests);
    }

    /// <summary>The requests sent, as <c>METHOD path</c> with the ids replaced by <c>{t}</c> and <c>{r}</c>.</summary>
    private string[] Requests(string threadId, string runId) =>
        _api.Recorder.Requests
            .Select(sent => $"{sent.Method} {sent.PathAndQuery.Replace(threadId, "{t}", StringComparison.Ordinal).Replace(runId, "{r}", StringComparison.Ordinal)}")
            .ToArray();
}
