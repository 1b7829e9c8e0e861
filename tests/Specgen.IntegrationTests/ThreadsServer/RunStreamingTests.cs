using System;
using System.Collections.Generic;
using System.Linq;
using System.Text.Json;
using System.Text.Json.Serialization.Metadata;
using System.Threading;
using System.Threading.Tasks;
using Specgen.IntegrationTests.OpenAI;
using Specgen.IntegrationTests.Support;
using Specgen.Runtime;
using LocalThreadsServer = global::ThreadsServer.LocalThreadsServer;
using LocalThreadsServerOptions = global::ThreadsServer.LocalThreadsServerOptions;

namespace Specgen.IntegrationTests.ThreadsServer;

/// <summary>
/// Streamed runs through the generated <c>…StreamingAsync</c> methods: the exact order of the
/// events, their typed payloads, the state they leave behind, and leaving or cancelling a stream
/// half way.
/// </summary>
public sealed class RunStreamingTests : IClassFixture<ThreadsServerFixture>, IDisposable
{
    /// <summary>The events of a run that replies, from <c>thread.run.in_progress</c> on; "You said: Hello there" is four deltas.</summary>
    private static readonly string[] ReplyEvents =
    [
        "thread.run.in_progress",
        "thread.run.step.created",
        "thread.run.step.in_progress",
        "thread.message.created",
        "thread.message.in_progress",
        "thread.message.delta",
        "thread.message.delta",
        "thread.message.delta",
        "thread.message.delta",
        "thread.message.completed",
        "thread.run.step.completed",
        "thread.run.completed",
    ];

    private readonly RecordedClient _api;

    public RunStreamingTests(ThreadsServerFixture server)
    {
        _api = new RecordedClient(server.BaseAddress);
    }

    private ThreadsClient Client => _api.Client;

    public void Dispose() => _api.Dispose();

    [Fact]
    public async Task A_streamed_createRun_yields_the_exact_event_order_with_typed_payloads_and_leaves_the_run_completed()
    {
        ThreadObject thread = await _api.NewThreadSayingAsync("Hello there");

        List<AssistantStreamEvent> events = await ReadAsync(Client.CreateRunStreamingAsync(
            thread.Id,
            new CreateRunRequest { AssistantId = RunSupport.AssistantId },
            include: ["step_details.tool_calls[*].file_search.results[*].content"],
            cancellationToken: RunSupport.Bounded()));
        SentRequest sent = _api.Recorder.Single();

        Assert.Equal(["thread.run.created", "thread.run.queued", .. ReplyEvents], events.Select(e => e.Event));
        Assert.All(events, e => Assert.False(e.IsUnknown || e.IsError || e.IsDone));
        Assert.Equal("""{"assistant_id":"asst_integration","stream":true}""", sent.Body);
        Assert.Equal($"/v1/threads/{thread.Id}/runs", sent.Uri.AbsolutePath);

        // Run events carry the run, in the status each event names.
        RunObject created = events[0].AsThreadRunCreated!.Data;
        Assert.StartsWith("run_", created.Id, StringComparison.Ordinal);
        Assert.Equal(thread.Id, created.ThreadId);
        Assert.Equal(
            [RunObjectStatus.Queued, RunObjectStatus.Queued, RunObjectStatus.InProgress, RunObjectStatus.Completed],
            [created.Status, events[1].AsThreadRunQueued!.Data.Status, events[2].AsThreadRunInProgress!.Data.Status, events[^1].AsThreadRunCompleted!.Data.Status]);
        Assert.All(RunsIn(events), run => Assert.Equal(created.Id, run.Id));

        // The step and the message, from created to completed.
        RunStepObject stepCreated = events[3].AsThreadRunStepCreated!.Data;
        Assert.Equal(RunStepObjectType.MessageCreation, stepCreated.Type);
        Assert.Equal(RunStepObjectStatus.InProgress, stepCreated.Status);
        Assert.Equal(created.Id, stepCreated.RunId);
        Assert.Equal(stepCreated.Id, events[4].AsThreadRunStepInProgress!.Data.Id);
        MessageObject messageCreated = events[5].AsThreadMessageCreated!.Data;
        Assert.Equal(MessageObjectRole.Assistant, messageCreated.Role);
        Assert.Equal(MessageObjectStatus.InProgress, messageCreated.Status);
        Assert.Empty(messageCreated.Content);
        Assert.Equal(messageCreated.Id, stepCreated.StepDetails.AsMessageCreation!.MessageCreation.MessageId);
        Assert.Equal(messageCreated.Id, events[6].AsThreadMessageInProgress!.Data.Id);

        // The deltas spell the reply exactly.
        MessageDeltaObject[] deltas = events.Where(e => e.IsThreadMessageDelta).Select(e => e.AsThreadMessageDelta!.Data).ToArray();
        Assert.All(deltas, delta =>
        {
            Assert.Equal(messageCreated.Id, delta.Id);
            Assert.Equal("thread.message.delta", delta.Object);
            MessageDeltaContentText text = Assert.Single(delta.Delta.Content!).AsText!;
            Assert.Equal(0, text.Index);
            Assert.Empty(text.Text!.Annotations!);
        });
        Assert.Equal(["You", " said:", " Hello", " there"], deltas.Select(TextOf));
        MessageObject messageCompleted = events[11].AsThreadMessageCompleted!.Data;
        Assert.Equal(MessageObjectStatus.Completed, messageCompleted.Status);
        Assert.Equal(string.Concat(deltas.Select(TextOf)), RunSupport.Text(messageCompleted));
        RunStepObject stepCompleted = events[12].AsThreadRunStepCompleted!.Data;
        Assert.Equal(RunStepObjectStatus.Completed, stepCompleted.Status);
        Assert.Equal(6, stepCompleted.Usage!.TotalTokens);

        // After the stream the state is what the events said.
        RunObject streamed = events[^1].AsThreadRunCompleted!.Data;
        RunObject fetched = await Client.GetRunAsync(thread.Id, created.Id);
        MessageObject stored = await Client.GetMessageAsync(thread.Id, messageCreated.Id);
        Assert.Equal(RunObjectStatus.Completed, fetched.Status);
        Assert.Equal(streamed.CompletedAt, fetched.CompletedAt);
        Assert.Equal(streamed.StartedAt, fetched.StartedAt);
        Assert.Equal((2L, 4L, 6L), (fetched.Usage!.PromptTokens, fetched.Usage.CompletionTokens, fetched.Usage.TotalTokens));
        Assert.Equal(streamed.Usage!.TotalTokens, fetched.Usage.TotalTokens);
        Assert.Equal("You said: Hello there", RunSupport.Text(stored));
        Assert.Equal(stepCompleted.Id, Assert.Single((await Client.ListRunStepsAsync(thread.Id, created.Id)).Data).Id);
    }

    [Fact]
    public async Task A_streamed_createThreadAndRun_starts_with_thread_created_for_the_thread_the_run_is_on()
    {
        List<AssistantStreamEvent> events = await ReadAsync(Client.CreateThreadAndRunStreamingAsync(new CreateThreadAndRunRequest
        {
            AssistantId = RunSupport.AssistantId,
            Thread = new CreateThreadRequest
            {
                Messages = [new CreateMessageRequest { Role = CreateMessageRequestRole.User, Content = "Hello there" }],
                Metadata = new Dictionary<string, string> { ["streamed"] = "yes" },
            },
        }, cancellationToken: RunSupport.Bounded()));

        Assert.Equal(["thread.created", "thread.run.created", "thread.run.queued", .. ReplyEvents], events.Select(e => e.Event));
        ThreadObject thread = events[0].AsThreadCreated!.Data;
        Assert.StartsWith("thread_", thread.Id, StringComparison.Ordinal);
        Assert.Equal(new Dictionary<string, string> { ["streamed"] = "yes" }, thread.Metadata);
        Assert.All(RunsIn(events), run => Assert.Equal(thread.Id, run.ThreadId));
        Assert.Equal(thread.Id, (await Client.GetThreadAsync(thread.Id)).Id);
        Assert.Equal("You said: Hello there", string.Concat(events.Where(e => e.IsThreadMessageDelta).Select(e => TextOf(e.AsThreadMessageDelta!.Data))));
        Assert.Equal(RunObjectStatus.Completed, (await Client.GetRunAsync(thread.Id, events[1].AsThreadRunCreated!.Data.Id)).Status);
    }

    [Fact]
    public async Task A_streamed_function_call_ends_at_requires_action_and_streamed_tool_outputs_continue_it_to_completed()
    {
        ThreadObject thread = await _api.NewThreadSayingAsync("Please call get_weather");

        List<AssistantStreamEvent> calling = await ReadAsync(Client.CreateRunStreamingAsync(thread.Id, new CreateRunRequest
        {
            AssistantId = RunSupport.AssistantId,
            Tools = [RunSupport.Function("get_weather")],
        }, cancellationToken: RunSupport.Bounded()));

        Assert.Equal(
            ["thread.run.created", "thread.run.queued", "thread.run.in_progress", "thread.run.step.created", "thread.run.step.in_progress", "thread.run.step.delta", "thread.run.requires_action"],
            calling.Select(e => e.Event));
        RunStepObject toolStep = calling[3].AsThreadRunStepCreated!.Data;
        Assert.Equal(RunStepObjectType.ToolCalls, toolStep.Type);
        RunStepDeltaObject stepDelta = calling[5].AsThreadRunStepDelta!.Data;
        Assert.Equal(toolStep.Id, stepDelta.Id);
        Assert.Equal("thread.run.step.delta", stepDelta.Object);
        FunctionToolCallDelta callDelta = Assert.Single(stepDelta.Delta.StepDetails!.AsToolCalls!.ToolCalls!).AsFunction!;
        Assert.Equal(0, callDelta.Index);
        Assert.Equal("get_weather", callDelta.Function!.Name);
        Assert.Equal("{}", callDelta.Function.Arguments);
        RunObject waiting = calling[^1].AsThreadRunRequiresAction!.Data;
        Assert.Equal(RunObjectStatus.RequiresAction, waiting.Status);
        RequiredToolCall call = Assert.Single(waiting.RequiredAction!.SubmitToolOutputs.ToolCalls);
        Assert.Equal(callDelta.Id, call.Id);
        Assert.Equal(RunObjectStatus.RequiresAction, (await Client.GetRunAsync(thread.Id, waiting.Id)).Status);

        _api.Recorder.Clear();
        List<AssistantStreamEvent> replying = await ReadAsync(Client.SubmitToolOuputsToRunStreamingAsync(thread.Id, waiting.Id, new SubmitToolOutputsRequest
        {
            ToolOutputs = [new ToolOutput { ToolCallId = call.Id, Output = "sunny" }],
        }, cancellationToken: RunSupport.Bounded()));

        Assert.Equal($$"""{"tool_outputs":[{"tool_call_id":"{{call.Id}}","output":"sunny"}],"stream":true}""", _api.Recorder.Single().Body);
        string[] names = replying.Select(e => e.Event!).ToArray();
        Assert.Equal(["thread.run.step.completed", "thread.run.queued", .. ReplyEvents[..5]], names[..7]);
        Assert.Equal(ReplyEvents[^3..], names[^3..]);
        // "You", " said:", " Please", " call", " get_weather\nget_weather", " returned:", " sunny": seven deltas.
        Assert.Equal(Enumerable.Repeat("thread.message.delta", 7), names[7..^3]);
        RunStepObject toolDone = replying[0].AsThreadRunStepCompleted!.Data;
        Assert.Equal(toolStep.Id, toolDone.Id);
        Assert.Equal("sunny", toolDone.StepDetails.AsToolCalls!.ToolCalls[0].AsFunction!.Function.Output);
        Assert.Equal(RunObjectStatus.Queued, replying[1].AsThreadRunQueued!.Data.Status);
        Assert.Null(replying[1].AsThreadRunQueued!.Data.RequiredAction);
        string reply = string.Concat(replying.Where(e => e.IsThreadMessageDelta).Select(e => TextOf(e.AsThreadMessageDelta!.Data)));
        Assert.Equal("You said: Please call get_weather\nget_weather returned: sunny", reply);
        Assert.Equal(reply, RunSupport.Text(replying[^3].AsThreadMessageCompleted!.Data));
        RunObject completed = replying[^1].AsThreadRunCompleted!.Data;
        Assert.Equal(completed.Usage!.TotalTokens, (await Client.GetRunAsync(thread.Id, waiting.Id)).Usage!.TotalTokens);
        Assert.Equal(2, (await Client.ListRunStepsAsync(thread.Id, waiting.Id)).Data.Count);
    }

    [Fact]
    public async Task Streamed_events_round_trip_through_JsonSerializer_as_event_and_data_objects()
    {
        ThreadObject thread = await _api.NewThreadSayingAsync("Please call get_weather");
        List<AssistantStreamEvent> events = await ReadAsync(Client.CreateRunStreamingAsync(thread.Id, new CreateRunRequest
        {
            AssistantId = RunSupport.AssistantId,
            Tools = [RunSupport.Function("get_weather")],
        }, cancellationToken: RunSupport.Bounded()));
        using JsonDocument unknownJson = JsonDocument.Parse("""{"event":"thread.run.pondering","data":{"id":"run_1"}}""");
        events.Add(AssistantStreamEvent.FromUnknown(unknownJson.RootElement));
        var typeInfo = (JsonTypeInfo<AssistantStreamEvent>)ThreadsClientJsonTypeInfoResolver.Options.GetTypeInfo(typeof(AssistantStreamEvent));

        foreach (AssistantStreamEvent original in events)
        {
            string json = JsonSerializer.Serialize(original, typeInfo);
            AssistantStreamEvent copy = JsonSerializer.Deserialize(json, typeInfo)!;

            using JsonDocument written = JsonDocument.Parse(json);
            Assert.Equal(original.Event, written.RootElement.GetProperty("event").GetString());
            Assert.Equal(JsonValueKind.Object, written.RootElement.GetProperty("data").ValueKind);
            Assert.Equal(original.Event, copy.Event);
            Assert.Equal(original.IsUnknown, copy.IsUnknown);
            Assert.Equal(json, JsonSerializer.Serialize(copy, typeInfo));
        }

        Assert.Equal("get_weather", JsonSerializer.Deserialize(JsonSerializer.Serialize(events[^2], typeInfo), typeInfo)!
            .AsThreadRunRequiresAction!.Data.RequiredAction!.SubmitToolOutputs.ToolCalls[0].Function.Name);
    }

    [Fact]
    public async Task A_refused_streaming_request_is_the_typed_exception_before_any_event()
    {
        ThreadObject thread = await _api.NewThreadSayingAsync("Hello there");
        RunObject queued = await Client.CreateRunAsync(thread.Id, new CreateRunRequest { AssistantId = RunSupport.AssistantId });
        int read = 0;

        NotFoundException missing = await Assert.ThrowsAsync<NotFoundException>(async () =>
        {
            await foreach (AssistantStreamEvent item in Client.CreateRunStreamingAsync("thread_missing", new CreateRunRequest { AssistantId = RunSupport.AssistantId }))
            {
                read++;
            }
        });
        BadRequestException busy = await Assert.ThrowsAsync<BadRequestException>(async () =>
        {
            await foreach (AssistantStreamEvent item in Client.CreateRunStreamingAsync(thread.Id, new CreateRunRequest { AssistantId = RunSupport.AssistantId }))
            {
                read++;
            }
        });
        BadRequestException notWaiting = await Assert.ThrowsAsync<BadRequestException>(async () =>
        {
            var outputs = new SubmitToolOutputsRequest { ToolOutputs = [new ToolOutput { ToolCallId = "call_1", Output = "x" }] };
            await foreach (AssistantStreamEvent item in Client.SubmitToolOuputsToRunStreamingAsync(thread.Id, queued.Id, outputs))
            {
                read++;
            }
        });

        Assert.Equal(0, read);
        Assert.Equal("No thread found with id 'thread_missing'.", missing.Error!.Message);
        Assert.Equal("createRun", missing.OperationId);
        Assert.Equal($"Thread {thread.Id} already has an active run {queued.Id}.", busy.Error!.Message);
        Assert.Equal("Runs in status \"queued\" do not accept tool outputs.", notWaiting.Error!.Message);
        Assert.Equal("submitToolOuputsToRun", notWaiting.OperationId);
    }

    [Fact]
    public async Task A_body_that_asks_for_a_stream_is_refused_by_the_non_streaming_methods()
    {
        var body = new CreateRunRequest { AssistantId = RunSupport.AssistantId, Stream = true };

        ArgumentException error = await Assert.ThrowsAsync<ArgumentException>(() => Client.CreateRunAsync("thread_x", body));
        await Assert.ThrowsAsync<ArgumentException>(() => Client.CreateThreadAndRunAsync(new CreateThreadAndRunRequest { AssistantId = RunSupport.AssistantId, Stream = true }));
        await Assert.ThrowsAsync<ArgumentException>(() => Client.SubmitToolOuputsToRunAsync("thread_x", "run_x", new SubmitToolOutputsRequest { ToolOutputs = [], Stream = true }));

        Assert.Contains("CreateRunStreamingAsync", error.Message, StringComparison.Ordinal);
        Assert.Empty(_api.Recorder.Requests);
    }

    [Fact]
    public async Task One_body_serves_a_streamed_createRun_then_a_plain_one_and_is_never_changed()
    {
        ThreadObject thread = await _api.NewThreadSayingAsync("Hello there");
        var body = new CreateRunRequest { AssistantId = RunSupport.AssistantId, Instructions = "Be brief." };

        List<AssistantStreamEvent> events = await ReadAsync(Client.CreateRunStreamingAsync(thread.Id, body, cancellationToken: RunSupport.Bounded()));
        bool? streamAfterStreaming = body.Stream;
        RunObject run = await Client.CreateRunAsync(thread.Id, body);

        Assert.Null(streamAfterStreaming);
        Assert.Null(body.Stream);
        Assert.Equal("thread.run.completed", events[^1].Event);
        Assert.Equal(thread.Id, run.ThreadId);
        Assert.Equal(
            ["""{"assistant_id":"asst_integration","instructions":"Be brief.","stream":true}""", """{"assistant_id":"asst_integration","instructions":"Be brief."}"""],
            _api.Recorder.Requests.Select(sent => sent.Body));
    }

    [Fact]
    public async Task A_streaming_method_sends_stream_true_over_the_bodys_false_and_leaves_the_false()
    {
        ThreadObject thread = await _api.NewThreadSayingAsync("Hello there");
        var body = new CreateThreadAndRunRequest { AssistantId = RunSupport.AssistantId, Stream = false };

        List<AssistantStreamEvent> events = await ReadAsync(Client.CreateThreadAndRunStreamingAsync(body, cancellationToken: RunSupport.Bounded()));

        Assert.False(body.Stream);
        Assert.Equal("thread.run.completed", events[^1].Event);
        Assert.Equal("""{"assistant_id":"asst_integration","stream":true}""", _api.Recorder.Single().Body);
    }

    [Fact]
    public async Task A_cancel_during_a_stream_is_streamed_and_ends_it_with_the_run_cancelled()
    {
        // Slow enough that the cancel lands while the stream is in its first events.
        await using LocalThreadsServer server = await LocalThreadsServer.StartAsync(new LocalThreadsServerOptions { StreamEventDelay = TimeSpan.FromMilliseconds(100) });
        using var api = new RecordedClient(server.BaseAddress);
        ThreadObject thread = await api.NewThreadSayingAsync("Hello there");
        var events = new List<AssistantStreamEvent>();
        RunObject? cancelling = null;

        await foreach (AssistantStreamEvent item in api.Client.CreateRunStreamingAsync(thread.Id, new CreateRunRequest { AssistantId = RunSupport.AssistantId }, cancellationToken: RunSupport.Bounded()))
        {
            events.Add(item);
            if (item.AsThreadRunCreated is { } created)
            {
                cancelling = await api.Client.CancelRunAsync(thread.Id, created.Data.Id);
            }
        }

        string[] names = events.Select(e => e.Event!).ToArray();
        Assert.Equal(RunObjectStatus.Cancelling, cancelling!.Status);
        Assert.Equal("thread.run.cancelled", names[^1]);
        int cancellingAt = Array.IndexOf(names, "thread.run.cancelling");
        Assert.True(cancellingAt > 0, string.Join(", ", names));
        string[] uncancelled = ["thread.run.created", "thread.run.queued", .. ReplyEvents];
        Assert.Equal(uncancelled[..cancellingAt], names[..cancellingAt]);
        Assert.DoesNotContain("thread.run.completed", names);
        Assert.Equal(RunObjectStatus.Cancelling, events[cancellingAt].AsThreadRunCancelling!.Data.Status);
        RunObject cancelled = events[^1].AsThreadRunCancelled!.Data;
        Assert.Equal(RunObjectStatus.Cancelled, cancelled.Status);
        Assert.NotNull(cancelled.CancelledAt);
        Assert.Equal(RunObjectStatus.Cancelled, (await api.Client.GetRunAsync(thread.Id, cancelled.Id)).Status);
    }

    [Fact]
    public async Task A_thread_deleted_during_a_stream_ends_it_with_a_typed_error_event()
    {
        await using LocalThreadsServer server = await LocalThreadsServer.StartAsync(new LocalThreadsServerOptions { StreamEventDelay = TimeSpan.FromMilliseconds(100) });
        using var api = new RecordedClient(server.BaseAddress);
        ThreadObject thread = await api.NewThreadSayingAsync("Hello there");
        var events = new List<AssistantStreamEvent>();

        await foreach (AssistantStreamEvent item in api.Client.CreateRunStreamingAsync(thread.Id, new CreateRunRequest { AssistantId = RunSupport.AssistantId }, cancellationToken: RunSupport.Bounded()))
        {
            events.Add(item);
            if (item.IsThreadRunCreated)
            {
                await api.Client.DeleteThreadAsync(thread.Id);
            }
        }

        Assert.Equal("thread.run.created", events[0].Event);
        ErrorEvent error = events[^1].AsError!;
        Assert.Equal("error", events[^1].Event);
        Assert.Equal($"No thread found with id '{thread.Id}'.", error.Data.Message);
        Assert.Equal("invalid_request_error", error.Data.Type);
        Assert.DoesNotContain(events, e => e.IsThreadRunCompleted);
    }

    [Fact]
    public async Task Leaving_the_loop_half_way_leaks_nothing_and_polling_takes_the_run_on_from_where_the_stream_left_it()
    {
        // 500 ms between events: the whole stream would take about 7 s to play out by itself.
        await using LocalThreadsServer server = await LocalThreadsServer.StartAsync(new LocalThreadsServerOptions { StreamEventDelay = TimeSpan.FromMilliseconds(500) });
        using var api = new RecordedClient(server.BaseAddress);
        ThreadObject thread = await api.NewThreadSayingAsync("Hello there");
        var names = new List<string?>();
        RunObject? run = null;

        await foreach (AssistantStreamEvent item in api.Client.CreateRunStreamingAsync(thread.Id, new CreateRunRequest { AssistantId = RunSupport.AssistantId }, cancellationToken: RunSupport.Bounded()))
        {
            names.Add(item.Event);
            run ??= item.AsThreadRunCreated?.Data;
            if (names.Count == 3)
            {
                break;
            }
        }

        // While its stream holds a run, getRun only reads it; the server lets go of the run when it
        // sees the client gone (at its next write, within 500 ms), and the poll then moves it on.
        // Had the connection stayed open, the run would finish only with the stream, seconds later.
        var afterLeaving = System.Diagnostics.Stopwatch.StartNew();
        RunObject completed = await api.Client.PollRunAsync(run!, TimeSpan.FromMilliseconds(5), cancellationToken: RunSupport.Bounded());
        TimeSpan polled = afterLeaving.Elapsed;
        ListMessagesResponse messages = await api.Client.ListMessagesAsync(thread.Id, order: ListMessagesOrder.Asc);

        Assert.Equal(["thread.run.created", "thread.run.queued", "thread.run.in_progress"], names);
        Assert.Equal(RunObjectStatus.Completed, completed.Status);
        Assert.True(polled < TimeSpan.FromSeconds(1.5), $"The run completed {polled.TotalMilliseconds} ms after the client left: the stream went on.");
        Assert.Equal(["Hello there", "You said: Hello there"], messages.Data.Select(RunSupport.Text));
        Assert.Single((await api.Client.ListRunStepsAsync(thread.Id, run!.Id)).Data);
        Assert.Equal(thread.Id, (await api.Client.GetThreadAsync(thread.Id)).Id);
    }

    [Fact]
    public async Task Cancelling_the_token_mid_stream_is_an_OperationCanceledException_with_that_token_and_polling_finishes_the_run()
    {
        await using LocalThreadsServer server = await LocalThreadsServer.StartAsync(new LocalThreadsServerOptions { StreamEventDelay = TimeSpan.FromMilliseconds(50) });
        using var api = new RecordedClient(server.BaseAddress);
        ThreadObject thread = await api.NewThreadSayingAsync("Hello there");
        using var cancellation = CancellationTokenSource.CreateLinkedTokenSource(RunSupport.Bounded());
        var names = new List<string?>();
        RunObject? run = null;

        OperationCanceledException error = await Assert.ThrowsAnyAsync<OperationCanceledException>(async () =>
        {
            await foreach (AssistantStreamEvent item in api.Client.CreateRunStreamingAsync(thread.Id, new CreateRunRequest { AssistantId = RunSupport.AssistantId }, cancellationToken: cancellation.Token))
            {
                names.Add(item.Event);
                run ??= item.AsThreadRunCreated?.Data;
                if (names.Count == 2)
                {
                    cancellation.Cancel();
                }
            }
        });

        Assert.Equal(cancellation.Token, error.CancellationToken);
        Assert.Equal(["thread.run.created", "thread.run.queued"], names);
        RunObject completed = await api.Client.PollRunAsync(run!, TimeSpan.FromMilliseconds(5), cancellationToken: RunSupport.Bounded());
        Assert.Equal(RunObjectStatus.Completed, completed.Status);
        Assert.Equal(2, (await api.Client.ListMessagesAsync(thread.Id)).Data.Count);
    }

    private static async Task<List<AssistantStreamEvent>> ReadAsync(IAsyncEnumerable<AssistantStreamEvent> stream)
    {
        var events = new List<AssistantStreamEvent>();
        await foreach (AssistantStreamEvent item in stream)
        {
            events.Add(item);
        }

        return events;
    }

    private static string TextOf(MessageDeltaObject delta) => delta.Delta.Content![0].AsText!.Text!.Value!;

    /// <summary>The runs that the run events carry.</summary>
    private static IEnumerable<RunObject> RunsIn(IEnumerable<AssistantStreamEvent> events) =>
        events.Select(e => e.AsThreadRunCreated?.Data ?? e.AsThreadRunQueued?.Data ?? e.AsThreadRunInProgress?.Data
            ?? e.AsThreadRunCompleted?.Data ?? e.AsThreadRunRequiresAction?.Data ?? e.AsThreadRunCancelling?.Data ?? e.AsThreadRunCancelled?.Data)
            .OfType<RunObject>();
}
