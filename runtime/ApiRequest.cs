using System;
using System.Buffers;
using System.Collections.Generic;
using System.Globalization;
using System.Net.Http;
using System.Text.Json;

namespace Specgen.Runtime;

/// <summary>
/// One logical API call as a generated client describes it: operation, method, escaped path,
/// query and an optional JSON body. The body is serialized once, up front, so that it can be sent
/// again unchanged (retries) and so that a serialization error surfaces before any I/O.
/// </summary>
public sealed partial class ApiRequest
{
    private List<KeyValuePair<string, string>>? _headers;
    private byte[]? _jsonBody;
    private string? _jsonContentType;

    /// <summary>Starts a request for the operation <paramref name="operationId"/>.</summary>
    public ApiRequest(HttpMethod method, string operationId)
    {
        Method = method ?? throw new ArgumentNullException(nameof(method));
        OperationId = operationId ?? throw new ArgumentNullException(nameof(operationId));
    }

    /// <summary>The HTTP method.</summary>
    public HttpMethod Method { get; }

    /// <summary>The spec's operationId, used in error messages and telemetry.</summary>
    public string OperationId { get; }

    /// <summary>
    /// The operation's security requirements, any one of which will do (see <see cref="ApiCredentials"/>):
    /// <see langword="null"/> when the spec declares none (the API key, if any, is sent as a bearer
    /// token), empty when it says <c>security: []</c> (nothing is sent).
    /// </summary>
    public SecurityRequirement[]? Security { get; set; }

    /// <summary>
    /// The server of an operation that has one of its own (the spec's path item or operation
    /// <c>servers</c>), without a trailing slash; <see langword="null"/> for the client's base address.
    /// <see cref="ApiClientOptions.ServerAddresses"/> can redirect it.
    /// </summary>
    public string? Server { get; set; }

    /// <summary>The readers of the error bodies the operation declares, by status (see <see cref="ApiException.Body"/>); null when it declares none.</summary>
    public ErrorBodyReader[]? ErrorBodies { get; set; }

    /// <summary>The escaped path, relative to the base address (starts with <c>/</c>).</summary>
    public string Path => _path ??= JoinPath();

    /// <summary>The escaped query string without the leading <c>?</c>; empty when there is none.</summary>
    public string Query => _query ??= JoinQuery();

    /// <summary>The serialized JSON body, or <see langword="null"/> when the request has none.</summary>
    public ReadOnlyMemory<byte>? JsonBody => _jsonBody is null ? (ReadOnlyMemory<byte>?)null : _jsonBody;

    /// <summary>Appends a literal piece of the path template, such as <c>/threads/</c>.</summary>
    public ApiRequest AppendPath(string literal)
    {
        AddPathPart(literal);
        return this;
    }

    /// <summary>
    /// Appends a path parameter, escaped so that it stays inside its segment: a <c>/</c>, <c>?</c>,
    /// <c>#</c> or <c>%</c> in the value cannot change which resource is addressed.
    /// </summary>
    /// <exception cref="ArgumentException">
    /// The value is null or empty, or is <c>.</c> or <c>..</c>: servers and proxies decode
    /// <c>%2E</c> and remove dot segments, so no escaping keeps such a value in its segment.
    /// </exception>
    public ApiRequest AppendPathParameter(string name, string value)
    {
        if (string.IsNullOrEmpty(value))
        {
            throw new ArgumentException($"The path parameter '{name}' of operation '{OperationId}' must not be empty.", name);
        }

        if (value == "." || value == "..")
        {
            throw new ArgumentException($"The path parameter '{name}' of operation '{OperationId}' must not be '{value}': it would address a different resource.", name);
        }

        AddPathPart(Uri.EscapeDataString(value));
        return this;
    }

    /// <summary>Adds a query parameter; a <see langword="null"/> value adds nothing.</summary>
    public ApiRequest AddQuery(string name, string? value)
    {
        if (value is null)
        {
            return this;
        }

        AddQueryPart(string.Concat(Uri.EscapeDataString(name), "=", Uri.EscapeDataString(value)));
        return this;
    }

    /// <summary>Adds an integer query parameter in invariant culture; <see langword="null"/> adds nothing.</summary>
    public ApiRequest AddQuery(string name, long? value) =>
        AddQuery(name, value?.ToString(CultureInfo.InvariantCulture));

    /// <summary>Adds a number query parameter in invariant culture; <see langword="null"/> adds nothing.</summary>
    public ApiRequest AddQuery(string name, double? value) =>
        AddQuery(name, value?.ToString("R", CultureInfo.InvariantCulture));

    /// <summary>Adds a boolean query parameter as <c>true</c>/<c>false</c>; <see langword="null"/> adds nothing.</summary>
    public ApiRequest AddQuery(string name, bool? value) =>
        AddQuery(name, value is null ? null : value.Value ? "true" : "false");

    /// <summary>Header parameters of the operation, in the order added.</summary>
    public IReadOnlyList<KeyValuePair<string, string>> Headers => _headers ?? (IReadOnlyList<KeyValuePair<string, string>>)Array.Empty<KeyValuePair<string, string>>();

    /// <summary>Adds a header parameter; a <see langword="null"/> value adds nothing.</summary>
    /// <exception cref="ArgumentException">The value contains a carriage return or line feed.</exception>
    public ApiRequest AddHeader(string name, string? value)
    {
        if (value is null)
        {
            return this;
        }

        HeaderGuard.EnsureNoLineBreaks(value, name);
        (_headers ??= new List<KeyValuePair<string, string>>()).Add(new KeyValuePair<string, string>(name, value));
        return this;
    }

    /// <summary>The media type of the JSON body when the spec names one other than <c>application/json</c> (<c>application/merge-patch+json</c> …).</summary>
    public string? JsonContentType => _jsonContentType;

    /// <summary>Serializes <paramref name="value"/> as the JSON body with <paramref name="write"/>, sent as <paramref name="contentType"/>.</summary>
    /// <param name="value">The body.</param>
    /// <param name="write">Its generated writer.</param>
    /// <param name="contentType">A JSON media type such as <c>application/merge-patch+json</c>, sent exactly as given.</param>
    /// <exception cref="ArgumentException">The content type contains a line break.</exception>
    public ApiRequest SetJsonBody<T>(T value, Action<Utf8JsonWriter, T> write, string contentType)
    {
        ArgumentNullException.ThrowIfNull(contentType);
        HeaderGuard.EnsureNoLineBreaks(contentType, "Content-Type");
        SetJsonBody(value, write);
        _jsonContentType = contentType;
        return this;
    }

    /// <summary>Serializes <paramref name="value"/> as the JSON body with <paramref name="write"/>.</summary>
    /// <remarks>The body is kept as an array of exactly its bytes, sent again unchanged by each retry.</remarks>
    public ApiRequest SetJsonBody<T>(T value, Action<Utf8JsonWriter, T> write)
    {
        ArgumentNullException.ThrowIfNull(write);
        JsonBodyWriter writer = JsonBodyWriter.Rent();
        try
        {
            using JsonSupport.RequestScope request = JsonSupport.BeginRequest();
            write(writer.Json, value);
            writer.Json.Flush();
            _jsonBody = writer.Buffer.WrittenSpan.ToArray();
        }
        finally
        {
            JsonBodyWriter.Return(writer);
        }

        return this;
    }

    /// <summary>Returns the method, path and query; never a header or the body.</summary>
    public override string ToString() => _queryCount == 0 ? $"{Method} {Path}" : $"{Method} {Path}?{Query}";
}

/// <summary>
/// A JSON writer and its buffer, kept per thread between requests: serializing a body then costs
/// only the exact-size copy the request keeps (for its retries), not a new writer and a growing buffer.
/// </summary>
internal sealed class JsonBodyWriter
{
    // A buffer that grew past this (a large body) is let go rather than kept for the thread's life.
    private const int MaxKeptCapacity = 64 * 1024;

    [ThreadStatic]
    private static JsonBodyWriter? t_spare;

    private JsonBodyWriter()
    {
        Buffer = new ArrayBufferWriter<byte>(1024);
        Json = new Utf8JsonWriter(Buffer, new JsonWriterOptions { SkipValidation = true });
    }

    public ArrayBufferWriter<byte> Buffer { get; }

    public Utf8JsonWriter Json { get; }

    /// <summary>The thread's writer, taken out of its slot so that a nested use gets another one.</summary>
    public static JsonBodyWriter Rent()
    {
        JsonBodyWriter? writer = t_spare;
        t_spare = null;
        return writer ?? new JsonBodyWriter();
    }

    /// <summary>Clears the writer (also after a failed write) and keeps it for the thread's next body.</summary>
    public static void Return(JsonBodyWriter writer)
    {
        writer.Json.Reset();
        writer.Buffer.ResetWrittenCount();
        if (writer.Buffer.Capacity <= MaxKeptCapacity)
        {
            t_spare = writer;
        }
    }
}
