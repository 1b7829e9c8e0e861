using System;
using System.Buffers;
using System.Collections.Generic;
using System.Globalization;
using System.IO;
using System.Threading.Tasks;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.AspNetCore.Routing;

namespace ThreadsServer;

/// <summary>
/// The nine run operations, and the server-sent event streams of <c>createThreadAndRun</c>,
/// <c>createRun</c> and <c>submitToolOuputsToRun</c> when the body says <c>"stream": true</c>.
/// </summary>
internal sealed partial class ThreadsEndpoints
{
    /// <summary>The header that tells a poller how long to wait before asking again.</summary>
    public const string PollAfterHeader = "openai-poll-after-ms";

    private void MapRuns(IEndpointRouteBuilder v1)
    {
        v1.MapPost("/threads/runs", CreateThreadAndRunAsync);
        v1.MapPost("/threads/{thread_id}/runs", CreateRunAsync);
        v1.MapGet("/threads/{thread_id}/runs", ListRunsAsync);
        v1.MapGet("/threads/{thread_id}/runs/{run_id}", GetRunAsync);
        v1.MapPost("/threads/{thread_id}/runs/{run_id}", ModifyRunAsync);
        v1.MapPost("/threads/{thread_id}/runs/{run_id}/cancel", CancelRunAsync);
        v1.MapPost("/threads/{thread_id}/runs/{run_id}/submit_tool_outputs", SubmitToolOutputsAsync);
        v1.MapGet("/threads/{thread_id}/runs/{run_id}/steps", ListRunStepsAsync);
        v1.MapGet("/threads/{thread_id}/runs/{run_id}/steps/{step_id}", GetRunStepAsync);
    }

    private async Task CreateThreadAndRunAsync(HttpContext context)
    {
        using var body = await RequestReaders.ReadBodyAsync(context, required: true).ConfigureAwait(false);
        var request = RequestReaders.ReadCreateThreadAndRun(body!.RootElement);
        var stream = request.Stream ? new object() : null;
        var (thread, run, events) = _store.CreateThreadAndRun(request, stream);
        await RespondAsync(context, stream, thread.Id, run, events).ConfigureAwait(false);
    }

    private async Task CreateRunAsync(HttpContext context)
    {
        var threadId = Route(context, "thread_id");
        _store.GetThread(threadId);
        RequestReaders.ReadInclude(context.Request.Query);
        using var body = await RequestReaders.ReadBodyAsync(context, required: true).ConfigureAwait(false);
        var request = RequestReaders.ReadCreateRun(body!.RootElement);
        var stream = request.Stream ? new object() : null;
        var (run, events) = _store.CreateRun(threadId, request, stream);
        await RespondAsync(context, stream, threadId, run, events).ConfigureAwait(false);
    }

    private Task ListRunsAsync(HttpContext context)
    {
        var threadId = Route(context, "thread_id");
        _store.GetThread(threadId);
        var page = _store.ListRuns(threadId, RequestReaders.ReadListQuery(context.Request.Query));
        return JsonShapes.RespondAsync(context, w => JsonShapes.WriteList(w, page, JsonShapes.WriteRun, r => r.Id));
    }

    // Each getRun moves the run one step (unless a stream is driving it): see ThreadStore.Runs.
    private Task GetRunAsync(HttpContext context)
    {
        var (run, _) = _store.AdvanceRun(Route(context, "thread_id"), Route(context, "run_id"), stream: null);
        return RespondRunAsync(context, run);
    }

    private async Task ModifyRunAsync(HttpContext context)
    {
        var threadId = Route(context, "thread_id");
        var runId = Route(context, "run_id");
        _store.GetRun(threadId, runId);
        using var body = await RequestReaders.ReadBodyAsync(context, required: true).ConfigureAwait(false);
        var metadata = RequestReaders.ReadModifyRun(body!.RootElement);
        await RespondRunAsync(context, _store.ModifyRun(threadId, runId, metadata)).ConfigureAwait(false);
    }

    // The body, if any, is ignored: the operation has none.
    private Task CancelRunAsync(HttpContext context) =>
        RespondRunAsync(context, _store.CancelRun(Route(context, "thread_id"), Route(context, "run_id")));

    private async Task SubmitToolOutputsAsync(HttpContext context)
    {
        var threadId = Route(context, "thread_id");
        var runId = Route(context, "run_id");
        _store.GetRun(threadId, runId);
        using var body = await RequestReaders.ReadBodyAsync(context, required: true).ConfigureAwait(false);
        var request = RequestReaders.ReadSubmitToolOutputs(body!.RootElement);
        var stream = request.Stream ? new object() : null;
        var (run, events) = _store.SubmitToolOutputs(threadId, runId, request, stream);
        await RespondAsync(context, stream, threadId, run, events).ConfigureAwait(false);
    }

    private Task ListRunStepsAsync(HttpContext context)
    {
        var threadId = Route(context, "thread_id");
        var runId = Route(context, "run_id");
        _store.GetRun(threadId, runId);
        RequestReaders.ReadInclude(context.Request.Query);
        var page = _store.ListRunSteps(threadId, runId, RequestReaders.ReadListQuery(context.Request.Query));
        return JsonShapes.RespondAsync(context, w => JsonShapes.WriteList(w, page, JsonShapes.WriteStep, s => s.Id));
    }

    private Task GetRunStepAsync(HttpContext context)
    {
        var threadId = Route(context, "thread_id");
        var runId = Route(context, "run_id");
        _store.GetRun(threadId, runId);
        RequestReaders.ReadInclude(context.Request.Query);
        var step = _store.GetRunStep(threadId, runId, Route(context, "step_id"));
        return JsonShapes.RespondAsync(context, w => JsonShapes.WriteStep(w, step));
    }

    // A stream token (a fresh object per streaming request) marks the run as that stream's to drive.
    private Task RespondAsync(HttpContext context, object? stream, string threadId, RunRecord run, IReadOnlyList<RunEvent> events) =>
        stream is not null ? StreamAsync(context, stream, threadId, run.Id, events) : RespondRunAsync(context, run);

    /// <summary>A run as JSON, with the poll-after hint.</summary>
    private Task RespondRunAsync(HttpContext context, RunRecord run)
    {
        if (_options.PollAfterMilliseconds is { } milliseconds)
        {
            context.Response.Headers[PollAfterHeader] = milliseconds.ToString(CultureInfo.InvariantCulture);
        }

        return JsonShapes.RespondAsync(context, w => JsonShapes.WriteRun(w, run));
    }

    /// <summary>
    /// Streams the run: the events so far, then those of each transition until the run completes,
    /// is cancelled or requires action, then <c>done</c>. Each event is flushed as it is written.
    /// If the thread disappears meanwhile, an <c>error</c> event precedes <c>done</c>. If the client
    /// goes away, the run stays where the stream left it and polling moves it on from there.
    /// </summary>
    private async Task StreamAsync(HttpContext context, object stream, string threadId, string runId, IReadOnlyList<RunEvent> events)
    {
        var aborted = context.RequestAborted;
        try
        {
            context.Response.StatusCode = StatusCodes.Status200OK;
            context.Response.ContentType = "text/event-stream; charset=utf-8";
            context.Response.Headers.CacheControl = "no-cache";
            context.Features.Get<IHttpResponseBodyFeature>()?.DisableBuffering();
            await context.Response.StartAsync(aborted).ConfigureAwait(false);

            await SendEventsAsync(context, events).ConfigureAwait(false);
            while (true)
            {
                RunRecord run;
                try
                {
                    (run, events) = _store.AdvanceRun(threadId, runId, stream);
                }
                catch (ApiException error)
                {
                    await SendEventsAsync(context, [new RunEvent("error", error)]).ConfigureAwait(false);
                    break;
                }

                await SendEventsAsync(context, events).ConfigureAwait(false);
                if (events.Count == 0 || run.Status == RunStatus.RequiresAction || RunStatus.IsTerminal(run.Status))
                {
                    break;
                }
            }

            var done = new ArrayBufferWriter<byte>();
            JsonShapes.WriteDone(done);
            await context.Response.Body.WriteAsync(done.WrittenMemory, aborted).ConfigureAwait(false);
            await context.Response.Body.FlushAsync(aborted).ConfigureAwait(false);
        }
        catch (Exception error) when (error is OperationCanceledException or IOException && aborted.IsCancellationRequested)
        {
            // The client went away; nothing is left to tell it.
        }
        finally
        {
            _store.EndStream(threadId, runId, stream);
        }
    }

    private async Task SendEventsAsync(HttpContext context, IReadOnlyList<RunEvent> events)
    {
        foreach (var runEvent in events)
        {
            var buffer = new ArrayBufferWriter<byte>();
            JsonShapes.WriteEvent(buffer, runEvent);
            await context.Response.Body.WriteAsync(buffer.WrittenMemory, context.RequestAborted).ConfigureAwait(false);
            await context.Response.Body.FlushAsync(context.RequestAborted).ConfigureAwait(false);
            if (_options.StreamEventDelay > TimeSpan.Zero)
            {
                await Task.Delay(_options.StreamEventDelay, context.RequestAborted).ConfigureAwait(false);
            }
        }
    }
}
