using System;
using System.Collections.Generic;
using System.Net;
using System.Threading;
using System.Threading.Tasks;
using Specgen.Runtime;

namespace Specgen.Runtime.Tests;

public class PollerTests
{
    private static ApiResponse<string> Response(string status, string? pollAfter = null)
    {
        var headers = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase);
        if (pollAfter is not null)
        {
            headers[Poller.PollAfterHeader] = pollAfter;
        }

        return new ApiResponse<string>(status, HttpStatusCode.OK, headers);
    }

    [Fact]
    public async Task A_resource_that_is_already_done_is_returned_without_reading_it_again()
    {
        int reads = 0;

        string result = await Poller.PollAsync("completed", s => s == "completed", (_, _) => { reads++; return Task.FromResult(Response("x")); }, TimeSpan.Zero, CancellationToken.None);

        Assert.Equal("completed", result);
        Assert.Equal(0, reads);
    }

    [Fact]
    public async Task Polling_reads_until_a_terminal_status_and_returns_the_last_read()
    {
        var statuses = new Queue<string>(new[] { "in_progress", "in_progress", "completed", "never read" });

        string result = await Poller.PollAsync("queued", s => s == "completed", (_, _) => Task.FromResult(Response(statuses.Dequeue())), TimeSpan.Zero, CancellationToken.None);

        Assert.Equal("completed", result);
        Assert.Equal("never read", Assert.Single(statuses));
    }

    [Theory]
    [InlineData("250", 250)]
    [InlineData("0", 0)]
    [InlineData("not a number", 1000)]
    [InlineData("-5", 1000)]
    [InlineData("999999999999", 1000)]
    [InlineData(null, 1000)]
    public void The_servers_poll_after_header_wins_when_it_is_a_sane_number(string? header, int expectedMilliseconds)
    {
        Assert.Equal(TimeSpan.FromMilliseconds(expectedMilliseconds), Poller.Delay(header, TimeSpan.FromSeconds(1)));
    }

    [Fact]
    public async Task Cancelling_stops_the_wait_between_reads()
    {
        using var cancellation = new CancellationTokenSource();
        int reads = 0;
        Task<string> polling = Poller.PollAsync("queued", _ => false, (_, _) => { reads++; return Task.FromResult(Response("queued")); }, TimeSpan.FromMinutes(5), cancellation.Token);

        cancellation.Cancel();

        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => polling);
        Assert.Equal(0, reads);
    }

    [Fact]
    public async Task A_negative_interval_is_refused()
    {
        await Assert.ThrowsAsync<ArgumentOutOfRangeException>(() =>
            Poller.PollAsync("queued", _ => false, (_, _) => Task.FromResult(Response("queued")), TimeSpan.FromSeconds(-1), CancellationToken.None));
    }

    [Fact]
    public async Task The_waits_between_reads_run_on_the_given_clock()
    {
        var clock = new ManualClock();
        var statuses = new Queue<string>(new[] { "in_progress", "completed" });

        Task<string> polling = Poller.PollAsync("queued", s => s == "completed", (_, _) => Task.FromResult(Response(statuses.Dequeue())), TimeSpan.FromMinutes(10), CancellationToken.None, timeProvider: clock);
        for (int i = 0; i < 2; i++)
        {
            // Advance only once the wait is on the clock: advancing earlier would leave it pending.
            Assert.Equal(TimeSpan.FromMinutes(10), await clock.NextScheduledAsync());
            Assert.False(polling.IsCompleted);
            clock.Advance(TimeSpan.FromMinutes(10));
        }

        Assert.Equal("completed", await polling.WaitAsync(TimeSpan.FromSeconds(10)));
    }
}
