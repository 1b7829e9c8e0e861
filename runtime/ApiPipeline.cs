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

/// <summary>
/// Sends the requests of a generated client: builds the <see cref="HttpRequestMessage"/>, adds
/// authentication and headers, retries what is worth retrying, limits each try in time, reads the
/// body with the generated reader, and turns failures into typed exceptions.
/// </summary>
/// <remarks>
/// <para>
/// Built on <see cref="HttpClient"/>, so an <c>IHttpClientFactory</c> client and any
/// <see cref="DelegatingHandler"/> work unchanged (a handler sees every try). One pipeline is safe to
/// share between threads.
/// </para>
/// <para>
/// A call is tried up to 1 + <see cref="ApiClientOptions.MaxRetries"/> times. A try is retried after a
/// connection failure, a timeout, or a retryable status (see <see cref="ApiClientOptions.MaxRetries"/>);
/// the wait comes from the server's <c>retry-after-ms</c> / <c>retry-after</c> (up to
/// <see cref="ApiClientOptions.MaxRetryAfter"/>) or else from jittered exponential backoff. A cancelled
/// token stops everything at once with <see cref="OperationCanceledException"/>.
/// </para>
/// </remarks>
public sealed partial class ApiPipeline
{
    /// <summary>The name of the <see cref="ActivitySource"/> that traces every call (one activity per call, an event per retry).</summary>
    public const string ActivitySourceName = "Specgen.Runtime";

    // Bodies without a Content-Length start in a buffer this large; a declared length starts at
    // most this large (the buffer grows as the bytes arrive).
    private const int UnknownBodyCapacity = 4 * 1024;
    private const int MaxInitialBodyCapacity = 1024 * 1024;

    private static readonly Lazy<HttpClient> SharedHttpClient = new(CreateSharedHttpClient);

    // The headers HttpClient keeps on the content rather than the request.
    private static readonly HashSet<string> ContentHeaderNames = new(StringComparer.OrdinalIgnoreCase)
    {
        "Allow", "Content-Disposition", "Content-Encoding", "Content-Language", "Content-Location", "Content-MD5", "Content-Range", "Content-Type", "Expires", "Last-Modified",
    };

    private readonly HttpClient _httpClient;
    private readonly Uri _baseUri;
    private readonly string _baseAddress;
    private readonly Authenticator _auth;
    private readonly bool _allowInsecureHttp;

    // The servers of operations that have their own, as the spec writes them (no trailing slash):
    // the caller's redirections, and the resolved addresses as they are first used.
    private readonly Dictionary<string, Uri> _serverRedirects;
    private readonly ConcurrentDictionary<string, ServerAddress> _servers = new(StringComparer.OrdinalIgnoreCase);
    private readonly ServerAddress _defaultServer;
    private readonly KeyValuePair<string, string>[] _defaultHeaders;
    private readonly int _maxRetries;
    private readonly TimeSpan _timeout;
    private readonly string? _retryCountHeader;
    private readonly string? _idempotencyHeader;
    private readonly TimeProvider _clock;
    private readonly RetryPolicy _retry;

    // Success bodies are read into buffers from here and handed back once parsed (tests swap in a
    // pool that checks every buffer comes back exactly once).
    private ArrayPool<byte> _bodyBuffers = ArrayPool<byte>.Shared;

    // Reset timeout sources waiting for the next try; a few, for calls in parallel.
    private readonly CancellationTokenSource?[] _spareTimeoutSources = new CancellationTokenSource?[Math.Clamp(Environment.ProcessorCount, 2, 8)];

    /// <summary>Creates a pipeline.</summary>
    /// <param name="options">Client-wide settings; read once, here.</param>
    /// <param name="defaultBaseAddress">The spec's first server, used when <see cref="ApiClientOptions.BaseAddress"/> is not set; may be <see langword="null"/> when the spec has none.</param>
    /// <param name="httpClient">
    /// The client to send with; when <see langword="null"/>, a process-wide shared one whose own
    /// <see cref="HttpClient.Timeout"/> is infinite, so that <see cref="ApiClientOptions.Timeout"/> governs.
    /// </param>
    /// <exception cref="ArgumentException">
    /// There is no base address, it is relative, or it is plain <c>http://</c> to a host other than the
    /// local machine without <see cref="ApiClientOptions.AllowInsecureHttp"/>; or a default header has a line break.
    /// </exception>
    public ApiPipeline(ApiClientOptions options, Uri? defaultBaseAddress, HttpClient? httpClient = null)
    {
        if (options is null)
        {
            throw new ArgumentNullException(nameof(options));
        }

        Uri baseAddress = options.BaseAddress ?? defaultBaseAddress
            ?? throw new ArgumentException("The spec declares no server address; set ApiClientOptions.BaseAddress.", nameof(options));
        if (!baseAddress.IsAbsoluteUri)
        {
            throw new ArgumentException($"The base address '{baseAddress}' must be absolute.", nameof(options));
        }

        _allowInsecureHttp = options.AllowInsecureHttp;
        if (InsecureProblem(baseAddress, "base address") is { } insecure)
        {
            throw new ArgumentException(insecure, nameof(options));
        }

        _serverRedirects = new Dictionary<string, Uri>(StringComparer.OrdinalIgnoreCase);
        foreach (KeyValuePair<string, Uri> redirect in options.ServerAddresses)
        {
            if (redirect.Value is null || !redirect.Value.IsAbsoluteUri)
            {
                throw new ArgumentException($"The address for the server '{redirect.Key}' in ApiClientOptions.ServerAddresses must be absolute.", nameof(options));
            }

            if (InsecureProblem(redirect.Value, $"address for the server '{redirect.Key}'") is { } problem)
            {
                throw new ArgumentException(problem, nameof(options));
            }

            _serverRedirects[redirect.Key.TrimEnd('/')] = redirect.Value;
        }

        _httpClient = httpClient ?? SharedHttpClient.Value;
        _baseUri = baseAddress;
        _baseAddress = baseAddress.AbsoluteUri.TrimEnd('/');
        _defaultServer = new ServerAddress(_baseAddress, _baseUri);
        _auth = new Authenticator(options);
        var headers = new List<KeyValuePair<string, string>>(options.DefaultHeaders.Count);
        foreach (KeyValuePair<string, string> header in options.DefaultHeaders)
        {
            HeaderGuard.EnsureNoLineBreaks(header.Key, "header name");
            HeaderGuard.EnsureNoLineBreaks(header.Value, header.Key);
            headers.Add(header);
        }

        _defaultHeaders = headers.ToArray();
        _maxRetries = options.MaxRetries;
        _timeout = options.Timeout;
        _retryCountHeader = options.RetryCountHeader;
        _idempotencyHeader = options.IdempotencyHeader;
        _clock = options.TimeProvider;
        _retry = new RetryPolicy(options.InitialRetryDelay, options.MaxRetryDelay, options.MaxRetryAfter, options.JitterSource, options.TimeProvider);
    }

    /// <summary>The base address every path is appended to, without a trailing slash.</summary>
    public string BaseAddress => _baseAddress;

    /// <summary>The clock for waits (backoff, polling) and timeouts: <see cref="ApiClientOptions.TimeProvider"/>.</summary>
    public TimeProvider TimeProvider => _clock;

    /// <summary>The client requests go through (for tests).</summary>
    internal HttpClient HttpClient => _httpClient;

    /// <summary>Where success bodies are buffered; <see cref="ArrayPool{T}.Shared"/> unless a test sets another.</summary>
    internal ArrayPool<byte> BodyBufferPool
    {
        get => _bodyBuffers;
        set => _bodyBuffers = value ?? throw new ArgumentNullException(nameof(value));
    }

    /// <summary>Sends <paramref name="request"/> and reads the success body with <paramref name="readBody"/>.</summary>
    /// <remarks>A success with no body at all (204, an empty body) is not an error: the value is <see langword="default"/> and <see cref="ApiResponse{T}.HasValue"/> is false.</remarks>
    /// <exception cref="ApiException">The server answered with a failure status (after any retries), or with a body that is not the declared JSON.</exception>
    /// <exception cref="ApiConnectionException">No complete response arrived on any try.</exception>
    /// <exception cref="ApiTimeoutException">Every try ran out of time.</exception>
    /// <exception cref="OperationCanceledException"><paramref name="cancellationToken"/> was cancelled.</exception>
    public async Task<ApiResponse<T>> SendAsync<T>(ApiRequest request, JsonValueReader<T> readBody, RequestOptions? options, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        ArgumentNullException.ThrowIfNull(readBody);
        Call call = Begin(request, options, streaming: false, cancellationToken);
        using Activity? activity = call.Activity;

        // The first try runs right here; only a failed one goes on to the retry loop. The call's
        // settings go into the try and, on a failure, travel with it, so that this method's state
        // machine box (the call's one allocation of ours for the async steps) stays small.
        Exchange exchange = await TryOnceAsync(call, attempt: 1).ConfigureAwait(false);
        if (exchange.Failed is { } failed)
        {
            exchange = await RetryAsync(failed).ConfigureAwait(false);
        }

        try
        {
            return new ApiResponse<T>(ReadJson(request, exchange, readBody, activity), exchange.Status, exchange.Headers, hasValue: exchange.BodyLength > 0);
        }
        finally
        {
            ReturnBody(exchange);
        }
    }

    /// <summary>
    /// Sends <paramref name="request"/> and returns only the success body, read with
    /// <paramref name="readBody"/>: <see cref="SendAsync{T}"/> for a caller that needs neither status
    /// nor headers, without the response object around the value.
    /// </summary>
    /// <remarks>
    /// A generated <c>XxxAsync</c> method can return this task as it is, instead of awaiting
    /// <c>XxxWithResponseAsync</c> in a state machine of its own to take the value out.
    /// </remarks>
    /// <exception cref="ApiException">The server answered with a failure status (after any retries), or with a body that is not the declared JSON.</exception>
    /// <exception cref="ApiConnectionException">No complete response arrived on any try.</exception>
    /// <exception cref="ApiTimeoutException">Every try ran out of time.</exception>
    /// <exception cref="OperationCanceledException"><paramref name="cancellationToken"/> was cancelled.</exception>
    public async Task<T> SendForValueAsync<T>(ApiRequest request, JsonValueReader<T> readBody, RequestOptions? options, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        ArgumentNullException.ThrowIfNull(readBody);
        Call call = Begin(request, options, streaming: false, cancellationToken);
        using Activity? activity = call.Activity;
        Exchange exchange = await TryOnceAsync(call, attempt: 1).ConfigureAwait(false);
        if (exchange.Failed is { } failed)
        {
            exchange = await RetryAsync(failed).ConfigureAwait(false);
        }

        try
        {
            return ReadJson(request, exchange, readBody, activity);
        }
        finally
        {
            ReturnBody(exchange);
        }
    }

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

    /// <summary>Sends <paramref name="request"/> for an operation whose success response has no body.</summary>
    /// <exception cref="ApiException">The server answered with a failure status (after any retries).</exception>
    /// <exception cref="ApiConnectionException">No complete response arrived on any try.</exception>
    /// <exception cref="ApiTimeoutException">Every try ran out of time.</exception>
    /// <exception cref="OperationCanceledException"><paramref name="cancellationToken"/> was cancelled.</exception>
    public async Task<ApiResponse> SendAsync(ApiRequest request, RequestOptions? options, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        Call call = Begin(request, options, streaming: false, cancellationToken);
        using Activity? activity = call.Activity;
        Exchange exchange = await TryOnceAsync(call, attempt: 1).ConfigureAwait(false);
        if (exchange.Failed is { } failed)
        {
            exchange = await RetryAsync(failed).ConfigureAwait(false);
        }

        ReturnBody(exchange);
        return new ApiResponse(exchange.Status, exchange.Headers);
    }

    /// <summary>
    /// Sends <paramref name="request"/> with the same retries, timeouts and typed errors as
    /// <see cref="SendAsync{T}"/> up to the response headers, then hands back the open body to be
    /// read as it arrives (Server-Sent Events and other streams).
    /// </summary>
    /// <remarks>
    /// <para>
    /// The per-try timeout covers sending and the arrival of the response headers only: once a
    /// success status has arrived, the stream may run for as long as the server keeps it open. Bound
    /// the read with the token passed to the stream's reads. A failure status is read (up to
    /// <see cref="ApiFailure.MaxRawBodyLength"/> bytes) and thrown as the typed
    /// <see cref="ApiException"/>, after any retries.
    /// </para>
    /// <para>
    /// Once the body has been handed back nothing is retried: a stream that breaks off throws
    /// <see cref="ApiConnectionException"/> from its read. Dispose the response to release the connection.
    /// </para>
    /// </remarks>
    /// <exception cref="ApiException">The server answered with a failure status (after any retries).</exception>
    /// <exception cref="ApiConnectionException">No response headers arrived on any try.</exception>
    /// <exception cref="ApiTimeoutException">Every try ran out of time before the headers arrived.</exception>
    /// <exception cref="OperationCanceledException"><paramref name="cancellationToken"/> was cancelled.</exception>
    public async Task<StreamingResponse> SendStreamingAsync(ApiRequest request, RequestOptions? options, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        Call call = Begin(request, options, streaming: true, cancellationToken);
        using Activity? activity = call.Activity;
        Exchange exchange = await TryOnceAsync(call, attempt: 1).ConfigureAwait(false);
        if (exchange.Failed is { } failed)
        {
            exchange = await RetryAsync(failed).ConfigureAwait(false);
        }

        return exchange.Streamed!;
    }

    // Everything a call's tries share. The credentials are chosen first, so that a call the client
    // has no credentials for fails before it is traced or sent.
    private Call Begin(ApiRequest request, RequestOptions? options, bool streaming, CancellationToken cancellationToken)
    {
        SecurityRequirement? requirement = _auth.Choose(request, options);
        ServerAddress server = ServerOf(request);
        return new Call(
            request,
            options,
            server,
            requirement,
            options?.Timeout ?? _timeout,
            options?.Timeout is null ? "ApiClientOptions.Timeout" : "RequestOptions.Timeout",
            IdempotencyKeyFor(request, options),
            streaming,
            options?.MaxRetries ?? _maxRetries,
            TokenRetried: false,
            ApiTelemetry.Start(request, server.Uri),
            cancellationToken);
    }

    // After a failed try: wait and try again while the failure is retryable and retries remain,
    // else throw the last failure. Pooled, like TryOnceAsync: its box is reused, not allocated.
    [AsyncMethodBuilder(typeof(PoolingAsyncValueTaskMethodBuilder<>))]
    private async ValueTask<Exchange> RetryAsync(TryFailure failed)
    {
        while (true)
        {
            // Read again on each failure: a try that fetched a new token after a 401 changes it.
            Call call = failed.Call;
            int attempt = failed.Attempt;
            if (failed.RetryDelay is not { } delay)
            {
                ApiTelemetry.Finish(call.Activity, attempt, failed.Status, failed.Failure);
                throw failed.Failure!;
            }

            ApiTelemetry.Retrying(call.Activity, attempt, failed.Reason!, delay);
            if (delay > TimeSpan.Zero)
            {
                try
                {
                    await Task.Delay(delay, _clock, call.CancellationToken).ConfigureAwait(false);
                }
                catch (OperationCanceledException ex) when (call.CancellationToken.IsCancellationRequested)
                {
                    if (CallerCancelled(call, attempt, ex) is { } translated)
                    {
                        throw translated;
                    }

                    throw;
                }
            }

            Exchange next = await TryOnceAsync(call, attempt + 1).ConfigureAwait(false);
            if (next.Failed is not { } again)
            {
                return next;
            }

            failed = again;
        }
    }

    // The caller cancelled: the call ends here. Returns the exception that reports the caller's own
    // token (whichever linked token the transport saw), or null when the one caught already does.
    private static OperationCanceledException? CallerCancelled(in Call call, int attempts, OperationCanceledException ex)
    {
        ApiTelemetry.Finish(call.Activity, attempts, status: null, ex);
        return ex.CancellationToken == call.CancellationToken ? null : new OperationCanceledException(ex.Message, ex, call.CancellationToken);
    }

    // One try: send, get the headers and (unless streaming) the whole body, all within the per-try
    // timeout. Returns the success (its telemetry finished), or a failed exchange that says how long
    // to wait before the next try, or the final failure. Pooled: a call's state machine box is taken
    // from a cache and given back, not allocated.
    [AsyncMethodBuilder(typeof(PoolingAsyncValueTaskMethodBuilder<>))]
    private async ValueTask<Exchange> TryOnceAsync(Call call, int attempt)
    {
        ApiRequest request = call.Request;
        CancellationToken cancellationToken = call.CancellationToken;
        bool canRetry = attempt <= call.MaxRetries;
        CancellationTokenSource? timeoutSource = call.Timeout == Timeout.InfiniteTimeSpan ? null : RentTimeoutSource(call.Timeout);

        // A caller's token that can never be cancelled needs no link: the timeout's token alone says it all.
        CancellationTokenSource? linked = timeoutSource is null || !cancellationToken.CanBeCanceled
            ? null
            : CancellationTokenSource.CreateLinkedTokenSource(cancellationToken, timeoutSource.Token);
        CancellationToken token = linked?.Token ?? timeoutSource?.Token ?? cancellationToken;
        HttpResponseMessage? response = null;
        byte[]? body = null;
        bool readingBody = false;
        bool handedOver = false;
        string? bearer = null;
        try
        {
            // A token from a provider or an OAuth flow is asked for on each try, within its time:
            // the flow's cache makes that free while the token is valid.
            if (call.Requirement is { } requirement && _auth.TokenScheme(requirement, out int index) is { } tokenScheme)
            {
                bearer = await _auth.GetTokenAsync(new TokenContext(tokenScheme, requirement.ScopesOf(index), _httpClient, _clock, request, attempt), token).ConfigureAwait(false);
            }

            using (HttpRequestMessage message = BuildMessage(call, retriesTaken: attempt - 1, bearer))
            {
                response = await _httpClient.SendAsync(message, HttpCompletionOption.ResponseHeadersRead, token).ConfigureAwait(false);
            }

            var headers = new ResponseHeaders(response);
            int status = (int)response.StatusCode;
            if (status == 401 && bearer is not null && !call.TokenRetried && RefusedToken(call, attempt, bearer))
            {
                // A fetched token the API no longer takes (revoked, or expired early): one more
                // try with a new one, which is not counted against MaxRetries.
                return TryFailure.Retry(call with { TokenRetried = true, MaxRetries = call.MaxRetries + 1 }, attempt, TimeSpan.Zero, "token refused");
            }

            if (response.IsSuccessStatusCode)
            {
                if (call.Streaming)
                {
                    Stream stream = await response.Content.ReadAsStreamAsync(token).ConfigureAwait(false);
                    var streamed = new StreamingResponse(response, headers, new ConnectionGuardStream(stream, request, attempt));
                    response = null; // The caller owns it now.
                    handedOver = true;
                    ApiTelemetry.Finish(call.Activity, attempt, status, failure: null);
                    return new Exchange(streamed.Status, headers, attempt) { Streamed = streamed };
                }

                // The whole body, into a pooled buffer sized by Content-Length (the caller parses it
                // and hands the buffer back); a body longer than announced still fits, by growing.
                readingBody = true;
                Stream content = await response.Content.ReadAsStreamAsync(token).ConfigureAwait(false);
                body = _bodyBuffers.Rent(InitialBodyCapacity(response.Content.Headers));
                int length = 0;
                while (true)
                {
                    if (length == body.Length)
                    {
                        body = GrowBody(body, length);
                    }

                    int read;
                    try
                    {
                        read = await content.ReadAsync(body.AsMemory(length), token).ConfigureAwait(false);
                    }
                    catch (Exception ex) when (ex is IOException or ObjectDisposedException)
                    {
                        // What HttpContent.ReadAsByteArrayAsync throws for the same failure.
                        throw new HttpRequestException((ex as HttpIOException)?.HttpRequestError ?? HttpRequestError.Unknown, "Error while copying content to a stream.", ex);
                    }

                    if (read == 0)
                    {
                        break;
                    }

                    length += read;
                }

                var buffered = new Exchange(response.StatusCode, headers, attempt) { Body = body, BodyLength = length };
                body = null; // The caller returns it.
                ApiTelemetry.Finish(call.Activity, attempt, status, failure: null);
                return buffered;
            }

            string? note = null;
            if (canRetry && RetryPolicy.IsRetryable(status, headers))
            {
                ServerDelay server = _retry.ReadServerDelay(headers);
                if (server.TooLong is not { } requested)
                {
                    // The body of a response we retry is never read: disposing it frees the connection.
                    return TryFailure.Retry(call, attempt, server.Delay ?? _retry.Backoff(attempt - 1), "status " + status.ToString(CultureInfo.InvariantCulture));
                }

                note = $"not retried: the server asked to wait {ApiTimeoutException.FormatDuration(requested)} ({server.Header}), "
                    + $"more than ApiClientOptions.MaxRetryAfter ({ApiTimeoutException.FormatDuration(_retry.MaxRetryAfter)})";
            }

            (byte[] errorBody, Exception? readError) = await ReadCappedAsync(response.Content, ApiFailure.MaxRawBodyLength, token, cancellationToken).ConfigureAwait(false);
            if (readError is not null)
            {
                note = Join(note, $"the response body broke off after {errorBody.Length.ToString(CultureInfo.InvariantCulture)} bytes ({Innermost(readError).Message})");
            }

            return TryFailure.Fail(call, attempt, CreateException(new FailedResponse(request, response.StatusCode, headers, errorBody), attempt, note, readError), status);
        }
        catch (OperationCanceledException ex) when (cancellationToken.IsCancellationRequested)
        {
            if (CallerCancelled(call, attempt, ex) is { } translated)
            {
                throw translated;
            }

            throw;
        }
        catch (TokenRequestException refused)
        {
            // The token endpoint answered, and said no: asking again would get the same.
            return TryFailure.Fail(call, attempt, refused, status: null);
        }
        catch (OperationCanceledException ex)
        {
            // Not the caller's token, so a clock ran out: ours, or the HttpClient's own Timeout.
            if (canRetry)
            {
                return TryFailure.Retry(call, attempt, _retry.Backoff(attempt - 1), "timeout");
            }

            bool ours = timeoutSource?.IsCancellationRequested == true;
            var timeout = new ApiTimeoutException(
                request.OperationId, request.Method.Method, request.Path, attempt,
                ours ? call.Timeout : _httpClient.Timeout, ours ? call.TimeoutSource : "HttpClient.Timeout", ex);
            return TryFailure.Fail(call, attempt, timeout, status: null);
        }
        catch (Exception ex) when (ex is HttpRequestException or IOException)
        {
            if (canRetry)
            {
                return TryFailure.Retry(call, attempt, _retry.Backoff(attempt - 1), "connection");
            }

            string problem = readingBody
                ? $"the response ({(int)response!.StatusCode} {response.StatusCode}) broke off before its whole body arrived ({Innermost(ex).Message})"
                : $"the connection failed ({ex.Message})";
            var connection = new ApiConnectionException(request.OperationId, request.Method.Method, request.Path, attempt, problem, ex);
            return TryFailure.Fail(call, attempt, connection, status: null);
        }
        finally
        {
            if (body is not null)
            {
                _bodyBuffers.Return(body);
            }

            response?.Dispose();
            linked?.Dispose();
            if (timeoutSource is not null)
            {
                // A handed-over stream may still hold the token (HTTP/2 and HTTP/3 keep it for the
                // whole response), so only a finished exchange gives its timeout back for reuse.
                if (handedOver)
                {
                    timeoutSource.Dispose();
                }
                else
                {
                    ReturnTimeoutSource(timeoutSource);
                }
            }
        }
    }

    // The declared length plus one byte (so that the end shows without growing), up to a cap: a
    // length the server merely claims never reserves more than that before the bytes arrive.
    private static int InitialBodyCapacity(HttpContentHeaders headers)
    {
        if (headers.NonValidated.TryGetValues("Content-Length", out HeaderStringValues values)
            && values.Count == 1
            && long.TryParse(values.ToString(), NumberStyles.None, CultureInfo.InvariantCulture, out long declared))
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

    // A timer-backed source per try is most of a small call's overhead; a finished try's source is
    // reset and reused. Only sources on the system clock can be reset (TryReset fails for any
    // other TimeProvider's timer), so with a custom clock every try gets a new one, as before.
    private CancellationTokenSource RentTimeoutSource(TimeSpan timeout)
    {
        if (_clock != TimeProvider.System)
        {
            return new CancellationTokenSource(timeout, _clock);
        }

        CancellationTokenSource?[] spares = _spareTimeoutSources;
        for (int i = 0; i < spares.Length; i++)
        {
            if (Volatile.Read(ref spares[i]) is not null && Interlocked.Exchange(ref spares[i], null) is { } spare)
            {
                spare.CancelAfter(timeout);
                return spare;
            }
        }

        return new CancellationTokenSource(timeout);
    }

    // The try is over, its response disposed and the transport done with the token: a source that
    // has not fired is reset (its timer stopped, its leftover registrations dropped) and kept for a
    // later try; one that fired, or that does not fit, is disposed.
    private void ReturnTimeoutSource(CancellationTokenSource source)
    {
        if (_clock == TimeProvider.System && source.TryReset())
        {
            CancellationTokenSource?[] spares = _spareTimeoutSources;
            for (int i = 0; i < spares.Length; i++)
            {
                if (Interlocked.CompareExchange(ref spares[i], source, null) is null)
                {
                    return;
                }
            }
        }

        source.Dispose();
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

    private string? IdempotencyKeyFor(ApiRequest request, RequestOptions? options)
    {
        if (_idempotencyHeader is null || request.Method == HttpMethod.Get || request.Method == HttpMethod.Head || request.Method == HttpMethod.Options)
        {
            return null;
        }

        // Generated once per call, so that every retry of it carries the same key.
        return options?.IdempotencyKey ?? "specgen-" + Guid.NewGuid().ToString("D");
    }

    private bool RefusedToken(in Call call, int attempt, string bearer) =>
        _auth.TokenScheme(call.Requirement!, out int index) is { } scheme
        && _auth.ForgetToken(new TokenContext(scheme, call.Requirement!.ScopesOf(index), _httpClient, _clock, call.Request, attempt), bearer);

    // The message of one try. Credentials are added first, so that a header the caller sets for the
    // call (RequestOptions.Headers) replaces one of them; a query key goes after the operation's own
    // query and before the caller's extra parameters.
    private HttpRequestMessage BuildMessage(in Call call, int retriesTaken, string? bearer)
    {
        ApiRequest request = call.Request;
        RequestOptions? options = call.Options;
        SecurityRequirement? requirement = call.Requirement;
        string url = request.Url(call.Server.Root);
        bool queryKey = requirement is not null && Authenticator.HasQueryKey(requirement);
        if (options is { QueryParameters.Count: > 0 } || queryKey)
        {
            var withExtra = new StringBuilder(url);
            char separator = request.HasQuery ? '&' : '?';
            if (queryKey)
            {
                _auth.AppendQueryKeys(requirement!, withExtra, ref separator, options);
            }

            foreach (KeyValuePair<string, string> pair in options?.QueryParameters ?? Array.Empty<KeyValuePair<string, string>>())
            {
                withExtra.Append(separator).Append(Uri.EscapeDataString(pair.Key)).Append('=').Append(Uri.EscapeDataString(pair.Value));
                separator = '&';
            }

            url = withExtra.ToString();
        }

        var message = new HttpRequestMessage(request.Method, new Uri(url, new UriCreationOptions { DangerousDisablePathAndQueryCanonicalization = true }));
        // Fixed header values go in as text: a parsed header value costs objects on every call, and
        // a handler that reads one (request.Headers.Accept) still gets it parsed.
        if (requirement is not null)
        {
            _auth.AddHeaders(message, requirement, bearer);
        }
        else if (request.Security is null && _auth.UndeclaredAuthorization is { } authorization)
        {
            message.Headers.TryAddWithoutValidation("Authorization", authorization);
        }

        message.Headers.TryAddWithoutValidation("Accept", "application/json");
        foreach (KeyValuePair<string, string> header in _defaultHeaders)
        {
            if (options is null || !options.Headers.ContainsKey(header.Key))
            {
                message.Headers.TryAddWithoutValidation(header.Key, header.Value);
            }
        }

        List<KeyValuePair<string, string>>? contentHeaders = null;
        foreach (KeyValuePair<string, string> header in request.Headers)
        {
            // Content-Language, Content-Disposition … belong to the content, and HttpRequestHeaders
            // throws on their names: they are set once the content exists.
            if (ContentHeaderNames.Contains(header.Key))
            {
                (contentHeaders ??= new List<KeyValuePair<string, string>>()).Add(header);
                continue;
            }

            message.Headers.Remove(header.Key);
            message.Headers.TryAddWithoutValidation(header.Key, header.Value);
        }

        if (requirement is not null)
        {
            // After the cookie parameters, which set the Cookie header whole.
            _auth.AddCookies(message, requirement);
        }

        if (options is not null)
        {
            foreach (KeyValuePair<string, string> header in options.Headers)
            {
                HeaderGuard.EnsureNoLineBreaks(header.Key, "header name");
                HeaderGuard.EnsureNoLineBreaks(header.Value, header.Key);
                message.Headers.Remove(header.Key);
                message.Headers.TryAddWithoutValidation(header.Key, header.Value);
            }
        }

        // The caller's own value of either header wins over ours.
        if (_retryCountHeader is not null && !message.Headers.Contains(_retryCountHeader))
        {
            message.Headers.TryAddWithoutValidation(_retryCountHeader, retriesTaken.ToString(CultureInfo.InvariantCulture));
        }

        if (call.IdempotencyKey is { } idempotencyKey && !message.Headers.Contains(_idempotencyHeader!))
        {
            message.Headers.TryAddWithoutValidation(_idempotencyHeader!, idempotencyKey);
        }

        // A fresh content over the same buffer on every try: the body is sent again intact.
        if (request.JsonBody is { } body)
        {
            var content = new ReadOnlyMemoryContent(body);
            content.Headers.TryAddWithoutValidation("Content-Type", request.JsonContentType ?? "application/json; charset=utf-8");
            message.Content = content;
        }
        else if (request.ContentFactory is { } createContent)
        {
            // Form, multipart, text and binary bodies (ApiRequest.Content.cs).
            message.Content = createContent();
        }

        if (contentHeaders is not null)
        {
            // Without a body, the headers travel on an empty content (a Content-Type some APIs insist on even for a GET).
            message.Content ??= new ByteArrayContent(Array.Empty<byte>());
            foreach (KeyValuePair<string, string> header in contentHeaders)
            {
                message.Content.Headers.Remove(header.Key);
                message.Content.Headers.TryAddWithoutValidation(header.Key, header.Value);
            }
        }

        return message;
    }

    private static ApiException CreateException(FailedResponse failed, int attempts, string? note, Exception? innerException)
    {
        ApiFailure failure = failed.ToFailure(ErrorEnvelope.TryParse(failed.Body), detail: null, attempts, note, ErrorBodyReader.TryRead(failed.Request.ErrorBodies, (int)failed.Status, failed.Body.Span));
        return (int)failed.Status switch
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
    }

    // Plain http is refused outside the local machine unless allowed: every credential and request
    // would cross the network readable by anyone on the way.
    private string? InsecureProblem(Uri address, string what) =>
        address.Scheme == Uri.UriSchemeHttp && !address.IsLoopback && !_allowInsecureHttp
            ? $"The {what} '{ApiClientOptions.SafeAddress(address)}' uses plain http, which would send the credentials and every request unencrypted. "
                + "Use https, or set ApiClientOptions.AllowInsecureHttp = true if the network in between is trusted."
            : null;

    // Where a request goes: the base address, or for an operation with a server of its own, that
    // server or the caller's redirection of it. Resolved once per server.
    private ServerAddress ServerOf(ApiRequest request)
    {
        if (request.Server is not { } server)
        {
            return _defaultServer;
        }

        return _servers.TryGetValue(server, out ServerAddress? known) ? known : _servers.GetOrAdd(server, ResolveServer);
    }

    private ServerAddress ResolveServer(string server)
    {
        string key = server.TrimEnd('/');
        if (!_serverRedirects.TryGetValue(key, out Uri? address))
        {
            if (!Uri.TryCreate(key, UriKind.Absolute, out address) || (address.Scheme != Uri.UriSchemeHttp && address.Scheme != Uri.UriSchemeHttps))
            {
                throw new InvalidOperationException(
                    $"The operation's server '{server}' is not an absolute http or https address; give one for it in ApiClientOptions.ServerAddresses.");
            }
        }

        if (InsecureProblem(address, $"server '{server}'") is { } problem)
        {
            throw new InvalidOperationException(problem + " Or redirect the server with ApiClientOptions.ServerAddresses.");
        }

        return new ServerAddress(address.AbsoluteUri.TrimEnd('/'), address);
    }

    private static HttpClient CreateSharedHttpClient()
    {
        // Recycled connections follow DNS changes; the infinite Timeout leaves the limit to ours.
        HttpMessageHandler handler = SocketsHttpHandler.IsSupported
            ? new SocketsHttpHandler
            {
                PooledConnectionLifetime = TimeSpan.FromMinutes(15),

                // A response left unread (an event stream the caller stopped reading, an error body
                // past our cap) closes its connection at once. Draining it instead would keep the
                // server producing events for seconds after the caller left the loop.
                MaxResponseDrainSize = 0,
            }
            : new HttpClientHandler();
        return new HttpClient(handler) { Timeout = Timeout.InfiniteTimeSpan };
    }

    private static Exception Innermost(Exception exception)
    {
        while (exception.InnerException is not null)
        {
            exception = exception.InnerException;
        }

        return exception;
    }

    private static string Join(string? first, string second) => first is null ? second : first + "; " + second;

    // A server as the pipeline sends to it: the URL root the path is appended to, and the address
    // for telemetry. A class, made once per server, so that each call carries one reference.
    private sealed record ServerAddress(string Root, Uri Uri);

    // Everything about one call that each of its tries needs.
    private readonly record struct Call(
        ApiRequest Request,
        RequestOptions? Options,
        ServerAddress Server,
        SecurityRequirement? Requirement,
        TimeSpan Timeout,
        string TimeoutSource,
        string? IdempotencyKey,
        bool Streaming,
        int MaxRetries,
        bool TokenRetried,
        Activity? Activity,
        CancellationToken CancellationToken);

    // What one try brought: a success, whose Body (rented from the pool) whoever takes it from the
    // pipeline returns once; or, when Failed is set, a failure.
    private readonly struct Exchange(HttpStatusCode status, ResponseHeaders? headers, int attempts)
    {
        public HttpStatusCode Status { get; } = status;

        public ResponseHeaders Headers { get; } = headers!;

        public int Attempts { get; } = attempts;

        public byte[]? Body { get; init; }

        public int BodyLength { get; init; }

        public ReadOnlySpan<byte> BodySpan => Body.AsSpan(0, BodyLength);

        public ReadOnlyMemory<byte> BodyMemory => Body.AsMemory(0, BodyLength);

        /// <summary>The open response of a streaming call.</summary>
        public StreamingResponse? Streamed { get; init; }

        /// <summary>Set when the try failed; it carries the call on to the retry loop.</summary>
        public TryFailure? Failed { get; init; }

        public static implicit operator Exchange(TryFailure failed) => new(default, null, failed.Attempt) { Failed = failed };
    }

    // A failed try: how long to wait before the next one, or the failure to throw. An object, made
    // only when a try fails, so that the success path carries one reference for it.
    private sealed class TryFailure
    {
        private TryFailure(Call call, int attempt)
        {
            Call = call;
            Attempt = attempt;
        }

        public Call Call { get; }

        public int Attempt { get; }

        public ApiCallException? Failure { get; private init; }

        public TimeSpan? RetryDelay { get; private init; }

        public string? Reason { get; private init; }

        public int? Status { get; private init; }

        public static TryFailure Retry(Call call, int attempt, TimeSpan delay, string reason) => new(call, attempt) { RetryDelay = delay, Reason = reason };

        public static TryFailure Fail(Call call, int attempt, ApiCallException failure, int? status) => new(call, attempt) { Failure = failure, Status = status };
    }

    private readonly record struct FailedResponse(ApiRequest Request, HttpStatusCode Status, IReadOnlyDictionary<string, string> Headers, ReadOnlyMemory<byte> Body)
    {
        public ApiFailure ToFailure(ApiError? error, string? detail, int attempts, string? note, object? body = null)
        {
            int length = Math.Min(Body.Length, ApiFailure.MaxRawBodyLength);
            string raw = Encoding.UTF8.GetString(Body.Span.Slice(0, length));
            Headers.TryGetValue("x-request-id", out string? requestId);
            return new ApiFailure(Request.OperationId, Request.Method.Method, Request.Path, Status, Headers, requestId, error, raw, detail)
            {
                Attempts = attempts,
                Note = note,
                Body = body,
            };
        }
    }
}
