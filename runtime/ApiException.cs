using System;
using System.Collections.Generic;
using System.Globalization;
using System.Net;
using System.Text;

namespace Specgen.Runtime;

/// <summary>
/// A call to the API failed after everything the pipeline does to complete it (retries included).
/// Catch this type to handle every failure of a call except cancellation and invalid arguments.
/// </summary>
/// <remarks>
/// <para>Three kinds derive from it:</para>
/// <list type="bullet">
/// <item><description><see cref="ApiException"/> (and one subtype per meaningful status): the server answered, with an error status or an unreadable body.</description></item>
/// <item><description><see cref="ApiConnectionException"/>: no complete answer arrived (the connection failed or broke off).</description></item>
/// <item><description><see cref="ApiTimeoutException"/>, a kind of <see cref="ApiConnectionException"/>: a try took longer than its timeout.</description></item>
/// </list>
/// <para>
/// Messages name the operation, method, path and number of attempts; they never contain the API
/// key, the <c>Authorization</c> header or cookies. A cancelled <see cref="System.Threading.CancellationToken"/>
/// is never wrapped: it surfaces as <see cref="OperationCanceledException"/>.
/// </para>
/// </remarks>
public abstract class ApiCallException : Exception
{
    /// <summary>Creates an exception for a failed call.</summary>
    /// <param name="operationId">The spec's operationId of the call.</param>
    /// <param name="method">The HTTP method.</param>
    /// <param name="path">The request path, without the query string.</param>
    /// <param name="attempts">How many times the request was sent (1 when it was not retried).</param>
    /// <param name="message">The complete message.</param>
    /// <param name="innerException">The underlying failure, if any.</param>
    protected ApiCallException(string operationId, string method, string path, int attempts, string message, Exception? innerException)
        : base(message, innerException)
    {
        OperationId = operationId ?? throw new ArgumentNullException(nameof(operationId));
        Method = method ?? throw new ArgumentNullException(nameof(method));
        Path = path ?? throw new ArgumentNullException(nameof(path));
        Attempts = attempts < 1 ? throw new ArgumentOutOfRangeException(nameof(attempts), attempts, "A failed call was sent at least once.") : attempts;
    }

    /// <summary>The spec's operationId of the failed call.</summary>
    public string OperationId { get; }

    /// <summary>The HTTP method of the failed call.</summary>
    public string Method { get; }

    /// <summary>The request path (without the query string) of the failed call.</summary>
    public string Path { get; }

    /// <summary>How many times the request was sent: 1, plus one per retry.</summary>
    public int Attempts { get; }

    /// <summary>How many retries were made (<see cref="Attempts"/> - 1); the value of the retry-count header on the last try.</summary>
    public int RetryCount => Attempts - 1;

    /// <summary><c>"getThread (GET /threads/thread_1)"</c>: how every message starts.</summary>
    internal static string Describe(string operationId, string method, string path) => operationId + " (" + method + " " + path + ")";

    /// <summary><c>"; gave up after 3 attempts"</c>, or nothing when the call was tried once.</summary>
    internal static string AttemptsSuffix(int attempts) =>
        attempts > 1 ? "; gave up after " + attempts.ToString(CultureInfo.InvariantCulture) + " attempts" : string.Empty;
}

/// <summary>
/// The server answered with a status that is not a success, or with a body that could not be read.
/// Catch a subtype (<see cref="NotFoundException"/>, <see cref="RateLimitException"/> ...) to handle one
/// status, or this type to handle them all.
/// </summary>
/// <remarks>
/// Instances are built by <see cref="ApiPipeline"/> from the buffered response. The message names the
/// operation, method, path, status, the server's own message and, when the call was retried, the
/// number of attempts; it never contains the API key, the <c>Authorization</c> header or cookies,
/// and <see cref="Headers"/> holds neither.
/// </remarks>
public class ApiException : ApiCallException
{
    /// <summary>Creates an exception from a failed response.</summary>
    public ApiException(ApiFailure failure, Exception? innerException = null)
        : base(Check(failure).OperationId, failure.Method, failure.Path, failure.Attempts, BuildMessage(failure), innerException)
    {
        Status = failure.Status;
        Headers = failure.Headers;
        RequestId = failure.RequestId;
        Error = failure.Error;
        RawBody = failure.RawBody;
        Body = failure.Body;
    }

    /// <summary>
    /// The error body read into the type the spec declares for this status (the exact status, else
    /// its range such as <c>4XX</c>, else <c>default</c>): match it with a pattern,
    /// <c>catch (NotFoundException ex) when (ex.Body is PetError error)</c>. Null when the operation
    /// declares no schema for the status or the body is not that schema (<see cref="RawBody"/> still has it).
    /// </summary>
    public object? Body { get; }

    /// <summary>The HTTP status the server answered with.</summary>
    public HttpStatusCode Status { get; }

    /// <summary>The response headers, without <c>Set-Cookie</c>.</summary>
    public IReadOnlyDictionary<string, string> Headers { get; }

    /// <summary>The server's request id (<c>x-request-id</c>), to quote when asking the API provider for help.</summary>
    public string? RequestId { get; }

    /// <summary>The parsed error body, or <see langword="null"/> when the body was not an error envelope.</summary>
    public ApiError? Error { get; }

    /// <summary>The response body as text: its first <see cref="ApiFailure.MaxRawBodyLength"/> bytes, decoded as UTF-8.</summary>
    public string? RawBody { get; }

    private const int MaxServerMessageLength = 1000;

    /// <summary>The exception of the status's own type (<see cref="NotFoundException"/> for 404 …), or <see cref="ApiException"/> itself.</summary>
    internal static ApiException ForStatus(ApiFailure failure, Exception? innerException) => (int)failure.Status switch
    {
        400 => new BadRequestException(failure, innerException),
        401 => new AuthenticationException(failure, innerException),
        403 => new PermissionDeniedException(failure, innerException),
        404 => new NotFoundException(failure, innerException),
        409 => new ConflictException(failure, innerException),
        422 => new UnprocessableEntityException(failure, innerException),
        429 => new RateLimitException(failure, innerException),
        >= 500 and <= 599 => new ServerErrorException(failure, innerException),
        _ => new ApiException(failure, innerException),
    };

    private static ApiFailure Check(ApiFailure failure) => failure ?? throw new ArgumentNullException(nameof(failure));

    private static string BuildMessage(ApiFailure failure)
    {
        var text = new StringBuilder();
        text.Append(Describe(failure.OperationId, failure.Method, failure.Path)).Append(" failed with ")
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

        if (failure.Note is not null)
        {
            text.Append("; ").Append(failure.Note);
        }

        text.Append(AttemptsSuffix(failure.Attempts));
        return text.ToString();
    }
}

/// <summary>What is known about a failed response; the input of every <see cref="ApiException"/>.</summary>
public sealed class ApiFailure
{
    /// <summary>How much of an error body is read and kept as <see cref="ApiException.RawBody"/>, in bytes; the rest is never downloaded.</summary>
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

    /// <summary>The capped body text (the first <see cref="MaxRawBodyLength"/> bytes of the body).</summary>
    public string? RawBody { get; }

    /// <summary>Our own explanation, used instead of the server's message (for unreadable bodies).</summary>
    public string? Detail { get; }

    /// <summary>The body read into the type the spec declares for the status, if any (see <see cref="ApiException.Body"/>).</summary>
    public object? Body { get; init; }

    /// <summary>How many times the request was sent (1 when it was not retried).</summary>
    public int Attempts { get; init; } = 1;

    /// <summary>A remark appended to the message, such as why a retryable status was not retried.</summary>
    public string? Note { get; init; }
}

/// <summary>400 Bad Request: the request was malformed or invalid.</summary>
public sealed class BadRequestException(ApiFailure failure, Exception? innerException = null) : ApiException(failure, innerException);

/// <summary>401 Unauthorized: the API key is missing or wrong.</summary>
public sealed class AuthenticationException(ApiFailure failure, Exception? innerException = null) : ApiException(failure, innerException);

/// <summary>403 Forbidden: the key is valid but may not do this.</summary>
public sealed class PermissionDeniedException(ApiFailure failure, Exception? innerException = null) : ApiException(failure, innerException);

/// <summary>404 Not Found: the resource does not exist (or was deleted).</summary>
public sealed class NotFoundException(ApiFailure failure, Exception? innerException = null) : ApiException(failure, innerException);

/// <summary>409 Conflict: the resource is in a state that does not allow this.</summary>
public sealed class ConflictException(ApiFailure failure, Exception? innerException = null) : ApiException(failure, innerException);

/// <summary>422 Unprocessable Entity: the request was well-formed but semantically invalid.</summary>
public sealed class UnprocessableEntityException(ApiFailure failure, Exception? innerException = null) : ApiException(failure, innerException);

/// <summary>429 Too Many Requests: a rate limit or quota was hit.</summary>
public sealed class RateLimitException(ApiFailure failure, Exception? innerException = null) : ApiException(failure, innerException);

/// <summary>A 5xx status: the server failed.</summary>
public sealed class ServerErrorException(ApiFailure failure, Exception? innerException = null) : ApiException(failure, innerException);

/// <summary>
/// A successful status whose body could not be read as the type the spec declares (not JSON,
/// truncated, or missing a required member).
/// </summary>
public sealed class InvalidResponseException(ApiFailure failure, Exception innerException) : ApiException(failure, innerException);

/// <summary>
/// No complete response arrived: the connection could not be made, or it broke off before the
/// response (headers and, for a buffered call, the whole body) had arrived. The cause is the
/// <see cref="Exception.InnerException"/>.
/// </summary>
/// <remarks>Thrown only after the retries allowed by <see cref="ApiClientOptions.MaxRetries"/> were used up.</remarks>
public class ApiConnectionException : ApiCallException
{
    /// <summary>Creates a connection failure.</summary>
    /// <param name="operationId">The spec's operationId of the call.</param>
    /// <param name="method">The HTTP method.</param>
    /// <param name="path">The request path, without the query string.</param>
    /// <param name="attempts">How many times the request was sent.</param>
    /// <param name="problem">What went wrong, in words, such as <c>"the connection failed (Connection refused)"</c>.</param>
    /// <param name="innerException">The transport's exception.</param>
    public ApiConnectionException(string operationId, string method, string path, int attempts, string problem, Exception? innerException)
        : base(operationId, method, path, attempts, Describe(operationId, method, path) + " failed: " + problem + AttemptsSuffix(attempts), innerException)
    {
    }
}

/// <summary>
/// A try took longer than its timeout (<see cref="RequestOptions.Timeout"/>, else
/// <see cref="ApiClientOptions.Timeout"/>, or the <see cref="System.Net.Http.HttpClient.Timeout"/> of the
/// client sending it), on every attempt allowed.
/// </summary>
/// <remarks>
/// Distinct from cancellation: a cancelled token surfaces as <see cref="OperationCanceledException"/> at
/// once and is never retried; a timeout is retried like a connection failure.
/// </remarks>
public sealed class ApiTimeoutException : ApiConnectionException
{
    /// <summary>Creates a timeout failure.</summary>
    /// <param name="operationId">The spec's operationId of the call.</param>
    /// <param name="method">The HTTP method.</param>
    /// <param name="path">The request path, without the query string.</param>
    /// <param name="attempts">How many times the request was sent.</param>
    /// <param name="timeout">The limit each try ran into.</param>
    /// <param name="source">Which setting set the limit, such as <c>"ApiClientOptions.Timeout"</c>.</param>
    /// <param name="innerException">The cancellation the timeout caused.</param>
    public ApiTimeoutException(string operationId, string method, string path, int attempts, TimeSpan timeout, string source, Exception? innerException)
        : base(operationId, method, path, attempts, "no complete response within " + FormatDuration(timeout) + " (" + source + ")", innerException)
    {
        Timeout = timeout;
    }

    /// <summary>The time limit of each try.</summary>
    public TimeSpan Timeout { get; }

    internal static string FormatDuration(TimeSpan value) =>
        value.TotalSeconds >= 1 ? value.TotalSeconds.ToString("0.###", CultureInfo.InvariantCulture) + " s" : value.TotalMilliseconds.ToString("0.###", CultureInfo.InvariantCulture) + " ms";
}
