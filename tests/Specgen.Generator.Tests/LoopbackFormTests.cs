using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using System.Net;
using System.Net.Http;
using System.Text;
using System.Threading;
using System.Threading.Tasks;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Specgen.Runtime;

namespace Specgen.Generator.Tests;

/// <summary>
/// Form and multipart bodies from generated clients, read by ASP.NET Core's own form reader on a
/// real Kestrel on loopback: what a server framework makes of the bytes, not just the bytes.
/// </summary>
public sealed class LoopbackFormTests
{
    [Fact]
    public async Task A_form_body_reads_back_as_the_fields_a_server_expects()
    {
        using GeneratedAssembly generated = GeneratedAssembly.FromScenario("FormBody");
        await using FormServer server = await FormServer.StartAsync("""{"sid":"SM1"}""");
        object client = server.Client(generated);
        object body = generated.Read("CreateMessageRequest", """
            {"To":"+1 555 (123)","Body":"Hé & bye","StatusCallbackEvent":["a","b"],"Attributes":{"priority":2,"labels":["x","y"]},"Metadata":{"k":"v"},"Tags":["t1","t2"]}
            """);

        await GeneratedAssembly.CallAsync(client, "CreateMessageAsync", "AC1", body, null, CancellationToken.None);

        Received received = Assert.Single(server.Received);
        Assert.Equal("/Accounts/AC1/Messages.json", received.Path);
        Assert.Equal(new[] { "+1 555 (123)" }, received.Fields["To"]);
        Assert.Equal(new[] { "Hé & bye" }, received.Fields["Body"]);
        Assert.Equal(new[] { "a", "b" }, received.Fields["StatusCallbackEvent"]);
        Assert.Equal(new[] { "2" }, received.Fields["Attributes[priority]"]);
        Assert.Equal(new[] { "y" }, received.Fields["Attributes[labels][1]"]);
        Assert.Equal(new[] { """{"k":"v"}""" }, received.Fields["Metadata"]);
        Assert.Equal(new[] { "t1|t2" }, received.Fields["Tags"]);
        Assert.Empty(received.Files);
    }

    [Fact]
    public async Task A_multipart_body_reads_back_as_fields_and_files_with_their_names_and_types()
    {
        using GeneratedAssembly generated = GeneratedAssembly.FromScenario("Files");
        await using FormServer server = await FormServer.StartAsync("""{"id":"img"}""");
        object client = server.Client(generated);
        object body = generated.Read("CreateImageEditRequest", """{"image":"","prompt":"a hat, \"red\"","n":2,"options":{"quality":"high"}}""");
        byte[] png = Enumerable.Range(0, 70_000).Select(i => (byte)(i * 7)).ToArray();
        var images = new List<FileUpload> { new(new MemoryStream(png), "cat photo.png", "image/png"), new(new byte[] { 1, 2 }, "dög.png", "image/png") };
        GeneratedAssembly.Set(body, "Image", generated.CallStatic("CreateImageEditRequestImage", "FromFiles", images));

        await GeneratedAssembly.CallAsync(client, "CreateImageEditAsync", body, null, CancellationToken.None);

        Received received = Assert.Single(server.Received);
        Assert.Equal(new[] { "a hat, \"red\"" }, received.Fields["prompt"]);
        Assert.Equal(new[] { "2" }, received.Fields["n"]);
        Assert.Equal(new[] { """{"quality":"high"}""" }, received.Fields["options"]);
        Assert.Equal(new[] { ("image", "cat photo.png", "image/png"), ("image", "dög.png", "image/png") }, received.Files.Select(f => (f.Name, f.FileName, f.ContentType)));
        Assert.Equal(png, received.Files[0].Content);
        Assert.Equal(new byte[] { 1, 2 }, received.Files[1].Content);
    }

    private sealed record ReceivedFile(string Name, string FileName, string ContentType, byte[] Content);

    private sealed record Received(string Path, Dictionary<string, string[]> Fields, List<ReceivedFile> Files);

    /// <summary>Kestrel on 127.0.0.1, port 0: reads each request's form with ASP.NET Core and answers with a fixed JSON body.</summary>
    private sealed class FormServer : IAsyncDisposable
    {
        private readonly WebApplication _app;
        private readonly List<Received> _received = new();

        private FormServer(WebApplication app) => _app = app;

        public IReadOnlyList<Received> Received
        {
            get
            {
                lock (_received)
                {
                    return _received.ToArray();
                }
            }
        }

        public Uri BaseAddress { get; private set; } = null!;

        public static async Task<FormServer> StartAsync(string answer)
        {
            WebApplicationBuilder builder = WebApplication.CreateSlimBuilder();
            builder.WebHost.ConfigureKestrel(kestrel => kestrel.Listen(IPAddress.Loopback, 0));
            builder.Logging.ClearProviders();
            WebApplication app = builder.Build();
            var server = new FormServer(app);
            app.Run(async context =>
            {
                IFormCollection form = await context.Request.ReadFormAsync(context.RequestAborted);
                var files = new List<ReceivedFile>();
                foreach (IFormFile file in form.Files)
                {
                    using var copy = new MemoryStream();
                    await file.CopyToAsync(copy, context.RequestAborted);
                    files.Add(new ReceivedFile(file.Name, file.FileName, file.ContentType, copy.ToArray()));
                }

                lock (server._received)
                {
                    server._received.Add(new Received(context.Request.Path, form.ToDictionary(f => f.Key, f => f.Value.Select(v => v ?? string.Empty).ToArray(), StringComparer.Ordinal), files));
                }

                context.Response.ContentType = "application/json";
                await context.Response.WriteAsync(answer, context.RequestAborted);
            });
            await app.StartAsync();
            string address = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First();
            server.BaseAddress = new Uri(address.EndsWith('/') ? address : address + "/");
            return server;
        }

        public object Client(GeneratedAssembly generated) =>
            Activator.CreateInstance(generated.Type("TestClient"), new ApiClientOptions { BaseAddress = BaseAddress, MaxRetries = 0 }, new HttpClient())!;

        public async ValueTask DisposeAsync()
        {
            await _app.StopAsync();
            await _app.DisposeAsync();
        }
    }
}
