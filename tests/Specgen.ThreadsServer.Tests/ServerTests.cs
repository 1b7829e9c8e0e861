using System;
using System.Net;
using System.Net.Http;
using System.Threading.Tasks;
using ThreadsServer;

namespace Specgen.ThreadsServer.Tests;

public sealed class ServerTests
{
    [Fact]
    public async Task The_server_listens_on_loopback_under_v1()
    {
        await using var server = await LocalThreadsServer.StartAsync();

        Assert.Equal("http", server.BaseAddress.Scheme);
        Assert.Equal("127.0.0.1", server.BaseAddress.Host);
        Assert.NotEqual(0, server.BaseAddress.Port);
        Assert.Equal("/v1", server.BaseAddress.AbsolutePath);
    }

    [Fact]
    public async Task Two_servers_get_different_ports_and_separate_stores()
    {
        await using var first = await LocalThreadsServer.StartAsync();
        await using var second = await LocalThreadsServer.StartAsync();
        using var http = new HttpClient();

        using var created = await http.PostAsync(first.BaseAddress + "/threads", null);
        var id = System.Text.Json.JsonDocument.Parse(await created.Content.ReadAsStringAsync()).RootElement.GetProperty("id").GetString();
        using var elsewhere = await http.GetAsync(second.BaseAddress + "/threads/" + id);

        Assert.NotEqual(first.BaseAddress.Port, second.BaseAddress.Port);
        Assert.Equal(HttpStatusCode.OK, created.StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, elsewhere.StatusCode);
    }

    [Fact]
    public async Task Requests_without_authorization_or_beta_headers_are_accepted()
    {
        await using var server = await LocalThreadsServer.StartAsync();
        using var http = new HttpClient();

        using var response = await http.PostAsync(server.BaseAddress + "/threads", null);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
    }

    [Fact]
    public async Task Every_request_gets_its_own_request_id()
    {
        await using var server = await LocalThreadsServer.StartAsync();
        using var http = new HttpClient();

        using var first = await http.PostAsync(server.BaseAddress + "/threads", null);
        using var second = await http.PostAsync(server.BaseAddress + "/threads", null);

        Assert.NotEqual(
            Assert.Single(first.Headers.GetValues("x-request-id")),
            Assert.Single(second.Headers.GetValues("x-request-id")));
    }

    [Fact]
    public async Task Disposing_stops_the_server_and_can_be_repeated()
    {
        var server = await LocalThreadsServer.StartAsync();
        var address = server.BaseAddress;

        await server.DisposeAsync();
        await server.DisposeAsync();

        using var http = new HttpClient();
        await Assert.ThrowsAsync<HttpRequestException>(() => http.GetAsync(address + "/threads/thread_x"));
    }

    [Fact]
    public async Task A_cancelled_start_throws()
    {
        using var cancelled = new System.Threading.CancellationTokenSource();
        cancelled.Cancel();

        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => LocalThreadsServer.StartAsync(cancelled.Token));
    }
}
