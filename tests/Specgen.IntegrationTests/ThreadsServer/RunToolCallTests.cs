using System;
using System.Collections.Generic;
using System.Linq;
using System.Threading.Tasks;
using Specgen.IntegrationTests.OpenAI;
using Specgen.IntegrationTests.Support;
using Specgen.Runtime;

namespace Specgen.IntegrationTests.ThreadsServer;

/// <summary>
/// Function calls through the generated client: a run stops at <c>requires_action</c> with its
/// tool calls, <c>submitToolOuputsToRun</c> hands the outputs back, and the reply uses them; the
/// server refuses outputs a run is not waiting for.
/// </summary>
public sealed class RunToolCallTests : IClassFixture<ThreadsServerFixture>, IDisposable
{
    private readonly RecordedClient _api;

    public RunToolCallTests(ThreadsServerFixture server)
    {
        _api = new RecordedClient(server.BaseAddress);
    }

    private ThreadsClient Client => _api.Client;

    public void Dispose() => _api.Dispose();

    [Fact]
    public async Task A_named_function_is_called_the_run_requires_action_and_submitted_outputs_complete_it_with_usage_summed_over_the_steps()
    {
        ThreadObject thread = await _api.NewThreadSayingAsync("Please use get_weather for Lisbon");
        RunObject run = await Client.CreateRunAsync(thread.Id, new CreateRunRequest
        {
            AssistantId = RunSupport.AssistantId,
            Tools = [RunSupport.Function("get_time"), RunSupport.Function("get_weather")],
        });

        RunObject working = await Client.GetRunAsync(thread.Id, run.Id);
        RunStepObject callingStep = Assert.Single((await Client.ListRunStepsAsync(thread.Id, run.Id)).Data);
        RunObject waiting = await Client.GetRunAsync(thread.Id, run.Id);
        RunObject stillWaiting = await Client.GetRunAsync(thread.Id, run.Id);

        Assert.Equal(RunObjectStatus.InProgress, working.Status);
        Assert.Null(working.RequiredAction);
        Assert.Equal(RunStepObjectType.ToolCalls, callingStep.Type);
        Assert.Equal(RunStepObjectStatus.InProgress, callingStep.Status);
        FunctionToolCall pending = Assert.Single(callingStep.StepDetails.AsToolCalls!.ToolCalls).AsFunction!;
        Assert.StartsWith("call_", pending.Id, StringComparison.Ordinal);
        Assert.Equal("get_weather", pending.Function.Name);
        Assert.Equal("{}", pending.Function.Arguments);
        Assert.Null(pending.Function.Output);

        Assert.Equal(RunObjectStatus.RequiresAction, waiting.Status);
        RequiredAction action = waiting.RequiredAction!;
        Assert.Equal("submit_tool_outputs", action.Type);
        RequiredToolCall call = Assert.Single(action.SubmitToolOutputs.ToolCalls);
        Assert.Equal(pending.Id, call.Id);
        Assert.Equal("function", call.Type);
        Assert.Equal("get_weather", call.Function.Name);
        Assert.Equal("{}", call.Function.Arguments);
        Assert.Equal(RunObjectStatus.RequiresAction, stillWaiting.Status);
        Assert.Null(waiting.Usage);

        _api.Recorder.Clear();
        ApiResponse<RunObject> submitted = await Client.SubmitToolOuputsToRunWithResponseAsync(thread.Id, run.Id, new SubmitToolOutputsRequest
        {
            ToolOutputs = [new ToolOutput { ToolCallId = call.Id, Output = "sunny" }],
        });
        SentRequest submitRequest = _api.Recorder.Single();
        RunObject completed = await Client.GetRunUntilAsync(submitted.Value, RunObjectStatus.Completed);
        ListMessagesResponse messages = await Client.ListMessagesAsync(thread.Id, order: ListMessagesOrder.Asc);
        ListRunStepsResponse steps = await Client.ListRunStepsAsync(thread.Id, run.Id, order: ListRunStepsOrder.Asc);

        Assert.Equal(RunObjectStatus.Queued, submitted.Value.Status);
        Assert.Null(submitted.Value.RequiredAction);
        Assert.Equal("10", submitted.Headers[Poller.PollAfterHeader]);
        Assert.Equal($"/v1/threads/{thread.Id}/runs/{run.Id}/submit_tool_outputs", submitRequest.PathAndQuery);
        Assert.Equal($$"""{"tool_outputs":[{"tool_call_id":"{{call.Id}}","output":"sunny"}]}""", submitRequest.Body);

        Assert.Equal("You said: Please use get_weather for Lisbon\nget_weather returned: sunny", RunSupport.Text(messages.Data[1]));
        Assert.Equal(2, steps.Data.Count);
        RunStepObject toolStep = steps.Data[0];
        Assert.Equal(RunStepObjectStatus.Completed, toolStep.Status);
        Assert.Equal("sunny", toolStep.StepDetails.AsToolCalls!.ToolCalls[0].AsFunction!.Function.Output);
        // The call: the 5 words of the thread in, 2 per call out; the reply: 5 + "sunny" in, 10 words out.
        Assert.Equal((5L, 2L, 7L), (toolStep.Usage!.PromptTokens, toolStep.Usage.CompletionTokens, toolStep.Usage.TotalTokens));
        RunStepObject replyStep = steps.Data[1];
        Assert.Equal((6L, 10L, 16L), (replyStep.Usage!.PromptTokens, replyStep.Usage.CompletionTokens, replyStep.Usage.TotalTokens));
        Assert.Equal((11L, 12L, 23L), (completed.Usage!.PromptTokens, completed.Usage.CompletionTokens, completed.Usage.TotalTokens));
    }

    [Fact]
    public async Task Several_named_functions_are_called_together_in_the_order_of_the_tools_and_need_every_output_in_one_submission()
    {
        ThreadObject thread = await _api.NewThreadSayingAsync("Use get_weather and then get_time please");
        RunObject run = await Client.CreateRunAndPollAsync(thread.Id, new CreateRunRequest
        {
            AssistantId = RunSupport.AssistantId,
            Tools = [RunSupport.Function("get_time"), new CodeInterpreterTool(), RunSupport.Function("get_weather"), RunSupport.Function("get_news")],
        }, cancellationToken: RunSupport.Bounded());
        IList<RequiredToolCall> calls = run.RequiredAction!.SubmitToolOutputs.ToolCalls;

        BadRequestException missing = await Assert.ThrowsAsync<BadRequestException>(() => Client.SubmitToolOuputsToRunAsync(thread.Id, run.Id, new SubmitToolOutputsRequest
        {
            ToolOutputs = [new ToolOutput { ToolCallId = calls[0].Id, Output = "noon" }],
        }));
        BadRequestException twice = await Assert.ThrowsAsync<BadRequestException>(() => Client.SubmitToolOuputsToRunAsync(thread.Id, run.Id, new SubmitToolOutputsRequest
        {
            ToolOutputs = [new ToolOutput { ToolCallId = calls[0].Id, Output = "noon" }, new ToolOutput { ToolCallId = calls[0].Id, Output = "one" }],
        }));
        BadRequestException unknown = await Assert.ThrowsAsync<BadRequestException>(() => Client.SubmitToolOuputsToRunAsync(thread.Id, run.Id, new SubmitToolOutputsRequest
        {
            ToolOutputs = [new ToolOutput { ToolCallId = calls[0].Id, Output = "noon" }, new ToolOutput { ToolCallId = "call_nobody", Output = "?" }],
        }));
        RunObject stillWaiting = await Client.GetRunAsync(thread.Id, run.Id);
        RunObject completed = await Client.SubmitToolOuputsToRunAndPollAsync(thread.Id, run.Id, new SubmitToolOutputsRequest
        {
            ToolOutputs = [new ToolOutput { ToolCallId = calls[1].Id, Output = "rain" }, new ToolOutput { ToolCallId = calls[0].Id, Output = "noon" }],
        }, cancellationToken: RunSupport.Bounded());
        ListMessagesResponse latest = await Client.ListMessagesAsync(thread.Id, limit: 1);

        Assert.Equal(RunObjectStatus.RequiresAction, run.Status);
        Assert.Equal(["get_time", "get_weather"], calls.Select(call => call.Function.Name));
        Assert.Equal("tool_outputs", missing.Error!.Param);
        Assert.Equal($"Expected tool outputs for call_ids ['{calls[0].Id}', '{calls[1].Id}'], got ['{calls[0].Id}']", missing.Error.Message);
        Assert.Equal("tool_outputs[1].tool_call_id", twice.Error!.Param);
        Assert.Equal($"Invalid 'tool_outputs[1].tool_call_id': the output for tool call '{calls[0].Id}' was given more than once.", twice.Error.Message);
        Assert.Equal("tool_outputs[1].tool_call_id", unknown.Error!.Param);
        Assert.Equal("Invalid 'tool_outputs[1].tool_call_id': no tool call with id 'call_nobody' is waiting for an output in this run.", unknown.Error.Message);
        Assert.Equal(RunObjectStatus.RequiresAction, stillWaiting.Status);
        Assert.Equal(RunObjectStatus.Completed, completed.Status);
        Assert.Equal("You said: Use get_weather and then get_time please\nget_time returned: noon\nget_weather returned: rain", RunSupport.Text(latest.Data[0]));
    }

    [Fact]
    public async Task Submitting_to_a_run_that_does_not_require_action_is_a_BadRequestException_naming_its_status()
    {
        ThreadObject thread = await _api.NewThreadSayingAsync("Hello there");
        RunObject run = await Client.CreateRunAsync(thread.Id, new CreateRunRequest { AssistantId = RunSupport.AssistantId });
        var outputs = new SubmitToolOutputsRequest { ToolOutputs = [new ToolOutput { ToolCallId = "call_1", Output = "x" }] };

        BadRequestException queued = await Assert.ThrowsAsync<BadRequestException>(() => Client.SubmitToolOuputsToRunAsync(thread.Id, run.Id, outputs));
        await Client.GetRunUntilAsync(run, RunObjectStatus.Completed);
        BadRequestException completed = await Assert.ThrowsAsync<BadRequestException>(() => Client.SubmitToolOuputsToRunAndPollAsync(thread.Id, run.Id, outputs, cancellationToken: RunSupport.Bounded()));

        Assert.Equal("Runs in status \"queued\" do not accept tool outputs.", queued.Error!.Message);
        Assert.Null(queued.Error.Param);
        Assert.Equal("submitToolOuputsToRun", queued.OperationId);
        Assert.Equal($"/threads/{thread.Id}/runs/{run.Id}/submit_tool_outputs", queued.Path);
        Assert.Equal(System.Net.HttpStatusCode.BadRequest, queued.Status);
        Assert.NotNull(queued.RequestId);
        Assert.Equal("Runs in status \"completed\" do not accept tool outputs.", completed.Error!.Message);
    }

    public static TheoryData<string, string, bool?, string[]> ToolChoices => new()
    {
        // tool_choice, what the user says, parallel_tool_calls, the functions called
        { "auto", "Call get_weather and get_time", null, ["get_time", "get_weather"] },
        { "auto", "Call get_weather and get_time", false, ["get_time"] },
        { "auto", "Nothing to call here", null, [] },
        { "none", "Call get_weather and get_time", null, [] },
        { "required", "Nothing to call here", null, ["get_time"] },
        { "required", "Just get_weather", null, ["get_weather"] },
        { "function:get_weather", "Nothing to call here", null, ["get_weather"] },
        { "code_interpreter", "Call get_weather and get_time", null, [] },
    };

    [Theory]
    [MemberData(nameof(ToolChoices))]
    public async Task Tool_choice_as_a_mode_or_a_named_tool_is_sent_echoed_and_decides_the_calls(string choice, string said, bool? parallel, string[] called)
    {
        ThreadObject thread = await _api.NewThreadSayingAsync(said);
        ToolChoice toolChoice = choice switch
        {
            "function:get_weather" => new NamedToolChoice { Type = NamedToolChoiceType.Function, Function = new NamedFunction { Name = "get_weather" } },
            "code_interpreter" => new NamedToolChoice { Type = NamedToolChoiceType.CodeInterpreter },
            _ => new ToolChoiceMode(choice),
        };

        RunObject run = await Client.CreateRunAndPollAsync(thread.Id, new CreateRunRequest
        {
            AssistantId = RunSupport.AssistantId,
            Tools = [RunSupport.Function("get_time"), RunSupport.Function("get_weather"), new CodeInterpreterTool()],
            ToolChoice = toolChoice,
            ParallelToolCalls = parallel,
        }, cancellationToken: RunSupport.Bounded());

        Assert.Equal(called.Length > 0 ? RunObjectStatus.RequiresAction : RunObjectStatus.Completed, run.Status);
        Assert.Equal(called, run.RequiredAction?.SubmitToolOutputs.ToolCalls.Select(call => call.Function.Name) ?? []);
        Assert.Equal(choice.Contains(':', StringComparison.Ordinal) || choice == "code_interpreter", run.ToolChoice!.IsNamedTool);
        if (run.ToolChoice.AsNamedTool is { } named)
        {
            Assert.Equal(choice == "code_interpreter" ? NamedToolChoiceType.CodeInterpreter : NamedToolChoiceType.Function, named.Type);
            Assert.Equal(choice == "code_interpreter" ? null : "get_weather", named.Function?.Name);
        }
        else
        {
            Assert.Equal(new ToolChoiceMode(choice), run.ToolChoice.AsMode);
        }
    }

    [Fact]
    public async Task Forcing_a_function_the_run_does_not_have_is_a_BadRequestException_naming_the_param()
    {
        ThreadObject thread = await _api.NewThreadSayingAsync("Hello there");

        BadRequestException error = await Assert.ThrowsAsync<BadRequestException>(() => Client.CreateRunAsync(thread.Id, new CreateRunRequest
        {
            AssistantId = RunSupport.AssistantId,
            Tools = [RunSupport.Function("get_time")],
            ToolChoice = new NamedToolChoice { Type = NamedToolChoiceType.Function, Function = new NamedFunction { Name = "get_weather" } },
        }));

        Assert.Equal("tool_choice.function.name", error.Error!.Param);
        Assert.Equal("Invalid 'tool_choice.function.name': the run has no function tool named 'get_weather'.", error.Error.Message);
    }
}
