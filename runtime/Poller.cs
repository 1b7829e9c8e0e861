using System;
using System.Globalization;
using System.Threading;
using System.Threading.Tasks;

namespace Specgen.Runtime;

/// <summary>
/// Waits for a long-running resource (an OpenAI run, say) to reach a terminal status by reading it
/// again and again. Generated <c>Poll…Async</c> and <c>…AndPollAsync</c> methods call it.
/// </summary>
public static class Poller
{
    /// <summary>The wait between reads when the caller gives none.</summary>
    public static readonly TimeSpan DefaultInterval = TimeSpan.FromSeconds(1);

    /// <summary>The header a server uses to say how long to wait before the next read (milliseconds).</summary>
    public const string PollAfterHeader = "openai-poll-after-ms";

    /// <summary>
    /// Returns <paramref name="current"/> once <paramref name="isTerminal"/> holds for it, reading it
    /// again with <paramref name="refresh"/> until then. Between reads it waits
    /// <c>openai-poll-after-ms</c> when the last response carried it, else <paramref name="interval"/>,
    /// on <paramref name="timeProvider"/>'s clock (the client's <see cref="ApiClientOptions.TimeProvider"/>).
    /// </summary>
    /// <exception cref="OperationCanceledException"><paramref name="cancellationToken"/> was cancelled.</exception>
    public static async Task<T> PollAsync<T>(
        T current,
        Func<T, bool> isTerminal,
        Func<T, CancellationToken, Task<ApiResponse<T>>> refresh,
        TimeSpan? interval,
        CancellationToken cancellationToken,
        string? initialPollAfter = null,
        TimeProvider? timeProvider = null)
    {
        TimeProvider clock = timeProvider ?? TimeProvider.System;
        TimeSpan fallback = interval ?? DefaultInterval;
        if (fallback < TimeSpan.Zero)
        {
            throw new ArgumentOutOfRangeException(nameof(interval), interval, "The poll interval must not be negative.");
        }

        string? pollAfter = initialPollAfter;
        while (!isTerminal(current))
        {
            await Task.Delay(Delay(pollAfter, fallback), clock, cancellationToken).ConfigureAwait(false);
            ApiResponse<T> response = await refresh(current, cancellationToken).ConfigureAwait(false);
            current = response.Value;
            response.Headers.TryGetValue(PollAfterHeader, out pollAfter);
        }

        return current;
    }

    /// <summary>The server's hint when it is a sane number of milliseconds, else the caller's interval.</summary>
    internal static TimeSpan Delay(string? pollAfter, TimeSpan fallback) =>
        pollAfter is not null
        && long.TryParse(pollAfter, NumberStyles.None, CultureInfo.InvariantCulture, out long milliseconds)
        && milliseconds <= (long)TimeSpan.FromMinutes(10).TotalMilliseconds
            ? TimeSpan.FromMilliseconds(milliseconds)
            : fallback;
}
