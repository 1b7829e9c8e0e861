using System;
using System.Threading.Tasks;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Diagnostics;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;

namespace ThreadsServer;

/// <summary>
/// The HTTP surface: the OpenAI conventions every response follows (request id, error envelope)
/// and the eighteen Threads/Messages/Runs operations under <c>/v1</c>. Handlers are plain
/// <see cref="RequestDelegate"/>s, so no reflection-based parameter binding is involved.
/// </summary>
internal sealed partial class ThreadsEndpoints
{
    private readonly ThreadStore _store;
    private readonly LocalThreadsServerOptions _options;

    private ThreadsEndpoints(ThreadStore store, LocalThreadsServerOptions options)
    {
        _store = store;
        _options = options;
    }

    /// <summary>
    /// Adds the middleware: an <c>x-request-id</c> header on every response, exceptions turned into
    /// the error envelope, and the envelope for unknown routes (404) or methods (405).
    /// The <c>Authorization</c> and <c>OpenAI-Beta</c> request headers are accepted and ignored.
    /// </summary>
    public static void UseOpenAIConventions(WebApplication app)
    {
        app.Use(async (context, next) =>
        {
            context.Response.Headers["x-request-id"] = Ids.NewRequestId();
            try
            {
                await next(context).ConfigureAwait(false);
            }
            catch (ApiException error) when (!context.Response.HasStarted)
            {
                await ApiErrors.WriteAsync(context, error.StatusCode, error.Message, error.Param, error.Type).ConfigureAwait(false);
            }
            catch (BadHttpRequestException error) when (!context.Response.HasStarted)
            {
                await ApiErrors.WriteAsync(context, error.StatusCode, error.Message, null, ApiErrors.InvalidRequestError).ConfigureAwait(false);
            }
            catch (Exception) when (!context.Response.HasStarted && !context.RequestAborted.IsCancellationRequested)
            {
                await ApiErrors.WriteAsync(context, StatusCodes.Status500InternalServerError,
                    "The server had an error while processing your request.", null, "server_error").ConfigureAwait(false);
            }
        });

        // Runs for responses that end without a body, i.e. unmatched routes and methods.
        app.UseStatusCodePages(static (StatusCodeContext status) =>
        {
            var request = status.HttpContext.Request;
            return ApiErrors.WriteAsync(status.HttpContext, status.HttpContext.Response.StatusCode,
                $"Invalid URL ({request.Method} {request.Path}{request.QueryString})", null, ApiErrors.InvalidRequestError);
        });
    }

    /// <summary>Maps the eighteen operations under <c>/v1</c>, all backed by <paramref name="store"/>.</summary>
    public static void Map(IEndpointRouteBuilder routes, ThreadStore store, LocalThreadsServerOptions options)
    {
        var api = new ThreadsEndpoints(store, options);
        var v1 = routes.MapGroup("/v1");

        v1.MapPost("/threads", api.CreateThreadAsync);
        v1.MapGet("/threads/{thread_id}", api.GetThreadAsync);
        v1.MapPost("/threads/{thread_id}", api.ModifyThreadAsync);
        v1.MapDelete("/threads/{thread_id}", api.DeleteThreadAsync);

        v1.MapPost("/threads/{thread_id}/messages", api.CreateMessageAsync);
        v1.MapGet("/threads/{thread_id}/messages", api.ListMessagesAsync);
        v1.MapGet("/threads/{thread_id}/messages/{message_id}", api.GetMessageAsync);
        v1.MapPost("/threads/{thread_id}/messages/{message_id}", api.ModifyMessageAsync);
        v1.MapDelete("/threads/{thread_id}/messages/{message_id}", api.DeleteMessageAsync);

        api.MapRuns(v1);
    }

    // createThread: the body is optional (`curl -d ''` creates an empty thread).
    private async Task CreateThreadAsync(HttpContext context)
    {
        using var body = await RequestReaders.ReadBodyAsync(context, required: false).ConfigureAwait(false);
        var request = RequestReaders.ReadCreateThread(body?.RootElement);
        var (thread, _) = _store.CreateThread(request);
        await JsonShapes.RespondAsync(context, w => JsonShapes.WriteThread(w, thread)).ConfigureAwait(false);
    }

    private Task GetThreadAsync(HttpContext context)
    {
        var thread = _store.GetThread(Route(context, "thread_id"));
        return JsonShapes.RespondAsync(context, w => JsonShapes.WriteThread(w, thread));
    }

    private async Task ModifyThreadAsync(HttpContext context)
    {
        var threadId = Route(context, "thread_id");
        _store.GetThread(threadId); // An unknown thread is a 404 even when the body is also wrong.
        using var body = await RequestReaders.ReadBodyAsync(context, required: true).ConfigureAwait(false);
        var changes = RequestReaders.ReadModifyThread(body!.RootElement);
        var thread = _store.ModifyThread(threadId, changes);
        await JsonShapes.RespondAsync(context, w => JsonShapes.WriteThread(w, thread)).ConfigureAwait(false);
    }

    private Task DeleteThreadAsync(HttpContext context)
    {
        var threadId = Route(context, "thread_id");
        _store.DeleteThread(threadId);
        return JsonShapes.RespondAsync(context, w => JsonShapes.WriteDeleted(w, threadId, "thread.deleted"));
    }

    private async Task CreateMessageAsync(HttpContext context)
    {
        var threadId = Route(context, "thread_id");
        _store.GetThread(threadId);
        using var body = await RequestReaders.ReadBodyAsync(context, required: true).ConfigureAwait(false);
        var request = RequestReaders.ReadCreateMessage(body!.RootElement);
        var message = _store.CreateMessage(threadId, request);
        await JsonShapes.RespondAsync(context, w => JsonShapes.WriteMessage(w, message)).ConfigureAwait(false);
    }

    private Task ListMessagesAsync(HttpContext context)
    {
        var threadId = Route(context, "thread_id");
        _store.GetThread(threadId);
        var query = RequestReaders.ReadListQuery(context.Request.Query);
        var page = _store.ListMessages(threadId, query);
        return JsonShapes.RespondAsync(context, w => JsonShapes.WriteList(w, page, JsonShapes.WriteMessage, m => m.Id));
    }

    private Task GetMessageAsync(HttpContext context)
    {
        var message = _store.GetMessage(Route(context, "thread_id"), Route(context, "message_id"));
        return JsonShapes.RespondAsync(context, w => JsonShapes.WriteMessage(w, message));
    }

    private async Task ModifyMessageAsync(HttpContext context)
    {
        var threadId = Route(context, "thread_id");
        var messageId = Route(context, "message_id");
        _store.GetMessage(threadId, messageId);
        using var body = await RequestReaders.ReadBodyAsync(context, required: true).ConfigureAwait(false);
        var metadata = RequestReaders.ReadModifyMessage(body!.RootElement);
        var message = _store.ModifyMessage(threadId, messageId, metadata);
        await JsonShapes.RespondAsync(context, w => JsonShapes.WriteMessage(w, message)).ConfigureAwait(false);
    }

    private Task DeleteMessageAsync(HttpContext context)
    {
        var messageId = Route(context, "message_id");
        _store.DeleteMessage(Route(context, "thread_id"), messageId);
        return JsonShapes.RespondAsync(context, w => JsonShapes.WriteDeleted(w, messageId, "thread.message.deleted"));
    }

    private static string Route(HttpContext context, string name) =>
        context.Request.RouteValues[name] as string ?? string.Empty;
}
