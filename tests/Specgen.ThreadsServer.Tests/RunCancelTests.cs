using System.Linq;
using System.Net;
using System.Text.Json;
using System.Threading.Tasks;
using ThreadsServer;
using static Specgen.ThreadsServer.Tests.RunHelpers;

namespace Specgen.ThreadsServer.Tests;

public sealed class RunCancelTests : IClassFixture<ServerFixture>
{
    private readonly ServerFixture _server;

    public RunCancelTests(ServerFixture server)
    {
        _server = server;
    }

    [Fact]
    public async Task A_queued_run_goes_through_cancelling_to_cancelled()
    {
        var threadId = await _server.ThreadSayingAsync("Hello");
        var runId = (await _server.CreateRunAsync(threadId)).GetProperty("id").GetString()!;

        var cancelling = await _server.PostAsync($"threads/{threadId}/runs/{runId}/cancel", null);
        var statuses = await _server.PollAsync(threadId, runId, "cancelled");
        var run = await _server.GetRunAsync(threadId, runId);

        Assert.Equal(HttpStatusCode.OK, cancelling.Status);
        Assert.Equal("cancelling", cancelling.String("status"));
        Assert.Equal(JsonValueKind.Null, cancelling.Json.GetProperty("cancelled_at").ValueKind);
        Assert.Equal(["cancelled"], statuses);
        Assert.Equal(JsonValueKind.Number, run.GetProperty("cancelled_at").ValueKind);
        Assert.Equal(JsonValueKind.Null, run.GetProperty("completed_at").ValueKind);
        Assert.Equal(JsonValueKind.Null, run.GetProperty("started_at").ValueKind);
        Assert.Equal(JsonValueKind.Null, run.GetProperty("expires_at").ValueKind);
        Assert.Equal("""{"prompt_tokens":0,"completion_tokens":0,"total_tokens":0}""", Compact(run.GetProperty("usage")));
        Assert.Empty(await _server.ListAllAsync($"threads/{threadId}/runs/{runId}/steps"));
        Assert.Single(await _server.ListAllAsync($"threads/{threadId}/messages"));
    }

    [Fact]
    public async Task Cancelling_a_run_in_progress_cancels_its_step_and_leaves_its_reply_incomplete()
    {
        var clock = new ManualClock();
        await using var server = await ServerFixture.StartAsync(new LocalThreadsServerOptions { TimeProvider = clock });
        var threadId = await server.ThreadSayingAsync("Hello");
        var runId = (await server.CreateRunAsync(threadId)).GetProperty("id").GetString()!;
        await server.GetRunAsync(threadId, runId);
        clock.Advance(5);

        await server.PostAsync($"threads/{threadId}/runs/{runId}/cancel", null);
        var run = await server.GetRunAsync(threadId, runId);
        var step = Assert.Single(await server.ListAllAsync($"threads/{threadId}/runs/{runId}/steps"));
        var reply = (await server.ListAllAsync($"threads/{threadId}/messages?run_id={runId}")).Single();

        Assert.Equal("cancelled", run.GetProperty("status").GetString());
        Assert.Equal(clock.UnixSeconds, run.GetProperty("cancelled_at").GetInt64());
        Assert.Equal("cancelled", step.GetProperty("status").GetString());
        Assert.Equal(clock.UnixSeconds, step.GetProperty("cancelled_at").GetInt64());
        Assert.Equal(JsonValueKind.Null, step.GetProperty("completed_at").ValueKind);
        Assert.Equal("incomplete", reply.GetProperty("status").GetString());
        Assert.Equal("""{"reason":"run_cancelled"}""", Compact(reply.GetProperty("incomplete_details")));
        Assert.Equal(clock.UnixSeconds, reply.GetProperty("incomplete_at").GetInt64());
        Assert.Equal("[]", Compact(reply.GetProperty("content")));
    }

    [Fact]
    public async Task A_run_waiting_for_tool_outputs_can_be_cancelled()
    {
        var threadId = await _server.ThreadSayingAsync("get_weather");
        var runId = (await _server.CreateRunAsync(threadId, $$"""{"assistant_id": "asst_1", "tools": [{{FunctionTool("get_weather")}}]}"""))
            .GetProperty("id").GetString()!;
        await _server.PollAsync(threadId, runId, "requires_action");

        var cancelling = await _server.PostAsync($"threads/{threadId}/runs/{runId}/cancel", null);
        var run = await _server.GetRunAsync(threadId, runId);
        var step = Assert.Single(await _server.ListAllAsync($"threads/{threadId}/runs/{runId}/steps"));

        Assert.Equal("cancelling", cancelling.String("status"));
        Assert.Equal("cancelled", run.GetProperty("status").GetString());
        Assert.Equal(JsonValueKind.Null, run.GetProperty("required_action").ValueKind);
        Assert.Equal("cancelled", step.GetProperty("status").GetString());
    }

    [Theory]
    [InlineData("cancelling", 0)]
    [InlineData("cancelled", 1)]
    public async Task A_run_already_cancelling_or_cancelled_cannot_be_cancelled(string status, int polls)
    {
        var threadId = await _server.ThreadSayingAsync("Hello");
        var runId = (await _server.CreateRunAsync(threadId)).GetProperty("id").GetString()!;
        await _server.PostAsync($"threads/{threadId}/runs/{runId}/cancel", null);
        for (var i = 0; i < polls; i++)
        {
            await _server.GetRunAsync(threadId, runId);
        }

        var again = await _server.PostAsync($"threads/{threadId}/runs/{runId}/cancel", null);

        Assert.Equal(HttpStatusCode.BadRequest, again.Status);
        Assert.Equal($"Cannot cancel run with status '{status}'.", again.ErrorMessage);
        Assert.Equal("invalid_request_error", again.Json.GetProperty("error").GetProperty("type").GetString());
    }

    [Fact]
    public async Task A_completed_run_cannot_be_cancelled()
    {
        var threadId = await _server.ThreadSayingAsync("Hello");
        var runId = (await _server.CreateRunAsync(threadId)).GetProperty("id").GetString()!;
        await _server.PollAsync(threadId, runId, "completed");

        var response = await _server.PostAsync($"threads/{threadId}/runs/{runId}/cancel", null);

        Assert.Equal(HttpStatusCode.BadRequest, response.Status);
        Assert.Equal("Cannot cancel run with status 'completed'.", response.ErrorMessage);
        Assert.Equal("completed", (await _server.GetRunAsync(threadId, runId)).GetProperty("status").GetString());
    }

    [Fact]
    public async Task Cancelling_unknown_runs_or_threads_is_a_404()
    {
        var threadId = await _server.ThreadSayingAsync("Hello");

        var unknownRun = await _server.PostAsync($"threads/{threadId}/runs/run_nope/cancel", null);
        var unknownThread = await _server.PostAsync("threads/thread_nope/runs/run_nope/cancel", null);

        Assert.Equal(HttpStatusCode.NotFound, unknownRun.Status);
        Assert.Equal("No run found with id 'run_nope'.", unknownRun.ErrorMessage);
        Assert.Equal(HttpStatusCode.NotFound, unknownThread.Status);
        Assert.Equal("No thread found with id 'thread_nope'.", unknownThread.ErrorMessage);
    }

    [Fact]
    public async Task A_cancelled_run_frees_the_thread_for_the_next_one()
    {
        var threadId = await _server.ThreadSayingAsync("Hello");
        var runId = (await _server.CreateRunAsync(threadId)).GetProperty("id").GetString()!;
        await _server.PostAsync($"threads/{threadId}/runs/{runId}/cancel", null);
        await _server.PollAsync(threadId, runId, "cancelled");

        var next = await _server.PostAsync($"threads/{threadId}/runs", Assistant);

        Assert.Equal(HttpStatusCode.OK, next.Status);
    }
}
