using System;
using System.IO;
using System.Linq;
using System.Net;
using System.Net.Http;
using System.Text;
using System.Text.Json;
using System.Threading.Tasks;
using ThreadsServer;
using static Specgen.ThreadsServer.Tests.RunHelpers;

namespace Specgen.ThreadsServer.Tests;

public sealed class RunStreamingTests : IClassFixture<ServerFixture>
{
    // The sequence OpenAI documents for a run that answers with a message; "Hello there" is
    // answered "You said: Hello there", streamed as "You", " said:", " Hello", " there".
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
        "done",
    ];

    private readonly ServerFixture _server;

    public RunStreamingTests(ServerFixture server)
    {
        _server = server;
    }

    [Fact]
    public async Task A_streamed_run_sends_OpenAIs_event_sequence_as_server_sent_events()
    {
        var threadId = await _server.ThreadSayingAsync("Hello there");

        var stream = await _server.StreamAsync($"threads/{threadId}/runs", """{"assistant_id": "asst_1", "stream": true}""");

        Assert.Equal("text/event-stream; charset=utf-8", stream.ContentType);
        Assert.Equal(["thread.run.created", "thread.run.queued", .. ReplyEvents], stream.Names);
        Assert.EndsWith("\n\nevent: done\ndata: [DONE]\n\n", stream.Text);
        Assert.StartsWith("event: thread.run.created\ndata: {\"id\":\"run_", stream.Text);
    }

    [Fact]
    public async Task Each_event_carries_the_object_in_the_state_it_names()
    {
        var threadId = await _server.ThreadSayingAsync("Hello there");

        var stream = await _server.StreamAsync($"threads/{threadId}/runs", """{"assistant_id": "asst_1", "stream": true}""");

        string Status(string name) => stream.Single(name).Json.GetProperty("status").GetString()!;
        Assert.Equal("queued", Status("thread.run.created"));
        Assert.Equal("queued", Status("thread.run.queued"));
        Assert.Equal("in_progress", Status("thread.run.in_progress"));
        Assert.Equal("in_progress", Status("thread.run.step.created"));
        Assert.Equal("in_progress", Status("thread.run.step.in_progress"));
        Assert.Equal("in_progress", Status("thread.message.created"));
        Assert.Equal("in_progress", Status("thread.message.in_progress"));
        Assert.Equal("completed", Status("thread.message.completed"));
        Assert.Equal("completed", Status("thread.run.step.completed"));
        Assert.Equal("completed", Status("thread.run.completed"));
        Assert.Equal("[DONE]", stream.Single("done").Data);

        var run = stream.Single("thread.run.created").Json;
        Assert.Equal("thread.run", run.GetProperty("object").GetString());
        Assert.Equal(threadId, run.GetProperty("thread_id").GetString());
        var step = stream.Single("thread.run.step.created").Json;
        Assert.Equal("thread.run.step", step.GetProperty("object").GetString());
        Assert.Equal("message_creation", step.GetProperty("type").GetString());
        var message = stream.Single("thread.message.created").Json;
        var messageId = message.GetProperty("id").GetString();
        Assert.Equal("thread.message", message.GetProperty("object").GetString());
        Assert.Equal("assistant", message.GetProperty("role").GetString());
        Assert.Equal("[]", Compact(message.GetProperty("content")));
        Assert.Equal(messageId, step.GetProperty("step_details").GetProperty("message_creation").GetProperty("message_id").GetString());
        Assert.Equal(
            """[{"type":"text","text":{"value":"You said: Hello there","annotations":[]}}]""",
            Compact(stream.Single("thread.message.completed").Json.GetProperty("content")));
        Assert.Equal(
            """{"prompt_tokens":2,"completion_tokens":4,"total_tokens":6}""",
            Compact(stream.Single("thread.run.completed").Json.GetProperty("usage")));
    }

    [Fact]
    public async Task The_message_deltas_are_MessageDeltaObjects_that_add_up_to_the_reply()
    {
        var threadId = await _server.ThreadSayingAsync("Hello there");

        var stream = await _server.StreamAsync($"threads/{threadId}/runs", """{"assistant_id": "asst_1", "stream": true}""");

        var messageId = stream.Single("thread.message.created").Json.GetProperty("id").GetString();
        var deltas = stream.All("thread.message.delta").Select(e => e.Data).ToArray();
        Assert.Equal(
            new[] { "You", " said:", " Hello", " there" }.Select(piece =>
                $$$"""{"id":"{{{messageId}}}","object":"thread.message.delta","delta":{"content":[{"index":0,"type":"text","text":{"value":"{{{piece}}}","annotations":[]}}]}}"""),
            deltas);
    }

    [Fact]
    public async Task A_long_reply_is_split_at_every_space_and_reassembles_exactly()
    {
        const string text = "Line one,  with two spaces\nand a second line \"quoted\" ✓";
        var threadId = await _server.ThreadSayingAsync(text);

        var stream = await _server.StreamAsync($"threads/{threadId}/runs", """{"assistant_id": "asst_1", "stream": true}""");

        var pieces = stream.All("thread.message.delta")
            .Select(e => e.Json.GetProperty("delta").GetProperty("content")[0].GetProperty("text").GetProperty("value").GetString())
            .ToArray();
        Assert.True(pieces.Length >= 3);
        Assert.Equal("You said: " + text, string.Concat(pieces));
        Assert.Equal("You said: " + text, RunTests.Text(stream.Single("thread.message.completed").Json));
    }

    [Fact]
    public async Task CreateThreadAndRun_streams_the_thread_first()
    {
        var stream = await _server.StreamAsync("threads/runs", """
            {"assistant_id": "asst_1", "stream": true,
             "thread": {"messages": [{"role": "user", "content": "Hello there"}], "metadata": {"k": "v"}}}
            """);

        Assert.Equal(["thread.created", "thread.run.created", "thread.run.queued", .. ReplyEvents], stream.Names);
        var thread = stream.Single("thread.created").Json;
        Assert.Equal("thread", thread.GetProperty("object").GetString());
        Assert.Equal("""{"k":"v"}""", Compact(thread.GetProperty("metadata")));
        Assert.Equal(thread.GetProperty("id").GetString(), stream.Single("thread.run.created").Json.GetProperty("thread_id").GetString());
    }

    [Fact]
    public async Task After_a_stream_the_run_messages_and_steps_are_as_after_polling()
    {
        var threadId = await _server.ThreadSayingAsync("Hello there");

        var stream = await _server.StreamAsync($"threads/{threadId}/runs", """{"assistant_id": "asst_1", "stream": true}""");

        var completed = stream.Single("thread.run.completed").Json;
        var runId = completed.GetProperty("id").GetString()!;
        var fetched = await _server.GetRunAsync(threadId, runId);
        var listed = (await _server.ListAllAsync($"threads/{threadId}/runs")).Single();
        var messages = await _server.ListAllAsync($"threads/{threadId}/messages");
        var steps = await _server.ListAllAsync($"threads/{threadId}/runs/{runId}/steps");

        Assert.Equal(Compact(completed), Compact(fetched));
        Assert.Equal(Compact(completed), Compact(listed));
        Assert.Equal(Compact(stream.Single("thread.message.completed").Json), Compact(messages[1]));
        Assert.Equal(Compact(stream.Single("thread.run.step.completed").Json), Compact(Assert.Single(steps)));
        Assert.Equal(HttpStatusCode.OK, (await _server.PostAsync($"threads/{threadId}/messages", """{"role": "user", "content": "next"}""")).Status);
    }

    [Fact]
    public async Task A_run_that_needs_a_tool_streams_up_to_requires_action_and_the_outputs_stream_the_rest()
    {
        var threadId = await _server.ThreadSayingAsync("Hello there, use get_weather");
        var tools = $$"""[{{FunctionTool("get_weather")}}]""";

        var first = await _server.StreamAsync($"threads/{threadId}/runs", $$"""{"assistant_id": "asst_1", "stream": true, "tools": {{tools}}}""");

        Assert.Equal(
            ["thread.run.created", "thread.run.queued", "thread.run.in_progress", "thread.run.step.created",
             "thread.run.step.in_progress", "thread.run.step.delta", "thread.run.requires_action", "done"],
            first.Names);
        var waiting = first.Single("thread.run.requires_action").Json;
        Assert.Equal("requires_action", waiting.GetProperty("status").GetString());
        var call = waiting.GetProperty("required_action").GetProperty("submit_tool_outputs").GetProperty("tool_calls")[0];
        var callId = call.GetProperty("id").GetString()!;
        var step = first.Single("thread.run.step.created").Json;
        Assert.Equal("tool_calls", step.GetProperty("type").GetString());
        Assert.Equal(
            $$$$"""{"id":"{{{{step.GetProperty("id").GetString()}}}}","object":"thread.run.step.delta","delta":{"step_details":{"type":"tool_calls","tool_calls":[{"index":0,"id":"{{{{callId}}}}","type":"function","function":{"name":"get_weather","arguments":"{}","output":null}}]}}}""",
            first.Single("thread.run.step.delta").Data);
        var runId = waiting.GetProperty("id").GetString()!;
        Assert.Equal("requires_action", (await _server.GetRunAsync(threadId, runId)).GetProperty("status").GetString());

        var rest = await _server.StreamAsync($"threads/{threadId}/runs/{runId}/submit_tool_outputs",
            $$"""{"tool_outputs": [{"tool_call_id": "{{callId}}", "output": "22 C"}], "stream": true}""");

        Assert.Equal(
            ["thread.run.step.completed", "thread.run.queued", .. ReplyEvents[..5],
             .. Enumerable.Repeat("thread.message.delta", 9), .. ReplyEvents[^4..]],
            rest.Names);
        var toolStep = rest.Events[0].Json;
        Assert.Equal("tool_calls", toolStep.GetProperty("type").GetString());
        Assert.Equal("22 C", toolStep.GetProperty("step_details").GetProperty("tool_calls")[0].GetProperty("function").GetProperty("output").GetString());
        Assert.Equal("You said: Hello there, use get_weather\nget_weather returned: 22 C", RunTests.Text(rest.Single("thread.message.completed").Json));
        Assert.Equal("completed", (await _server.GetRunAsync(threadId, runId)).GetProperty("status").GetString());
        Assert.Equal(2, (await _server.ListAllAsync($"threads/{threadId}/runs/{runId}/steps")).Length);
    }

    [Fact]
    public async Task Submitting_outputs_without_stream_after_a_streamed_run_continues_by_polling()
    {
        var threadId = await _server.ThreadSayingAsync("get_weather");
        var first = await _server.StreamAsync($"threads/{threadId}/runs",
            $$"""{"assistant_id": "asst_1", "stream": true, "tools": [{{FunctionTool("get_weather")}}]}""");
        var waiting = first.Single("thread.run.requires_action").Json;
        var runId = waiting.GetProperty("id").GetString()!;
        var callId = waiting.GetProperty("required_action").GetProperty("submit_tool_outputs").GetProperty("tool_calls")[0].GetProperty("id").GetString();

        var submitted = await _server.PostAsync($"threads/{threadId}/runs/{runId}/submit_tool_outputs",
            $$"""{"tool_outputs": [{"tool_call_id": "{{callId}}", "output": "rain"}], "stream": false}""");

        Assert.Equal("application/json", submitted.MediaType);
        Assert.Equal("queued", submitted.String("status"));
        Assert.Equal(["in_progress", "completed"], await _server.PollAsync(threadId, runId, "completed"));
    }

    [Fact]
    public async Task An_invalid_streaming_request_is_answered_with_a_json_error_not_a_stream()
    {
        var threadId = await _server.ThreadSayingAsync("Hello");

        var badStream = await _server.PostAsync($"threads/{threadId}/runs", """{"assistant_id": "asst_1", "stream": "yes"}""");
        var noAssistant = await _server.PostAsync($"threads/{threadId}/runs", """{"stream": true}""");
        var noThread = await _server.PostAsync("threads/thread_nope/runs", """{"assistant_id": "asst_1", "stream": true}""");

        Assert.Equal(HttpStatusCode.BadRequest, badStream.Status);
        Assert.Equal("application/json", badStream.MediaType);
        Assert.Equal("Invalid type for 'stream': expected a boolean, but got a string instead.", badStream.ErrorMessage);
        Assert.Equal(HttpStatusCode.BadRequest, noAssistant.Status);
        Assert.Equal("assistant_id", noAssistant.ErrorParam);
        Assert.Equal(HttpStatusCode.NotFound, noThread.Status);
    }

    [Fact]
    public async Task Events_are_flushed_one_by_one_as_the_run_moves()
    {
        await using var server = await ServerFixture.StartAsync(new LocalThreadsServerOptions { StreamEventDelay = TimeSpan.FromMilliseconds(2) });
        var threadId = await server.ThreadSayingAsync("Hello there");
        using var request = new HttpRequestMessage(HttpMethod.Post, $"threads/{threadId}/runs")
        {
            Content = new StringContent("""{"assistant_id": "asst_1", "stream": true}""", Encoding.UTF8, "application/json"),
        };

        using var response = await server.Http.SendAsync(request, HttpCompletionOption.ResponseHeadersRead);
        using var reader = new StreamReader(await response.Content.ReadAsStreamAsync());
        var firstFrame = $"{await reader.ReadLineAsync()}\n{await reader.ReadLineAsync()}\n{await reader.ReadLineAsync()}";

        Assert.StartsWith("event: thread.run.created\ndata: {", firstFrame);
        Assert.EndsWith("}\n", firstFrame);
        var rest = await reader.ReadToEndAsync();
        Assert.Equal(["thread.run.queued", .. ReplyEvents], Sse.Parse(rest).Select(e => e.Event));
    }

    [Fact]
    public async Task When_the_client_leaves_mid_stream_polling_takes_the_run_to_completion()
    {
        await using var server = await ServerFixture.StartAsync(new LocalThreadsServerOptions { StreamEventDelay = TimeSpan.FromMilliseconds(5) });
        var threadId = await server.ThreadSayingAsync("Hello there");
        string runId;
        using (var request = new HttpRequestMessage(HttpMethod.Post, $"threads/{threadId}/runs")
        {
            Content = new StringContent("""{"assistant_id": "asst_1", "stream": true}""", Encoding.UTF8, "application/json"),
        })
        {
            using var response = await server.Http.SendAsync(request, HttpCompletionOption.ResponseHeadersRead);
            using var reader = new StreamReader(await response.Content.ReadAsStreamAsync());
            await reader.ReadLineAsync();
            var data = (await reader.ReadLineAsync())!;
            runId = JsonDocument.Parse(data["data: ".Length..]).RootElement.GetProperty("id").GetString()!;
        }

        // The server notices the departure at its next write; until then the stream owns the run
        // and getRun only reads it. Either way the run must end completed, exactly once.
        var status = "";
        for (var i = 0; i < 400 && status != "completed"; i++)
        {
            status = (await server.GetRunAsync(threadId, runId)).GetProperty("status").GetString()!;
            if (status != "completed")
            {
                await Task.Delay(5);
            }
        }

        Assert.Equal("completed", status);
        var messages = await server.ListAllAsync($"threads/{threadId}/messages");
        Assert.Equal(["Hello there", "You said: Hello there"], messages.Select(RunTests.Text));
        Assert.Single(await server.ListAllAsync($"threads/{threadId}/runs/{runId}/steps"));
    }

    [Fact]
    public async Task A_cancel_during_a_stream_is_streamed_and_ends_it()
    {
        // Slow enough that the cancel lands while the stream is still in its first events.
        await using var server = await ServerFixture.StartAsync(new LocalThreadsServerOptions { StreamEventDelay = TimeSpan.FromMilliseconds(100) });
        var threadId = await server.ThreadSayingAsync("Hello there");
        using var request = new HttpRequestMessage(HttpMethod.Post, $"threads/{threadId}/runs")
        {
            Content = new StringContent("""{"assistant_id": "asst_1", "stream": true}""", Encoding.UTF8, "application/json"),
        };
        using var response = await server.Http.SendAsync(request, HttpCompletionOption.ResponseHeadersRead);
        using var reader = new StreamReader(await response.Content.ReadAsStreamAsync());
        var head = $"{await reader.ReadLineAsync()}\n{await reader.ReadLineAsync()}\n{await reader.ReadLineAsync()}";
        var runId = Sse.Parse(head + "\n").Single().Json.GetProperty("id").GetString()!;

        var cancelling = await server.PostAsync($"threads/{threadId}/runs/{runId}/cancel", null);
        var rest = Sse.Parse(await reader.ReadToEndAsync());

        Assert.Equal("cancelling", cancelling.String("status"));
        Assert.Equal(["thread.run.queued", "thread.run.cancelling", "thread.run.cancelled", "done"], rest.Select(e => e.Event));
        Assert.Equal("cancelled", (await server.GetRunAsync(threadId, runId)).GetProperty("status").GetString());
    }

    [Fact]
    public async Task A_thread_deleted_during_a_stream_ends_it_with_an_error_event_then_done()
    {
        await using var server = await ServerFixture.StartAsync(new LocalThreadsServerOptions { StreamEventDelay = TimeSpan.FromMilliseconds(100) });
        var threadId = await server.ThreadSayingAsync("Hello there");
        using var request = new HttpRequestMessage(HttpMethod.Post, $"threads/{threadId}/runs")
        {
            Content = new StringContent("""{"assistant_id": "asst_1", "stream": true}""", Encoding.UTF8, "application/json"),
        };
        using var response = await server.Http.SendAsync(request, HttpCompletionOption.ResponseHeadersRead);
        using var reader = new StreamReader(await response.Content.ReadAsStreamAsync());
        await reader.ReadLineAsync();

        await server.DeleteAsync($"threads/{threadId}");
        var rest = await reader.ReadToEndAsync();

        var events = Sse.Parse(rest[(rest.IndexOf('\n') + 2)..]);
        Assert.Equal(["thread.run.queued", "error", "done"], events.Select(e => e.Event));
        Assert.Equal(
            $$"""{"message":"No thread found with id '{{threadId}}'.","type":"invalid_request_error","param":null,"code":null}""",
            events[1].Data);
    }

    [Fact]
    public async Task Outputs_streamed_before_the_first_stream_has_ended_keep_the_run_to_the_new_stream()
    {
        // The first stream still has 'done' to send when the client, having read requires_action,
        // submits with stream: true. The first stream ending must not hand the run back to polling,
        // or the getRun below would steal transitions from the second stream.
        await using var server = await ServerFixture.StartAsync(new LocalThreadsServerOptions { StreamEventDelay = TimeSpan.FromMilliseconds(25) });
        await StreamToolRoundTripAsync(server); // Warm up, so that the submit below lands well within the 25 ms.
        var threadId = await server.ThreadSayingAsync("get_weather");
        using var first = await OpenStreamAsync(server, $"threads/{threadId}/runs",
            $$"""{"assistant_id": "asst_1", "stream": true, "tools": [{{FunctionTool("get_weather")}}]}""");
        SseEvent waiting;
        do
        {
            waiting = (await ReadEventAsync(first.Reader))!;
        }
        while (waiting.Event != "thread.run.requires_action");

        var runId = waiting.Json.GetProperty("id").GetString()!;
        var callId = waiting.Json.GetProperty("required_action").GetProperty("submit_tool_outputs").GetProperty("tool_calls")[0].GetProperty("id").GetString();
        using var second = await OpenStreamAsync(server, $"threads/{threadId}/runs/{runId}/submit_tool_outputs",
            $$"""{"tool_outputs": [{"tool_call_id": "{{callId}}", "output": "sun"}], "stream": true}""");
        Assert.Equal("done", (await ReadEventAsync(first.Reader))!.Event);
        var names = new System.Collections.Generic.List<string>();
        for (var i = 0; i < 4; i++)
        {
            names.Add((await ReadEventAsync(second.Reader))!.Event);
        }

        var midway = await server.GetRunAsync(threadId, runId);
        while (await ReadEventAsync(second.Reader) is { } next)
        {
            names.Add(next.Event);
        }

        Assert.Equal("in_progress", midway.GetProperty("status").GetString());
        Assert.Equal(
            ["thread.run.step.completed", "thread.run.queued", .. ReplyEvents[..5], .. Enumerable.Repeat("thread.message.delta", 5), .. ReplyEvents[^4..]],
            names);
    }

    private static async Task StreamToolRoundTripAsync(ServerFixture server)
    {
        var threadId = await server.ThreadSayingAsync("get_weather");
        var first = await server.StreamAsync($"threads/{threadId}/runs",
            $$"""{"assistant_id": "asst_1", "stream": true, "tools": [{{FunctionTool("get_weather")}}]}""");
        var waiting = first.Single("thread.run.requires_action").Json;
        var callId = waiting.GetProperty("required_action").GetProperty("submit_tool_outputs").GetProperty("tool_calls")[0].GetProperty("id").GetString();
        await server.StreamAsync($"threads/{threadId}/runs/{waiting.GetProperty("id").GetString()}/submit_tool_outputs",
            $$"""{"tool_outputs": [{"tool_call_id": "{{callId}}", "output": "sun"}], "stream": true}""");
        await server.GetRunAsync(threadId, waiting.GetProperty("id").GetString()!);
    }

    private static async Task<OpenStream> OpenStreamAsync(ServerFixture server, string path, string body)
    {
        var request = new HttpRequestMessage(HttpMethod.Post, path) { Content = new StringContent(body, Encoding.UTF8, "application/json") };
        var response = await server.Http.SendAsync(request, HttpCompletionOption.ResponseHeadersRead);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        return new OpenStream(request, response, new StreamReader(await response.Content.ReadAsStreamAsync()));
    }

    /// <summary>Reads the next frame (event line, data line, blank line), or null at the end of the stream.</summary>
    private static async Task<SseEvent?> ReadEventAsync(StreamReader reader)
    {
        var eventLine = await reader.ReadLineAsync();
        if (eventLine is null)
        {
            return null;
        }

        var frame = $"{eventLine}\n{await reader.ReadLineAsync()}\n{await reader.ReadLineAsync()}\n";
        return Sse.Parse(frame).Single();
    }

    private sealed record OpenStream(HttpRequestMessage Request, HttpResponseMessage Response, StreamReader Reader) : IDisposable
    {
        public void Dispose()
        {
            Reader.Dispose();
            Response.Dispose();
            Request.Dispose();
        }
    }
}
