using System;
using System.IO;
using System.Net;
using System.Text;
using System.Threading.Tasks;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace Specgen.Benchmarks.Runtime;

/// <summary>
/// A Threads and Messages server on 127.0.0.1 that answers every call with the same precomputed
/// bytes (the official JSON shapes), so that the three clients compared receive identical responses
/// and the server's own cost is as small and as constant as it can be. It runs in a process of its
/// own (<c>Specgen.Benchmarks serve</c>): its allocations must not count as the clients'.
/// </summary>
internal static class CannedThreadsServer
{
    public const string ThreadId = "thread_abc123";
    public const string MessageId = "msg_abc123";

    /// <summary>The thread whose message listing is one large page (<see cref="LargeListMessages"/> messages, 948 KB of JSON).</summary>
    public const string LargeThreadId = "thread_large";

    /// <summary>How many messages the large listing holds: each about 1 KB, with a text of 600 characters.</summary>
    public const int LargeListMessages = 1000;

    private static readonly byte[] Thread = Utf8("""
        {"id":"thread_abc123","object":"thread","created_at":1699012949,"metadata":{"topic":"travel","source":"bench"},"tool_resources":{}}
        """);

    private static readonly byte[] DeletedThread = Utf8("""{"id":"thread_abc123","object":"thread.deleted","deleted":true}""");

    private static readonly byte[] DeletedMessage = Utf8("""{"id":"msg_abc123","object":"thread.message.deleted","deleted":true}""");

    private static readonly byte[] Message = Utf8(MessageJson("msg_abc123", "Which neighbourhoods should I stay in?"));

    // One page of five (limit absent or above 2), or three pages of two, two and one (limit=2, paged by `after`).
    private static readonly byte[] WholeList = Utf8(ListJson(1, 5, hasMore: false));
    private static readonly byte[] Page1 = Utf8(ListJson(1, 2, hasMore: true));
    private static readonly byte[] Page2 = Utf8(ListJson(3, 4, hasMore: true));
    private static readonly byte[] Page3 = Utf8(ListJson(5, 5, hasMore: false));

    // Well over OpenAI's page limit of 100, on purpose: one response of about 1 MB (948 KB).
    private static readonly byte[] LargeList = Utf8(ListJson(1, LargeListMessages, hasMore: false, textLength: 600));

    /// <summary>The number of <c>thread.message.delta</c> events in a streamed run unless <c>serve</c> is given another.</summary>
    public const int DefaultDeltas = 1000;

    /// <summary>Serves until standard input closes; the first line written is the base address.</summary>
    /// <param name="deltas">How many <c>thread.message.delta</c> events a streamed run sends.</param>
    public static async Task<int> ServeAsync(int deltas = DefaultDeltas)
    {
        CannedRunStream run = CannedRunStream.Create(deltas);
        WebApplicationBuilder builder = WebApplication.CreateEmptyBuilder(new WebApplicationOptions());
        builder.WebHost.UseKestrelCore().ConfigureKestrel(options =>
        {
            options.AddServerHeader = false;
            options.Listen(IPAddress.Loopback, 0);
        });
        builder.Logging.ClearProviders();
        WebApplication app = builder.Build();
        app.Run(context => HandleAsync(context, run));
        await app.StartAsync();
        string address = app.Services.GetRequiredService<IServer>().Features.GetRequiredFeature<IServerAddressesFeature>().Addresses is { } addresses
            ? string.Join(" ", addresses) : throw new InvalidOperationException("Kestrel reported no address.");
        Console.WriteLine(address.TrimEnd('/') + "/v1");
        Console.Out.Flush();
        // The parent closes our standard input to stop us (or dies, which closes it too).
        await Console.In.ReadToEndAsync();
        await app.StopAsync();
        return 0;
    }

    private static Task HandleAsync(HttpContext context, CannedRunStream run)
    {
        HttpRequest request = context.Request;
        string path = request.Path.Value ?? string.Empty;
        // /v1/threads[/{thread_id}[/messages[/{message_id}]]], and /v1/threads/{thread_id}/runs
        string[] segments = path.Split('/', StringSplitOptions.RemoveEmptyEntries);
        if (request.Method == "POST" && segments is [_, _, _, "runs"])
        {
            return StreamAsync(context, run);
        }

        if (request.Method == "POST" && segments is [_, "files"])
        {
            return UploadAsync(context);
        }

        if (request.Method == "GET" && segments is [_, _, LargeThreadId, "messages"])
        {
            return WriteAsync(context, LargeList);
        }

        byte[]? body = (request.Method, segments.Length) switch
        {
            ("POST", 2) => Thread,
            ("GET" or "POST", 3) => Thread,
            ("DELETE", 3) => DeletedThread,
            ("POST", 4) => Message,
            ("GET", 4) => ListPage(request),
            ("GET" or "POST", 5) => Message,
            ("DELETE", 5) => DeletedMessage,
            _ => null,
        };
        if (body is null)
        {
            context.Response.StatusCode = 404;
            return Task.CompletedTask;
        }

        // Drain the request body so that every client's upload is complete before the answer.
        return WriteAsync(context, body);
    }

    // As a real server does: no Content-Length, and each event written (and so flushed) on its own.
    private static async Task StreamAsync(HttpContext context, CannedRunStream run)
    {
        await context.Request.Body.CopyToAsync(Stream.Null);
        context.Response.StatusCode = 200;
        context.Response.ContentType = "text/event-stream; charset=utf-8";
        context.Response.Headers["x-request-id"] = "req_bench";
        int start = 0;
        foreach (int end in run.EventEnds)
        {
            await context.Response.Body.WriteAsync(run.Bytes.AsMemory(start, end - start));
            start = end;
        }
    }

    // A file upload: the body is counted as it is drained, and the count is the file object's
    // `bytes`, so that a client can check its whole upload arrived.
    private static async Task UploadAsync(HttpContext context)
    {
        byte[] chunk = new byte[64 * 1024];
        long received = 0;
        int read;
        while ((read = await context.Request.Body.ReadAsync(chunk)) > 0)
        {
            received += read;
        }

        await WriteAsync(context, Utf8($$"""
            {"id":"file-abc123","object":"file","bytes":{{received}},"created_at":1699061776,"filename":"upload.jsonl","purpose":"assistants","status":"processed"}
            """));
    }

    private static async Task WriteAsync(HttpContext context, byte[] body)
    {
        if (context.Request.ContentLength is > 0 || context.Request.Headers.TransferEncoding.Count > 0)
        {
            await context.Request.Body.CopyToAsync(Stream.Null);
        }

        context.Response.StatusCode = 200;
        context.Response.ContentType = "application/json";
        context.Response.ContentLength = body.Length;
        context.Response.Headers["x-request-id"] = "req_bench";
        await context.Response.Body.WriteAsync(body);
    }

    private static byte[] ListPage(HttpRequest request)
    {
        if (request.Query["limit"] != "2")
        {
            return WholeList;
        }

        return request.Query["after"].ToString() switch
        {
            "msg_2" => Page2,
            "msg_4" => Page3,
            _ => Page1,
        };
    }

    private static string MessageJson(string id, string text) =>
        $$$"""{"id":"{{{id}}}","object":"thread.message","created_at":1699017614,"assistant_id":null,"thread_id":"thread_abc123","run_id":null,"status":"completed","incomplete_details":null,"completed_at":1699017614,"incomplete_at":null,"role":"user","content":[{"type":"text","text":{"value":"{{{text}}}","annotations":[]}}],"attachments":[],"metadata":{"pinned":"true"}}""";

    private static string ListJson(int first, int last, bool hasMore, int textLength = 0)
    {
        var data = new StringBuilder();
        for (int i = first; i <= last; i++)
        {
            string text = $"Message number {i} of the thread.";
            data.Append(i == first ? string.Empty : ",").Append(MessageJson($"msg_{i}", textLength > text.Length ? text + new string('x', textLength - text.Length) : text));
        }

        return $$"""{"object":"list","data":[{{data}}],"first_id":"msg_{{first}}","last_id":"msg_{{last}}","has_more":{{(hasMore ? "true" : "false")}}}""";
    }

    private static byte[] Utf8(string text) => Encoding.UTF8.GetBytes(text.Trim());
}
