using System;
using System.Collections.Generic;
using System.Globalization;
using System.Net.Http.Headers;

namespace Specgen.Runtime;

/// <summary>
/// When to try again and how long to wait first: the status rule, <c>x-should-retry</c>, the
/// server's <c>retry-after-ms</c> / <c>retry-after</c> and jittered exponential backoff.
/// </summary>
/// <remarks>Pure decisions over values; the pipeline does the waiting (on the configured clock).</remarks>
internal sealed class RetryPolicy
{
    private readonly TimeSpan _initialDelay;
    private readonly TimeSpan _maxDelay;
    private readonly TimeSpan _maxRetryAfter;
    private readonly Func<double> _jitterSource;
    private readonly TimeProvider _clock;

    public RetryPolicy(TimeSpan initialDelay, TimeSpan maxDelay, TimeSpan maxRetryAfter, Func<double>? jitterSource, TimeProvider clock)
    {
        _initialDelay = initialDelay;
        _maxDelay = maxDelay;
        _maxRetryAfter = maxRetryAfter;
        _jitterSource = jitterSource ?? Random.Shared.NextDouble;
        _clock = clock;
    }

    public TimeSpan MaxRetryAfter => _maxRetryAfter;

    /// <summary>
    /// Whether a failure status is worth another try: <c>x-should-retry: true|false</c> when the
    /// server sent it, otherwise 408 (request timeout), 409 (lock conflict), 429 and every 5xx.
    /// </summary>
    public static bool IsRetryable(int status, IReadOnlyDictionary<string, string> headers)
    {
        if (headers.TryGetValue("x-should-retry", out string? shouldRetry))
        {
            string value = shouldRetry.Trim();
            if (value.Equals("true", StringComparison.OrdinalIgnoreCase))
            {
                return true;
            }

            if (value.Equals("false", StringComparison.OrdinalIgnoreCase))
            {
                return false;
            }
        }

        return status is 408 or 409 or 429 or >= 500;
    }

    /// <summary>
    /// The wait before the retry that follows <paramref name="retriesTaken"/> earlier retries:
    /// <c>min(initial * 2^retriesTaken, max)</c>, shortened by a random 0 to 25 %.
    /// </summary>
    public TimeSpan Backoff(int retriesTaken)
    {
        double seconds = Math.Min(_initialDelay.TotalSeconds * Math.Pow(2, Math.Min(retriesTaken, 62)), _maxDelay.TotalSeconds);
        double jitter = 1 - (0.25 * Math.Clamp(_jitterSource(), 0, 1));
        return WholeMilliseconds(seconds * jitter);
    }

    /// <summary>
    /// Reads the server's requested delay: <c>retry-after-ms</c> (milliseconds) first, then
    /// <c>retry-after</c> as seconds (fractions allowed) or an HTTP date. A missing, malformed, zero
    /// or past value asks for nothing (the backoff applies).
    /// </summary>
    public ServerDelay ReadServerDelay(IReadOnlyDictionary<string, string> headers)
    {
        if (headers.TryGetValue("retry-after-ms", out string? milliseconds) && TryParseNumber(milliseconds, out double ms))
        {
            return FromSeconds(ms / 1000, "retry-after-ms");
        }

        if (!headers.TryGetValue("retry-after", out string? retryAfter))
        {
            return default;
        }

        if (TryParseNumber(retryAfter, out double seconds))
        {
            return FromSeconds(seconds, "retry-after");
        }

        if (RetryConditionHeaderValue.TryParse(retryAfter, out RetryConditionHeaderValue? condition) && condition.Date is { } date)
        {
            return FromSeconds((date - _clock.GetUtcNow()).TotalSeconds, "retry-after");
        }

        return default;
    }

    private ServerDelay FromSeconds(double seconds, string header)
    {
        if (seconds <= 0)
        {
            return default;
        }

        // Compare as doubles first: a huge or infinite value must not overflow TimeSpan.
        if (double.IsInfinity(seconds) || seconds > _maxRetryAfter.TotalSeconds)
        {
            return new ServerDelay(null, header, double.IsInfinity(seconds) || seconds > TimeSpan.MaxValue.TotalSeconds ? TimeSpan.MaxValue : TimeSpan.FromSeconds(seconds));
        }

        return new ServerDelay(WholeMilliseconds(seconds), header, null);
    }

    // Timers wait in whole milliseconds; rounding here keeps what is reported equal to what is waited.
    private static TimeSpan WholeMilliseconds(double seconds) => TimeSpan.FromMilliseconds(Math.Round(seconds * 1000, MidpointRounding.AwayFromZero));

    private static bool TryParseNumber(string text, out double value) =>
        double.TryParse(text.Trim(), NumberStyles.Float, CultureInfo.InvariantCulture, out value) && !double.IsNaN(value);
}

/// <summary>What the server asked for: a delay to honour, or one above the cap (<see cref="TooLong"/>), or nothing.</summary>
/// <param name="Delay">The delay to wait exactly, within the cap.</param>
/// <param name="Header">The header it came from.</param>
/// <param name="TooLong">The requested delay when it is above the cap.</param>
internal readonly record struct ServerDelay(TimeSpan? Delay, string? Header, TimeSpan? TooLong);
