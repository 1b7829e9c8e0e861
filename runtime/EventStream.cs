using System;
using System.Buffers;
using System.Collections.Generic;
using System.Runtime.CompilerServices;
using System.Text;
using System.Text.Json;
using System.Threading;
using System.Threading.Tasks;

namespace Specgen.Runtime;

/// <summary>
/// Turns a <c>text/event-stream</c> response into typed events for the generated
/// <c>…StreamingAsync</c> methods.
/// </summary>
public static class EventStream
{
    /// <summary>
    /// Sends <paramref name="request"/> and yields each event read with <paramref name="readEvent"/>
    /// as it arrives; a null from <paramref name="readEvent"/> is the end event and ends the enumeration.
    /// </summary>
    /// <remarks>
    /// The body's bytes go to <paramref name="readEvent"/> as they were read, without a string for a
    /// line, a name or the data; the buffers are pooled and returned when the enumeration ends.
    /// </remarks>
    /// <param name="pipeline">The pipeline to send with (retries and errors apply until the headers arrive).</param>
    /// <param name="request">The request, already built.</param>
    /// <param name="readEvent">Reads one event; null for the event that ends the stream.</param>
    /// <param name="expectEndEvent">Whether the stream must finish with an end event; a stream that stops before it then throws.</param>
    /// <param name="options">Per-request options.</param>
    /// <param name="cancellationToken">Stops the stream; leaving the loop early does too, and closes the connection.</param>
    /// <exception cref="EventStreamException">An event's data is not the declared JSON, or the stream stopped before its end event.</exception>
    /// <exception cref="ApiConnectionException">The connection broke off mid-stream.</exception>
    public static async IAsyncEnumerable<T> ReadAsync<T>(
        ApiPipeline pipeline,
        ApiRequest request,
        EventReader<T> readEvent,
        bool expectEndEvent,
        RequestOptions? options,
        [EnumeratorCancellation] CancellationToken cancellationToken = default)
        where T : class
    {
        await using StreamingResponse response = await pipeline.SendStreamingAsync(request, options, cancellationToken).ConfigureAwait(false);

        // A server (or proxy) that ignored the request to stream answers with a plain body; say
        // so, rather than report an empty stream as a cut connection.
        if (response.Headers.TryGetValue("Content-Type", out string? contentType)
            && !contentType.TrimStart().StartsWith("text/event-stream", StringComparison.OrdinalIgnoreCase))
        {
            string body = await ReadCappedTextAsync(response.Body, cancellationToken).ConfigureAwait(false);
            throw new EventStreamException(
                Failure(request, response, $"the server answered with {contentType}, not text/event-stream; it may have ignored the request to stream", body),
                null);
        }

        using var parser = new ServerSentEventParser();
        while (true)
        {
            cancellationToken.ThrowIfCancellationRequested();
            if (parser.TryReadEvent())
            {
                T? item = Read(readEvent, parser, request, response);
                if (item is null)
                {
                    yield break;
                }

                yield return item;
            }
            else if (parser.Ended)
            {
                break;
            }
            else
            {
                parser.Advance(await response.Body.ReadAsync(parser.GetReadBuffer(), cancellationToken).ConfigureAwait(false));
            }
        }

        if (expectEndEvent)
        {
            throw new EventStreamException(Failure(request, response, "the event stream stopped before its end event; the connection may have been cut"), null);
        }
    }

    // A separate method because an iterator cannot yield from inside a try with a catch, nor hold
    // the event (a ref struct) in a local.
    private static T? Read<T>(EventReader<T> readEvent, ServerSentEventParser parser, ApiRequest request, StreamingResponse response)
        where T : class
    {
        try
        {
            return readEvent(parser.Current);
        }
        catch (Exception ex) when (ex is JsonException or InvalidOperationException or FormatException)
        {
            string eventType = Encoding.UTF8.GetString(parser.Current.EventType);
            throw new EventStreamException(Failure(request, response, $"the data of the '{eventType}' event is not the JSON the spec declares: {ex.Message}"), ex);
        }
    }

    /// <summary>A reader over an event's data, on its first token.</summary>
    /// <exception cref="JsonException">The data is empty or not JSON.</exception>
    public static Utf8JsonReader StartReading(Utf8ServerSentEvent serverSentEvent)
    {
        var reader = new Utf8JsonReader(serverSentEvent.Data);
        if (!reader.Read())
        {
            throw new JsonException($"The '{Encoding.UTF8.GetString(serverSentEvent.EventType)}' event has no data.");
        }

        return reader;
    }

    /// <summary>
    /// Reads the data of an event whose name carries no meaning (a stream of JSON chunks); the
    /// conventional <c>[DONE]</c> data ends the stream.
    /// </summary>
    public static T? ReadData<T>(Utf8ServerSentEvent serverSentEvent, JsonValueReader<T> read)
        where T : class
    {
        if (serverSentEvent.Data.SequenceEqual("[DONE]"u8))
        {
            return null;
        }

        Utf8JsonReader reader = StartReading(serverSentEvent);
        return read(ref reader);
    }

    /// <summary>
    /// An event this client does not know, as <c>{"event": name, "data": data}</c>: the data as
    /// JSON when it is JSON, else as a string.
    /// </summary>
    public static JsonElement UnknownEvent(Utf8ServerSentEvent serverSentEvent)
    {
        ReadOnlySpan<byte> data = serverSentEvent.Data;
        var buffer = new ArrayBufferWriter<byte>(data.Length + serverSentEvent.EventType.Length + 32);
        using (var writer = new Utf8JsonWriter(buffer))
        {
            writer.WriteStartObject();
            writer.WriteString("event", Encoding.UTF8.GetString(serverSentEvent.EventType));
            writer.WritePropertyName("data");
            if (IsJson(data))
            {
                writer.WriteRawValue(data, skipInputValidation: true);
            }
            else
            {
                // Through a string, so that bytes that are not UTF-8 become U+FFFD instead of an error.
                writer.WriteStringValue(Encoding.UTF8.GetString(data));
            }

            writer.WriteEndObject();
        }

        using JsonDocument document = JsonDocument.Parse(buffer.WrittenMemory);
        return document.RootElement.Clone();
    }

    // One JSON value and nothing after it (but white space), as JsonDocument would accept.
    private static bool IsJson(ReadOnlySpan<byte> data)
    {
        var reader = new Utf8JsonReader(data);
        try
        {
            return reader.Read() && reader.TrySkip() && !reader.Read();
        }
        catch (JsonException)
        {
            return false;
        }
    }

    private static ApiFailure Failure(ApiRequest request, StreamingResponse response, string detail, string? rawBody = null) =>
        new(request.OperationId, request.Method.Method, request.Path, response.Status, response.Headers, response.RequestId, error: null, rawBody, detail);

    private static async Task<string> ReadCappedTextAsync(System.IO.Stream body, CancellationToken cancellationToken)
    {
        byte[] buffer = new byte[ApiFailure.MaxRawBodyLength];
        int length = 0;
        while (length < buffer.Length)
        {
            int read = await body.ReadAsync(buffer.AsMemory(length), cancellationToken).ConfigureAwait(false);
            if (read == 0)
            {
                break;
            }

            length += read;
        }

        return Encoding.UTF8.GetString(buffer, 0, length);
    }
}

/// <summary>An event stream broke: an event's data was unreadable, or the stream stopped before its end event.</summary>
public sealed class EventStreamException(ApiFailure failure, Exception? innerException) : ApiException(failure, innerException);
