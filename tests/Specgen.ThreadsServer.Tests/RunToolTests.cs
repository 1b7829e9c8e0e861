using System.Linq;
using System.Net;
using System.Text.Json;
using System.Threading.Tasks;
using static Specgen.ThreadsServer.Tests.RunHelpers;

namespace Specgen.ThreadsServer.Tests;

public sealed class RunToolTests : IClassFixture<ServerFixture>
{
    private readonly ServerFixture _server;

    public RunToolTests(ServerFixture server)
    {
        _server = server;
    }

    [Fact]
    public async Task Naming_a_function_tool_stops_the_run_at_requires_action_with_one_call()
    {
        var (threadId, runId) = await StartAsync("What is the weather? Use get_weather.", "get_weather", "get_time");

        var statuses = await _server.PollAsync(threadId, runId, "requires_action");
        var run = await _server.GetRunAsync(threadId, runId);
        var step = Assert.Single(await _server.ListAllAsync($"threads/{threadId}/runs/{runId}/steps"));

        Assert.Equal(["in_progress", "requires_action"], statuses);
        Assert.Equal("requires_action", run.GetProperty("status").GetString());
        var action = run.GetProperty("required_action");
        var call = action.GetProperty("submit_tool_outputs").GetProperty("tool_calls").EnumerateArray().Single();
        var callId = call.GetProperty("id").GetString()!;
        Assert.Matches("^call_[A-Za-z0-9]{24}$", callId);
        Assert.Equal(
            $$$"""{"type":"submit_tool_outputs","submit_tool_outputs":{"tool_calls":[{"id":"{{{callId}}}","type":"function","function":{"name":"get_weather","arguments":"{}"}}]}}""",
            Compact(action));
        Assert.Equal(JsonValueKind.Null, run.GetProperty("usage").ValueKind);
        Assert.Equal(JsonValueKind.Number, run.GetProperty("expires_at").ValueKind);
        Assert.Equal("tool_calls", step.GetProperty("type").GetString());
        Assert.Equal("in_progress", step.GetProperty("status").GetString());
        Assert.Equal(
            $$$"""{"type":"tool_calls","tool_calls":[{"id":"{{{callId}}}","type":"function","function":{"name":"get_weather","arguments":"{}","output":null}}]}""",
            Compact(step.GetProperty("step_details")));
        Assert.Single(await _server.ListAllAsync($"threads/{threadId}/messages"));
    }

    [Fact]
    public async Task Submitting_the_outputs_queues_the_run_again_and_the_reply_includes_them()
    {
        var (threadId, runId) = await StartAsync("Use get_weather please", "get_weather");
        await _server.PollAsync(threadId, runId, "requires_action");
        var callId = await CallIdAsync(threadId, runId);

        var submitted = await _server.PostAsync($"threads/{threadId}/runs/{runId}/submit_tool_outputs",
            $$"""{"tool_outputs": [{"tool_call_id": "{{callId}}", "output": "22 C and sunny"}]}""");
        var statuses = await _server.PollAsync(threadId, runId, "completed");
        var run = await _server.GetRunAsync(threadId, runId);
        var steps = await _server.ListAllAsync($"threads/{threadId}/runs/{runId}/steps");
        var messages = await _server.ListAllAsync($"threads/{threadId}/messages");

        Assert.Equal(HttpStatusCode.OK, submitted.Status);
        Assert.Equal("queued", submitted.String("status"));
        Assert.Equal(JsonValueKind.Null, submitted.Json.GetProperty("required_action").ValueKind);
        Assert.Equal(["in_progress", "completed"], statuses);
        Assert.Equal(["tool_calls", "message_creation"], steps.Select(s => s.GetProperty("type").GetString()));
        Assert.All(steps, s => Assert.Equal("completed", s.GetProperty("status").GetString()));
        Assert.Equal("22 C and sunny",
            steps[0].GetProperty("step_details").GetProperty("tool_calls")[0].GetProperty("function").GetProperty("output").GetString());
        Assert.Equal("You said: Use get_weather please\nget_weather returned: 22 C and sunny", RunTests.Text(messages[^1]));

        // Words: the tool step reads "Use get_weather please" (3) and writes 2 per call; the
        // message step also reads the output (4) and writes the 11-word reply.
        Assert.Equal("""{"prompt_tokens":3,"completion_tokens":2,"total_tokens":5}""", Compact(steps[0].GetProperty("usage")));
        Assert.Equal("""{"prompt_tokens":7,"completion_tokens":11,"total_tokens":18}""", Compact(steps[1].GetProperty("usage")));
        Assert.Equal("""{"prompt_tokens":10,"completion_tokens":13,"total_tokens":23}""", Compact(run.GetProperty("usage")));
    }

    [Fact]
    public async Task Every_named_function_is_called_in_tool_order_ignoring_case()
    {
        var (threadId, runId) = await StartAsync("GET_TIME and then Get_Weather", "get_weather", "get_time", "unused");

        await _server.PollAsync(threadId, runId, "requires_action");

        Assert.Equal(["get_weather", "get_time"], await CallNamesAsync(threadId, runId));
    }

    [Fact]
    public async Task Without_parallel_tool_calls_only_the_first_call_is_made()
    {
        var threadId = await _server.ThreadSayingAsync("get_time and get_weather");
        var runId = (await _server.CreateRunAsync(threadId,
            $$"""{"assistant_id": "asst_1", "parallel_tool_calls": false, "tools": [{{FunctionTool("get_weather")}}, {{FunctionTool("get_time")}}]}"""))
            .GetProperty("id").GetString()!;

        await _server.PollAsync(threadId, runId, "requires_action");

        Assert.Equal(["get_weather"], await CallNamesAsync(threadId, runId));
    }

    [Fact]
    public async Task A_message_that_names_no_function_gets_a_plain_reply()
    {
        var (threadId, runId) = await StartAsync("Just chatting", "get_weather");

        Assert.Equal(["in_progress", "completed"], await _server.PollAsync(threadId, runId, "completed"));
    }

    [Fact]
    public async Task Tool_choice_none_never_calls_required_calls_the_first_function_and_a_forced_function_is_called()
    {
        var tools = $"[{FunctionTool("get_weather")}, {FunctionTool("get_time")}]";
        var none = await RunWithAsync("get_weather", tools, "\"none\"");
        var required = await RunWithAsync("nothing named", tools, "\"required\"");
        var forced = await RunWithAsync("get_weather", tools, """{"type": "function", "function": {"name": "get_time"}}""");
        var codeInterpreter = await RunWithAsync("get_weather", tools, """{"type": "code_interpreter"}""");

        Assert.Equal("completed", await FinalStatusAsync(none));
        Assert.Equal("requires_action", await FinalStatusAsync(required));
        Assert.Equal(["get_weather"], await CallNamesAsync(required.ThreadId, required.RunId));
        Assert.Equal("requires_action", await FinalStatusAsync(forced));
        Assert.Equal(["get_time"], await CallNamesAsync(forced.ThreadId, forced.RunId));
        Assert.Equal("completed", await FinalStatusAsync(codeInterpreter));

        var echoed = await _server.GetRunAsync(forced.ThreadId, forced.RunId);
        Assert.Equal("""{"type":"function","function":{"name":"get_time"}}""", Compact(echoed.GetProperty("tool_choice")));
    }

    [Fact]
    public async Task Only_function_tools_can_be_called()
    {
        var threadId = await _server.ThreadSayingAsync("code_interpreter and file_search");
        var runId = (await _server.CreateRunAsync(threadId,
            """{"assistant_id": "asst_1", "tools": [{"type": "code_interpreter"}, {"type": "file_search"}], "tool_choice": "required"}"""))
            .GetProperty("id").GetString()!;

        Assert.Equal(["in_progress", "completed"], await _server.PollAsync(threadId, runId, "completed"));
    }

    [Fact]
    public async Task Two_calls_need_both_outputs_in_one_submission()
    {
        var (threadId, runId) = await StartAsync("get_weather and get_time", "get_weather", "get_time");
        await _server.PollAsync(threadId, runId, "requires_action");
        var calls = (await _server.GetRunAsync(threadId, runId))
            .GetProperty("required_action").GetProperty("submit_tool_outputs").GetProperty("tool_calls")
            .EnumerateArray().Select(c => c.GetProperty("id").GetString()).ToArray();

        var partial = await _server.PostAsync($"threads/{threadId}/runs/{runId}/submit_tool_outputs",
            $$"""{"tool_outputs": [{"tool_call_id": "{{calls[0]}}", "output": "sunny"}]}""");
        var duplicate = await _server.PostAsync($"threads/{threadId}/runs/{runId}/submit_tool_outputs",
            $$"""{"tool_outputs": [{"tool_call_id": "{{calls[0]}}", "output": "a"}, {"tool_call_id": "{{calls[0]}}", "output": "b"}]}""");
        var unknown = await _server.PostAsync($"threads/{threadId}/runs/{runId}/submit_tool_outputs",
            """{"tool_outputs": [{"tool_call_id": "call_unknown", "output": "x"}]}""");
        var stillWaiting = await _server.GetRunAsync(threadId, runId);
        var complete = await _server.PostAsync($"threads/{threadId}/runs/{runId}/submit_tool_outputs",
            $$"""{"tool_outputs": [{"tool_call_id": "{{calls[1]}}", "output": "noon"}, {"tool_call_id": "{{calls[0]}}"}]}""");
        await _server.PollAsync(threadId, runId, "completed");

        Assert.Equal(HttpStatusCode.BadRequest, partial.Status);
        Assert.Equal("tool_outputs", partial.ErrorParam);
        Assert.Equal($"Expected tool outputs for call_ids ['{calls[0]}', '{calls[1]}'], got ['{calls[0]}']", partial.ErrorMessage);
        Assert.Equal(HttpStatusCode.BadRequest, duplicate.Status);
        Assert.Equal("tool_outputs[1].tool_call_id", duplicate.ErrorParam);
        Assert.Equal(HttpStatusCode.BadRequest, unknown.Status);
        Assert.Equal("tool_outputs[0].tool_call_id", unknown.ErrorParam);
        Assert.Equal("Invalid 'tool_outputs[0].tool_call_id': no tool call with id 'call_unknown' is waiting for an output in this run.", unknown.ErrorMessage);
        Assert.Equal("requires_action", stillWaiting.GetProperty("status").GetString());
        Assert.Equal(HttpStatusCode.OK, complete.Status);
        var reply = RunTests.Text((await _server.ListAllAsync($"threads/{threadId}/messages"))[^1]);
        Assert.Equal("You said: get_weather and get_time\nget_weather returned: \nget_time returned: noon", reply);
    }

    [Theory]
    [InlineData("queued", 0)]
    [InlineData("in_progress", 1)]
    [InlineData("completed", 2)]
    public async Task Only_a_run_that_requires_action_accepts_tool_outputs(string status, int polls)
    {
        var threadId = await _server.ThreadSayingAsync("Hello");
        var runId = (await _server.CreateRunAsync(threadId)).GetProperty("id").GetString()!;
        for (var i = 0; i < polls; i++)
        {
            await _server.GetRunAsync(threadId, runId);
        }

        var response = await _server.PostAsync($"threads/{threadId}/runs/{runId}/submit_tool_outputs",
            """{"tool_outputs": [{"tool_call_id": "call_x", "output": "x"}]}""");

        Assert.Equal(HttpStatusCode.BadRequest, response.Status);
        Assert.Equal($"Runs in status \"{status}\" do not accept tool outputs.", response.ErrorMessage);
    }

    private async Task<(string ThreadId, string RunId)> StartAsync(string text, params string[] functions)
    {
        var threadId = await _server.ThreadSayingAsync(text);
        var tools = string.Join(", ", functions.Select(FunctionTool));
        var run = await _server.CreateRunAsync(threadId, $$"""{"assistant_id": "asst_1", "tools": [{{tools}}]}""");
        return (threadId, run.GetProperty("id").GetString()!);
    }

    private async Task<(string ThreadId, string RunId)> RunWithAsync(string text, string tools, string toolChoice)
    {
        var threadId = await _server.ThreadSayingAsync(text);
        var run = await _server.CreateRunAsync(threadId, $$"""{"assistant_id": "asst_1", "tools": {{tools}}, "tool_choice": {{toolChoice}}}""");
        return (threadId, run.GetProperty("id").GetString()!);
    }

    private async Task<string> FinalStatusAsync((string ThreadId, string RunId) run) =>
        (await _server.PollAsync(run.ThreadId, run.RunId, "completed", "requires_action"))[^1];

    private async Task<string> CallIdAsync(string threadId, string runId) =>
        (await _server.GetRunAsync(threadId, runId))
            .GetProperty("required_action").GetProperty("submit_tool_outputs").GetProperty("tool_calls")[0]
            .GetProperty("id").GetString()!;

    private async Task<string[]> CallNamesAsync(string threadId, string runId) =>
        (await _server.GetRunAsync(threadId, runId))
            .GetProperty("required_action").GetProperty("submit_tool_outputs").GetProperty("tool_calls")
            .EnumerateArray().Select(c => c.GetProperty("function").GetProperty("name").GetString()!).ToArray();
}
