using System;
using System.Collections.Generic;
using System.Linq;
using System.Threading.Tasks;
using Specgen.IntegrationTests.OpenAI;
using Specgen.IntegrationTests.Support;
using Specgen.Runtime;

namespace Specgen.IntegrationTests.ThreadsServer;

/// <summary>listRunSteps (pages, the auto-pager, <c>include[]</c>) and getRunStep, with both step details variants.</summary>
public sealed class RunStepTests : IClassFixture<ThreadsServerFixture>, IDisposable
{
    private const string FileSearchContent = "step_details.tool_calls[*].file_search.results[*].content";

    private readonly RecordedClient _api;

    public RunStepTests(ThreadsServerFixture server)
    {
        _api = new RecordedClient(server.BaseAddress);
    }

    private ThreadsClient Client => _api.Client;

    public void Dispose() => _api.Dispose();

    [Fact]
    public async Task The_steps_of_a_tool_round_trip_read_as_a_tool_calls_step_then_a_message_creation_step()
    {
        (ThreadObject thread, RunObject run, string callId) = await ToolRoundTripAsync();
        MessageObject reply = (await Client.ListMessagesAsync(thread.Id, limit: 1)).Data[0];

        ListRunStepsResponse page = await Client.ListRunStepsAsync(thread.Id, run.Id, order: ListRunStepsOrder.Asc);

        Assert.Equal("list", page.Object);
        Assert.False(page.HasMore);
        Assert.Equal(page.Data[0].Id, page.FirstId);
        Assert.Equal(page.Data[1].Id, page.LastId);
        Assert.All(page.Data, step =>
        {
            Assert.StartsWith("step_", step.Id, StringComparison.Ordinal);
            Assert.Equal("thread.run.step", step.Object);
            Assert.Equal(run.Id, step.RunId);
            Assert.Equal(thread.Id, step.ThreadId);
            Assert.Equal(RunSupport.AssistantId, step.AssistantId);
            Assert.Equal(RunStepObjectStatus.Completed, step.Status);
            Assert.NotNull(step.CompletedAt);
            Assert.Null(step.CancelledAt);
            Assert.Null(step.FailedAt);
            Assert.Null(step.ExpiredAt);
            Assert.Null(step.LastError);
            Assert.Empty(step.Metadata!);
            Assert.False(step.StepDetails.IsUnknown);
        });

        RunStepObject tools = page.Data[0];
        Assert.Equal(RunStepObjectType.ToolCalls, tools.Type);
        Assert.True(tools.StepDetails.IsToolCalls);
        Assert.False(tools.StepDetails.IsMessageCreation);
        Assert.Null(tools.StepDetails.AsMessageCreation);
        ToolCallsStepDetails details = tools.StepDetails.AsToolCalls!;
        Assert.Equal("tool_calls", details.Type);
        RunStepToolCall toolCall = Assert.Single(details.ToolCalls);
        Assert.True(toolCall.IsFunction);
        Assert.False(toolCall.IsCodeInterpreter || toolCall.IsFileSearch || toolCall.IsUnknown);
        FunctionToolCall function = toolCall.AsFunction!;
        Assert.Equal(callId, function.Id);
        Assert.Equal("function", function.Type);
        Assert.Equal("get_weather", function.Function.Name);
        Assert.Equal("{}", function.Function.Arguments);
        Assert.Equal("""{"sky":"sunny"}""", function.Function.Output);

        RunStepObject message = page.Data[1];
        Assert.Equal(RunStepObjectType.MessageCreation, message.Type);
        Assert.True(message.StepDetails.IsMessageCreation);
        Assert.Null(message.StepDetails.AsToolCalls);
        Assert.Equal("message_creation", message.StepDetails.AsMessageCreation!.Type);
        Assert.Equal(reply.Id, message.StepDetails.AsMessageCreation.MessageCreation.MessageId);
        Assert.True(message.CreatedAt >= tools.CreatedAt);
        Assert.Equal(run.Usage!.TotalTokens, tools.Usage!.TotalTokens + message.Usage!.TotalTokens);
    }

    [Fact]
    public async Task listRunSteps_pages_newest_first_by_default_and_the_auto_pager_sends_include_on_every_page()
    {
        (ThreadObject thread, RunObject run, _) = await ToolRoundTripAsync();
        ListRunStepsResponse all = await Client.ListRunStepsAsync(thread.Id, run.Id, order: ListRunStepsOrder.Asc);
        string[] ids = all.Data.Select(step => step.Id).ToArray();
        _api.Recorder.Clear();

        ListRunStepsResponse newestFirst = await Client.ListRunStepsAsync(thread.Id, run.Id);
        ListRunStepsResponse firstOfTwo = await Client.ListRunStepsAsync(thread.Id, run.Id, limit: 1, order: ListRunStepsOrder.Asc);
        ListRunStepsResponse beforeSecond = await Client.ListRunStepsAsync(thread.Id, run.Id, order: ListRunStepsOrder.Asc, before: ids[1]);
        _api.Recorder.Clear();
        var paged = new List<RunStepObject>();
        await foreach (RunStepObject step in Client.ListRunStepsAutoPagingAsync(thread.Id, run.Id, limit: 1, order: ListRunStepsOrder.Asc, include: [FileSearchContent], cancellationToken: RunSupport.Bounded()))
        {
            paged.Add(step);
        }

        Assert.Equal(ids.Reverse(), newestFirst.Data.Select(step => step.Id));
        Assert.Equal(ids[..1], firstOfTwo.Data.Select(step => step.Id));
        Assert.True(firstOfTwo.HasMore);
        Assert.Equal(ids[..1], beforeSecond.Data.Select(step => step.Id));
        Assert.Equal(ids, paged.Select(step => step.Id));
        Assert.Equal([RunStepObjectType.ToolCalls, RunStepObjectType.MessageCreation], paged.Select(step => step.Type));
        IReadOnlyList<SentRequest> pages = _api.Recorder.Requests;
        Assert.Equal(2, pages.Count);
        Assert.All(pages, sent => Assert.Equal($"/v1/threads/{thread.Id}/runs/{run.Id}/steps", sent.Uri.AbsolutePath));
        Assert.Equal(
            [
                [("limit", "1"), ("order", "asc"), ("include[]", FileSearchContent)],
                [("limit", "1"), ("order", "asc"), ("after", ids[0]), ("include[]", FileSearchContent)],
            ],
            pages.Select(sent => sent.QueryPairs()));
    }

    [Fact]
    public async Task getRunStep_reads_each_listed_step_with_or_without_include()
    {
        (ThreadObject thread, RunObject run, _) = await ToolRoundTripAsync();
        ListRunStepsResponse listed = await Client.ListRunStepsAsync(thread.Id, run.Id, order: ListRunStepsOrder.Asc, include: [FileSearchContent]);
        _api.Recorder.Clear();

        RunStepObject tools = await Client.GetRunStepAsync(thread.Id, run.Id, listed.Data[0].Id, include: [FileSearchContent]);
        ApiResponse<RunStepObject> message = await Client.GetRunStepWithResponseAsync(thread.Id, run.Id, listed.Data[1].Id);

        Assert.Equal(listed.Data[0].Id, tools.Id);
        Assert.Equal(listed.Data[0].StepDetails.AsToolCalls!.ToolCalls[0].AsFunction!.Function.Output, tools.StepDetails.AsToolCalls!.ToolCalls[0].AsFunction!.Function.Output);
        Assert.Equal(listed.Data[0].Usage!.TotalTokens, tools.Usage!.TotalTokens);
        Assert.Equal(listed.Data[1].StepDetails.AsMessageCreation!.MessageCreation.MessageId, message.Value.StepDetails.AsMessageCreation!.MessageCreation.MessageId);
        Assert.Matches("^req_[0-9a-f]{32}$", message.RequestId);
        Assert.Equal([("include[]", FileSearchContent)], _api.Recorder.Requests[0].QueryPairs());
        Assert.Equal($"/v1/threads/{thread.Id}/runs/{run.Id}/steps/{listed.Data[1].Id}", _api.Recorder.Requests[1].PathAndQuery);
    }

    [Fact]
    public async Task A_step_is_read_while_the_run_works_and_after_it_completes()
    {
        ThreadObject thread = await _api.NewThreadSayingAsync("Hello there");
        RunObject run = await Client.CreateRunAsync(thread.Id, new CreateRunRequest { AssistantId = RunSupport.AssistantId });
        ListRunStepsResponse beforeStart = await Client.ListRunStepsAsync(thread.Id, run.Id);
        await Client.GetRunAsync(thread.Id, run.Id);
        RunStepObject working = Assert.Single((await Client.ListRunStepsAsync(thread.Id, run.Id)).Data);
        await Client.GetRunAsync(thread.Id, run.Id);
        RunStepObject done = await Client.GetRunStepAsync(thread.Id, run.Id, working.Id);

        Assert.Empty(beforeStart.Data);
        Assert.Null(beforeStart.FirstId);
        Assert.Equal(RunStepObjectStatus.InProgress, working.Status);
        Assert.Null(working.Usage);
        Assert.Null(working.CompletedAt);
        Assert.Equal(RunStepObjectStatus.Completed, done.Status);
        Assert.Equal((2L, 4L, 6L), (done.Usage!.PromptTokens, done.Usage.CompletionTokens, done.Usage.TotalTokens));
        Assert.Equal(working.StepDetails.AsMessageCreation!.MessageCreation.MessageId, done.StepDetails.AsMessageCreation!.MessageCreation.MessageId);
    }

    [Fact]
    public async Task An_unsupported_include_value_is_the_servers_BadRequestException_for_listRunSteps_and_getRunStep()
    {
        (ThreadObject thread, RunObject run, _) = await ToolRoundTripAsync();
        string stepId = (await Client.ListRunStepsAsync(thread.Id, run.Id)).Data[0].Id;

        BadRequestException listError = await Assert.ThrowsAsync<BadRequestException>(() => Client.ListRunStepsAsync(thread.Id, run.Id, include: [FileSearchContent, "usage"]));
        BadRequestException getError = await Assert.ThrowsAsync<BadRequestException>(() => Client.GetRunStepAsync(thread.Id, run.Id, stepId, include: ["usage"]));

        Assert.Equal("include[]", listError.Error!.Param);
        Assert.Equal($"Invalid value: 'usage'. Supported values are: '{FileSearchContent}'.", listError.Error.Message);
        Assert.Equal("listRunSteps", listError.OperationId);
        Assert.Equal("include[]", getError.Error!.Param);
        Assert.Equal("getRunStep", getError.OperationId);
    }

    /// <summary>A run that called get_weather, got <c>{"sky":"sunny"}</c> back and completed; the requests are forgotten.</summary>
    private async Task<(ThreadObject Thread, RunObject Run, string CallId)> ToolRoundTripAsync()
    {
        ThreadObject thread = await _api.NewThreadSayingAsync("What does get_weather say?");
        RunObject waiting = await Client.CreateRunAndPollAsync(thread.Id, new CreateRunRequest
        {
            AssistantId = RunSupport.AssistantId,
            Tools = [RunSupport.Function("get_weather")],
        }, cancellationToken: RunSupport.Bounded());
        string callId = waiting.RequiredAction!.SubmitToolOutputs.ToolCalls[0].Id;
        RunObject completed = await Client.SubmitToolOuputsToRunAndPollAsync(thread.Id, waiting.Id, new SubmitToolOutputsRequest
        {
            ToolOutputs = [new ToolOutput { ToolCallId = callId, Output = """{"sky":"sunny"}""" }],
        }, cancellationToken: RunSupport.Bounded());
        Assert.Equal(RunObjectStatus.Completed, completed.Status);
        _api.Recorder.Clear();
        return (thread, completed, callId);
    }
}
