using System;
using System.Collections.Concurrent;
using System.Collections.Generic;
using System.Linq;
using System.Net.Http;
using System.Threading;
using System.Threading.Tasks;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace Specgen.Runtime.Tests;

/// <summary><c>AddSpecgenClient</c>: a generated client as a typed client of IHttpClientFactory, with named, bindable options.</summary>
public sealed class DependencyInjectionTests
{
    [Fact]
    public async Task A_registered_client_sends_through_the_factory_and_its_handlers_see_every_try()
    {
        await using LoopbackServer server = await LoopbackServer.StartAsync(Respond.Sequence(Respond.Error(503), Respond.Item()));
        var counter = new CountingHandler();
        var services = new ServiceCollection();
        IHttpClientBuilder builder = services.AddSpecgenClient<ItemsClient>(
            options =>
            {
                options.BaseAddress = new Uri(server.BaseAddress, "v1");
                options.ApiKey = TestClient.ApiKey;
                options.InitialRetryDelay = TimeSpan.Zero;
            },
            (options, http) => new ItemsClient(options, http));
        builder.AddHttpMessageHandler(() => counter);
        await using ServiceProvider provider = services.BuildServiceProvider();

        ItemsClient client = provider.GetRequiredService<ItemsClient>();
        ApiResponse<Item> response = await client.GetItemAsync("item_1");

        Assert.Equal("item_1", response.Value.Id);
        Assert.Equal(nameof(ItemsClient), builder.Name);
        Assert.Equal(2, counter.Sent);
        Assert.Equal(2, server.RequestCount);
        Assert.Equal("Bearer " + TestClient.ApiKey, server.Requests[1].Header("Authorization"));
        Assert.Equal(Timeout.InfiniteTimeSpan, client.Pipeline.HttpClient.Timeout);
    }

    [Fact]
    public async Task Options_bind_from_configuration_by_the_clients_name()
    {
        await using LoopbackServer server = await LoopbackServer.StartAsync(Respond.Item());
        IConfiguration configuration = new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["Items:BaseAddress"] = new Uri(server.BaseAddress, "v1").ToString(),
            ["Items:ApiKey"] = TestClient.ApiKey,
            ["Items:MaxRetries"] = "5",
            ["Items:Timeout"] = "00:00:42",
            ["Items:IdempotencyHeader"] = "Idempotency-Key",
            ["Items:DefaultHeaders:OpenAI-Beta"] = "assistants=v2",
        }).Build();
        var services = new ServiceCollection();
        services.AddSpecgenClient<ItemsClient>(configure: null, pipeline => new ItemsClient(pipeline));
        services.AddOptions<ApiClientOptions>(nameof(ItemsClient)).Bind(configuration.GetSection("Items"));
        await using ServiceProvider provider = services.BuildServiceProvider();

        ItemsClient client = provider.GetRequiredService<ItemsClient>();
        await client.CreateItemAsync();

        RecordedRequest seen = Assert.Single(server.Requests);
        Assert.Equal("assistants=v2", seen.Header("OpenAI-Beta"));
        Assert.Equal("Bearer " + TestClient.ApiKey, seen.Header("Authorization"));
        Assert.NotNull(seen.Header("Idempotency-Key"));
        ApiClientOptions bound = provider.GetRequiredService<Microsoft.Extensions.Options.IOptionsMonitor<ApiClientOptions>>().Get(nameof(ItemsClient));
        Assert.Equal(5, bound.MaxRetries);
        Assert.Equal(TimeSpan.FromSeconds(42), bound.Timeout);
    }

    [Fact]
    public async Task The_factorys_logs_never_show_the_api_key()
    {
        await using LoopbackServer server = await LoopbackServer.StartAsync(Respond.Item());
        var logs = new ListLoggerProvider();
        var services = new ServiceCollection();
        services.AddLogging(logging => logging.SetMinimumLevel(LogLevel.Trace).AddProvider(logs));
        services.AddSpecgenClient<ItemsClient>(
            options =>
            {
                options.BaseAddress = new Uri(server.BaseAddress, "v1");
                options.ApiKey = TestClient.ApiKey;
                options.DefaultHeaders["api-key"] = TestClient.ApiKey;
            },
            (options, http) => new ItemsClient(options, http));
        await using ServiceProvider provider = services.BuildServiceProvider();

        await provider.GetRequiredService<ItemsClient>().GetItemAsync("item_1");

        Assert.Contains(logs.Messages, message => message.Contains("Authorization", StringComparison.Ordinal));
        Assert.All(logs.Messages, message => Assert.DoesNotContain(TestClient.ApiKey, message, StringComparison.Ordinal));
    }

    /// <summary>A client in the shape the generator emits: both constructors, one operation each way.</summary>
    public sealed class ItemsClient
    {
        public static readonly Uri DefaultBaseAddress = new("https://items.example.invalid/v1");

        public ItemsClient(ApiClientOptions options, HttpClient? httpClient = null)
            : this(new ApiPipeline(options, DefaultBaseAddress, httpClient))
        {
        }

        public ItemsClient(ApiPipeline pipeline) => Pipeline = pipeline;

        public ApiPipeline Pipeline { get; }

        public Task<ApiResponse<Item>> GetItemAsync(string id, RequestOptions? options = null, CancellationToken cancellationToken = default) =>
            Pipeline.SendAsync(new ApiRequest(HttpMethod.Get, "getItem").AppendPath("/items/").AppendPathParameter("item_id", id), Readers.ReadItem, options, cancellationToken);

        public Task<ApiResponse<Item>> CreateItemAsync(RequestOptions? options = null, CancellationToken cancellationToken = default) =>
            Pipeline.SendAsync(new ApiRequest(HttpMethod.Post, "createItem").AppendPath("/items").SetJsonBody(new Item("new", 1), Readers.WriteItem), Readers.ReadItem, options, cancellationToken);
    }

    private sealed class CountingHandler : DelegatingHandler
    {
        private int _sent;

        public int Sent => _sent;

        protected override Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
        {
            Interlocked.Increment(ref _sent);
            return base.SendAsync(request, cancellationToken);
        }
    }
}
