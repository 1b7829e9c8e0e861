using System.Net;
using System.Net.Http;
using System.Threading.Tasks;
using static Specgen.ThreadsServer.Tests.RunHelpers;

namespace Specgen.ThreadsServer.Tests;

public sealed class RunErrorTests : IClassFixture<ServerFixture>
{
    private readonly ServerFixture _server;

    public RunErrorTests(ServerFixture server)
    {
        _server = server;
    }

    [Theory]
    [InlineData("POST", "threads/thread_nope/runs", Assistant)]
    [InlineData("POST", "threads/thread_nope/runs", "not even json")]
    [InlineData("GET", "threads/thread_nope/runs", null)]
    [InlineData("GET", "threads/thread_nope/runs/run_nope", null)]
    [InlineData("POST", "threads/thread_nope/runs/run_nope", """{"metadata": {}}""")]
    [InlineData("POST", "threads/thread_nope/runs/run_nope/cancel", null)]
    [InlineData("POST", "threads/thread_nope/runs/run_nope/submit_tool_outputs", """{"tool_outputs": []}""")]
    [InlineData("GET", "threads/thread_nope/runs/run_nope/steps", null)]
    [InlineData("GET", "threads/thread_nope/runs/run_nope/steps/step_nope", null)]
    public async Task Every_run_operation_on_an_unknown_thread_is_a_404(string method, string path, string? body)
    {
        var response = await _server.SendAsync(new HttpMethod(method), path, body);

        Assert.Equal(HttpStatusCode.NotFound, response.Status);
        Assert.Equal("application/json", response.MediaType);
        Assert.Matches("^req_[0-9a-f]{32}$", response.RequestId);
        Assert.Equal(["error"], ApiResponse.Keys(response.Json));
        Assert.Equal("No thread found with id 'thread_nope'.", response.ErrorMessage);
        Assert.Equal("invalid_request_error", response.Json.GetProperty("error").GetProperty("type").GetString());
    }

    [Theory]
    [InlineData("GET", "", null)]
    [InlineData("POST", "", """{"metadata": {}}""")]
    [InlineData("POST", "", "[]")]
    [InlineData("POST", "/cancel", null)]
    [InlineData("POST", "/submit_tool_outputs", """{"tool_outputs": []}""")]
    [InlineData("GET", "/steps", null)]
    [InlineData("GET", "/steps/step_nope", null)]
    public async Task Every_operation_on_an_unknown_run_is_a_404(string method, string suffix, string? body)
    {
        var threadId = await _server.CreateThreadAsync();

        var response = await _server.SendAsync(new HttpMethod(method), $"threads/{threadId}/runs/run_nope{suffix}", body);

        Assert.Equal(HttpStatusCode.NotFound, response.Status);
        Assert.Equal("No run found with id 'run_nope'.", response.ErrorMessage);
    }

    [Fact]
    public async Task An_unknown_step_is_a_404_and_so_is_a_run_of_another_thread()
    {
        var threadId = await _server.ThreadSayingAsync("Hello");
        var otherThreadId = await _server.CreateThreadAsync();
        var runId = (await _server.CreateRunAsync(threadId)).GetProperty("id").GetString()!;

        var step = await _server.GetAsync($"threads/{threadId}/runs/{runId}/steps/step_nope");
        var elsewhere = await _server.GetAsync($"threads/{otherThreadId}/runs/{runId}");

        Assert.Equal(HttpStatusCode.NotFound, step.Status);
        Assert.Equal("No run step found with id 'step_nope'.", step.ErrorMessage);
        Assert.Equal(HttpStatusCode.NotFound, elsewhere.Status);
        Assert.Equal($"No run found with id '{runId}'.", elsewhere.ErrorMessage);
    }

    [Theory]
    [InlineData("{}", "assistant_id", "Missing required parameter: 'assistant_id'.")]
    [InlineData("""{"assistant_id": 7}""", "assistant_id", "Invalid type for 'assistant_id': expected a string, but got a number instead.")]
    [InlineData("""{"assistant_id": "a", "thread": {}}""", "thread", "Unrecognized request argument supplied: thread")]
    [InlineData("""{"assistant_id": "a", "model": 4}""", "model", null)]
    [InlineData("""{"assistant_id": "a", "instructions": []}""", "instructions", null)]
    [InlineData("""{"assistant_id": "a", "reasoning_effort": "extreme"}""", "reasoning_effort", null)]
    [InlineData("""{"assistant_id": "a", "temperature": 2.5}""", "temperature", "Invalid 'temperature': decimal above maximum value. Expected a value <= 2, but got 2.5 instead.")]
    [InlineData("""{"assistant_id": "a", "temperature": "hot"}""", "temperature", "Invalid type for 'temperature': expected a number, but got a string instead.")]
    [InlineData("""{"assistant_id": "a", "top_p": -0.1}""", "top_p", "Invalid 'top_p': decimal below minimum value. Expected a value >= 0, but got -0.1 instead.")]
    [InlineData("""{"assistant_id": "a", "max_prompt_tokens": 100}""", "max_prompt_tokens", "Invalid 'max_prompt_tokens': integer below minimum value. Expected a value >= 256, but got 100 instead.")]
    [InlineData("""{"assistant_id": "a", "max_completion_tokens": 300.5}""", "max_completion_tokens", null)]
    [InlineData("""{"assistant_id": "a", "tools": {}}""", "tools", null)]
    [InlineData("""{"assistant_id": "a", "tools": [{}]}""", "tools[0].type", "Missing required parameter: 'tools[0].type'.")]
    [InlineData("""{"assistant_id": "a", "tools": [{"type": "browser"}]}""", "tools[0].type", "Invalid value: 'browser'. Supported values are: 'code_interpreter', 'file_search', and 'function'.")]
    [InlineData("""{"assistant_id": "a", "tools": [{"type": "function"}]}""", "tools[0].function", null)]
    [InlineData("""{"assistant_id": "a", "tools": [{"type": "function", "function": {}}]}""", "tools[0].function.name", null)]
    [InlineData("""{"assistant_id": "a", "tools": [{"type": "function", "function": {"name": "has space"}}]}""", "tools[0].function.name", null)]
    [InlineData("""{"assistant_id": "a", "tools": [{"type": "function", "function": {"name": "f", "parameters": "x"}}]}""", "tools[0].function.parameters", null)]
    [InlineData("""{"assistant_id": "a", "tools": [{"type": "file_search", "file_search": {"max_num_results": 51}}]}""", "tools[0].file_search.max_num_results", null)]
    [InlineData("""{"assistant_id": "a", "tools": [{"type": "file_search", "file_search": {"ranking_options": {}}}]}""", "tools[0].file_search.ranking_options.score_threshold", null)]
    [InlineData("""{"assistant_id": "a", "tool_choice": "sometimes"}""", "tool_choice", "Invalid value: 'sometimes'. Supported values are: 'none', 'auto', and 'required'.")]
    [InlineData("""{"assistant_id": "a", "tool_choice": {"type": "function"}}""", "tool_choice.function", null)]
    [InlineData("""{"assistant_id": "a", "tool_choice": {"type": "function", "function": {"name": "absent"}}}""", "tool_choice.function.name", "Invalid 'tool_choice.function.name': the run has no function tool named 'absent'.")]
    [InlineData("""{"assistant_id": "a", "tool_choice": 1}""", "tool_choice", null)]
    [InlineData("""{"assistant_id": "a", "parallel_tool_calls": "yes"}""", "parallel_tool_calls", null)]
    [InlineData("""{"assistant_id": "a", "response_format": "json"}""", "response_format", "Invalid value: 'json'. Supported values are: 'auto'.")]
    [InlineData("""{"assistant_id": "a", "response_format": {"type": "xml"}}""", "response_format.type", null)]
    [InlineData("""{"assistant_id": "a", "response_format": {"type": "json_schema"}}""", "response_format.json_schema", null)]
    [InlineData("""{"assistant_id": "a", "response_format": {"type": "json_schema", "json_schema": {}}}""", "response_format.json_schema.name", null)]
    [InlineData("""{"assistant_id": "a", "truncation_strategy": {}}""", "truncation_strategy.type", null)]
    [InlineData("""{"assistant_id": "a", "truncation_strategy": {"type": "last_messages", "last_messages": 0}}""", "truncation_strategy.last_messages", null)]
    [InlineData("""{"assistant_id": "a", "metadata": {"k": 1}}""", "metadata.k", null)]
    [InlineData("""{"assistant_id": "a", "stream": 1}""", "stream", null)]
    [InlineData("""{"assistant_id": "a", "additional_messages": [{"content": "x"}]}""", "additional_messages[0].role", "Missing required parameter: 'additional_messages[0].role'.")]
    [InlineData("""{"assistant_id": "a", "additional_instructions": 5}""", "additional_instructions", null)]
    public async Task CreateRun_rejects_invalid_bodies_naming_the_parameter(string body, string param, string? message)
    {
        var threadId = await _server.ThreadSayingAsync("Hello");

        var response = await _server.PostAsync($"threads/{threadId}/runs", body);

        Assert.Equal(HttpStatusCode.BadRequest, response.Status);
        Assert.Equal(param, response.ErrorParam);
        if (message is not null)
        {
            Assert.Equal(message, response.ErrorMessage);
        }

        // Nothing was created: the thread has no run and still accepts messages.
        Assert.Empty((await _server.GetAsync($"threads/{threadId}/runs")).DataIds());
        Assert.Single(await _server.ListAllAsync($"threads/{threadId}/messages"));
    }

    [Theory]
    [InlineData("{}", "assistant_id")]
    [InlineData("""{"assistant_id": "a", "thread": "x"}""", "thread")]
    [InlineData("""{"assistant_id": "a", "thread": {"messages": [{"content": "x"}]}}""", "thread.messages[0].role")]
    [InlineData("""{"assistant_id": "a", "thread": {"extra": 1}}""", "thread.extra")]
    [InlineData("""{"assistant_id": "a", "thread": {"metadata": []}}""", "thread.metadata")]
    [InlineData("""{"assistant_id": "a", "tool_resources": {"code_interpreter": []}}""", "tool_resources.code_interpreter")]
    [InlineData("""{"assistant_id": "a", "additional_messages": []}""", "additional_messages")]
    [InlineData("""{"assistant_id": "a", "temperature": 3}""", "temperature")]
    public async Task CreateThreadAndRun_rejects_invalid_bodies_naming_the_parameter(string body, string param)
    {
        var response = await _server.PostAsync("threads/runs", body);

        Assert.Equal(HttpStatusCode.BadRequest, response.Status);
        Assert.Equal(param, response.ErrorParam);
    }

    [Theory]
    [InlineData(null, null)]
    [InlineData("", null)]
    [InlineData("[1]", null)]
    [InlineData("{", null)]
    public async Task Run_bodies_must_be_json_objects(string? body, string? param)
    {
        var threadId = await _server.ThreadSayingAsync("Hello");

        var run = await _server.PostAsync($"threads/{threadId}/runs", body);
        var both = await _server.PostAsync("threads/runs", body);

        Assert.Equal(HttpStatusCode.BadRequest, run.Status);
        Assert.Equal(param, run.ErrorParam);
        Assert.Equal(HttpStatusCode.BadRequest, both.Status);
    }

    [Theory]
    [InlineData("{}", "tool_outputs")]
    [InlineData("""{"tool_outputs": {}}""", "tool_outputs")]
    [InlineData("""{"tool_outputs": ["x"]}""", "tool_outputs[0]")]
    [InlineData("""{"tool_outputs": [{"output": "x"}]}""", "tool_outputs[0].tool_call_id")]
    [InlineData("""{"tool_outputs": [{"tool_call_id": 1}]}""", "tool_outputs[0].tool_call_id")]
    [InlineData("""{"tool_outputs": [{"tool_call_id": "c", "output": 1}]}""", "tool_outputs[0].output")]
    [InlineData("""{"tool_outputs": [], "stream": "no"}""", "stream")]
    [InlineData("""{"tool_outputs": [], "extra": 1}""", "extra")]
    public async Task SubmitToolOutputs_rejects_invalid_bodies_naming_the_parameter(string body, string param)
    {
        var threadId = await _server.ThreadSayingAsync("Hello");
        var runId = (await _server.CreateRunAsync(threadId)).GetProperty("id").GetString()!;

        var response = await _server.PostAsync($"threads/{threadId}/runs/{runId}/submit_tool_outputs", body);

        Assert.Equal(HttpStatusCode.BadRequest, response.Status);
        Assert.Equal(param, response.ErrorParam);
    }

    [Theory]
    [InlineData("""{"metadata": "x"}""", "metadata")]
    [InlineData("""{"status": "completed"}""", "status")]
    public async Task ModifyRun_rejects_invalid_bodies_naming_the_parameter(string body, string param)
    {
        var threadId = await _server.ThreadSayingAsync("Hello");
        var runId = (await _server.CreateRunAsync(threadId)).GetProperty("id").GetString()!;

        var response = await _server.PostAsync($"threads/{threadId}/runs/{runId}", body);

        Assert.Equal(HttpStatusCode.BadRequest, response.Status);
        Assert.Equal(param, response.ErrorParam);
    }

    [Fact]
    public async Task Include_accepts_only_the_file_search_result_content()
    {
        var threadId = await _server.ThreadSayingAsync("Hello");
        var runId = (await _server.CreateRunAsync(threadId)).GetProperty("id").GetString()!;

        var create = await _server.PostAsync($"threads/{threadId}/runs?include[]=usage", Assistant);
        var list = await _server.GetAsync($"threads/{threadId}/runs/{runId}/steps?include[]=usage");
        var get = await _server.GetAsync($"threads/{threadId}/runs/{runId}/steps/step_x?include=usage");

        foreach (var response in new[] { create, list, get })
        {
            Assert.Equal(HttpStatusCode.BadRequest, response.Status);
            Assert.Equal("include[]", response.ErrorParam);
            Assert.Equal("Invalid value: 'usage'. Supported values are: 'step_details.tool_calls[*].file_search.results[*].content'.", response.ErrorMessage);
        }
    }

    [Theory]
    [InlineData("runs?limit=0", "limit")]
    [InlineData("runs?limit=101", "limit")]
    [InlineData("runs?limit=two", "limit")]
    [InlineData("runs?order=up", "order")]
    [InlineData("runs?after=run_unknown", "after")]
    [InlineData("runs?before=run_unknown", "before")]
    public async Task ListRuns_rejects_invalid_queries(string query, string param)
    {
        var threadId = await _server.CreateThreadAsync();

        var response = await _server.GetAsync($"threads/{threadId}/{query}");

        Assert.Equal(HttpStatusCode.BadRequest, response.Status);
        Assert.Equal(param, response.ErrorParam);
    }

    [Theory]
    [InlineData("limit=0", "limit")]
    [InlineData("order=sideways", "order")]
    [InlineData("after=step_unknown", "after")]
    public async Task ListRunSteps_rejects_invalid_queries(string query, string param)
    {
        var threadId = await _server.ThreadSayingAsync("Hello");
        var runId = (await _server.CreateRunAsync(threadId)).GetProperty("id").GetString()!;

        var response = await _server.GetAsync($"threads/{threadId}/runs/{runId}/steps?{query}");

        Assert.Equal(HttpStatusCode.BadRequest, response.Status);
        Assert.Equal(param, response.ErrorParam);
        if (param == "after")
        {
            Assert.Equal("Invalid 'after': no run step found with id 'step_unknown' in this run.", response.ErrorMessage);
        }
    }

    [Fact]
    public async Task An_unknown_run_route_or_method_is_an_error_envelope()
    {
        var threadId = await _server.CreateThreadAsync();

        var deleteRun = await _server.DeleteAsync($"threads/{threadId}/runs/run_x");
        var getCancel = await _server.GetAsync($"threads/{threadId}/runs/run_x/cancel");

        Assert.Equal(HttpStatusCode.MethodNotAllowed, deleteRun.Status);
        Assert.Equal(HttpStatusCode.MethodNotAllowed, getCancel.Status);
        Assert.Equal($"Invalid URL (GET /v1/threads/{threadId}/runs/run_x/cancel)", getCancel.ErrorMessage);
    }
}
