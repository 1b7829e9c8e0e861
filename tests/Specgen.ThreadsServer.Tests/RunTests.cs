using System;
using System.Linq;
using System.Net;
using System.Text.Json;
using System.Threading.Tasks;
using ThreadsServer;
using static Specgen.ThreadsServer.Tests.RunHelpers;

namespace Specgen.ThreadsServer.Tests;

public sealed class RunTests : IClassFixture<ServerFixture>
{
    private readonly ServerFixture _server;

    public RunTests(ServerFixture server)
    {
        _server = server;
    }

    [Fact]
    public async Task A_new_run_is_queued_with_every_run_object_member_and_the_official_defaults()
    {
        var threadId = await _server.ThreadSayingAsync("Hello there");

        var response = await _server.PostAsync($"threads/{threadId}/runs", """{"assistant_id": "asst_abc123"}""");

        Assert.Equal(HttpStatusCode.OK, response.Status);
        Assert.Equal(
            ["assistant_id", "cancelled_at", "completed_at", "created_at", "expires_at", "failed_at", "id",
             "incomplete_details", "instructions", "last_error", "max_completion_tokens", "max_prompt_tokens",
             "metadata", "model", "object", "parallel_tool_calls", "required_action", "response_format",
             "started_at", "status", "temperature", "thread_id", "tool_choice", "tool_resources", "tools",
             "top_p", "truncation_strategy", "usage"],
            ApiResponse.Keys(response.Json));
        var run = response.Json;
        Assert.Matches("^run_[A-Za-z0-9]{24}$", run.GetProperty("id").GetString());
        Assert.Equal("thread.run", run.GetProperty("object").GetString());
        Assert.Equal("asst_abc123", run.GetProperty("assistant_id").GetString());
        Assert.Equal(threadId, run.GetProperty("thread_id").GetString());
        Assert.Equal("queued", run.GetProperty("status").GetString());
        Assert.Equal("gpt-4o", run.GetProperty("model").GetString());
        Assert.Equal("", run.GetProperty("instructions").GetString());
        Assert.Equal("[]", Compact(run.GetProperty("tools")));
        Assert.Equal("{}", Compact(run.GetProperty("tool_resources")));
        Assert.Equal("{}", Compact(run.GetProperty("metadata")));
        Assert.Equal(1.0, run.GetProperty("temperature").GetDouble());
        Assert.Equal(1.0, run.GetProperty("top_p").GetDouble());
        Assert.Equal("""{"type":"auto","last_messages":null}""", Compact(run.GetProperty("truncation_strategy")));
        Assert.Equal("\"auto\"", Compact(run.GetProperty("response_format")));
        Assert.Equal("\"auto\"", Compact(run.GetProperty("tool_choice")));
        Assert.True(run.GetProperty("parallel_tool_calls").GetBoolean());
        foreach (var name in new[] { "required_action", "last_error", "started_at", "cancelled_at", "failed_at", "completed_at",
                     "incomplete_details", "usage", "max_prompt_tokens", "max_completion_tokens" })
        {
            Assert.Equal(JsonValueKind.Null, run.GetProperty(name).ValueKind);
        }

        Assert.Equal(run.GetProperty("created_at").GetInt64() + 600, run.GetProperty("expires_at").GetInt64());
    }

    [Fact]
    public async Task Settings_in_the_request_are_echoed_on_the_run()
    {
        var threadId = await _server.ThreadSayingAsync("Hi");

        var run = await _server.CreateRunAsync(threadId, """
            {"assistant_id": "asst_1", "model": "gpt-4.1-mini",
             "instructions": "Be brief.", "additional_instructions": "Use French.",
             "tools": [
               {"type": "code_interpreter"},
               {"type": "file_search", "file_search": {"max_num_results": 5, "ranking_options": {"ranker": "auto", "score_threshold": 0.5}}},
               {"type": "function", "function": {"name": "get_weather", "description": "Weather", "parameters": {"type": "object"}, "strict": true}}
             ],
             "metadata": {"purpose": "test"},
             "temperature": 0.5, "top_p": 0.25,
             "max_prompt_tokens": 1000, "max_completion_tokens": 2000,
             "truncation_strategy": {"type": "last_messages", "last_messages": 5},
             "tool_choice": "none", "parallel_tool_calls": false,
             "response_format": {"type": "json_schema", "json_schema": {"name": "answer", "schema": {"type": "object"}, "strict": true}},
             "reasoning_effort": "low"}
            """);

        Assert.Equal("gpt-4.1-mini", run.GetProperty("model").GetString());
        Assert.Equal("Be brief.\nUse French.", run.GetProperty("instructions").GetString());
        Assert.Equal(
            """[{"type":"code_interpreter"},"""
            + """{"type":"file_search","file_search":{"max_num_results":5,"ranking_options":{"ranker":"auto","score_threshold":0.5}}},"""
            + """{"type":"function","function":{"name":"get_weather","description":"Weather","parameters":{"type":"object"},"strict":true}}]""",
            Compact(run.GetProperty("tools")));
        Assert.Equal("""{"purpose":"test"}""", Compact(run.GetProperty("metadata")));
        Assert.Equal(0.5, run.GetProperty("temperature").GetDouble());
        Assert.Equal(0.25, run.GetProperty("top_p").GetDouble());
        Assert.Equal(1000, run.GetProperty("max_prompt_tokens").GetInt32());
        Assert.Equal(2000, run.GetProperty("max_completion_tokens").GetInt32());
        Assert.Equal("""{"type":"last_messages","last_messages":5}""", Compact(run.GetProperty("truncation_strategy")));
        Assert.Equal("\"none\"", Compact(run.GetProperty("tool_choice")));
        Assert.False(run.GetProperty("parallel_tool_calls").GetBoolean());
        Assert.Equal(
            """{"type":"json_schema","json_schema":{"name":"answer","schema":{"type":"object"},"strict":true}}""",
            Compact(run.GetProperty("response_format")));
    }

    [Fact]
    public async Task Null_members_take_the_defaults()
    {
        var threadId = await _server.ThreadSayingAsync("Hi");

        var run = await _server.CreateRunAsync(threadId, """
            {"assistant_id": "asst_1", "model": null, "instructions": null, "tools": null, "temperature": null,
             "top_p": null, "truncation_strategy": null, "tool_choice": null, "response_format": null, "stream": null,
             "additional_messages": null, "max_prompt_tokens": null}
            """);

        Assert.Equal("gpt-4o", run.GetProperty("model").GetString());
        Assert.Equal("[]", Compact(run.GetProperty("tools")));
        Assert.Equal(1.0, run.GetProperty("temperature").GetDouble());
        Assert.Equal("\"auto\"", Compact(run.GetProperty("tool_choice")));
    }

    [Theory]
    [InlineData("{\"type\": \"text\"}", "{\"type\":\"text\"}")]
    [InlineData("{\"type\": \"json_object\"}", "{\"type\":\"json_object\"}")]
    [InlineData("\"auto\"", "\"auto\"")]
    public async Task Response_formats_are_echoed(string given, string echoed)
    {
        var threadId = await _server.ThreadSayingAsync("Hi");

        var run = await _server.CreateRunAsync(threadId, $$"""{"assistant_id": "asst_1", "response_format": {{given}}}""");

        Assert.Equal(echoed, Compact(run.GetProperty("response_format")));
    }

    [Fact]
    public async Task Each_getRun_moves_the_run_one_step_from_queued_through_in_progress_to_completed()
    {
        var threadId = await _server.ThreadSayingAsync("Hello there");
        var runId = (await _server.CreateRunAsync(threadId)).GetProperty("id").GetString()!;

        var statuses = await _server.PollAsync(threadId, runId, "completed");
        var again = await _server.GetRunAsync(threadId, runId);

        Assert.Equal(["in_progress", "completed"], statuses);
        Assert.Equal("completed", again.GetProperty("status").GetString());
    }

    [Fact]
    public async Task A_completed_run_has_written_the_reply_and_a_completed_message_creation_step()
    {
        var threadId = await _server.ThreadSayingAsync("Hello there");
        var runId = (await _server.CreateRunAsync(threadId, """{"assistant_id": "asst_abc"}""")).GetProperty("id").GetString()!;
        await _server.PollAsync(threadId, runId, "completed");

        var run = await _server.GetRunAsync(threadId, runId);
        var messages = await _server.ListAllAsync($"threads/{threadId}/messages");
        var steps = await _server.ListAllAsync($"threads/{threadId}/runs/{runId}/steps");

        Assert.Equal(2, messages.Length);
        var reply = messages[1];
        Assert.Equal("assistant", reply.GetProperty("role").GetString());
        Assert.Equal("completed", reply.GetProperty("status").GetString());
        Assert.Equal("asst_abc", reply.GetProperty("assistant_id").GetString());
        Assert.Equal(runId, reply.GetProperty("run_id").GetString());
        Assert.Equal(run.GetProperty("completed_at").GetInt64(), reply.GetProperty("completed_at").GetInt64());
        Assert.Equal(
            """[{"type":"text","text":{"value":"You said: Hello there","annotations":[]}}]""",
            Compact(reply.GetProperty("content")));

        var step = Assert.Single(steps);
        Assert.Equal(
            ["assistant_id", "cancelled_at", "completed_at", "created_at", "expired_at", "failed_at", "id", "last_error",
             "metadata", "object", "run_id", "status", "step_details", "thread_id", "type", "usage"],
            ApiResponse.Keys(step));
        Assert.Matches("^step_[A-Za-z0-9]{24}$", step.GetProperty("id").GetString());
        Assert.Equal("thread.run.step", step.GetProperty("object").GetString());
        Assert.Equal("message_creation", step.GetProperty("type").GetString());
        Assert.Equal("completed", step.GetProperty("status").GetString());
        Assert.Equal(runId, step.GetProperty("run_id").GetString());
        Assert.Equal(threadId, step.GetProperty("thread_id").GetString());
        Assert.Equal("asst_abc", step.GetProperty("assistant_id").GetString());
        Assert.Equal(
            $$$"""{"type":"message_creation","message_creation":{"message_id":"{{{reply.GetProperty("id").GetString()}}}"}}""",
            Compact(step.GetProperty("step_details")));

        // Usage counts words: the prompt is "Hello there" (2), the reply "You said: Hello there" (4).
        Assert.Equal("""{"prompt_tokens":2,"completion_tokens":4,"total_tokens":6}""", Compact(step.GetProperty("usage")));
        Assert.Equal("""{"prompt_tokens":2,"completion_tokens":4,"total_tokens":6}""", Compact(run.GetProperty("usage")));
        Assert.Equal(JsonValueKind.Null, run.GetProperty("expires_at").ValueKind);
        Assert.Equal(JsonValueKind.Null, run.GetProperty("required_action").ValueKind);
    }

    [Fact]
    public async Task While_the_run_is_in_progress_its_reply_exists_empty_and_in_progress()
    {
        var threadId = await _server.ThreadSayingAsync("Hello there");
        var runId = (await _server.CreateRunAsync(threadId)).GetProperty("id").GetString()!;

        var run = await _server.GetRunAsync(threadId, runId);
        var reply = (await _server.ListAllAsync($"threads/{threadId}/messages?run_id={runId}")).Single();
        var step = (await _server.ListAllAsync($"threads/{threadId}/runs/{runId}/steps")).Single();

        Assert.Equal("in_progress", run.GetProperty("status").GetString());
        Assert.Equal(JsonValueKind.Number, run.GetProperty("started_at").ValueKind);
        Assert.Equal(JsonValueKind.Null, run.GetProperty("usage").ValueKind);
        Assert.Equal("in_progress", reply.GetProperty("status").GetString());
        Assert.Equal("[]", Compact(reply.GetProperty("content")));
        Assert.Equal(JsonValueKind.Null, reply.GetProperty("completed_at").ValueKind);
        Assert.Equal("in_progress", step.GetProperty("status").GetString());
        Assert.Equal(JsonValueKind.Null, step.GetProperty("usage").ValueKind);
    }

    [Fact]
    public async Task The_reply_answers_the_last_user_message_and_an_empty_thread_gets_a_fixed_reply()
    {
        var threadId = await _server.CreateThreadAsync("""
            {"messages": [
              {"role": "user", "content": "first"},
              {"role": "user", "content": [{"type": "text", "text": "second"}, {"type": "image_url", "image_url": {"url": "https://example.com/a.png"}}, {"type": "text", "text": "part"}]},
              {"role": "assistant", "content": "an earlier answer"}
            ]}
            """);
        var emptyThreadId = await _server.CreateThreadAsync();

        var runId = (await _server.CreateRunAsync(threadId)).GetProperty("id").GetString()!;
        var emptyRunId = (await _server.CreateRunAsync(emptyThreadId)).GetProperty("id").GetString()!;
        await _server.PollAsync(threadId, runId, "completed");
        await _server.PollAsync(emptyThreadId, emptyRunId, "completed");

        Assert.Equal("You said: second part", await ReplyTextAsync(threadId, runId));
        Assert.Equal("You said nothing.", await ReplyTextAsync(emptyThreadId, emptyRunId));
    }

    [Fact]
    public async Task Additional_messages_join_the_thread_before_the_run_and_are_answered()
    {
        var threadId = await _server.ThreadSayingAsync("old question");

        var run = await _server.CreateRunAsync(threadId, """
            {"assistant_id": "asst_1", "additional_messages": [{"role": "user", "content": "new question", "metadata": {"k": "v"}}]}
            """);
        var runId = run.GetProperty("id").GetString()!;
        await _server.PollAsync(threadId, runId, "completed");

        var messages = await _server.ListAllAsync($"threads/{threadId}/messages");
        Assert.Equal(["old question", "new question", "You said: new question"], messages.Select(Text).ToArray());
        Assert.Equal(JsonValueKind.Null, messages[1].GetProperty("run_id").ValueKind);
        Assert.Equal("""{"k":"v"}""", Compact(messages[1].GetProperty("metadata")));
    }

    [Fact]
    public async Task GetRunStep_returns_the_listed_step_and_accepts_include()
    {
        var threadId = await _server.ThreadSayingAsync("Hello");
        var runId = (await _server.CreateRunAsync(threadId)).GetProperty("id").GetString()!;
        await _server.PollAsync(threadId, runId, "completed");
        var listed = (await _server.ListAllAsync($"threads/{threadId}/runs/{runId}/steps")).Single();
        var stepId = listed.GetProperty("id").GetString();

        var step = await _server.GetAsync($"threads/{threadId}/runs/{runId}/steps/{stepId}?include[]=step_details.tool_calls[*].file_search.results[*].content");
        var listedWithInclude = await _server.GetAsync($"threads/{threadId}/runs/{runId}/steps?include[]=step_details.tool_calls[*].file_search.results[*].content");

        Assert.Equal(HttpStatusCode.OK, step.Status);
        Assert.Equal(Compact(listed), Compact(step.Json));
        Assert.Equal(HttpStatusCode.OK, listedWithInclude.Status);
        Assert.Equal([stepId!], listedWithInclude.DataIds());
    }

    [Fact]
    public async Task CreateRun_accepts_the_include_query()
    {
        var threadId = await _server.ThreadSayingAsync("Hello");

        var response = await _server.PostAsync(
            $"threads/{threadId}/runs?include[]=step_details.tool_calls[*].file_search.results[*].content", Assistant);

        Assert.Equal(HttpStatusCode.OK, response.Status);
        Assert.Equal("queued", response.String("status"));
    }

    [Fact]
    public async Task ModifyRun_replaces_the_metadata_and_does_not_move_the_run()
    {
        var threadId = await _server.ThreadSayingAsync("Hello");
        var created = await _server.CreateRunAsync(threadId, """{"assistant_id": "asst_1", "metadata": {"a": "1"}}""");
        var runId = created.GetProperty("id").GetString()!;

        var modified = await _server.PostAsync($"threads/{threadId}/runs/{runId}", """{"metadata": {"b": "2"}}""");
        var unchanged = await _server.PostAsync($"threads/{threadId}/runs/{runId}", "{}");

        Assert.Equal(HttpStatusCode.OK, modified.Status);
        Assert.Equal("""{"b":"2"}""", Compact(modified.Json.GetProperty("metadata")));
        Assert.Equal("queued", modified.String("status"));
        Assert.Equal("""{"b":"2"}""", Compact(unchanged.Json.GetProperty("metadata")));
        var fetched = await _server.GetRunAsync(threadId, runId);
        Assert.Equal("""{"b":"2"}""", Compact(fetched.GetProperty("metadata")));
        Assert.Equal("in_progress", fetched.GetProperty("status").GetString());
    }

    [Fact]
    public async Task CreateThreadAndRun_creates_the_thread_with_its_messages_and_a_queued_run_on_it()
    {
        var response = await _server.PostAsync("threads/runs", """
            {"assistant_id": "asst_1",
             "thread": {"messages": [{"role": "user", "content": "Explain deep learning"}], "metadata": {"t": "1"}},
             "tool_resources": {"code_interpreter": {"file_ids": ["file-1"]}},
             "metadata": {"r": "1"}}
            """);

        Assert.Equal(HttpStatusCode.OK, response.Status);
        var run = response.Json;
        var threadId = run.GetProperty("thread_id").GetString()!;
        var runId = run.GetProperty("id").GetString()!;
        Assert.Equal("queued", run.GetProperty("status").GetString());
        Assert.Equal("""{"r":"1"}""", Compact(run.GetProperty("metadata")));
        Assert.Equal("""{"code_interpreter":{"file_ids":["file-1"]}}""", Compact(run.GetProperty("tool_resources")));
        Assert.Equal("10", response.PollAfterMs);

        var thread = await _server.GetAsync($"threads/{threadId}");
        Assert.Equal("""{"t":"1"}""", Compact(thread.Json.GetProperty("metadata")));
        await _server.PollAsync(threadId, runId, "completed");
        Assert.Equal("You said: Explain deep learning", await ReplyTextAsync(threadId, runId));
    }

    [Fact]
    public async Task CreateThreadAndRun_without_a_thread_runs_on_a_new_empty_thread()
    {
        var response = await _server.PostAsync("threads/runs", Assistant);

        var threadId = response.String("thread_id")!;
        var runId = response.String("id")!;
        await _server.PollAsync(threadId, runId, "completed");

        Assert.Equal("You said nothing.", await ReplyTextAsync(threadId, runId));
    }

    [Fact]
    public async Task A_thread_with_an_active_run_refuses_another_run_and_new_messages_until_it_ends()
    {
        var threadId = await _server.ThreadSayingAsync("Hello");
        var runId = (await _server.CreateRunAsync(threadId)).GetProperty("id").GetString()!;

        var secondRun = await _server.PostAsync($"threads/{threadId}/runs", Assistant);
        var message = await _server.PostAsync($"threads/{threadId}/messages", """{"role": "user", "content": "more"}""");
        await _server.PollAsync(threadId, runId, "completed");
        var afterRun = await _server.PostAsync($"threads/{threadId}/messages", """{"role": "user", "content": "more"}""");
        var thirdRun = await _server.PostAsync($"threads/{threadId}/runs", Assistant);

        Assert.Equal(HttpStatusCode.BadRequest, secondRun.Status);
        Assert.Equal($"Thread {threadId} already has an active run {runId}.", secondRun.ErrorMessage);
        Assert.Equal(HttpStatusCode.BadRequest, message.Status);
        Assert.Equal($"Can't add messages to {threadId} while a run {runId} is active.", message.ErrorMessage);
        Assert.Equal(HttpStatusCode.OK, afterRun.Status);
        Assert.Equal(HttpStatusCode.OK, thirdRun.Status);
    }

    [Fact]
    public async Task Deleting_the_thread_deletes_its_runs()
    {
        var threadId = await _server.ThreadSayingAsync("Hello");
        var runId = (await _server.CreateRunAsync(threadId)).GetProperty("id").GetString()!;

        await _server.DeleteAsync($"threads/{threadId}");
        var response = await _server.GetAsync($"threads/{threadId}/runs/{runId}");

        Assert.Equal(HttpStatusCode.NotFound, response.Status);
    }

    [Fact]
    public async Task Every_run_returned_as_json_carries_the_poll_after_hint()
    {
        var threadId = await _server.ThreadSayingAsync("call get_weather");
        var created = await _server.PostAsync($"threads/{threadId}/runs",
            $$"""{"assistant_id": "asst_1", "tools": [{{FunctionTool("get_weather")}}]}""");
        var runId = created.String("id")!;

        var polled = await _server.GetAsync($"threads/{threadId}/runs/{runId}");
        var modified = await _server.PostAsync($"threads/{threadId}/runs/{runId}", "{}");
        var waiting = await _server.GetAsync($"threads/{threadId}/runs/{runId}");
        var callId = waiting.Json.GetProperty("required_action").GetProperty("submit_tool_outputs").GetProperty("tool_calls")[0].GetProperty("id").GetString();
        var submitted = await _server.PostAsync($"threads/{threadId}/runs/{runId}/submit_tool_outputs",
            $$"""{"tool_outputs": [{"tool_call_id": "{{callId}}", "output": "sunny"}]}""");
        var cancelled = await _server.PostAsync($"threads/{threadId}/runs/{runId}/cancel", null);
        var list = await _server.GetAsync($"threads/{threadId}/runs");

        Assert.All([created, polled, modified, waiting, submitted, cancelled], r => Assert.Equal("10", r.PollAfterMs));
        Assert.Null(list.PollAfterMs);
    }

    [Fact]
    public async Task The_poll_after_hint_can_be_changed_or_left_out()
    {
        await using var slow = await ServerFixture.StartAsync(new LocalThreadsServerOptions { PollAfterMilliseconds = 250 });
        await using var silent = await ServerFixture.StartAsync(new LocalThreadsServerOptions { PollAfterMilliseconds = null });

        var slowRun = await slow.PostAsync("threads/runs", Assistant);
        var silentRun = await silent.PostAsync("threads/runs", Assistant);

        Assert.Equal("250", slowRun.PollAfterMs);
        Assert.Equal(HttpStatusCode.OK, silentRun.Status);
        Assert.Null(silentRun.PollAfterMs);
    }

    [Fact]
    public async Task Invalid_options_are_refused()
    {
        await Assert.ThrowsAsync<ArgumentOutOfRangeException>(() =>
            LocalThreadsServer.StartAsync(new LocalThreadsServerOptions { PollAfterMilliseconds = -1 }));
        await Assert.ThrowsAsync<ArgumentOutOfRangeException>(() =>
            LocalThreadsServer.StartAsync(new LocalThreadsServerOptions { StreamEventDelay = TimeSpan.FromSeconds(-1) }));
        await Assert.ThrowsAsync<ArgumentNullException>(() => LocalThreadsServer.StartAsync(null!));
    }

    [Fact]
    public async Task Timestamps_follow_the_clock_and_each_other()
    {
        var clock = new ManualClock();
        await using var server = await ServerFixture.StartAsync(new LocalThreadsServerOptions { TimeProvider = clock });
        var t0 = clock.UnixSeconds;
        var threadId = await server.ThreadSayingAsync("Hello");
        var run = await server.CreateRunAsync(threadId);
        var runId = run.GetProperty("id").GetString()!;

        clock.Advance(1);
        var started = await server.GetRunAsync(threadId, runId);
        clock.Advance(2);
        var completed = await server.GetRunAsync(threadId, runId);
        var reply = (await server.ListAllAsync($"threads/{threadId}/messages?run_id={runId}")).Single();
        var step = (await server.ListAllAsync($"threads/{threadId}/runs/{runId}/steps")).Single();

        Assert.Equal(t0, run.GetProperty("created_at").GetInt64());
        Assert.Equal(t0 + 600, run.GetProperty("expires_at").GetInt64());
        Assert.Equal(t0 + 1, started.GetProperty("started_at").GetInt64());
        Assert.Equal(t0 + 600, started.GetProperty("expires_at").GetInt64());
        Assert.Equal(t0, completed.GetProperty("created_at").GetInt64());
        Assert.Equal(t0 + 1, completed.GetProperty("started_at").GetInt64());
        Assert.Equal(t0 + 3, completed.GetProperty("completed_at").GetInt64());
        Assert.Equal(JsonValueKind.Null, completed.GetProperty("expires_at").ValueKind);
        Assert.Equal(t0 + 1, reply.GetProperty("created_at").GetInt64());
        Assert.Equal(t0 + 3, reply.GetProperty("completed_at").GetInt64());
        Assert.Equal(t0 + 1, step.GetProperty("created_at").GetInt64());
        Assert.Equal(t0 + 3, step.GetProperty("completed_at").GetInt64());
    }

    private async Task<string> ReplyTextAsync(string threadId, string runId) =>
        Text((await _server.ListAllAsync($"threads/{threadId}/messages?run_id={runId}")).Single());

    internal static string Text(JsonElement message) =>
        message.GetProperty("content")[0].GetProperty("text").GetProperty("value").GetString()!;
}
