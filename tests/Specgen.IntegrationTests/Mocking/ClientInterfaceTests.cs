using System;
using System.Collections.Generic;
using System.Reflection;
using System.Threading;
using System.Threading.Tasks;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using NSubstitute;
using Specgen.IntegrationTests.OpenAI;
using Specgen.IntegrationTests.Support;
using Specgen.Runtime;

namespace Specgen.IntegrationTests.Mocking;

/// <summary>
/// The generated <c>IThreadsClient</c>: code that takes it runs in a unit test against a fake, with
/// no server, and the DI package registers the real client under it.
/// </summary>
public sealed class ClientInterfaceTests(ThreadsServerFixture server) : IClassFixture<ThreadsServerFixture>
{
    /// <summary>What a user's own code looks like: it takes the interface, not the client.</summary>
    private sealed class ThreadTitles(IThreadsClient threads)
    {
        public async Task<string> TitleOfAsync(string threadId, CancellationToken cancellationToken = default)
        {
            ThreadObject thread = await threads.GetThreadAsync(threadId, cancellationToken: cancellationToken);
            return thread.Metadata is { } metadata && metadata.TryGetValue("title", out string? title) ? title : "(untitled)";
        }
    }

    private static ThreadObject Thread(string id, string title) =>
        new() { Id = id, CreatedAt = DateTimeOffset.UnixEpoch, Metadata = new Dictionary<string, string> { ["title"] = title }, ToolResources = null };

    [Fact]
    public async Task The_readme_s_five_lines_fake_the_client_with_NSubstitute()
    {
        var threads = Substitute.For<IThreadsClient>();
        threads.GetThreadAsync("thread_1", Arg.Any<RequestOptions?>(), Arg.Any<CancellationToken>())
            .Returns(Thread("thread_1", "Weekly report"));
        var titles = new ThreadTitles(threads);
        Assert.Equal("Weekly report", await titles.TitleOfAsync("thread_1"));
    }

    [Fact]
    public async Task A_hand_written_fake_stands_in_for_the_client()
    {
        // No mocking library: a proxy that answers GetThreadAsync and refuses everything else.
        IThreadsClient threads = DispatchProxy.Create<IThreadsClient, FakeThreads>();

        Assert.Equal("Launch plan", await new ThreadTitles(threads).TitleOfAsync("thread_9"));
        await Assert.ThrowsAsync<NotSupportedException>(() => threads.DeleteThreadAsync("thread_9"));
    }

    public class FakeThreads : DispatchProxy
    {
        protected override object? Invoke(MethodInfo? targetMethod, object?[]? args) => targetMethod?.Name switch
        {
            nameof(IThreadsClient.GetThreadAsync) => Task.FromResult(Thread((string)args![0]!, "Launch plan")),
            _ => throw new NotSupportedException($"The fake does not answer {targetMethod?.Name}."),
        };
    }

    [Fact]
    public async Task The_DI_package_registers_the_real_client_under_its_interface_with_options_from_configuration()
    {
        IConfiguration configuration = new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["OpenAI:BaseAddress"] = server.BaseAddress.ToString(),
            ["OpenAI:ApiKey"] = RecordedClient.ApiKey,
            ["OpenAI:DefaultHeaders:OpenAI-Beta"] = "assistants=v2",
        }).Build();
        var services = new ServiceCollection();
        services.AddSpecgenClient<IThreadsClient, ThreadsClient>(configure: null, (options, http) => new ThreadsClient(options, http));
        services.AddOptions<ApiClientOptions>(nameof(ThreadsClient)).Bind(configuration.GetSection("OpenAI"));
        await using ServiceProvider provider = services.BuildServiceProvider();

        IThreadsClient threads = provider.GetRequiredService<IThreadsClient>();
        ThreadObject created = await threads.CreateThreadAsync(new CreateThreadRequest { Metadata = new Dictionary<string, string> { ["title"] = "From DI" } });

        Assert.IsType<ThreadsClient>(threads);
        Assert.Equal("From DI", await new ThreadTitles(threads).TitleOfAsync(created.Id));
    }
}
