using System;
using System.Buffers;
using System.Collections.Generic;
using System.Globalization;
using System.Net.Http;
using System.Text;
using System.Text.Json;

namespace Specgen.Runtime;

/// <summary>
/// One logical API call as a generated client describes it: operation, method, escaped path,
/// query and an optional JSON body. The body is serialized once, up front, so that it can be sent
/// again unchanged (retries) and so that a serialization error surfaces before any I/O.
/// </summary>
public sealed partial class ApiRequest
{
    private readonly StringBuilder _path = new();
    private StringBuilder? _query;
    private List<KeyValuePair<string, string>>? _headers;

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

    /// <summary>The escaped path, relative to the base address (starts with <c>/</c>).</summary>
    public string Path => _path.ToString();

    /// <summary>The escaped query string without the leading <c>?</c>; empty when there is none.</summary>
    public string Query => _query?.ToString() ?? string.Empty;

    /// <summary>The serialized JSON body, or <see langword="null"/> when the request has none.</summary>
    public ReadOnlyMemory<byte>? JsonBody { get; private set; }

    /// <summary>Appends a literal piece of the path template, such as <c>/threads/</c>.</summary>
    public ApiRequest AppendPath(string literal)
    {
        _path.Append(literal);
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

        _path.Append(Uri.EscapeDataString(value));
        return this;
    }

    /// <summary>Adds a query parameter; a <see langword="null"/> value adds nothing.</summary>
    public ApiRequest AddQuery(string name, string? value)
    {
        if (value is null)
        {
            return this;
        }

        _query ??= new StringBuilder();
        if (_query.Length > 0)
        {
            _query.Append('&');
        }

        _query.Append(Uri.EscapeDataString(name)).Append('=').Append(Uri.EscapeDataString(value));
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

    /// <summary>Serializes <paramref name="value"/> as the JSON body with <paramref name="write"/>.</summary>
    public ApiRequest SetJsonBody<T>(T value, Action<Utf8JsonWriter, T> write)
    {
        var buffer = new ArrayBufferWriter<byte>(256);
        using (var writer = new Utf8JsonWriter(buffer, new JsonWriterOptions { SkipValidation = true }))
        {
            write(writer, value);
        }

        JsonBody = buffer.WrittenMemory;
        return this;
    }

    /// <summary>Returns the method, path and query; never a header or the body.</summary>
    public override string ToString() => _query is null ? $"{Method} {Path}" : $"{Method} {Path}?{Query}";
}
