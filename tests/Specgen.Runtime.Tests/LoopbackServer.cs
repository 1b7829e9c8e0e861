using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
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
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace Specgen.Runtime.Tests;

/// <summary>
/// A real Kestrel server on <c>http://127.0.0.1:{random port}</c> that answers every request with
/// one handler supplied by the test and records what arrived on the wire.
/// </summary>
/// <remarks>
/// The request is recorded (body included) <em>before</em> the handler runs, so a handler that
/// aborts the connection, throws or never answers still leaves a record. The handler can read the
/// body again from <see cref="HttpRequest.Body"/>. Exceptions thrown by the handler are kept in
/// <see cref="HandlerErrors"/> (Kestrel turns them into a 500 or a reset connection).
/// </remarks>
public sealed class LoopbackServer : IAsyncDisposable
{
    private readonly object _gate = new();
    private readonly List<RecordedRequest> _requests = new();
    private readonly List<Exception> _handlerErrors = new();
    private readonly List<(int Count, TaskCompletionSource Arrived)> _waiters = new();

    private WebApplication? _app;

    private LoopbackServer()
    {
    }

    /// <summary>The root address of the server, such as <c>http://127.0.0.1:54321/</c>.</summary>
    public Uri BaseAddress { get; private set; } = null!;

    /// <summary>Every request received so far, in arrival order (a snapshot).</summary>
    public IReadOnlyList<RecordedRequest> Requests
    {
        get
        {
            lock (_gate)
            {
                return _requests.ToArray();
            }
        }
    }

    /// <summary>How many requests have arrived so far.</summary>
    public int RequestCount
    {
        get
        {
            lock (_gate)
            {
                return _requests.Count;
            }
        }
    }

    /// <summary>Exceptions the handler threw (a broken test handler, not a client failure).</summary>
    public IReadOnlyList<Exception> HandlerErrors
    {
        get
        {
            lock (_gate)
            {
                return _handlerErrors.ToArray();
            }
        }
    }

    /// <summary>
    /// Completes when at least <paramref name="count"/> requests have arrived (recorded, before the
    /// handler runs); fails after <see cref="ManualClock.HangGuard"/> instead of hanging a broken test.
    /// </summary>
    public Task WaitForRequestsAsync(int count)
    {
        var arrived = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        lock (_gate)
        {
            if (_requests.Count >= count)
            {
                return Task.CompletedTask;
            }

            _waiters.Add((count, arrived));
        }

        return arrived.Task.WaitAsync(ManualClock.HangGuard);
    }

    /// <summary>Starts a server that answers every request with <paramref name="handler"/>.</summary>
    public static async Task<LoopbackServer> StartAsync(Func<HttpContext, Task> handler)
    {
        ArgumentNullException.ThrowIfNull(handler);

        WebApplicationBuilder builder = WebApplication.CreateSlimBuilder(new WebApplicationOptions
        {
            ContentRootPath = AppContext.BaseDirectory,
            EnvironmentName = Environments.Production,
        });
        builder.Logging.ClearProviders();
        builder.Services.Configure<HostOptions>(options => options.ShutdownTimeout = TimeSpan.FromSeconds(5));
        builder.WebHost.ConfigureKestrel(kestrel =>
        {
            kestrel.Listen(IPAddress.Loopback, 0);
            kestrel.AddServerHeader = false;
        });

        var server = new LoopbackServer();
        WebApplication app = builder.Build();
        server._app = app;
        app.Run(context => server.HandleAsync(context, handler));

        await app.StartAsync().ConfigureAwait(false);
        string address = app.Services.GetRequiredService<IServer>().Features.GetRequiredFeature<IServerAddressesFeature>().Addresses.Single();
        server.BaseAddress = new Uri(address.TrimEnd('/') + "/", UriKind.Absolute);
        return server;
    }

    /// <summary>Stops the server and closes its connections.</summary>
    public async ValueTask DisposeAsync()
    {
        if (_app is not null)
        {
            await _app.StopAsync().ConfigureAwait(false);
            await _app.DisposeAsync().ConfigureAwait(false);
            _app = null;
        }
    }

    private async Task HandleAsync(HttpContext context, Func<HttpContext, Task> handler)
    {
        HttpRequest request = context.Request;
        var body = new MemoryStream();
        await request.Body.CopyToAsync(body, context.RequestAborted).ConfigureAwait(false);
        byte[] bytes = body.ToArray();

        var headers = new Dictionary<string, string[]>(StringComparer.OrdinalIgnoreCase);
        foreach (KeyValuePair<string, Microsoft.Extensions.Primitives.StringValues> header in request.Headers)
        {
            headers[header.Key] = header.Value.Select(value => value ?? string.Empty).ToArray();
        }

        string rawTarget = context.Features.Get<IHttpRequestFeature>()?.RawTarget ?? string.Empty;
        var recorded = new RecordedRequest(
            request.Method,
            rawTarget,
            request.PathBase.Add(request.Path).Value ?? string.Empty,
            request.QueryString.Value ?? string.Empty,
            headers,
            bytes);
        lock (_gate)
        {
            _requests.Add(recorded);
            foreach ((int count, TaskCompletionSource arrived) in _waiters.FindAll(waiter => waiter.Count <= _requests.Count))
            {
                arrived.TrySetResult();
            }

            _waiters.RemoveAll(waiter => waiter.Count <= _requests.Count);
        }

        // Let the handler read the body as if nothing had touched it.
        request.Body = new MemoryStream(bytes, writable: false);
        try
        {
            await handler(context).ConfigureAwait(false);
        }
        catch (Exception ex)
        {
            lock (_gate)
            {
                _handlerErrors.Add(ex);
            }

            throw;
        }
    }
}

/// <summary>One request as the server received it.</summary>
/// <param name="Method">The HTTP method.</param>
/// <param name="RawTarget">The request target exactly as sent on the request line (path and query, not normalized or decoded).</param>
/// <param name="Path">The path after Kestrel's decoding and dot-segment removal (what routing sees).</param>
/// <param name="QueryString">The query string including the leading <c>?</c>, or empty.</param>
/// <param name="Headers">The request headers; names compare case-insensitively, repeated headers keep every value.</param>
/// <param name="Body">The request body bytes.</param>
public sealed record RecordedRequest(
    string Method,
    string RawTarget,
    string Path,
    string QueryString,
    IReadOnlyDictionary<string, string[]> Headers,
    byte[] Body)
{
    /// <summary>The raw target without its query string.</summary>
    public string RawPath => RawTarget.IndexOf('?', StringComparison.Ordinal) is int q and >= 0 ? RawTarget.Substring(0, q) : RawTarget;

    /// <summary>The body decoded as UTF-8.</summary>
    public string BodyText => Encoding.UTF8.GetString(Body);

    /// <summary>The values of a header (empty when it was not sent).</summary>
    public string[] HeaderValues(string name) => Headers.TryGetValue(name, out string[]? values) ? values : Array.Empty<string>();

    /// <summary>The single value of a header, or <see langword="null"/> when it was not sent; fails when it was sent more than once.</summary>
    public string? Header(string name)
    {
        string[] values = HeaderValues(name);
        return values.Length switch
        {
            0 => null,
            1 => values[0],
            _ => throw new InvalidOperationException($"The header '{name}' was sent {values.Length} times: {string.Join(" | ", values)}"),
        };
    }
}
