using System;
using System.Net.Http;
using System.Threading.Tasks;

namespace Specgen.Runtime.Tests;

/// <summary>
/// Operations with a server of their own (a path item's or an operation's <c>servers</c>) go there,
/// whatever the base address says, unless <see cref="ApiClientOptions.ServerAddresses"/> redirects them.
/// </summary>
public sealed class ServerAddressTests
{
    [Fact]
    public async Task An_operation_with_its_own_server_goes_there_and_the_others_go_to_the_base_address()
    {
        await using LoopbackServer main = await LoopbackServer.StartAsync(Respond.Item());
        await using LoopbackServer upload = await LoopbackServer.StartAsync(Respond.Item());
        using TestClient client = new(main);
        string uploadServer = new Uri(upload.BaseAddress, "api/2.0").AbsoluteUri;

        await client.GetItemAsync(new ApiRequest(HttpMethod.Get, "uploadItem") { Server = uploadServer }.AppendPath("/items/1"));
        await client.GetItemAsync(new ApiRequest(HttpMethod.Get, "getItem").AppendPath("/items/1"));

        Assert.Equal("/api/2.0/items/1", Assert.Single(upload.Requests).Path);
        Assert.Equal("/v1/items/1", Assert.Single(main.Requests).Path);
    }

    [Fact]
    public async Task ServerAddresses_redirects_a_server_by_its_address_in_the_spec_ignoring_case_and_a_trailing_slash()
    {
        await using LoopbackServer mock = await LoopbackServer.StartAsync(Respond.Item());
        using TestClient client = new(mock, options => options.ServerAddresses["HTTPS://upload.example.com/api/2.0/"] = new Uri(mock.BaseAddress, "mocked"));

        await client.GetItemAsync(new ApiRequest(HttpMethod.Get, "uploadItem") { Server = "https://upload.example.com/api/2.0" }.AppendPath("/items/1"));

        Assert.Equal("/mocked/items/1", Assert.Single(mock.Requests).Path);
    }

    [Fact]
    public async Task A_plain_http_server_on_another_machine_is_refused_before_anything_is_sent()
    {
        await using LoopbackServer main = await LoopbackServer.StartAsync(Respond.Item());
        using TestClient client = new(main);

        InvalidOperationException error = await Assert.ThrowsAsync<InvalidOperationException>(
            () => client.GetItemAsync(new ApiRequest(HttpMethod.Get, "uploadItem") { Server = "http://upload.example.com" }.AppendPath("/items/1")));

        Assert.Contains("plain http", error.Message, StringComparison.Ordinal);
        Assert.Contains("ApiClientOptions.ServerAddresses", error.Message, StringComparison.Ordinal);
        Assert.Equal(0, main.RequestCount);
    }

    [Fact]
    public void A_redirection_must_be_absolute_and_follows_the_plain_http_rule()
    {
        var relative = new ApiClientOptions { BaseAddress = new Uri("https://api.example.com") };
        relative.ServerAddresses["https://upload.example.com"] = new Uri("/relative", UriKind.Relative);
        var insecure = new ApiClientOptions { BaseAddress = new Uri("https://api.example.com") };
        insecure.ServerAddresses["https://upload.example.com"] = new Uri("http://proxy.example.com");

        Assert.Contains("must be absolute", Assert.Throws<ArgumentException>(() => new ApiPipeline(relative, null)).Message, StringComparison.Ordinal);
        Assert.Contains("plain http", Assert.Throws<ArgumentException>(() => new ApiPipeline(insecure, null)).Message, StringComparison.Ordinal);
        insecure.AllowInsecureHttp = true;
        Assert.NotNull(new ApiPipeline(insecure, null));
    }
}
