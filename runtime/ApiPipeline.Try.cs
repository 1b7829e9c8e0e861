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

// One try of a call: the token, the message, the send, the status, and the body of a success.
public sealed partial class ApiPipeline
{
    // One try: send, get the headers and (unless streaming) the whole body, all within the per-try
    // timeout. Returns the success (its telemetry finished), or a failed exchange that says how long
    // to wait before the next try, or the final failure. Pooled: a call's state machine box is taken
    // from a cache and given back, not allocated.
#if NET
    [AsyncMethodBuilder(typeof(PoolingAsyncValueTaskMethodBuilder<>))]
#endif
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
#if NET
                        throw new HttpRequestException((ex as HttpIOException)?.HttpRequestError ?? HttpRequestError.Unknown, "Error while copying content to a stream.", ex);
#else
                        throw new HttpRequestException("Error while copying content to a stream.", ex);
#endif
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

            var failed = new FailedResponse(request, response.StatusCode, headers, errorBody);
            ApiFailure failure = failed.ToFailure(ErrorEnvelope.TryParse(failed.Body), detail: null, attempt, note, ErrorBodyReader.TryRead(request.ErrorBodies, status, failed.Body.Span));
            return TryFailure.Fail(call, attempt, ApiException.ForStatus(failure, readError), status);
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
    private bool RefusedToken(in Call call, int attempt, string bearer) =>
        _auth.TokenScheme(call.Requirement!, out int index) is { } scheme
        && _auth.ForgetToken(new TokenContext(scheme, call.Requirement!.ScopesOf(index), _httpClient, _clock, call.Request, attempt), bearer);
    private static Exception Innermost(Exception exception)
    {
        while (exception.InnerException is not null)
        {
            exception = exception.InnerException;
        }

        return exception;
    }

    private static string Join(string? first, string second) => first is null ? second : first + "; " + second;
}
