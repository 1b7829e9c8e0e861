using System;
using System.Collections.Generic;
using System.Diagnostics;
using System.Net.Http.Headers;
using System.Text;
using System.Threading;
using System.Threading.Tasks;

namespace Specgen.Runtime;

// Success bodies that are not JSON. A file (audio, an image, a download) comes back through
// SendStreamingAsync as an open stream; text is read whole, like JSON.
public sealed partial class ApiPipeline
{
    /// <summary>
    /// Sends <paramref name="request"/> for an operation whose success body is text
    /// (<c>text/plain</c>, <c>text/csv</c>, XML …) and returns it decoded with the response's
    /// charset (UTF-8 when it names none).
    /// </summary>
    /// <exception cref="ApiException">The server answered with a failure status (after any retries).</exception>
    /// <exception cref="ApiConnectionException">No complete response arrived on any try.</exception>
    /// <exception cref="ApiTimeoutException">Every try ran out of time.</exception>
    /// <exception cref="OperationCanceledException"><paramref name="cancellationToken"/> was cancelled.</exception>
    public async Task<ApiResponse<string>> SendForTextAsync(ApiRequest request, RequestOptions? options, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        Call call = Begin(request, options, streaming: false, cancellationToken);
        using Activity? activity = call.Activity;
        Exchange exchange = await ExchangeAsync(call).ConfigureAwait(false);

        try
        {
            string text = EncodingOf(exchange.Headers).GetString(exchange.BodySpan);
            return new ApiResponse<string>(text, exchange.Status, exchange.Headers);
        }
        finally
        {
            ReturnBody(exchange);
        }
    }

    /// <summary>
    /// Sends <paramref name="request"/> for an operation whose spec declares a JSON string as its
    /// success body, and returns the string: the body's JSON string value when it is one, else the
    /// body's text as it is. Specs say "JSON string" for bodies that are really raw text (OpenAI's
    /// file content download), and such a body must not fail the call.
    /// </summary>
    /// <exception cref="ApiException">The server answered with a failure status (after any retries).</exception>
    /// <exception cref="ApiConnectionException">No complete response arrived on any try.</exception>
    /// <exception cref="ApiTimeoutException">Every try ran out of time.</exception>
    /// <exception cref="OperationCanceledException"><paramref name="cancellationToken"/> was cancelled.</exception>
    public async Task<ApiResponse<string>> SendForStringAsync(ApiRequest request, RequestOptions? options, CancellationToken cancellationToken)
    {
        ApiResponse<string> text = await SendForTextAsync(request, options, cancellationToken).ConfigureAwait(false);
        string value = text.Value;
        string trimmed = value.Trim();
        if (trimmed.Length >= 2 && trimmed[0] == '"')
        {
            try
            {
                using System.Text.Json.JsonDocument document = System.Text.Json.JsonDocument.Parse(trimmed);
                if (document.RootElement.ValueKind == System.Text.Json.JsonValueKind.String)
                {
                    value = document.RootElement.GetString()!;
                }
            }
            catch (System.Text.Json.JsonException)
            {
                // Text that merely starts with a quote: it is the value as it is.
            }
        }

        return new ApiResponse<string>(value, text.Status, text.Headers);
    }

    private static Encoding EncodingOf(IReadOnlyDictionary<string, string> headers)
    {
        if (headers.TryGetValue("Content-Type", out string? contentType)
            && MediaTypeHeaderValue.TryParse(contentType, out MediaTypeHeaderValue? parsed)
            && parsed.CharSet is { Length: > 0 } charset)
        {
            try
            {
                return Encoding.GetEncoding(charset.Trim('"'));
            }
            catch (ArgumentException)
            {
                // An unknown charset: UTF-8 is the best guess for an API.
            }
        }

        return Encoding.UTF8;
    }
}
