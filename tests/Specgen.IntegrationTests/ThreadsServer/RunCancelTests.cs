using System;
using System.Linq;
using System.Threading.Tasks;
using Specgen.IntegrationTests.OpenAI;
using Specgen.IntegrationTests.Support;
using Specgen.Runtime;

namespace Specgen.IntegrationTests.ThreadsServer;

/// <summary>cancelRun through the generated client: <c>cancelling</c>, then <c>cancelled</c> with what the run left behind.</summary>
public sealed class RunCancelTests : IClassFixture<ThreadsServerFixture>, IDisposable
{
    private readonly RecordedClient _api;

    public RunCancelTests(ThreadsServerFixture server)
    {
        _api = new RecordedClient(server.BaseAddress);
    }

    private ThreadsClient Client => _api.Client;

    public void Dispose() => _api.Dispose();

    [Fact]
    public async Task Cancelling_a_queued_run_answers_cancelling_then_getRun_reads_it_cancelled_with_zero_usage_and_no_reply()
    {
        ThreadObject thread = await _api.NewThreadSayingAsync("Hello there");
        RunObject run = await Client.CreateRunAsync(thread.Id, new CreateRunRequest { AssistantId = RunSupport.AssistantId });
        _api.Recorder.Clear();

        ApiResponse<RunObject> cancelling = await Client.CancelRunWithResponseAsync(thread.Id, run.Id);
        SentRequest sent = _api.Recorder.Single();
        RunObject cancelled = await Client.GetRunAsync(thread.Id, run.Id);
        RunObject later = await Client.GetRunAsync(thread.Id, run.Id);
        ListMessagesResponse messages = await Client.ListMessagesAsync(thread.Id);
        ListRunStepsResponse steps = await Client.ListRunStepsAsync(thread.Id, run.Id);

        Assert.Equal("POST", sent.Method);
        Assert.Equal($"/v1/threads/{thread.Id}/runs/{run.Id}/cancel", sent.PathAndQuery);
        Assert.Null(sent.Body);
        Assert.Equal(RunObjectStatus.Cancelling, cancelling.Value.Status);
        Assert.Equal("10", cancelling.Headers[Poller.PollAfterHeader]);
        Assert.Null(cancelling.Value.CancelledAt);
        Assert.Equal(RunObjectStatus.Cancelled, cancelled.Status);
        Assert.NotNull(cancelled.CancelledAt);
        Assert.Null(cancelled.StartedAt);
        Assert.Null(cancelled.CompletedAt);
        Assert.Null(cancelled.ExpiresAt);
        Assert.Equal((0L, 0L, 0L), (cancelled.Usage!.PromptTokens, cancelled.Usage.CompletionTokens, cancelled.Usage.TotalTokens));
        Assert.Equal(RunObjectStatus.Cancelled, later.Status);
        Assert.Equal(["Hello there"], messages.Data.Select(RunSupport.Text));
        Assert.Empty(steps.Data);
    }

    [Fact]
    public async Task Cancelling_a_run_in_progress_cancels_its_step_and_leaves_the_reply_incomplete()
    {
        ThreadObject thread = await _api.NewThreadSayingAsync("Hello there");
        RunObject run = await Client.CreateRunAsync(thread.Id, new CreateRunRequest { AssistantId = RunSupport.AssistantId });
        RunObject working = await Client.GetRunAsync(thread.Id, run.Id);

        RunObject cancelled = await Client.CancelRunAndPollAsync(thread.Id, run.Id, cancellationToken: RunSupport.Bounded());
        RunStepObject step = Assert.Single((await Client.ListRunStepsAsync(thread.Id, run.Id)).Data);
        MessageObject reply = (await Client.ListMessagesAsync(thread.Id, limit: 1)).Data[0];

        Assert.Equal(RunObjectStatus.InProgress, working.Status);
        Assert.Equal(RunObjectStatus.Cancelled, cancelled.Status);
        Assert.Equal(working.StartedAt, cancelled.StartedAt);
        Assert.Equal(RunStepObjectStatus.Cancelled, step.Status);
        Assert.NotNull(step.CancelledAt);
        Assert.Null(step.CompletedAt);
        Assert.Equal(reply.Id, step.StepDetails.AsMessageCreation!.MessageCreation.MessageId);
        Assert.Equal(MessageObjectRole.Assistant, reply.Role);
        Assert.Equal(MessageObjectStatus.Incomplete, reply.Status);
        Assert.Equal(MessageIncompleteDetailsReason.RunCancelled, reply.IncompleteDetails!.Reason);
        Assert.NotNull(reply.IncompleteAt);
        Assert.Empty(reply.Content);
    }

    [Fact]
    public async Task Cancelling_a_run_that_requires_action_drops_the_required_action_and_cancels_the_tool_step()
    {
        ThreadObject thread = await _api.NewThreadSayingAsync("Use get_weather");
        RunObject waiting = await Client.CreateRunAndPollAsync(thread.Id, new CreateRunRequest
        {
            AssistantId = RunSupport.AssistantId,
            Tools = [RunSupport.Function("get_weather")],
        }, cancellationToken: RunSupport.Bounded());

        RunObject cancelling = await Client.CancelRunAsync(thread.Id, waiting.Id);
        RunObject cancelled = await Client.PollRunAsync(cancelling, pollInterval: TimeSpan.FromMilliseconds(1), cancellationToken: RunSupport.Bounded());
        RunStepObject step = Assert.Single((await Client.ListRunStepsAsync(thread.Id, waiting.Id)).Data);

        Assert.Equal(RunObjectStatus.RequiresAction, waiting.Status);
        Assert.Equal(RunObjectStatus.Cancelling, cancelling.Status);
        Assert.Equal(RunObjectStatus.Cancelled, cancelled.Status);
        Assert.Null(cancelled.RequiredAction);
        Assert.Equal(RunStepObjectType.ToolCalls, step.Type);
        Assert.Equal(RunStepObjectStatus.Cancelled, step.Status);
    }

    [Fact]
    public async Task Cancelling_a_finished_or_cancelling_run_is_a_BadRequestException_naming_its_status()
    {
        ThreadObject thread = await _api.NewThreadSayingAsync("Hello there");
        RunObject completed = await Client.CreateRunAndPollAsync(thread.Id, new CreateRunRequest { AssistantId = RunSupport.AssistantId }, cancellationToken: RunSupport.Bounded());
        RunObject second = await Client.CreateRunAsync(thread.Id, new CreateRunRequest { AssistantId = RunSupport.AssistantId });
        await Client.CancelRunAsync(thread.Id, second.Id);

        BadRequestException ofCompleted = await Assert.ThrowsAsync<BadRequestException>(() => Client.CancelRunAsync(thread.Id, completed.Id));
        BadRequestException ofCancelling = await Assert.ThrowsAsync<BadRequestException>(() => Client.CancelRunAndPollAsync(thread.Id, second.Id, cancellationToken: RunSupport.Bounded()));
        await Client.GetRunUntilAsync(second, RunObjectStatus.Cancelled);
        BadRequestException ofCancelled = await Assert.ThrowsAsync<BadRequestException>(() => Client.CancelRunAsync(thread.Id, second.Id));

        Assert.Equal("Cannot cancel run with status 'completed'.", ofCompleted.Error!.Message);
        Assert.Equal("cancelRun", ofCompleted.OperationId);
        Assert.Equal($"/threads/{thread.Id}/runs/{completed.Id}/cancel", ofCompleted.Path);
        Assert.Equal("Cannot cancel run with status 'cancelling'.", ofCancelling.Error!.Message);
        Assert.Equal("Cannot cancel run with status 'cancelled'.", ofCancelled.Error!.Message);
    }

    [Fact]
    public async Task A_cancelled_run_frees_the_thread_for_a_new_run_and_new_messages()
    {
        ThreadObject thread = await _api.NewThreadSayingAsync("Hello there");
        RunObject first = await Client.CreateRunAsync(thread.Id, new CreateRunRequest { AssistantId = RunSupport.AssistantId });
        await Client.CancelRunAndPollAsync(thread.Id, first.Id, cancellationToken: RunSupport.Bounded());

        await Client.CreateMessageAsync(thread.Id, new CreateMessageRequest { Role = CreateMessageRequestRole.User, Content = "Again" });
        RunObject second = await Client.CreateRunAndPollAsync(thread.Id, new CreateRunRequest { AssistantId = RunSupport.AssistantId }, cancellationToken: RunSupport.Bounded());

        Assert.Equal(RunObjectStatus.Completed, second.Status);
        Assert.Equal("You said: Again", RunSupport.Text((await Client.ListMessagesAsync(thread.Id, limit: 1)).Data[0]));
    }
}
