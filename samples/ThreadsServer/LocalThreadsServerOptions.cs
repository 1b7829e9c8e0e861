using System;

namespace ThreadsServer;

/// <summary>Optional settings of a <see cref="LocalThreadsServer"/>; the defaults suit tests and samples.</summary>
public sealed class LocalThreadsServerOptions
{
    /// <summary>
    /// The value of the <c>openai-poll-after-ms</c> header sent with every run returned as JSON
    /// (create, get, modify, cancel, submit tool outputs): how long a client should wait before
    /// polling the run again. Default 10; <see langword="null"/> sends no header.
    /// </summary>
    public int? PollAfterMilliseconds { get; init; } = 10;

    /// <summary>
    /// A pause after each server-sent event of a streamed run, to make streams observable
    /// mid-way (for example to cancel one). Default zero: the whole stream is written at once,
    /// though still flushed event by event.
    /// </summary>
    public TimeSpan StreamEventDelay { get; init; } = TimeSpan.Zero;

    /// <summary>
    /// The clock for every timestamp (<c>created_at</c>, <c>started_at</c>, <c>completed_at</c>...).
    /// Default <see cref="TimeProvider.System"/>; a test can pass its own to control them.
    /// </summary>
    public TimeProvider TimeProvider { get; init; } = TimeProvider.System;

    internal void Validate()
    {
        if (PollAfterMilliseconds is < 0)
        {
            throw new ArgumentOutOfRangeException(nameof(PollAfterMilliseconds), PollAfterMilliseconds, "Must not be negative.");
        }

        if (StreamEventDelay < TimeSpan.Zero)
        {
            throw new ArgumentOutOfRangeException(nameof(StreamEventDelay), StreamEventDelay, "Must not be negative.");
        }

        ArgumentNullException.ThrowIfNull(TimeProvider);
    }
}
