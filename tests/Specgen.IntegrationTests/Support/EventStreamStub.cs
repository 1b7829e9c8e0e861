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

    /// <summary>Writes <paramref name="bytes"/> exactly as given and flushes them.</summary>
    public async Task BytesAsync(byte[] bytes)
    {
        await Context.Response.Body.WriteAsync(bytes, Aborted);
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

    public const string Thread = """{"id":"thread_stub","object":"thread","created_at":1767225600,"tool_resources":{},"metadata":{"k":"v"}}""";

    /// <summary>A tool_calls step with one call of each kind: code interpreter (logs and an image), file search (a result), function.</summary>
    public static string ToolStep(string status) =>
        $$$"""{"id":"step_stub","object":"thread.run.step","created_at":1767225600,"assistant_id":"asst_stub","thread_id":"{{{ThreadId}}}","run_id":"{{{RunId}}}","type":"tool_calls","status":"{{{status}}}","step_details":{"type":"tool_calls","tool_calls":[{"id":"call_ci","type":"code_interpreter","code_interpreter":{"input":"print(6*7)","outputs":[{"type":"logs","logs":"42"},{"type":"image","image":{"file_id":"file_plot"}}]}},{"id":"call_fs","type":"file_search","file_search":{"ranking_options":{"ranker":"auto","score_threshold":0.5},"results":[{"file_id":"file_doc","file_name":"doc.txt","score":0.9,"content":[{"type":"text","text":"Lisbon"}]}]}},{"id":"call_fn","type":"function","function":{"name":"get_weather","arguments":"{}","output":"sunny"}}]},"last_error":null,"expired_at":null,"cancelled_at":null,"failed_at":null,"completed_at":null,"metadata":{},"usage":null}""";

    /// <summary>The delta of <see cref="ToolStep"/>: one call of each kind, by index.</summary>
    public const string ToolStepDelta =
        """{"id":"step_stub","object":"thread.run.step.delta","delta":{"step_details":{"type":"tool_calls","tool_calls":[{"index":0,"id":"call_ci","type":"code_interpreter","code_interpreter":{"input":"print(","outputs":[{"index":0,"type":"logs","logs":"4"},{"index":1,"type":"image","image":{"file_id":"file_plot"}}]}},{"index":1,"id":"call_fs","type":"file_search","file_search":{}},{"index":2,"id":"call_fn","type":"function","function":{"name":"get_weather","arguments":"{\"ci","output":null}}]}}}""";

    /// <summary>An assistant message with a text part carrying a file citation, and an image file part.</summary>
    public static string Message(string status) =>
        $$$"""{"id":"{{{MessageId}}}","object":"thread.message","created_at":1767225600,"thread_id":"{{{ThreadId}}}","status":"{{{status}}}","incomplete_details":null,"completed_at":null,"incomplete_at":null,"role":"assistant","content":[{"type":"text","text":{"value":"See [1].","annotations":[{"type":"file_citation","text":"[1]","file_citation":{"file_id":"file_doc"},"start_index":4,"end_index":7}]}},{"type":"image_file","image_file":{"file_id":"file_plot","detail":"low"}}],"assistant_id":"asst_stub","run_id":"{{{RunId}}}","attachments":[],"metadata":{}}""";

    /// <summary>A message delta with a part of each kind: image file, text with both annotation kinds, refusal, image URL.</summary>
    public const string RichMessageDelta =
        """{"id":"msg_stub","object":"thread.message.delta","delta":{"role":"assistant","content":[{"index":0,"type":"image_file","image_file":{"file_id":"file_plot","detail":"high"}},{"index":1,"type":"text","text":{"value":"See [1] and [2].","annotations":[{"index":0,"type":"file_citation","text":"[1]","file_citation":{"file_id":"file_doc","quote":"Lisbon"},"start_index":4,"end_index":7},{"index":1,"type":"file_path","text":"[2]","file_path":{"file_id":"file_out"},"start_index":12,"end_index":15}]}},{"index":2,"type":"refusal","refusal":"No."},{"index":3,"type":"image_url","image_url":{"url":"https://example.com/a.png","detail":"auto"}}]}}""";

    public const string Error = """{"code":"server_error","message":"Sorry, something went wrong.","param":null,"type":"server_error"}""";
}
