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

    private readonly HttpClient _httpClient;
    private readonly Uri _baseUri;
    private readonly string _baseAddress;
    private readonly Authenticator _auth;
    private readonly bool _allowInsecureHttp;

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

        _httpClient = httpClient ?? SharedHttpClient.Instance;
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

        Exchange exchange = await ExchangeAsync(call).ConfigureAwait(false);

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
        Exchange exchange = await ExchangeAsync(call).ConfigureAwait(false);

        try
        {
            return ReadJson(request, exchange, readBody, activity);
        }
        finally
        {
            ReturnBody(exchange);
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
        Exchange exchange = await ExchangeAsync(call).ConfigureAwait(false);

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
        Exchange exchange = await ExchangeAsync(call).ConfigureAwait(false);

        return exchange.Streamed!;
    }

    // The one path of every send: the first try and, only when it failed, the retry loop. Pooled,
    // like the try and the loop: its box is taken from a cache and given back, so that the public
    // method's own box stays the call's one allocation for the async steps.
#if NET
    [AsyncMethodBuilder(typeof(PoolingAsyncValueTaskMethodBuilder<>))]
#endif
    private async ValueTask<Exchange> ExchangeAsync(Call call)
    {
        Exchange exchange = await TryOnceAsync(call, attempt: 1).ConfigureAwait(false);
        return exchange.Failed is { } failed ? await RetryAsync(failed).ConfigureAwait(false) : exchange;
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
}
