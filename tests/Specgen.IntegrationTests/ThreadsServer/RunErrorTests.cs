using System;
using System.Net;
using System.Threading.Tasks;
using Specgen.IntegrationTests.OpenAI;
using Specgen.IntegrationTests.Support;
using Specgen.Runtime;

namespace Specgen.IntegrationTests.ThreadsServer;

/// <summary>What the server refuses about runs arrives as the typed exception for its status, with the server's details.</summary>
public sealed class RunErrorTests : IClassFixture<ThreadsServerFixture>, IDisposable
{
    private readonly RecordedClient _api;

    public RunErrorTests(ThreadsServerFixture server)
    {
        _api = new RecordedClient(server.BaseAddress);
    }

    private ThreadsClient Client => _api.Client;

    public void Dispose() => _api.Dispose();

    [Fact]
    public async Task Getting_an_unknown_run_is_a_NotFoundException_with_the_servers_message_and_request_id()
    {
        ThreadObject thread = await _api.NewThreadAsync();

        NotFoundException error = await Assert.ThrowsAsync<NotFoundException>(() => Client.GetRunAsync(thread.Id, "run_missing"));

        Assert.Equal(HttpStatusCode.NotFound, error.Status);
        Assert.Equal("getRun", error.OperationId);
        Assert.Equal("GET", error.Method);
        Assert.Equal($"/threads/{thread.Id}/runs/run_missing", error.Path);
        Assert.Equal("No run found with id 'run_missing'.", error.Error!.Message);
        Assert.Equal("invalid_request_error", error.Error.Type);
        Assert.Matches("^req_[0-9a-f]{32}$", error.RequestId);
        Assert.Contains("getRun", error.Message, StringComparison.Ordinal);
        Assert.Contains("404", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Every_run_operation_on_an_unknown_run_or_step_is_a_NotFoundException()
    {
        ThreadObject thread = await _api.NewThreadSayingAsync("Hello there");
        RunObject run = await Client.CreateRunAndPollAsync(thread.Id, new CreateRunRequest { AssistantId = RunSupport.AssistantId }, cancellationToken: RunSupport.Bounded());
        _api.Recorder.Clear();
        const string missing = "run_missing";
        var outputs = new SubmitToolOutputsRequest { ToolOutputs = [new ToolOutput { ToolCallId = "call_1", Output = "x" }] };

        NotFoundException[] errors =
        [
            await Assert.ThrowsAsync<NotFoundException>(() => Client.ModifyRunAsync(thread.Id, missing, new ModifyRunRequest())),
            await Assert.ThrowsAsync<NotFoundException>(() => Client.CancelRunAsync(thread.Id, missing)),
            await Assert.ThrowsAsync<NotFoundException>(() => Client.SubmitToolOuputsToRunAsync(thread.Id, missing, outputs)),
            await Assert.ThrowsAsync<NotFoundException>(() => Client.ListRunStepsAsync(thread.Id, missing)),
            await Assert.ThrowsAsync<NotFoundException>(() => Client.GetRunStepAsync(thread.Id, missing, "step_x")),
        ];
        NotFoundException step = await Assert.ThrowsAsync<NotFoundException>(() => Client.GetRunStepAsync(thread.Id, run.Id, "step_missing"));

        Assert.Equal(["modifyRun", "cancelRun", "submitToolOuputsToRun", "listRunSteps", "getRunStep"], Array.ConvertAll(errors, error => error.OperationId));
        Assert.All(errors, error => Assert.Equal("No run found with id 'run_missing'.", error.Error!.Message));
        Assert.Equal("No run step found with id 'step_missing'.", step.Error!.Message);
    }

    [Fact]
    public async Task Every_run_operation_on_an_unknown_thread_is_a_NotFoundException_naming_the_thread()
    {
        const string missing = "thread_missing";
        var outputs = new SubmitToolOutputsRequest { ToolOutputs = [new ToolOutput { ToolCallId = "call_1", Output = "x" }] };

        NotFoundException[] errors =
        [
            await Assert.ThrowsAsync<NotFoundException>(() => Client.CreateRunAsync(missing, new CreateRunRequest { AssistantId = RunSupport.AssistantId })),
            await Assert.ThrowsAsync<NotFoundException>(() => Client.CreateRunAndPollAsync(missing, new CreateRunRequest { AssistantId = RunSupport.AssistantId }, cancellationToken: RunSupport.Bounded())),
            await Assert.ThrowsAsync<NotFoundException>(() => Client.ListRunsAsync(missing)),
            await Assert.ThrowsAsync<NotFoundException>(() => Client.GetRunAsync(missing, "run_x")),
            await Assert.ThrowsAsync<NotFoundException>(() => Client.ModifyRunAsync(missing, "run_x", new ModifyRunRequest())),
            await Assert.ThrowsAsync<NotFoundException>(() => Client.CancelRunAsync(missing, "run_x")),
            await Assert.ThrowsAsync<NotFoundException>(() => Client.SubmitToolOuputsToRunAsync(missing, "run_x", outputs)),
            await Assert.ThrowsAsync<NotFoundException>(() => Client.ListRunStepsAsync(missing, "run_x")),
            await Assert.ThrowsAsync<NotFoundException>(() => Client.GetRunStepAsync(missing, "run_x", "step_x")),
        ];

        Assert.All(errors, error => Assert.Equal("No thread found with id 'thread_missing'.", error.Error!.Message));
        Assert.Equal(9, _api.Recorder.Requests.Count);
    }

    [Fact]
    public async Task A_run_whose_thread_is_deleted_while_it_is_polled_ends_the_poll_with_NotFoundException()
    {
        ThreadObject thread = await _api.NewThreadSayingAsync("Hello there");
        RunObject queued = await Client.CreateRunAsync(thread.Id, new CreateRunRequest { AssistantId = RunSupport.AssistantId });
        await Client.DeleteThreadAsync(thread.Id);

        NotFoundException error = await Assert.ThrowsAsync<NotFoundException>(() => Client.PollRunAsync(queued, TimeSpan.FromMilliseconds(1), cancellationToken: RunSupport.Bounded()));

        Assert.Equal("getRun", error.OperationId);
        Assert.Equal($"No thread found with id '{thread.Id}'.", error.Error!.Message);
    }

    [Fact]
    public async Task A_second_run_or_a_new_message_while_a_run_is_active_is_a_BadRequestException()
    {
        ThreadObject thread = await _api.NewThreadSayingAsync("Hello there");
        RunObject active = await Client.CreateRunAsync(thread.Id, new CreateRunRequest { AssistantId = RunSupport.AssistantId });

        BadRequestException secondRun = await Assert.ThrowsAsync<BadRequestException>(() => Client.CreateRunAsync(thread.Id, new CreateRunRequest { AssistantId = RunSupport.AssistantId }));
        BadRequestException message = await Assert.ThrowsAsync<BadRequestException>(() => Client.CreateMessageAsync(thread.Id, new CreateMessageRequest { Role = CreateMessageRequestRole.User, Content = "More" }));
        await Client.GetRunUntilAsync(active, RunObjectStatus.Completed);
        RunObject next = await Client.CreateRunAsync(thread.Id, new CreateRunRequest { AssistantId = RunSupport.AssistantId });

        Assert.Equal($"Thread {thread.Id} already has an active run {active.Id}.", secondRun.Error!.Message);
        Assert.Equal("createRun", secondRun.OperationId);
        Assert.Equal($"Can't add messages to {thread.Id} while a run {active.Id} is active.", message.Error!.Message);
        Assert.Equal(RunObjectStatus.Queued, next.Status);
    }

    [Fact]
    public async Task A_cursor_that_is_not_a_run_of_the_thread_is_a_BadRequestException_naming_the_cursor()
    {
        ThreadObject thread = await _api.NewThreadSayingAsync("Hello there");
        RunObject run = await Client.CreateRunAndPollAsync(thread.Id, new CreateRunRequest { AssistantId = RunSupport.AssistantId }, cancellationToken: RunSupport.Bounded());

        BadRequestException runs = await Assert.ThrowsAsync<BadRequestException>(() => Client.ListRunsAsync(thread.Id, after: "run_elsewhere"));
        BadRequestException steps = await Assert.ThrowsAsync<BadRequestException>(() => Client.ListRunStepsAsync(thread.Id, run.Id, before: "step_elsewhere"));

        Assert.Equal("after", runs.Error!.Param);
        Assert.Equal("Invalid 'after': no run found with id 'run_elsewhere' in this thread.", runs.Error.Message);
        Assert.Equal("before", steps.Error!.Param);
        Assert.Equal("Invalid 'before': no run step found with id 'step_elsewhere' in this run.", steps.Error.Message);
    }

    [Fact]
    public async Task A_body_the_client_lets_through_but_the_server_rejects_is_a_BadRequestException_naming_the_param()
    {
        // Enums are extensible on purpose, so the client sends a reasoning effort the server does not know.
        ThreadObject thread = await _api.NewThreadSayingAsync("Hello there");

        BadRequestException error = await Assert.ThrowsAsync<BadRequestException>(() => Client.CreateRunAsync(thread.Id, new CreateRunRequest
        {
            AssistantId = RunSupport.AssistantId,
            ReasoningEffort = "extreme",
        }));

        Assert.Equal("""{"assistant_id":"asst_integration","reasoning_effort":"extreme"}""", _api.Recorder.Single().Body);
        Assert.Equal("reasoning_effort", error.Error!.Param);
        Assert.StartsWith("Invalid value: 'extreme'.", error.Error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task An_empty_or_dot_run_id_is_refused_before_sending()
    {
        ThreadObject thread = await _api.NewThreadAsync();

        await Assert.ThrowsAsync<ArgumentException>(() => Client.GetRunAsync(thread.Id, ""));
        await Assert.ThrowsAsync<ArgumentException>(() => Client.CancelRunAsync(thread.Id, ".."));
        await Assert.ThrowsAsync<ArgumentException>(() => Client.GetRunStepAsync(thread.Id, "run_1", "."));

        Assert.Empty(_api.Recorder.Requests);
    }
}
