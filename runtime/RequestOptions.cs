using System;
using System.Collections.Generic;

namespace Specgen.Runtime;

/// <summary>
/// Settings for a single call, layered over <see cref="ApiClientOptions"/>. Cancellation is the
/// method's own <see cref="System.Threading.CancellationToken"/> parameter.
/// </summary>
public sealed class RequestOptions
{
    private TimeSpan? _timeout;
    private int? _maxRetries;
    private string? _idempotencyKey;

    /// <summary>Headers added to this request only; they replace client-wide headers of the same name.</summary>
    public IDictionary<string, string> Headers { get; } = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase);

    /// <summary>Query parameters appended to this request only, after the operation's own.</summary>
    public IList<KeyValuePair<string, string>> QueryParameters { get; } = new List<KeyValuePair<string, string>>();

    /// <summary>The time limit of each try of this call; <see cref="ApiClientOptions.Timeout"/> when <see langword="null"/>.</summary>
    /// <exception cref="ArgumentOutOfRangeException">The value is zero or negative (other than infinite).</exception>
    public TimeSpan? Timeout
    {
        get => _timeout;
        set => _timeout = value is { } timeout ? ApiClientOptions.CheckTimeout(timeout, nameof(Timeout)) : null;
    }

    /// <summary>How many times this call may be retried; <see cref="ApiClientOptions.MaxRetries"/> when <see langword="null"/>.</summary>
    /// <exception cref="ArgumentOutOfRangeException">The value is negative.</exception>
    public int? MaxRetries
    {
        get => _maxRetries;
        set => _maxRetries = value is null or >= 0 ? value : throw new ArgumentOutOfRangeException(nameof(MaxRetries), value, "MaxRetries must be 0 or more.");
    }

    /// <summary>
    /// The idempotency key of this call, sent in <see cref="ApiClientOptions.IdempotencyHeader"/> on
    /// every try; a generated one when <see langword="null"/>. Ignored when no header name is set.
    /// </summary>
    /// <exception cref="ArgumentException">The key contains a line break.</exception>
    public string? IdempotencyKey
    {
        get => _idempotencyKey;
        set
        {
            HeaderGuard.EnsureNoLineBreaks(value, nameof(IdempotencyKey));
            _idempotencyKey = value;
        }
    }
}
