using System;
using System.Collections.Generic;
using System.Net;
using System.Net.Http;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;
using System.Threading;
using System.Threading.Tasks;

namespace Specgen.Runtime;

/// <summary>
/// Sends the requests of a generated client: builds the <see cref="HttpRequestMessage"/>, adds
/// authentication and headers, reads the body with the generated reader, and turns failures into
/// typed <see cref="ApiException"/>s.
/// </summary>
/// <remarks>
/// Built on <see cref="HttpClient"/>, so an <c>IHttpClientFactory</c> client and any
/// <see cref="DelegatingHandler"/> work unchanged. One pipeline is safe to share between threads.
/// </remarks>
public sealed class ApiPipeline
{
    private static readonly Lazy<HttpClient> SharedHttpClient = new(() => new HttpClient());

    private readonly HttpClient _httpClient;
    private readonly string _baseAddress;
    private readonly AuthenticationHeaderValue? _authorization;
    private readonly KeyValuePair<string, string>[] _defaultHeaders;

    /// <summary>Creates a pipeline.</summary>
    /// <param name="options">Client-wide settings; read once, here.</param>
    /// <param name="defaultBaseAddress">The spec's first server, used when <see cref="ApiClientOptions.BaseAddress"/> is not set; may be <see langword="null"/> when the spec has none.</param>
    /// <param name="httpClient">The client to send with; a process-wide shared one when <see langword="null"/>.</param>
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

        _httpClient = httpClient ?? SharedHttpClient.Value;
        _baseAddress = baseAddress.AbsoluteUri.TrimEnd('/');
        _authorization = options.ApiKey is null ? null : new AuthenticationHeaderValue("Bearer", options.ApiKey);
        var headers = new List<KeyValuePair<string, string>>(options.DefaultHeaders.Count);
        foreach (KeyValuePair<string, string> header in options.DefaultHeaders)
        {
            HeaderGuard.EnsureNoLineBreaks(header.Key, "header name");
            HeaderGuard.EnsureNoLineBreaks(header.Value, header.Key);
            headers.Add(header);
        }

        _defaultHeaders = headers.ToArray();
    }

    /// <summary>The base address every path is appended to, without a trailing slash.</summary>
    public string BaseAddress => _baseAddress;

    /// <summary>Sends <paramref name="request"/> and reads the success body with <paramref name="readBody"/>.</summary>
    /// <exception cref="ApiException">The server answered with a failure status, or with a body that is not the declared JSON.</exception>
    /// <exception cref="HttpRequestException">The connection failed.</exception>
    /// <exception cref="OperationCanceledException"><paramref name="cancellationToken"/> was cancelled.</exception>
    public async Task<ApiResponse<T>> SendAsync<T>(ApiRequest request, JsonValueReader<T> readBody, RequestOptions? options, CancellationToken cancellationToken)
    {
        // Retries and per-try timeouts wrap this single attempt; it owns no state between tries,
        // and the body is a buffer that can be sent again.
        using HttpResponseMessage response = await SendOnceAsync(request, options, cancellationToken).ConfigureAwait(false);
        IReadOnlyDictionary<string, string> headers = CollectHeaders(response);
        byte[] body = await response.Content.ReadAsByteArrayAsync(cancellationToken).ConfigureAwait(false);

        if (!response.IsSuccessStatusCode)
        {
            throw CreateException(new FailedResponse(request, response.StatusCode, headers, body));
        }

        try
        {
            var reader = new Utf8JsonReader(body, new JsonReaderOptions { CommentHandling = JsonCommentHandling.Skip });
            if (!reader.Read())
            {
                throw new JsonException("The response body is empty.");
            }

            T value = readBody(ref reader);

            // A body is one JSON value; anything after it means we read something other than what
            // the server meant to send (Read throws on non-whitespace after the value).
            if (reader.Read())
            {
                throw new JsonException("The response body has more than one JSON value.");
            }

            return new ApiResponse<T>(value, response.StatusCode, headers);
        }
        catch (Exception ex) when (ex is JsonException or InvalidOperationException or FormatException)
        {
            var failed = new FailedResponse(request, response.StatusCode, headers, body);
            throw new InvalidResponseException(failed.ToFailure(error: null, detail: $"the response body is not a valid {typeof(T).Name}: {ex.Message}"), ex);
        }
    }

    /// <summary>Sends <paramref name="request"/> for an operation whose success response has no body.</summary>
    /// <exception cref="ApiException">The server answered with a failure status.</exception>
    /// <exception cref="HttpRequestException">The connection failed.</exception>
    /// <exception cref="OperationCanceledException"><paramref name="cancellationToken"/> was cancelled.</exception>
    public async Task<ApiResponse> SendAsync(ApiRequest request, RequestOptions? options, CancellationToken cancellationToken)
    {
        using HttpResponseMessage response = await SendOnceAsync(request, options, cancellationToken).ConfigureAwait(false);
        IReadOnlyDictionary<string, string> headers = CollectHeaders(response);
        if (!response.IsSuccessStatusCode)
        {
            byte[] body = await response.Content.ReadAsByteArrayAsync(cancellationToken).ConfigureAwait(false);
            throw CreateException(new FailedResponse(request, response.StatusCode, headers, body));
        }

        return new ApiResponse(response.StatusCode, headers);
    }

    private async Task<HttpResponseMessage> SendOnceAsync(ApiRequest request, RequestOptions? options, CancellationToken cancellationToken)
    {
        using HttpRequestMessage message = BuildMessage(request, options);
        return await _httpClient.SendAsync(message, HttpCompletionOption.ResponseHeadersRead, cancellationToken).ConfigureAwait(false);
    }

    private HttpRequestMessage BuildMessage(ApiRequest request, RequestOptions? options)
    {
        var url = new StringBuilder(_baseAddress.Length + 64).Append(_baseAddress).Append(request.Path);
        string query = request.Query;
        char separator = '?';
        if (query.Length > 0)
        {
            url.Append(separator).Append(query);
            separator = '&';
        }

        if (options is not null)
        {
            foreach (KeyValuePair<string, string> pair in options.QueryParameters)
            {
                url.Append(separator).Append(Uri.EscapeDataString(pair.Key)).Append('=').Append(Uri.EscapeDataString(pair.Value));
                separator = '&';
            }
        }

        var message = new HttpRequestMessage(request.Method, new Uri(url.ToString(), new UriCreationOptions { DangerousDisablePathAndQueryCanonicalization = true }));
        message.Headers.Authorization = _authorization;
        message.Headers.Accept.Add(new MediaTypeWithQualityHeaderValue("application/json"));
        foreach (KeyValuePair<string, string> header in _defaultHeaders)
        {
            if (options is null || !options.Headers.ContainsKey(header.Key))
            {
                message.Headers.TryAddWithoutValidation(header.Key, header.Value);
            }
        }

        foreach (KeyValuePair<string, string> header in request.Headers)
        {
            message.Headers.Remove(header.Key);
            message.Headers.TryAddWithoutValidation(header.Key, header.Value);
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

        if (request.JsonBody is { } body)
        {
            var content = new ReadOnlyMemoryContent(body);
            content.Headers.ContentType = new MediaTypeHeaderValue("application/json") { CharSet = "utf-8" };
            message.Content = content;
        }

        return message;
    }

    private static IReadOnlyDictionary<string, string> CollectHeaders(HttpResponseMessage response)
    {
        var headers = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase);
        Add(response.Headers);
        Add(response.Content.Headers);
        return headers;

        void Add(HttpHeaders source)
        {
            foreach (KeyValuePair<string, IEnumerable<string>> header in source)
            {
                // Cookies are credentials; they never leave the pipeline.
                if (string.Equals(header.Key, "Set-Cookie", StringComparison.OrdinalIgnoreCase))
                {
                    continue;
                }

                headers[header.Key] = string.Join(", ", header.Value);
            }
        }
    }

    private static ApiException CreateException(FailedResponse failed)
    {
        ApiFailure failure = failed.ToFailure(ErrorEnvelope.TryParse(failed.Body), detail: null);
        return (int)failed.Status switch
        {
            400 => new BadRequestException(failure),
            401 => new AuthenticationException(failure),
            403 => new PermissionDeniedException(failure),
            404 => new NotFoundException(failure),
            409 => new ConflictException(failure),
            422 => new UnprocessableEntityException(failure),
            429 => new RateLimitException(failure),
            >= 500 and <= 599 => new ServerErrorException(failure),
            _ => new ApiException(failure),
        };
    }

    private readonly record struct FailedResponse(ApiRequest Request, HttpStatusCode Status, IReadOnlyDictionary<string, string> Headers, byte[] Body)
    {
        public ApiFailure ToFailure(ApiError? error, string? detail)
        {
            int length = Math.Min(Body.Length, ApiFailure.MaxRawBodyLength);
            string raw = Encoding.UTF8.GetString(Body, 0, length);
            Headers.TryGetValue("x-request-id", out string? requestId);
            return new ApiFailure(Request.OperationId, Request.Method.Method, Request.Path, Status, Headers, requestId, error, raw, detail);
        }
    }
}
