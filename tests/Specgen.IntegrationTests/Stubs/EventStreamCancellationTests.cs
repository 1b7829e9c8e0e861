using System;
using System.Collections.Generic;
using System.Diagnostics;
using System.Net.Http;
using System.Threading;
using System.Threading.Tasks;
using Specgen.IntegrationTests.OpenAI;
using Specgen.IntegrationTests.Support;
using Specgen.Runtime;

namespace Specgen.IntegrationTests.Stubs;

/// <summary>
/// Leaving a stream early, by <c>break</c> or by the token: no exception leaks out of a
/// <c>break</c>, a cancelled token is an <see cref="OperationCanceledException"/> carrying it, and
/// either way the connection is given back (the server sees the request aborted).
/// </summary>
public sealed class EventStreamCancellationTests
{
    private static readonly TimeSpan Bound = TimeSpan.FromSeconds(30);

    private static CreateRunRequest RunRequest => new() { AssistantId = "asst_stub" };

    [Fact]
    public async Task Leaving_the_loop_half_way_leaks_no_exception_and_releases_the_connection_which_the_server_sees_aborted()
    {
        await using EventStreamStub stub = await EventStreamStub.StartAsync(async stream =>
        {
            // An endless, slow stream: only the client leaving ends it.
            for (int i = 0; ; i++)
            {
                await stream.EventAsync("thread.message.delta", StubJson.MessageDelta($" word{i}"));
                await Task.Delay(20, stream.Aborted);
            }
        });
        using var handler = new SocketsHttpHandler { MaxConnectionsPerServer = 1 };
        using var http = new HttpClient(handler);
        ThreadsClient client = Client(stub, http);
        int seen = 0;

        await foreach (AssistantStreamEvent item in client.CreateRunStreamingAsync(StubJson.ThreadId, RunRequest, cancellationToken: Timeout()))
        {
            Assert.True(item.IsThreadMessageDelta);
            if (++seen == 3)
            {
                break;
            }
        }

        await stub.Aborted.WaitAsync(Bound);
        Exception? scriptEnd = await stub.Finished.WaitAsync(Bound);
        Assert.IsAssignableFrom<OperationCanceledException>(scriptEnd);
        Assert.Equal(3, seen);

        // One connection allowed: a second stream can only start if the first one's was given back.
        AssistantStreamEvent? first = null;
        await foreach (AssistantStreamEvent item in client.CreateRunStreamingAsync(StubJson.ThreadId, RunRequest, cancellationToken: Timeout()))
        {
            first = item;
            break;
        }

        Assert.True(first!.IsThreadMessageDelta);
        Assert.Equal(2, stub.Requests);
    }

    [Fact]
    public async Task Cancelling_the_token_while_a_read_waits_is_an_OperationCanceledException_with_that_token_and_aborts_the_request()
    {
        await using EventStreamStub stub = await EventStreamStub.StartAsync(async stream =>
        {
            await stream.EventAsync("thread.run.created", StubJson.Run("queued"));
            await stream.EventAsync("thread.run.queued", StubJson.Run("queued"));
            await stream.StallAsync();
        });
        using var cancellation = CancellationTokenSource.CreateLinkedTokenSource(Timeout());
        var received = new List<string?>();

        OperationCanceledException error = await Assert.ThrowsAnyAsync<OperationCanceledException>(async () =>
        {
            await foreach (AssistantStreamEvent item in Client(stub).CreateRunStreamingAsync(StubJson.ThreadId, RunRequest, cancellationToken: cancellation.Token))
            {
                received.Add(item.Event);
                if (received.Count == 2)
                {
                    // The server sends nothing more: the next read waits until the token fires.
                    cancellation.CancelAfter(50);
                }
            }
        });

        Assert.Equal(["thread.run.created", "thread.run.queued"], received);
        Assert.Equal(cancellation.Token, error.CancellationToken);
        await stub.Aborted.WaitAsync(Bound);
    }

    [Fact]
    public async Task Cancelling_through_WithCancellation_between_events_is_an_OperationCanceledException()
    {
        await using EventStreamStub stub = await EventStreamStub.StartAsync(async stream =>
        {
            await stream.EventAsync("thread.run.created", StubJson.Run("queued"));
            await stream.EventAsync("thread.run.queued", StubJson.Run("queued"));
            await stream.EventAsync("thread.run.in_progress", StubJson.Run("in_progress"));
            await stream.StallAsync();
        });
        using var cancellation = new CancellationTokenSource();
        var received = new List<string?>();

        await Assert.ThrowsAnyAsync<OperationCanceledException>(async () =>
        {
            await foreach (AssistantStreamEvent item in Client(stub).CreateRunStreamingAsync(StubJson.ThreadId, RunRequest).WithCancellation(cancellation.Token))
            {
                received.Add(item.Event);
                cancellation.Cancel();
            }
        });

        Assert.Equal(["thread.run.created"], received);
        await stub.Aborted.WaitAsync(Bound);
    }

    [Fact]
    public async Task A_token_cancelled_before_enumerating_sends_nothing()
    {
        await using EventStreamStub stub = await EventStreamStub.StartAsync(stream => stream.DoneAsync());
        using var cancellation = new CancellationTokenSource();
        cancellation.Cancel();

        OperationCanceledException error = await Assert.ThrowsAnyAsync<OperationCanceledException>(async () =>
        {
            await foreach (AssistantStreamEvent item in Client(stub).CreateRunStreamingAsync(StubJson.ThreadId, RunRequest, cancellationToken: cancellation.Token))
            {
                Assert.Fail($"Nothing should be read, got {item.Event}.");
            }
        });

        Assert.Equal(cancellation.Token, error.CancellationToken);
        Assert.Equal(0, stub.Requests);
    }

    [Fact]
    public async Task Leaving_the_loop_half_way_closes_the_connection_at_once()
    {
        await using EventStreamStub stub = await EventStreamStub.StartAsync(async stream =>
        {
            for (int i = 0; ; i++)
            {
                await stream.EventAsync("thread.message.delta", StubJson.MessageDelta($" word{i}"));
                await Task.Delay(20, stream.Aborted);
            }
        });
        int seen = 0;

        await foreach (AssistantStreamEvent item in Client(stub).CreateRunStreamingAsync(StubJson.ThreadId, RunRequest, cancellationToken: Timeout()))
        {
            if (++seen == 3)
            {
                break;
            }
        }

        var left = Stopwatch.StartNew();
        await stub.Aborted.WaitAsync(Bound);
        Assert.True(left.Elapsed < TimeSpan.FromSeconds(1), $"The server saw the client leave {left.ElapsedMilliseconds} ms after the loop ended.");
    }

    private static ThreadsClient Client(EventStreamStub stub, HttpClient? http = null)
    {
        var options = new ApiClientOptions { ApiKey = "sk-test", BaseAddress = stub.BaseAddress, MaxRetries = 0 };
        return http is null ? new ThreadsClient(options) : new ThreadsClient(options, http);
    }

    /// <summary>Every test ends within <see cref="Bound"/>: a hang fails instead of stalling the run.</summary>
    private static CancellationToken Timeout() => new CancellationTokenSource(Bound).Token;
}
