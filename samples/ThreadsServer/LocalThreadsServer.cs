using System;
using System.Linq;
using System.Net;
using System.Threading;
using System.Threading.Tasks;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace ThreadsServer;

/// <summary>
/// A local, in-memory server for OpenAI's Threads API: threads and messages (<c>createThread</c>,
/// <c>getThread</c>, <c>modifyThread</c>, <c>deleteThread</c>, <c>createMessage</c>,
/// <c>listMessages</c>, <c>getMessage</c>, <c>modifyMessage</c>, <c>deleteMessage</c>) and runs
/// (<c>createThreadAndRun</c>, <c>createRun</c>, <c>listRuns</c>, <c>getRun</c>, <c>modifyRun</c>,
/// <c>cancelRun</c>, <c>submitToolOuputsToRun</c>, <c>listRunSteps</c>, <c>getRunStep</c>),
/// answering in the official JSON shapes and error envelope, and streaming runs as server-sent
/// events when asked to. Runs are simulated without any model, deterministically: each
/// <c>getRun</c> moves a run one step (queued, in_progress, then completed or requires_action), and
/// the reply is <c>You said: &lt;last user message&gt;</c>. The rules are in
/// <c>samples/ThreadsServer/README.md</c>.
/// It listens on the loopback interface only, on a free port, and forgets everything when disposed.
/// </summary>
/// <example>
/// <code>
/// await using var server = await LocalThreadsServer.StartAsync();
/// using var http = new HttpClient();
/// var response = await http.PostAsync(server.BaseAddress + "/threads", null);
/// </code>
/// </example>
public sealed class LocalThreadsServer : IAsyncDisposable
{
    private readonly WebApplication _app;
    private int _disposed;

    private LocalThreadsServer(WebApplication app, Uri baseAddress)
    {
        _app = app;
        BaseAddress = baseAddress;
    }

    /// <summary>
    /// The root of the API, including the <c>/v1</c> prefix and without a trailing slash,
    /// for example <c>http://127.0.0.1:54321/v1</c>.
    /// </summary>
    public Uri BaseAddress { get; }

    /// <summary>
    /// Starts a server with an empty store on <c>http://127.0.0.1:0</c> (a free port chosen by the
    /// operating system) and returns once it accepts requests.
    /// </summary>
    /// <param name="cancellationToken">Cancels the start.</param>
    /// <returns>The running server; dispose it to stop it.</returns>
    public static Task<LocalThreadsServer> StartAsync(CancellationToken cancellationToken = default) =>
        StartAsync(new LocalThreadsServerOptions(), cancellationToken);

    /// <summary>
    /// Starts a server like <see cref="StartAsync(CancellationToken)"/>, with the given settings.
    /// </summary>
    /// <param name="options">The poll-after hint, stream pacing and clock.</param>
    /// <param name="cancellationToken">Cancels the start.</param>
    /// <returns>The running server; dispose it to stop it.</returns>
    public static async Task<LocalThreadsServer> StartAsync(LocalThreadsServerOptions options, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(options);
        options.Validate();

        // The empty builder reads no appsettings.json, environment variables or command line,
        // so nothing (ASPNETCORE_URLS, ASPNETCORE_HTTP_PORTS, a Kestrel section) can add another
        // address to the one below.
        var builder = WebApplication.CreateEmptyBuilder(new WebApplicationOptions
        {
            ApplicationName = typeof(LocalThreadsServer).Assembly.GetName().Name,
        });
        builder.WebHost.UseKestrelCore().ConfigureKestrel(options =>
        {
            options.AddServerHeader = false;
            options.Listen(IPAddress.Loopback, 0);
        });
        builder.Services.AddRoutingCore();

        // Quiet: an embedding console app sees warnings and errors only, never request logs.
        builder.Logging.AddSimpleConsole(options => options.SingleLine = true);
        builder.Logging.SetMinimumLevel(LogLevel.Warning);

        var app = builder.Build();
        ThreadsEndpoints.UseOpenAIConventions(app);
        ThreadsEndpoints.Map(app, new ThreadStore(options.TimeProvider), options);

        try
        {
            await app.StartAsync(cancellationToken).ConfigureAwait(false);
            var addresses = app.Services.GetRequiredService<IServer>().Features.GetRequiredFeature<IServerAddressesFeature>().Addresses;
            var root = new Uri(addresses.Single());
            return new LocalThreadsServer(app, new Uri(root, "/v1"));
        }
        catch
        {
            await app.DisposeAsync().ConfigureAwait(false);
            throw;
        }
    }

    /// <summary>Stops the server and discards its threads and messages. Safe to call more than once.</summary>
    /// <returns>A task that completes once the server has stopped.</returns>
    public async ValueTask DisposeAsync()
    {
        if (Interlocked.Exchange(ref _disposed, 1) != 0)
        {
            return;
        }

        try
        {
            await _app.StopAsync().ConfigureAwait(false);
        }
        finally
        {
            await _app.DisposeAsync().ConfigureAwait(false);
        }
    }
}
