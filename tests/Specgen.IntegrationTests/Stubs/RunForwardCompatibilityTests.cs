using System;
using System.Linq;
using System.Text.Json;
using System.Threading;
using System.Threading.Tasks;
using Microsoft.AspNetCore.Http;
using Specgen.IntegrationTests.OpenAI;
using Specgen.IntegrationTests.Support;
using Specgen.Runtime;

namespace Specgen.IntegrationTests.Stubs;

/// <summary>A newer server's runs and steps (new statuses, tools, step kinds, members) are read, not refused.</summary>
public sealed class RunForwardCompatibilityTests
{
    private const string FutureRun = """
        {"id":"run_1","object":"thread.run","created_at":1767225600,"thread_id":"thread_1","assistant_id":"asst_1","status":"paused",
         "required_action":null,"last_error":null,"expires_at":null,"started_at":null,"cancelled_at":null,"failed_at":null,"completed_at":null,
         "incomplete_details":null,"model":"gpt-9","instructions":"","tools":[{"type":"web_search","web_search":{"region":"eu"}},{"type":"code_interpreter"}],
         "metadata":{},"usage":null,"temperature":1,"top_p":1,"max_prompt_tokens":null,"max_completion_tokens":null,
         "truncation_strategy":{"type":"smart","last_messages":4},"tool_choice":{"type":"web_search"},"parallel_tool_calls":true,
         "response_format":"auto","reasoning":{"effort":"high"}}
        """;

    private const string FutureSteps = """
        {"object":"list","data":[
          {"id":"step_1","object":"thread.run.step","created_at":1767225600,"assistant_id":"asst_1","thread_id":"thread_1","run_id":"run_1",
           "type":"reflection","status":"thinking","step_details":{"type":"reflection","reflection":{"summary":"hmm"}},
           "last_error":null,"expired_at":null,"cancelled_at":null,"failed_at":null,"completed_at":null,"metadata":{},"usage":null},
          {"id":"step_2","object":"thread.run.step","created_at":1767225600,"assistant_id":"asst_1","thread_id":"thread_1","run_id":"run_1",
           "type":"tool_calls","status":"completed","step_details":{"type":"tool_calls","tool_calls":[{"id":"call_1","type":"web_search","web_search":{"query":"lisbon"}}]},
           "last_error":null,"expired_at":null,"cancelled_at":null,"failed_at":null,"completed_at":1767225601,"metadata":{},"usage":{"prompt_tokens":1,"completion_tokens":2,"total_tokens":3}}],
         "first_id":"step_1","last_id":"step_2","has_more":false}
        """;

    [Fact]
    public async Task A_run_with_a_new_status_tool_tool_choice_and_members_is_read_and_written_back_whole()
    {
        await using StubServer server = await StubServer.RespondingAsync(200, FutureRun);
        var client = new ThreadsClient(new ApiClientOptions { ApiKey = "sk-test", BaseAddress = server.BaseAddress });

        RunObject run = await client.GetRunAsync("thread_1", "run_1");

        Assert.Equal("paused", run.Status.Value);
        Assert.False(ThreadsClient.IsRunDone(run));
        Assert.True(run.Tools[0].IsUnknown);
        Assert.Equal("eu", ((JsonElement)run.Tools[0].Value).GetProperty("web_search").GetProperty("region").GetString());
        Assert.True(run.Tools[1].IsCodeInterpreter);
        Assert.Equal("smart", run.TruncationStrategy!.Type.Value);
        Assert.Equal("web_search", run.ToolChoice!.AsNamedTool!.Type.Value);
        Assert.Equal("high", run.AdditionalProperties["reasoning"].GetProperty("effort").GetString());

        var typeInfo = (System.Text.Json.Serialization.Metadata.JsonTypeInfo<RunObject>)ThreadsClientJsonTypeInfoResolver.Options.GetTypeInfo(typeof(RunObject));
        string writtenBack = JsonSerializer.Serialize(run, typeInfo);
        Assert.True(System.Text.Json.Nodes.JsonNode.DeepEquals(
            System.Text.Json.Nodes.JsonNode.Parse(FutureRun),
            System.Text.Json.Nodes.JsonNode.Parse(writtenBack)), writtenBack);
    }

    [Fact]
    public async Task Steps_of_a_new_kind_and_calls_of_a_new_tool_are_read_as_unknown_variants()
    {
        await using StubServer server = await StubServer.RespondingAsync(200, FutureSteps);
        var client = new ThreadsClient(new ApiClientOptions { ApiKey = "sk-test", BaseAddress = server.BaseAddress });

        ListRunStepsResponse page = await client.ListRunStepsAsync("thread_1", "run_1");

        RunStepObject reflection = page.Data[0];
        Assert.Equal("reflection", reflection.Type.Value);
        Assert.Equal("thinking", reflection.Status.Value);
        Assert.True(reflection.StepDetails.IsUnknown);
        Assert.False(reflection.StepDetails.IsMessageCreation || reflection.StepDetails.IsToolCalls);
        Assert.Equal("hmm", ((JsonElement)reflection.StepDetails.Value).GetProperty("reflection").GetProperty("summary").GetString());
        RunStepToolCall call = Assert.Single(page.Data[1].StepDetails.AsToolCalls!.ToolCalls);
        Assert.True(call.IsUnknown);
        Assert.Equal("lisbon", ((JsonElement)call.Value).GetProperty("web_search").GetProperty("query").GetString());
    }

    [Fact]
    public async Task Polling_goes_on_through_a_status_it_does_not_know_until_a_terminal_one()
    {
        string[] statuses = ["queued", "paused", "paused", "completed"];
        int reads = 0;
        await using StubServer server = await StubServer.StartAsync(async context =>
        {
            int read = Interlocked.Increment(ref reads) - 1;
            context.Response.ContentType = "application/json";
            context.Response.Headers[Poller.PollAfterHeader] = "1";
            await context.Response.WriteAsync(StubJson.Run(statuses[Math.Min(read, statuses.Length - 1)]));
        });
        var client = new ThreadsClient(new ApiClientOptions { ApiKey = "sk-test", BaseAddress = server.BaseAddress });

        RunObject run = await client.CreateRunAndPollAsync(StubJson.ThreadId, new CreateRunRequest { AssistantId = RunSupport.AssistantId }, pollInterval: TimeSpan.FromMinutes(10), cancellationToken: RunSupport.Bounded());

        Assert.Equal(RunObjectStatus.Completed, run.Status);
        Assert.Equal(4, reads);
    }
}
