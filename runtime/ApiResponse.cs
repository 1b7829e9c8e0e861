using System.Collections.Generic;
using System.Net;

namespace Specgen.Runtime;

/// <summary>A successful response: status, headers and request id.</summary>
public class ApiResponse
{
    /// <summary>Creates a response.</summary>
    public ApiResponse(HttpStatusCode status, IReadOnlyDictionary<string, string> headers)
    {
        Status = status;
        Headers = headers;
    }

    /// <summary>The HTTP status.</summary>
    public HttpStatusCode Status { get; }

    /// <summary>
    /// The response headers: names compare case-insensitively and repeated headers are joined with
    /// <c>, </c>. A response from <see cref="ApiPipeline"/> leaves out <c>Set-Cookie</c> and copies the
    /// headers out of the HTTP response only when they are first read, so a call that reads none
    /// pays nothing for them.
    /// </summary>
    public IReadOnlyDictionary<string, string> Headers { get; }

    /// <summary>The server's request id (<c>x-request-id</c>), if it sent one; reading it copies no other header.</summary>
    public string? RequestId => Headers is ResponseHeaders response
        ? response.RequestId
        : Headers.TryGetValue("x-request-id", out string? id) ? id : null;
}

/// <summary>A typed value together with the response it came from.</summary>
/// <typeparam name="T">The type the spec declares for the success body.</typeparam>
public sealed class ApiResponse<T> : ApiResponse
{
    /// <summary>Creates a response with a body.</summary>
    public ApiResponse(T value, HttpStatusCode status, IReadOnlyDictionary<string, string> headers)
        : this(value, status, headers, hasValue: true)
    {
    }

    /// <summary>Creates a response; <paramref name="hasValue"/> is false when the server sent no body.</summary>
    public ApiResponse(T value, HttpStatusCode status, IReadOnlyDictionary<string, string> headers, bool hasValue)
        : base(status, headers)
    {
        Value = value;
        HasValue = hasValue;
    }

    /// <summary>The deserialized body; <see langword="default"/> when <see cref="HasValue"/> is false.</summary>
    public T Value { get; }

    /// <summary>
    /// False when the server answered with no body at all (204, 205, 304, a HEAD, or an empty body):
    /// a success without content, whatever the spec declares, which is never an error.
    /// </summary>
    public bool HasValue { get; }
}
