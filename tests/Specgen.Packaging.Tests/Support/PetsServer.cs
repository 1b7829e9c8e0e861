using System;
using System.Linq;
using System.Net;
using System.Text.Json.Nodes;
using System.Threading.Tasks;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.Extensions.DependencyInjection;

namespace Specgen.Packaging.Tests.Support;

/// <summary>
/// The server of the consumer test's small Pets API, on 127.0.0.1 and a free port:
/// <c>GET /v1/pets/{pet_id}</c> and <c>POST /v1/pets</c>, answering what the spec says.
/// </summary>
internal sealed class PetsServer : IAsyncDisposable
{
    private readonly WebApplication _app;

    private PetsServer(WebApplication app, Uri baseAddress)
    {
        _app = app;
        BaseAddress = baseAddress;
    }

    /// <summary>The API root, <c>http://127.0.0.1:port/v1</c>.</summary>
    public Uri BaseAddress { get; }

    public static async Task<PetsServer> StartAsync()
    {
        WebApplicationBuilder builder = WebApplication.CreateEmptyBuilder(new WebApplicationOptions());
        builder.WebHost.UseKestrelCore().ConfigureKestrel(options => options.Listen(IPAddress.Loopback, 0));
        builder.Services.AddRoutingCore();
        WebApplication app = builder.Build();
        app.MapGet("/v1/pets/{petId}", (string petId) => Json(new JsonObject { ["id"] = petId, ["name"] = "Rex" }));
        app.MapPost("/v1/pets", async (HttpRequest request) =>
        {
            JsonNode? body = await JsonNode.ParseAsync(request.Body);
            return Json(new JsonObject { ["id"] = "pet_2", ["name"] = body?["name"]?.GetValue<string>() });
        });
        await app.StartAsync();
        string address = app.Services.GetRequiredService<IServer>().Features.GetRequiredFeature<IServerAddressesFeature>().Addresses.Single();
        return new PetsServer(app, new Uri(address.TrimEnd('/') + "/v1"));
    }

    public async ValueTask DisposeAsync()
    {
        await _app.StopAsync();
        await _app.DisposeAsync();
    }

    private static IResult Json(JsonObject value) => Results.Text(value.ToJsonString(), "application/json");
}
