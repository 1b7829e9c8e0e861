using System;
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

namespace Specgen.IntegrationTests.Support;

/// <summary>
/// A real Kestrel server on <c>http://127.0.0.1:{free port}</c> that answers every request with one
/// handler, for the responses <c>ThreadsServer</c> never sends (newer servers, broken bodies).
/// </summary>
public sealed class StubServer : IAsyncDisposable
{
    private readonly WebApplication _app;

    private StubServer(WebApplication app, Uri root)
    {
        _app = app;
        BaseAddress = new Uri(root, "/v1");
    }

    /// <summary>The API root, <c>http://127.0.0.1:{port}/v1</c>, like <c>LocalThreadsServer.BaseAddress</c>.</summary>
    public Uri BaseAddress { get; }

    /// <summary>Starts a server that answers every request with <paramref name="handler"/>.</summary>
    public static async Task<StubServer> StartAsync(RequestDelegate handler)
    {
        WebApplicationBuilder builder = WebApplication.CreateEmptyBuilder(new WebApplicationOptions());
        builder.WebHost.UseKestrelCore().ConfigureKestrel(kestrel =>
        {
            kestrel.AddServerHeader = false;
            kestrel.Listen(IPAddress.Loopback, 0);
        });
        WebApplication app = builder.Build();
        app.Run(handler);
        await app.StartAsync();
        string address = app.Services.GetRequiredService<IServer>().Features.GetRequiredFeature<IServerAddressesFeature>().Addresses.Single();
        return new StubServer(app, new Uri(address));
    }

    /// <summary>Starts a server that answers every request with <paramref name="status"/> and <paramref name="body"/> (sent as they are).</summary>
    public static Task<StubServer> RespondingAsync(int status, byte[] body, string contentType = "application/json") =>
        StartAsync(async context =>
        {
            context.Response.StatusCode = status;
            context.Response.ContentType = contentType;
            context.Response.Headers["x-request-id"] = "req_stub";
            context.Response.ContentLength = body.Length;
            await context.Response.Body.WriteAsync(body);
        });

    /// <summary>Starts a server that answers every request with <paramref name="status"/> and the UTF-8 <paramref name="body"/>.</summary>
    public static Task<StubServer> RespondingAsync(int status, string body, string contentType = "application/json") =>
        RespondingAsync(status, Encoding.UTF8.GetBytes(body), contentType);

    public async ValueTask DisposeAsync()
    {
        await _app.StopAsync();
        await _app.DisposeAsync();
    }
}
