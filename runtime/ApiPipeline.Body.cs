using System;
using System.Buffers;
using System.Collections.Concurrent;
using System.Collections.Generic;
using System.Diagnostics;
using System.Globalization;
using System.IO;
using System.Net;
using System.Net.Http;
using System.Net.Http.Headers;
using System.Runtime.CompilerServices;
using System.Text;
using System.Text.Json;
using System.Threading;
using System.Threading.Tasks;

namespace Specgen.Runtime;

// Response bodies: a success body buffered in a pooled array and parsed from it, and an error
// body read up to a cap.
public sealed partial class ApiPipeline
{
    // Bodies without a Content-Length start in a buffer this large; a declared length starts at
    // most this large (the buffer grows as the bytes arrive).
    private const int UnknownBodyCapacity = 4 * 1024;
    private const int MaxInitialBodyCapacity = 1024 * 1024;

    // The parsed value never refers to the buffer (strings and JsonElements are copies), so the
    // buffer can go back to the pool as soon as this returns.
    private static T ReadJson<T>(ApiRequest request, in Exchange exchange, JsonValueReader<T> readBody, Activity? activity)
    {
        ReadOnlySpan<byte> body = exchange.BodySpan;
        if (body.IsEmpty)
        {
            // No content (204, 205, a HEAD, Content-Length: 0, an empty chunked body) is a success
            // without a value, whatever the spec declares: the caller gets default, never an error.
            return default!;
        }

        try
        {
            var reader = new Utf8JsonReader(body, new JsonReaderOptions { CommentHandling = JsonCommentHandling.Skip });
            if (!reader.Read())
            {
                throw new JsonException("The response body holds no JSON value.");
            }

            T value = readBody(ref reader);

            // A body is one JSON value; anything after it means we read something other than what
            // the server meant to send (Read throws on non-whitespace after the value).
            if (reader.Read())
            {
                throw new JsonException("The response body has more than one JSON value.");
            }

            return value;
        }
        catch (Exception ex) when (ex is JsonException or InvalidOperationException or FormatException)
        {
            // A complete response the server meant: sending again would only get the same, so no retry.
            var failed = new FailedResponse(request, exchange.Status, exchange.Headers, exchange.BodyMemory);
            var invalid = new InvalidResponseException(failed.ToFailure(error: null, detail: $"the response body is not a valid {typeof(T).Name}: {ex.Message}", exchange.Attempts, note: null), ex);
            ApiTelemetry.Finish(activity, exchange.Attempts, (int)exchange.Status, invalid);
            throw invalid;
        }
    }
    // The declared length plus one byte (so that the end shows without growing), up to a cap: a
    // length the server merely claims never reserves more than that before the bytes arrive.
    private static int InitialBodyCapacity(HttpContentHeaders headers)
    {
#if NET
        if (headers.NonValidated.TryGetValues("Content-Length", out HeaderStringValues values)
            && values.Count == 1
            && long.TryParse(values.ToString(), NumberStyles.None, CultureInfo.InvariantCulture, out long declared))
#else
        if (headers.ContentLength is long declared)
#endif
        {
            return (int)Math.Min(declared + 1, MaxInitialBodyCapacity);
        }

        return UnknownBodyCapacity;
    }

    private byte[] GrowBody(byte[] body, int length)
    {
        if (length >= Array.MaxLength)
        {
            // What HttpContent.ReadAsByteArrayAsync throws for a body it cannot hold.
            throw new HttpRequestException($"Cannot write more bytes to the buffer than the configured maximum buffer size: {Array.MaxLength}.");
        }

        byte[] larger = _bodyBuffers.Rent((int)Math.Min(2L * body.Length, Array.MaxLength));
        body.AsSpan(0, length).CopyTo(larger);
        _bodyBuffers.Return(body);
        return larger;
    }

    private void ReturnBody(in Exchange exchange)
    {
        if (exchange.Body is { } body)
        {
            _bodyBuffers.Return(body);
        }
    }
    // Reads at most `cap` bytes of an error body: enough for any error envelope, and a huge body
    // is never downloaded. A read that fails keeps what arrived.
    private static async Task<(byte[] Body, Exception? Error)> ReadCappedAsync(HttpContent content, int cap, CancellationToken token, CancellationToken callerToken)
    {
        using var buffer = new MemoryStream();
        byte[] chunk = ArrayPool<byte>.Shared.Rent(16 * 1024);
        try
        {
            using Stream stream = await content.ReadAsStreamAsync(token).ConfigureAwait(false);
            while (buffer.Length < cap)
            {
                int read = await stream.ReadAsync(chunk.AsMemory(0, (int)Math.Min(chunk.Length, cap - buffer.Length)), token).ConfigureAwait(false);
                if (read == 0)
                {
                    break;
                }

                buffer.Write(chunk, 0, read);
            }

            return (buffer.ToArray(), null);
        }
        catch (OperationCanceledException) when (callerToken.IsCancellationRequested)
        {
            throw;
        }
        catch (Exception ex) when (ex is IOException or HttpRequestException or OperationCanceledException)
        {
            return (buffer.ToArray(), ex);
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(chunk);
        }
    }
}
