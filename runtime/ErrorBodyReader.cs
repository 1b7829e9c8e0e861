using System;
using System.Globalization;
using System.Text.Json;

namespace Specgen.Runtime;

/// <summary>
/// How to read the body of one error response an operation declares: the status it is for
/// (<c>404</c>, a range such as <c>4XX</c>, or <c>default</c>) and the generated reader of its schema.
/// The typed body is then <see cref="ApiException.Body"/>.
/// </summary>
public sealed class ErrorBodyReader
{
    private readonly int _exact;
    private readonly int _range;

    /// <summary>Creates the reader of the error body declared for <paramref name="status"/>.</summary>
    /// <param name="status">A status code, a range (<c>4XX</c>, <c>5XX</c>), or <c>default</c> for every status not declared otherwise.</param>
    /// <param name="read">The generated reader of the declared schema.</param>
    /// <exception cref="ArgumentException"><paramref name="status"/> is none of these.</exception>
    public ErrorBodyReader(string status, JsonValueReader<object> read)
    {
        Status = status ?? throw new ArgumentNullException(nameof(status));
        Read = read ?? throw new ArgumentNullException(nameof(read));
        if (status.Length == 3 && status.EndsWith("XX", StringComparison.OrdinalIgnoreCase) && status[0] is >= '1' and <= '5')
        {
            _range = status[0] - '0';
        }
        else if (int.TryParse(status, NumberStyles.None, CultureInfo.InvariantCulture, out int exact) && exact is >= 100 and <= 599)
        {
            _exact = exact;
        }
        else if (!status.Equals("default", StringComparison.OrdinalIgnoreCase))
        {
            throw new ArgumentException($"'{status}' is not a status code, a range such as 4XX, or 'default'.", nameof(status));
        }
    }

    /// <summary>The status as the spec writes it: <c>404</c>, <c>4XX</c> or <c>default</c>.</summary>
    public string Status { get; }

    /// <summary>Reads the body into the declared schema's type.</summary>
    public JsonValueReader<object> Read { get; }

    /// <summary>
    /// The reader for <paramref name="status"/> among <paramref name="readers"/>: the exact status
    /// first, then its range, then <c>default</c> (OpenAPI's order of precedence); null when none applies.
    /// </summary>
    internal static ErrorBodyReader? For(ErrorBodyReader[]? readers, int status)
    {
        if (readers is null)
        {
            return null;
        }

        ErrorBodyReader? range = null;
        ErrorBodyReader? fallback = null;
        foreach (ErrorBodyReader reader in readers)
        {
            if (reader._exact == status)
            {
                return reader;
            }

            if (reader._range != 0 && reader._range == status / 100)
            {
                range ??= reader;
            }
            else if (reader._exact == 0 && reader._range == 0)
            {
                fallback ??= reader;
            }
        }

        return range ?? fallback;
    }

    /// <summary>The body read with the reader for its status, or null when none applies or it does not read.</summary>
    internal static object? TryRead(ErrorBodyReader[]? readers, int status, ReadOnlySpan<byte> body)
    {
        if (For(readers, status) is not { } chosen || body.IsEmpty)
        {
            return null;
        }

        try
        {
            var reader = new Utf8JsonReader(body, new JsonReaderOptions { CommentHandling = JsonCommentHandling.Skip });
            return reader.Read() ? chosen.Read(ref reader) : null;
        }
        catch (Exception ex) when (ex is JsonException or InvalidOperationException or FormatException)
        {
            // An error body that is not what the spec says is still an error: RawBody keeps it.
            return null;
        }
    }
}
