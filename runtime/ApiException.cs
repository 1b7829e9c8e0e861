using System;
using System.Collections.Generic;
using System.Net;
using System.Text;

namespace Specgen.Runtime;

/// <summary>
/// The server answered with a status that is not a success, or with a body that could not be read.
/// Catch a subtype (<see cref="NotFoundException"/>, <see cref="RateLimitException"/> ...) to handle one
/// status, or this type to handle them all.
/// </summary>
/// <remarks>
/// Instances are built by <see cref="ApiPipeline"/> from the buffered response. The message names the
/// operation, method, path, status and the server's own message; it never contains the API key,
/// the <c>Authorization</c> header or cookies, and <see cref="Headers"/> holds neither.
/// </remarks>
public class ApiException : Exception
{
    /// <summary>Creates an exception from a failed response.</summary>
    public ApiException(ApiFailure failure, Exception? innerException = null)
        : base(BuildMessage(failure), innerException)
    {
        OperationId = failure.OperationId;
        Method = failure.Method;
        Path = failure.Path;
        Status = failure.Status;
        Headers = failure.Headers;
        RequestId = failure.RequestId;
        Error = failure.Error;
        RawBody = failure.RawBody;
    }

    /// <summary>The spec's operationId of the failed call.</summary>
    public string OperationId { get; }

    /// <summary>The HTTP method of the failed call.</summary>
    public string Method { get; }

    /// <summary>The request path (without the query string) of the failed call.</summary>
    public string Path { get; }

    /// <summary>The HTTP status the server answered with.</summary>
    public HttpStatusCode Status { get; }

    /// <summary>The response headers, without <c>Set-Cookie</c>.</summary>
    public IReadOnlyDictionary<string, string> Headers { get; }

    /// <summary>The server's request id (<c>x-request-id</c>), to quote when asking the API provider for help.</summary>
    public string? RequestId { get; }

    /// <summary>The parsed error body, or <see langword="null"/> when the body was not an error envelope.</summary>
    public ApiError? Error { get; }

    /// <summary>The response body as text, read up to <see cref="ApiFailure.MaxRawBodyLength"/> characters.</summary>
    public string? RawBody { get; }

    private const int MaxServerMessageLength = 1000;

    private static string BuildMessage(ApiFailure failure)
    {
        var text = new StringBuilder();
        text.Append(failure.OperationId).Append(" (").Append(failure.Method).Append(' ').Append(failure.Path).Append(") failed with ")
            .Append((int)failure.Status).Append(' ').Append(failure.Status);
        if (failure.Detail is not null)
        {
            text.Append(": ").Append(failure.Detail);
        }
        else if (failure.Error?.Message is { Length: > 0 } serverMessage)
        {
            // The server's text is untrusted and unbounded; the full text stays in Error.Message.
            text.Append(": ").Append(serverMessage.Length <= MaxServerMessageLength ? serverMessage : serverMessage.Substring(0, MaxServerMessageLength) + "...");
        }

        if (failure.RequestId is not null)
        {
            text.Append(" (request id ").Append(failure.RequestId).Append(')');
        }

        return text.ToString();
    }
}

/// <summary>What is known about a failed response; the input of every <see cref="ApiException"/>.</summary>
public sealed class ApiFailure
{
    /// <summary>How much of an error body is kept as <see cref="ApiException.RawBody"/>.</summary>
    public const int MaxRawBodyLength = 64 * 1024;

    /// <summary>Creates a failure description.</summary>
    public ApiFailure(string operationId, string method, string path, HttpStatusCode status, IReadOnlyDictionary<string, string> headers, string? requestId, ApiError? error, string? rawBody, string? detail = null)
    {
        OperationId = operationId;
        Method = method;
        Path = path;
        Status = status;
        Headers = headers;
        RequestId = requestId;
        Error = error;
        RawBody = rawBody;
        Detail = detail;
    }

    /// <summary>The spec's operationId.</summary>
    public string OperationId { get; }

    /// <summary>The HTTP method.</summary>
    public string Method { get; }

    /// <summary>The request path.</summary>
    public string Path { get; }

    /// <summary>The response status.</summary>
    public HttpStatusCode Status { get; }

    /// <summary>The response headers, sanitized.</summary>
    public IReadOnlyDictionary<string, string> Headers { get; }

    /// <summary>The <c>x-request-id</c> header.</summary>
    public string? RequestId { get; }

    /// <summary>The parsed error envelope.</summary>
    public ApiError? Error { get; }

    /// <summary>The capped body text.</summary>
    public string? RawBody { get; }

    /// <summary>Our own explanation, used instead of the server's message (for unreadable bodies).</summary>
    public string? Detail { get; }
}

/// <summary>400 Bad Request: the request was malformed or invalid.</summary>
public sealed class BadRequestException(ApiFailure failure) : ApiException(failure);

/// <summary>401 Unauthorized: the API key is missing or wrong.</summary>
public sealed class AuthenticationException(ApiFailure failure) : ApiException(failure);

/// <summary>403 Forbidden: the key is valid but may not do this.</summary>
public sealed class PermissionDeniedException(ApiFailure failure) : ApiException(failure);

/// <summary>404 Not Found: the resource does not exist (or was deleted).</summary>
public sealed class NotFoundException(ApiFailure failure) : ApiException(failure);

/// <summary>409 Conflict: the resource is in a state that does not allow this.</summary>
public sealed class ConflictException(ApiFailure failure) : ApiException(failure);

/// <summary>422 Unprocessable Entity: the request was well-formed but semantically invalid.</summary>
public sealed class UnprocessableEntityException(ApiFailure failure) : ApiException(failure);

/// <summary>429 Too Many Requests: a rate limit or quota was hit.</summary>
public sealed class RateLimitException(ApiFailure failure) : ApiException(failure);

/// <summary>A 5xx status: the server failed.</summary>
public sealed class ServerErrorException(ApiFailure failure) : ApiException(failure);

/// <summary>
/// A successful status whose body could not be read as the type the spec declares (not JSON,
/// truncated, or missing a required member).
/// </summary>
public sealed class InvalidResponseException(ApiFailure failure, Exception innerException) : ApiException(failure, innerException);
