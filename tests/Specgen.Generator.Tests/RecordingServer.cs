using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using System.Net;
using System.Threading.Tasks;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace Specgen.Generator.Tests;

/// <summary>One request as Kestrel read it: method, path, query, headers (content headers included) and body.</summary>
public sealed record Seen(string Method, string Path, string Query, IReadOnlyDictionary<string, string> Headers, string Body)
{
    public string? Authorization => Header("Authorization");

    public string? Cookie => Header("Cookie");

    /// <summary>The header's value (several joined with <c>, </c>), or null when it was not sent.</summary>
    public string? Header(string name) => Headers.TryGetValue(name, out string? value) ? value : null;
}

/// <summary>
/// Kestrel on loopback that keeps every request it reads and answers with the test's responder,
/// for what generated clients put on the wire and how they take what comes back.
/// </summary>
public sealed class RecordingServer : IAsyncDisposable
{
    private readonly WebApplication _app;
    private readonly List<Seen> _seen = new();

    private RecordingServer(WebApplication app) => _app = app;

    public Uri BaseAddress { get; private set; } = null!;

    public IReadOnlyList<Seen> Seen
    {
        get
        {
            lock (_seen)
            {
                return _seen.ToArray();
            }
        }
    }

    public static async Task<RecordingServer> StartAsync(Func<HttpContext, Task> respond)
    {
        WebApplicationBuilder builder = WebApplication.CreateSlimBuilder();
        builder.WebHost.ConfigureKestrel(kestrel => kestrel.Listen(IPAddress.Loopback, 0));
        builder.Logging.ClearProviders();
        WebApplication app = builder.Build();
        var server = new RecordingServer(app);
        app.Run(async context =>
        {
            HttpRequest request = context.Request;
            var bytes = new MemoryStream();
            await request.Body.CopyToAsync(bytes, context.RequestAborted);
            string body = System.Text.Encoding.UTF8.GetString(bytes.ToArray());

            // The responder reads the body again from the start.
            request.Body = new MemoryStream(bytes.ToArray(), writable: false);
            var headers = request.Headers.ToDictionary(h => h.Key, h => h.Value.ToString(), StringComparer.OrdinalIgnoreCase);
            lock (server._seen)
            {
                server._seen.Add(new Seen(request.Method, request.Path, request.QueryString.Value ?? string.Empty, headers, body));
            }

            await respond(context);
        });
        await app.StartAsync();
        string address = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First();
        server.BaseAddress = new Uri(address.TrimEnd('/') + "/");
        return server;
    }

    public async ValueTask DisposeAsync()
    {
        await _app.StopAsync();
        await _app.DisposeAsync();
    }
}
