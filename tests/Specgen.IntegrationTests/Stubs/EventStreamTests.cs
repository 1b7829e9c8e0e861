using System;
using System.Collections.Generic;
using System.Linq;
using System.Net;
using System.Net.Http;
using System.Text;
using System.Text.Json;
using System.Threading;
using System.Threading.Tasks;
using Microsoft.AspNetCore.Http;
using Specgen.IntegrationTests.OpenAI;
using Specgen.IntegrationTests.Support;
using Specgen.Runtime;

namespace Specgen.IntegrationTests.Stubs;

/// <summary>
/// The generated streaming methods against event streams ThreadsServer never sends: broken data,
/// unknown events, odd but valid framing, streams that stop early or stall, and errors before the
/// stream. Each case is one <see cref="EventStreamStub"/> answering <c>createRun</c>.
/// </summary>
public sealed class EventStreamTests
{
    private static readonly TimeSpan Bound = TimeSpan.FromSeconds(30);

    private static CreateRunRequest RunRequest => new() { AssistantId = "asst_stub" };

    [Fact]
    public async Task A_broken_data_line_for_a_known_event_is_an_EventStreamException_naming_the_event_and_the_operation_after_the_good_events()
    {
        await using EventStreamStub stub = await EventStreamStub.StartAsync(async stream =>
        {
            await stream.EventAsync("thread.run.created", StubJson.Run("queued"));
            await stream.EventAsync("thread.run.queued", """{"id":"run_stub","object":"thread.run","created_at":17""");
            await stream.DoneAsync();
        });
        var received = new List<string?>();

        EventStreamException error = await Assert.ThrowsAsync<EventStreamException>(() => ReadAllAsync(stub, received));

        Assert.Equal(["thread.run.created"], received);
        Assert.IsAssignableFrom<ApiException>(error);
        Assert.Equal("createRun", error.OperationId);
        Assert.Equal("POST", error.Method);
        Assert.Equal($"/threads/{StubJson.ThreadId}/runs", error.Path);
        Assert.Equal(HttpStatusCode.OK, error.Status);
        Assert.Equal("req_stream", error.RequestId);
        Assert.Contains("'thread.run.queued'", error.Message, StringComparison.Ordinal);
        Assert.Contains("createRun", error.Message, StringComparison.Ordinal);
        Assert.IsAssignableFrom<JsonException>(error.InnerException);
    }

    [Theory]
    [InlineData("not JSON at all", "thread.run.created", "run: not json")]
    [InlineData("JSON of the wrong shape", "thread.run.created", """{"object":"thread.run"}""")]
    [InlineData("an empty data line", "thread.message.delta", "")]
    [InlineData("a delta without its required id", "thread.message.delta", """{"object":"thread.message.delta","delta":{}}""")]
    [InlineData("an error event that is not an error", "error", """["oops"]""")]
    public async Task Data_a_known_event_cannot_be_read_as_is_an_EventStreamException_with_the_event_name(string problem, string eventName, string data)
    {
        await using EventStreamStub stub = await EventStreamStub.StartAsync(async stream =>
        {
            await stream.EventAsync(eventName, data);
            await stream.DoneAsync();
        });

        EventStreamException error = await Assert.ThrowsAsync<EventStreamException>(() => ReadAllAsync(stub, []));

        Assert.Contains($"'{eventName}'", error.Message, StringComparison.Ordinal);
        Assert.Equal("createRun", error.OperationId);
        Assert.NotNull(error.InnerException);
        Assert.False(string.IsNullOrEmpty(problem));
    }

    [Fact]
    public async Task An_unknown_event_is_yielded_as_IsUnknown_with_its_name_and_raw_data_and_the_stream_goes_on()
    {
        const string pondering = """{"id":"run_stub","thoughts":["hmm",{"depth":2}]}""";
        await using EventStreamStub stub = await EventStreamStub.StartAsync(async stream =>
        {
            await stream.EventAsync("thread.run.created", StubJson.Run("queued"));
            await stream.EventAsync("thread.run.pondering", pondering);
            await stream.EventAsync("thread.run.heartbeat", "still here, not JSON");
            await stream.EventAsync("thread.run.completed", StubJson.Run("completed"));
            await stream.DoneAsync();
        });
        var events = new List<AssistantStreamEvent>();

        await foreach (AssistantStreamEvent item in Client(stub).CreateRunStreamingAsync(StubJson.ThreadId, RunRequest).WithCancellation(Timeout()))
        {
            events.Add(item);
        }

        Assert.Equal(["thread.run.created", "thread.run.pondering", "thread.run.heartbeat", "thread.run.completed"], events.Select(e => e.Event));
        Assert.Equal([false, true, true, false], events.Select(e => e.IsUnknown));

        AssistantStreamEvent unknown = events[1];
        Assert.False(unknown.IsThreadRunCreated || unknown.IsThreadRunCompleted || unknown.IsError || unknown.IsDone);
        Assert.Null(unknown.AsThreadRunCreated);
        JsonElement raw = Assert.IsType<JsonElement>(unknown.Value);
        Assert.Equal("thread.run.pondering", raw.GetProperty("event").GetString());
        Assert.Equal(JsonValueKind.Object, raw.GetProperty("data").ValueKind);
        Assert.Equal("hmm", raw.GetProperty("data").GetProperty("thoughts")[0].GetString());
        Assert.Equal(2, raw.GetProperty("data").GetProperty("thoughts")[1].GetProperty("depth").GetInt32());

        JsonElement text = Assert.IsType<JsonElement>(events[2].Value);
        Assert.Equal("still here, not JSON", text.GetProperty("data").GetString());
        Assert.Equal(RunObjectStatus.Completed, events[3].AsThreadRunCompleted!.Data.Status);
    }

    /// <summary>Every event the spec declares, in one stream, with the data each carries.</summary>
    private static readonly (string Name, string Data)[] EveryEvent =
    [
        ("thread.created", StubJson.Thread),
        ("thread.run.created", StubJson.Run("queued")),
        ("thread.run.queued", StubJson.Run("queued")),
        ("thread.run.in_progress", StubJson.Run("in_progress")),
        ("thread.run.requires_action", StubJson.Run("requires_action")),
        ("thread.run.completed", StubJson.Run("completed")),
        ("thread.run.incomplete", StubJson.Run("incomplete")),
        ("thread.run.failed", StubJson.Run("failed")),
        ("thread.run.cancelling", StubJson.Run("cancelling")),
        ("thread.run.cancelled", StubJson.Run("cancelled")),
        ("thread.run.expired", StubJson.Run("expired")),
        ("thread.run.step.created", StubJson.ToolStep("in_progress")),
        ("thread.run.step.in_progress", StubJson.ToolStep("in_progress")),
        ("thread.run.step.delta", StubJson.ToolStepDelta),
        ("thread.run.step.completed", StubJson.ToolStep("completed")),
        ("thread.run.step.failed", StubJson.ToolStep("failed")),
        ("thread.run.step.cancelled", StubJson.ToolStep("cancelled")),
        ("thread.run.step.expired", StubJson.ToolStep("expired")),
        ("thread.message.created", StubJson.Message("in_progress")),
        ("thread.message.in_progress", StubJson.Message("in_progress")),
        ("thread.message.delta", StubJson.RichMessageDelta),
        ("thread.message.completed", StubJson.Message("completed")),
        ("thread.message.incomplete", StubJson.Message("incomplete")),
        ("error", StubJson.Error),
    ];

    [Fact]
    public async Task Every_event_the_spec_declares_is_read_as_its_own_typed_variant()
    {
        await using EventStreamStub stub = await EventStreamStub.StartAsync(async stream =>
        {
            foreach ((string name, string data) in EveryEvent)
            {
                await stream.EventAsync(name, data);
            }

            await stream.DoneAsync();
        });
        var events = new List<AssistantStreamEvent>();

        await foreach (AssistantStreamEvent item in Client(stub).CreateRunStreamingAsync(StubJson.ThreadId, RunRequest, cancellationToken: Timeout()))
        {
            events.Add(item);
        }

        Assert.Equal(EveryEvent.Select(e => e.Name), events.Select(e => e.Event));
        Assert.All(events, e => Assert.False(e.IsUnknown || e.IsDone));
        bool[][] flags = events.Select(e => new[]
        {
            e.IsThreadCreated, e.IsThreadRunCreated, e.IsThreadRunQueued, e.IsThreadRunInProgress, e.IsThreadRunRequiresAction,
            e.IsThreadRunCompleted, e.IsThreadRunIncomplete, e.IsThreadRunFailed, e.IsThreadRunCancelling, e.IsThreadRunCancelled,
            e.IsThreadRunExpired, e.IsThreadRunStepCreated, e.IsThreadRunStepInProgress, e.IsThreadRunStepDelta, e.IsThreadRunStepCompleted,
            e.IsThreadRunStepFailed, e.IsThreadRunStepCancelled, e.IsThreadRunStepExpired, e.IsThreadMessageCreated, e.IsThreadMessageInProgress,
            e.IsThreadMessageDelta, e.IsThreadMessageCompleted, e.IsThreadMessageIncomplete, e.IsError,
        }).ToArray();
        for (int i = 0; i < events.Count; i++)
        {
            Assert.Equal(Enumerable.Range(0, EveryEvent.Length).Select(j => j == i), flags[i]);
        }

        Assert.Equal("v", events[0].AsThreadCreated!.Data.Metadata!["k"]);
        Assert.Equal(
            ["queued", "queued", "in_progress", "requires_action", "completed", "incomplete", "failed", "cancelling", "cancelled", "expired"],
            [
                events[1].AsThreadRunCreated!.Data.Status.Value, events[2].AsThreadRunQueued!.Data.Status.Value, events[3].AsThreadRunInProgress!.Data.Status.Value,
                events[4].AsThreadRunRequiresAction!.Data.Status.Value, events[5].AsThreadRunCompleted!.Data.Status.Value, events[6].AsThreadRunIncomplete!.Data.Status.Value,
                events[7].AsThreadRunFailed!.Data.Status.Value, events[8].AsThreadRunCancelling!.Data.Status.Value, events[9].AsThreadRunCancelled!.Data.Status.Value,
                events[10].AsThreadRunExpired!.Data.Status.Value,
            ]);

        // A tool_calls step: one call of each kind.
        IList<RunStepToolCall> calls = events[11].AsThreadRunStepCreated!.Data.StepDetails.AsToolCalls!.ToolCalls;
        CodeInterpreterCall interpreter = calls[0].AsCodeInterpreter!.CodeInterpreter;
        Assert.Equal("print(6*7)", interpreter.Input);
        Assert.Equal("42", interpreter.Outputs[0].AsLogs!.Logs);
        Assert.Equal("file_plot", interpreter.Outputs[1].AsImage!.Image.FileId);
        FileSearchResult result = Assert.Single(calls[1].AsFileSearch!.FileSearch.Results!);
        Assert.Equal(("file_doc", 0.9, "Lisbon"), (result.FileId, result.Score, result.Content![0].Text));
        Assert.Equal(0.5, calls[1].AsFileSearch!.FileSearch.RankingOptions!.ScoreThreshold);
        Assert.Equal("sunny", calls[2].AsFunction!.Function.Output);
        Assert.Equal(RunStepObjectStatus.Expired, events[17].AsThreadRunStepExpired!.Data.Status);

        // Its delta, by index.
        IList<RunStepToolCallDelta> deltaCalls = events[13].AsThreadRunStepDelta!.Data.Delta.StepDetails!.AsToolCalls!.ToolCalls!;
        Assert.Equal([0L, 1L, 2L], deltaCalls.Select(call => call.AsCodeInterpreter?.Index ?? call.AsFileSearch?.Index ?? call.AsFunction!.Index));
        Assert.Equal("4", deltaCalls[0].AsCodeInterpreter!.CodeInterpreter!.Outputs![0].AsLogs!.Logs);
        Assert.Equal("file_plot", deltaCalls[0].AsCodeInterpreter!.CodeInterpreter!.Outputs![1].AsImage!.Image!.FileId);
        Assert.Equal("call_fs", deltaCalls[1].AsFileSearch!.Id);
        Assert.Equal("{\"ci", deltaCalls[2].AsFunction!.Function!.Arguments);

        // Messages: a cited text part and an image part; the delta has a part of each kind.
        MessageObject message = events[18].AsThreadMessageCreated!.Data;
        FileCitationAnnotation citation = message.Content[0].AsText!.Text.Annotations[0].AsFileCitation!;
        Assert.Equal(("[1]", "file_doc", 4L, 7L), (citation.Text, citation.FileCitation.FileId, citation.StartIndex, citation.EndIndex));
        Assert.Equal("file_plot", message.Content[1].AsImageFile!.ImageFile.FileId);
        IList<MessageDeltaContentPart> parts = events[20].AsThreadMessageDelta!.Data.Delta.Content!;
        Assert.Equal([true, true, true, true], new[] { parts[0].IsImageFile, parts[1].IsText, parts[2].IsRefusal, parts[3].IsImageUrl });
        IList<TextAnnotationDelta> annotations = parts[1].AsText!.Text!.Annotations!;
        Assert.Equal("Lisbon", annotations[0].AsFileCitation!.FileCitation!.Quote);
        Assert.Equal("file_out", annotations[1].AsFilePath!.FilePath!.FileId);
        Assert.Equal("No.", parts[2].AsRefusal!.Refusal);
        Assert.Equal("https://example.com/a.png", parts[3].AsImageUrl!.ImageUrl!.Url);
        Assert.Equal(MessageObjectStatus.Incomplete, events[22].AsThreadMessageIncomplete!.Data.Status);

        Assert.Equal("Sorry, something went wrong.", events[23].AsError!.Data.Message);
    }

    [Fact]
    public async Task The_enumeration_ends_at_done_even_if_the_server_keeps_the_connection_open_and_the_connection_is_then_closed()
    {
        await using EventStreamStub stub = await EventStreamStub.StartAsync(async stream =>
        {
            await stream.EventAsync("thread.run.created", StubJson.Run("queued"));
            await stream.DoneAsync();
            await stream.EventAsync("thread.run.queued", StubJson.Run("queued"));
            await stream.StallAsync();
        });
        var received = new List<string?>();

        await ReadAllAsync(stub, received);

        Assert.Equal(["thread.run.created"], received);
        await stub.Aborted.WaitAsync(Bound);
    }

    [Fact]
    public async Task The_per_try_timeout_stops_at_the_headers_and_never_cuts_a_slow_stream()
    {
        await using EventStreamStub stub = await EventStreamStub.StartAsync(async stream =>
        {
            for (int i = 0; i < 5; i++)
            {
                await stream.EventAsync("thread.message.delta", StubJson.MessageDelta($"{i}"));
                await Task.Delay(300);
            }

            await stream.DoneAsync();
        });

        // The stream lasts 1.5 s, longer than the 1 s per try; the headers have all of that second
        // to arrive, so a loaded machine does not make the test fail for the wrong reason.
        var client = new ThreadsClient(new ApiClientOptions { ApiKey = "sk-test", BaseAddress = stub.BaseAddress, MaxRetries = 0, Timeout = TimeSpan.FromSeconds(1) });
        var text = new StringBuilder();

        await foreach (AssistantStreamEvent item in client.CreateRunStreamingAsync(StubJson.ThreadId, RunRequest, cancellationToken: Timeout()))
        {
            text.Append(item.AsThreadMessageDelta!.Data.Delta.Content![0].AsText!.Text!.Value);
        }

        Assert.Equal("01234", text.ToString());
    }

    [Fact]
    public async Task A_200_that_is_not_an_event_stream_is_an_ApiException_not_an_empty_stream()
    {
        // A server or proxy that ignored "stream": true and answered the run as JSON.
        await using StubServer server = await StubServer.RespondingAsync(200, StubJson.Run("queued"));
        var client = new ThreadsClient(new ApiClientOptions { ApiKey = "sk-test", BaseAddress = server.BaseAddress, MaxRetries = 0 });
        int read = 0;

        ApiException error = await Assert.ThrowsAnyAsync<ApiException>(async () =>
        {
            await foreach (AssistantStreamEvent item in client.CreateRunStreamingAsync(StubJson.ThreadId, RunRequest, cancellationToken: Timeout()))
            {
                read++;
            }
        });

        Assert.Equal(0, read);
        Assert.Equal("createRun", error.OperationId);
        Assert.Equal(HttpStatusCode.OK, error.Status);
    }

    [Fact]
    public async Task A_200_that_is_not_an_event_stream_says_what_content_type_came_instead()
    {
        await using StubServer server = await StubServer.RespondingAsync(200, StubJson.Run("queued"));
        var client = new ThreadsClient(new ApiClientOptions { ApiKey = "sk-test", BaseAddress = server.BaseAddress, MaxRetries = 0 });

        ApiException error = await Assert.ThrowsAnyAsync<ApiException>(async () =>
        {
            await foreach (AssistantStreamEvent item in client.CreateRunStreamingAsync(StubJson.ThreadId, RunRequest, cancellationToken: Timeout()))
            {
            }
        });

        Assert.Contains("application/json", error.Message, StringComparison.Ordinal);
        Assert.DoesNotContain("connection may have been cut", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_stream_that_ends_before_done_is_an_EventStreamException_saying_so_after_the_events_that_arrived()
    {
        await using EventStreamStub stub = await EventStreamStub.StartAsync(async stream =>
        {
            await stream.EventAsync("thread.run.created", StubJson.Run("queued"));
            await stream.EventAsync("thread.run.queued", StubJson.Run("queued"));
        });
        var received = new List<string?>();

        EventStreamException error = await Assert.ThrowsAsync<EventStreamException>(() => ReadAllAsync(stub, received));

        Assert.Equal(["thread.run.created", "thread.run.queued"], received);
        Assert.Contains("stopped before its end event", error.Message, StringComparison.Ordinal);
        Assert.Contains("createRun", error.Message, StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.OK, error.Status);
        Assert.Null(error.InnerException);
    }

    [Fact]
    public async Task A_stream_that_ends_in_the_middle_of_an_event_drops_the_unfinished_event_and_says_it_stopped_before_done()
    {
        await using EventStreamStub stub = await EventStreamStub.StartAsync(async stream =>
        {
            await stream.EventAsync("thread.run.created", StubJson.Run("queued"));
            await stream.RawAsync("event: thread.run.queued\ndata: " + StubJson.Run("queued"));
        });
        var received = new List<string?>();

        EventStreamException error = await Assert.ThrowsAsync<EventStreamException>(() => ReadAllAsync(stub, received));

        Assert.Equal(["thread.run.created"], received);
        Assert.Contains("stopped before its end event", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_connection_cut_mid_stream_is_an_ApiConnectionException_naming_the_operation()
    {
        await using EventStreamStub stub = await EventStreamStub.StartAsync(async stream =>
        {
            await stream.EventAsync("thread.run.created", StubJson.Run("queued"));
            await stream.RawAsync("event: thread.run.queued\ndata: {\"id\":");
            await Task.Delay(50);
            stream.Context.Abort();
        });
        var received = new List<string?>();

        ApiConnectionException error = await Assert.ThrowsAsync<ApiConnectionException>(() => ReadAllAsync(stub, received));

        // A reset connection may discard what the client had not read yet, so the first event may be lost too.
        Assert.True(received.Count <= 1 && received.All(name => name == "thread.run.created"), string.Join(", ", received));
        Assert.Equal("createRun", error.OperationId);
        Assert.NotNull(error.InnerException);
    }

    [Fact]
    public async Task Comments_keep_alives_CRLF_and_CR_line_endings_ids_retry_fields_and_split_data_lines_are_read_as_the_standard_says()
    {
        string created = StubJson.Run("queued");
        string completed = StubJson.Run("completed");
        await using EventStreamStub stub = await EventStreamStub.StartAsync(async stream =>
        {
            await stream.RawAsync(": keep-alive\r\n\r\n");
            await stream.RawAsync(":\r\n");
            await stream.RawAsync("retry: 1000\r\nid: 1\r\nevent: thread.run.created\r\ndata: " + created + "\r\n\r\n");
            await stream.RawAsync(": ping\n\n");
            await stream.RawAsync("event: thread.message.delta\rdata:" + StubJson.MessageDelta("Hel") + "\r\r");
            // One JSON document over two data lines: joined with a line feed, which JSON ignores.
            string delta = StubJson.MessageDelta("lo");
            int cut = delta.IndexOf("\"delta\"", StringComparison.Ordinal);
            await stream.RawAsync($"event: thread.message.delta\ndata: {delta[..cut]}\ndata: {delta[cut..]}\n\n");
            // An event split across writes, and a blank line with no data before it: not an event.
            await stream.RawAsync("\n\nevent: thread.run.comp");
            await stream.RawAsync("leted\r\ndata: " + completed[..40]);
            await stream.RawAsync(completed[40..] + "\r\n\r\n");
            await stream.RawAsync("event: done\r\ndata: [DONE]\r\n\r\n");
        });
        var events = new List<AssistantStreamEvent>();

        await foreach (AssistantStreamEvent item in Client(stub).CreateRunStreamingAsync(StubJson.ThreadId, RunRequest, cancellationToken: Timeout()))
        {
            events.Add(item);
        }

        Assert.Equal(["thread.run.created", "thread.message.delta", "thread.message.delta", "thread.run.completed"], events.Select(e => e.Event));
        Assert.All(events, e => Assert.False(e.IsUnknown));
        Assert.Equal(StubJson.RunId, events[0].AsThreadRunCreated!.Data.Id);
        Assert.Equal("Hello", string.Concat(events.Where(e => e.IsThreadMessageDelta).Select(e => e.AsThreadMessageDelta!.Data.Delta.Content![0].AsText!.Text!.Value)));
        Assert.Equal(RunObjectStatus.Completed, events[3].AsThreadRunCompleted!.Data.Status);
    }

    [Fact]
    public async Task A_character_split_across_writes_and_an_event_of_hundreds_of_kilobytes_arrive_whole()
    {
        string big = string.Concat(Enumerable.Repeat("Lisboa ☀ – ", 30_000));
        byte[] sun = Encoding.UTF8.GetBytes(StubJson.MessageDelta("☀"));
        int cut = Array.IndexOf(sun, (byte)0xE2) + 1; // inside the three bytes of ☀
        await using EventStreamStub stub = await EventStreamStub.StartAsync(async stream =>
        {
            await stream.RawAsync("event: thread.message.delta\ndata: ");
            await stream.BytesAsync(sun[..cut]);
            await stream.BytesAsync([.. sun[cut..], .. "\n\n"u8.ToArray()]);
            await stream.EventAsync("thread.message.delta", StubJson.MessageDelta(big));
            await stream.DoneAsync();
        });
        var texts = new List<string>();

        await foreach (AssistantStreamEvent item in Client(stub).CreateRunStreamingAsync(StubJson.ThreadId, RunRequest, cancellationToken: Timeout()))
        {
            texts.Add(item.AsThreadMessageDelta!.Data.Delta.Content![0].AsText!.Text!.Value!);
        }

        Assert.Equal(2, texts.Count);
        Assert.Equal("☀", texts[0]);
        Assert.Equal(big, texts[1]);
    }

    [Fact]
    public async Task A_byte_order_mark_before_the_first_event_is_ignored_as_the_standard_says()
    {
        await using EventStreamStub stub = await EventStreamStub.StartAsync(async stream =>
        {
            await stream.BytesAsync([0xEF, 0xBB, 0xBF]);
            await stream.EventAsync("thread.run.created", StubJson.Run("queued"));
            await stream.DoneAsync();
        });
        var received = new List<string?>();

        await ReadAllAsync(stub, received);

        Assert.Equal(["thread.run.created"], received);
    }

    [Fact]
    public async Task Headers_that_come_later_than_the_per_try_timeout_are_an_ApiTimeoutException()
    {
        await using StubServer server = await StubServer.StartAsync(async context =>
        {
            await Task.Delay(TimeSpan.FromSeconds(5), context.RequestAborted);
        });
        var client = new ThreadsClient(new ApiClientOptions { ApiKey = "sk-test", BaseAddress = server.BaseAddress, MaxRetries = 0, Timeout = TimeSpan.FromMilliseconds(100) });

        ApiTimeoutException error = await Assert.ThrowsAsync<ApiTimeoutException>(async () =>
        {
            await foreach (AssistantStreamEvent item in client.CreateRunStreamingAsync(StubJson.ThreadId, RunRequest, cancellationToken: Timeout()))
            {
            }
        });

        Assert.Equal(TimeSpan.FromMilliseconds(100), error.Timeout);
        Assert.Equal("createRun", error.OperationId);
    }

    [Fact]
    public async Task An_error_event_in_the_stream_is_yielded_typed_and_the_stream_ends_at_done()
    {
        await using EventStreamStub stub = await EventStreamStub.StartAsync(async stream =>
        {
            await stream.EventAsync("thread.run.created", StubJson.Run("queued"));
            await stream.EventAsync("error", """{"message":"The server had an error.","type":"server_error","param":null,"code":"internal"}""");
            await stream.DoneAsync();
            await stream.EventAsync("thread.run.completed", "never read");
        });
        var events = new List<AssistantStreamEvent>();

        await foreach (AssistantStreamEvent item in Client(stub).CreateRunStreamingAsync(StubJson.ThreadId, RunRequest, cancellationToken: Timeout()))
        {
            events.Add(item);
        }

        Assert.Equal(["thread.run.created", "error"], events.Select(e => e.Event));
        ErrorEvent error = events[1].AsError!;
        Assert.Equal("The server had an error.", error.Data.Message);
        Assert.Equal("server_error", error.Data.Type);
        Assert.Equal("internal", error.Data.Code);
        Assert.Null(error.Data.Param);
    }

    public static TheoryData<int, Type> ErrorStatuses => new()
    {
        { 400, typeof(BadRequestException) },
        { 401, typeof(AuthenticationException) },
        { 404, typeof(NotFoundException) },
        { 429, typeof(RateLimitException) },
        { 500, typeof(ServerErrorException) },
    };

    [Theory]
    [MemberData(nameof(ErrorStatuses))]
    public async Task An_error_status_before_the_stream_starts_is_the_typed_ApiException_with_the_error_body(int status, Type expected)
    {
        string body = $$$"""{"error":{"message":"Refused with {{{status}}}.","type":"invalid_request_error","param":"assistant_id","code":null}}""";
        await using StubServer server = await StubServer.RespondingAsync(status, body);
        var client = new ThreadsClient(new ApiClientOptions { ApiKey = "sk-test", BaseAddress = server.BaseAddress, MaxRetries = 0 });
        int read = 0;

        ApiException error = (ApiException)await Assert.ThrowsAnyAsync<ApiException>(async () =>
        {
            await foreach (AssistantStreamEvent item in client.CreateRunStreamingAsync(StubJson.ThreadId, RunRequest, cancellationToken: Timeout()))
            {
                read++;
            }
        });

        Assert.IsType(expected, error);
        Assert.Equal(0, read);
        Assert.Equal(status, (int)error.Status);
        Assert.Equal("createRun", error.OperationId);
        Assert.Equal("req_stub", error.RequestId);
        Assert.Equal($"Refused with {status}.", error.Error!.Message);
        Assert.Equal("assistant_id", error.Error.Param);
    }

    [Fact]
    public async Task A_429_before_the_stream_is_retried_as_the_server_asks_and_the_stream_then_reads_normally()
    {
        int requests = 0;
        await using StubServer server = await StubServer.StartAsync(async context =>
        {
            if (Interlocked.Increment(ref requests) == 1)
            {
                context.Response.StatusCode = StatusCodes.Status429TooManyRequests;
                context.Response.Headers["retry-after-ms"] = "1";
                context.Response.ContentType = "application/json";
                await context.Response.WriteAsync("""{"error":{"message":"Slow down.","type":"requests","param":null,"code":null}}""");
                return;
            }

            context.Response.ContentType = "text/event-stream";
            await context.Response.WriteAsync($"event: thread.run.created\ndata: {StubJson.Run("queued")}\n\nevent: done\ndata: [DONE]\n\n");
        });
        var client = new ThreadsClient(new ApiClientOptions { ApiKey = "sk-test", BaseAddress = server.BaseAddress, MaxRetries = 1 });
        var received = new List<string?>();

        await foreach (AssistantStreamEvent item in client.CreateRunStreamingAsync(StubJson.ThreadId, RunRequest, cancellationToken: Timeout()))
        {
            received.Add(item.Event);
        }

        Assert.Equal(["thread.run.created"], received);
        Assert.Equal(2, requests);
    }

    [Fact]
    public async Task Every_streaming_method_reads_the_same_events_and_sends_stream_true()
    {
        var bodies = new List<string>();
        await using StubServer server = await StubServer.StartAsync(async context =>
        {
            using var reader = new System.IO.StreamReader(context.Request.Body);
            string body = await reader.ReadToEndAsync();
            lock (bodies)
            {
                bodies.Add($"{context.Request.Method} {context.Request.Path} {body}");
            }

            context.Response.ContentType = "text/event-stream";
            await context.Response.WriteAsync($"event: thread.run.in_progress\ndata: {StubJson.Run("in_progress")}\n\nevent: done\ndata: [DONE]\n\n");
        });
        var client = new ThreadsClient(new ApiClientOptions { ApiKey = "sk-test", BaseAddress = server.BaseAddress, MaxRetries = 0 });

        string?[] fromCreateRun = await NamesAsync(client.CreateRunStreamingAsync("thread_1", RunRequest, cancellationToken: Timeout()));
        string?[] fromThreadAndRun = await NamesAsync(client.CreateThreadAndRunStreamingAsync(new CreateThreadAndRunRequest { AssistantId = "asst_1" }, cancellationToken: Timeout()));
        string?[] fromSubmit = await NamesAsync(client.SubmitToolOuputsToRunStreamingAsync("thread_1", "run_1", new SubmitToolOutputsRequest { ToolOutputs = [new ToolOutput { ToolCallId = "call_1", Output = "42" }] }, cancellationToken: Timeout()));

        Assert.All([fromCreateRun, fromThreadAndRun, fromSubmit], names => Assert.Equal(new string?[] { "thread.run.in_progress" }, names));
        Assert.Equal(
            [
                """POST /v1/threads/thread_1/runs {"assistant_id":"asst_stub","stream":true}""",
                """POST /v1/threads/runs {"assistant_id":"asst_1","stream":true}""",
                """POST /v1/threads/thread_1/runs/run_1/submit_tool_outputs {"tool_outputs":[{"tool_call_id":"call_1","output":"42"}],"stream":true}""",
            ],
            bodies);
    }

    private static async Task<string?[]> NamesAsync(IAsyncEnumerable<AssistantStreamEvent> events)
    {
        var names = new List<string?>();
        await foreach (AssistantStreamEvent item in events)
        {
            names.Add(item.Event);
        }

        return names.ToArray();
    }

    private static ThreadsClient Client(EventStreamStub stub, HttpClient? http = null)
    {
        var options = new ApiClientOptions { ApiKey = "sk-test", BaseAddress = stub.BaseAddress, MaxRetries = 0 };
        return http is null ? new ThreadsClient(options) : new ThreadsClient(options, http);
    }

    private static async Task ReadAllAsync(EventStreamStub stub, List<string?> received)
    {
        await foreach (AssistantStreamEvent item in Client(stub).CreateRunStreamingAsync(StubJson.ThreadId, RunRequest, cancellationToken: Timeout()))
        {
            received.Add(item.Event);
        }
    }

    /// <summary>Every test ends within <see cref="Bound"/>: a hang fails instead of stalling the run.</summary>
    private static CancellationToken Timeout() => new CancellationTokenSource(Bound).Token;
}
