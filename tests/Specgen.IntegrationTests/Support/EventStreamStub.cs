using System;
using System.Text;
using System.Threading;
using System.Threading.Tasks;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.Features;

namespace Specgen.IntegrationTests.Support;

/// <summary>
/// A Kestrel server that answers with a <c>text/event-stream</c> written by a test's script, byte
/// for byte, flushed after each write: for the streams ThreadsServer never sends (broken data,
/// unknown events, CRLF, comments, a stream that stops early or stalls). It records what the
/// server side sees of the client: when the request is aborted (the client closed the connection)
/// and when the script finished.
/// </summary>
public sealed class EventStreamStub : IAsyncDisposable
{
    private readonly StubServer _server;
    private readonly TaskCompletionSource _aborted = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private readonly TaskCompletionSource<Exception?> _finished = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private int _requests;

    private EventStreamStub(StubServer server)
    {
        _server = server;
    }

    /// <summary>The API root, <c>http://127.0.0.1:{port}/v1</c>.</summary>
    public Uri BaseAddress => _server.BaseAddress;

    /// <summary>How many requests arrived.</summary>
    public int Requests => Volatile.Read(ref _requests);

    /// <summary>Completes when the server saw the client go away (<c>HttpContext.RequestAborted</c>).</summary>
    public Task Aborted => _aborted.Task;

    /// <summary>Completes when the script returned or threw (the exception, if any, is the result).</summary>
    public Task<Exception?> Finished => _finished.Task;

    /// <summary>Starts a server whose every request is answered 200 <c>text/event-stream</c> by <paramref name="script"/>.</summary>
    public static async Task<EventStreamStub> StartAsync(Func<EventStreamWriter, Task> script)
    {
        EventStreamStub? stub = null;
        StubServer server = await StubServer.StartAsync(async context =>
        {
            Interlocked.Increment(ref stub!._requests);
            context.RequestAborted.Register(() => stub._aborted.TrySetResult());
            try
            {
                context.Response.StatusCode = StatusCodes.Status200OK;
                context.Response.ContentType = "text/event-stream; charset=utf-8";
                context.Response.Headers["x-request-id"] = "req_stream";
                context.Features.Get<IHttpResponseBodyFeature>()?.DisableBuffering();
                await context.Response.StartAsync(context.RequestAborted);
                await script(new EventStreamWriter(context));
                stub._finished.TrySetResult(null);
            }
            catch (Exception ex)
            {
                stub._finished.TrySetResult(ex);
            }
        });
        stub = new EventStreamStub(server);
        return stub;
    }

    public ValueTask DisposeAsync() => _server.DisposeAsync();
}

/// <summary>Writes to the response of an <see cref="EventStreamStub"/>; every write is flushed at once.</summary>
public sealed class EventStreamWriter(HttpContext context)
{
    /// <summary>The request being answered.</summary>
    public HttpContext Context { get; } = context;

    /// <summary>Fires when the client goes away.</summary>
    public CancellationToken Aborted => Context.RequestAborted;

    /// <summary>Writes <paramref name="text"/> exactly as given (line endings included) and flushes it.</summary>
    public async Task RawAsync(string text)
    {
        await Context.Response.Body.WriteAsync(Encoding.UTF8.GetBytes(text), Aborted);
        await Context.Response.Body.FlushAsync(Aborted);
    }

    /// <summary>Writes one event the way OpenAI does: <c>event: name\ndata: data\n\n</c>.</summary>
    public Task EventAsync(string name, string data) => RawAsync($"event: {name}\ndata: {data}\n\n");

    /// <summary>Writes the end event, <c>event: done\ndata: [DONE]\n\n</c>.</summary>
    public Task DoneAsync() => EventAsync("done", "[DONE]");

    /// <summary>Waits until the client goes away (or <paramref name="limit"/> passes, which fails the script).</summary>
    public async Task StallAsync(TimeSpan? limit = null)
    {
        try
        {
            await Task.Delay(limit ?? TimeSpan.FromSeconds(30), Aborted);
        }
        catch (OperationCanceledException) when (Aborted.IsCancellationRequested)
        {
            return;
        }

        throw new TimeoutException("The client never went away.");
    }
}

/// <summary>The smallest valid JSON of the objects the stub streams.</summary>
public static class StubJson
{
    public const string ThreadId = "thread_stub";

    public const string RunId = "run_stub";

    public const string MessageId = "msg_stub";

    public static string Run(string status) =>
        $$"""{"id":"{{RunId}}","object":"thread.run","created_at":1767225600,"thread_id":"{{ThreadId}}","assistant_id":"asst_stub","status":"{{status}}","required_action":null,"last_error":null,"expires_at":null,"started_at":null,"cancelled_at":null,"failed_at":null,"completed_at":null,"incomplete_details":null,"model":"gpt-4o","instructions":"","tools":[],"metadata":{},"usage":null,"temperature":1,"top_p":1,"max_prompt_tokens":null,"max_completion_tokens":null,"truncation_strategy":{"type":"auto","last_messages":null},"tool_choice":"auto","parallel_tool_calls":true,"response_format":"auto"}""";

    public static string MessageDelta(string text) =>
        $$$"""{"id":"{{{MessageId}}}","object":"thread.message.delta","delta":{"content":[{"index":0,"type":"text","text":{"value":"{{{System.Text.Json.JsonEncodedText.Encode(text)}}}","annotations":[]}}]}}""";
}
