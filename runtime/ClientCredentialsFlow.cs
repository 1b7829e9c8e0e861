using System;
using System.Collections.Generic;
using System.Globalization;
using System.IO;
using System.Net;
using System.Net.Http;
using System.Text;
using System.Text.Json;
using System.Threading;
using System.Threading.Tasks;

namespace Specgen.Runtime;

/// <summary>
/// The OAuth 2.0 client-credentials flow: posts the client's id and secret to the token endpoint
/// and keeps each token (per endpoint and scopes) until shortly before it expires.
/// </summary>
/// <remarks>
/// One fetch at a time per credential: calls that find no valid token wait for the one fetch in
/// progress instead of each asking the endpoint. The token endpoint's answer is never put in a
/// message, except the <c>error</c> and <c>error_description</c> of a refusal, which RFC 6749 makes
/// for people to read.
/// </remarks>
internal sealed class ClientCredentialsFlow(string clientId, string clientSecret, string[]? scopes, Uri? tokenUrl, bool secretInBody)
{
    // A token is fetched again this long before it expires (or halfway through a shorter life), so
    // that a request never leaves with a token that expires on the way.
    private static readonly TimeSpan RefreshMargin = TimeSpan.FromSeconds(60);

    // More than any token response; a larger body is not read.
    private const int MaxResponseLength = 64 * 1024;

    private readonly SemaphoreSlim _fetching = new(1, 1);
    private readonly Dictionary<string, CachedToken> _tokens = new(StringComparer.Ordinal);

    public async ValueTask<string> GetTokenAsync(TokenContext context, CancellationToken cancellationToken)
    {
        (Uri endpoint, string scope) = Target(context);
        string key = endpoint.AbsoluteUri + " " + scope;
        if (Valid(key, context.Clock) is { } cached)
        {
            return cached;
        }

        await _fetching.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            // Another call may have fetched it while this one waited.
            if (Valid(key, context.Clock) is { } fetched)
            {
                return fetched;
            }

            CachedToken token = await FetchAsync(context, endpoint, scope, cancellationToken).ConfigureAwait(false);
            lock (_tokens)
            {
                _tokens[key] = token;
            }

            return token.Value;
        }
        finally
        {
            _fetching.Release();
        }
    }

    public bool Forget(TokenContext context, string token)
    {
        (Uri endpoint, string scope) = Target(context);
        string key = endpoint.AbsoluteUri + " " + scope;
        lock (_tokens)
        {
            // Only the token that was refused: another call may already have replaced it.
            if (_tokens.TryGetValue(key, out CachedToken cached) && cached.Value == token)
            {
                _tokens.Remove(key);
            }
        }

        return true;
    }

    private (Uri Endpoint, string Scope) Target(TokenContext context)
    {
        Uri endpoint = tokenUrl ?? context.Scheme.TokenUrl
            ?? throw new InvalidOperationException(
                $"The security scheme '{context.Scheme.Name}' declares no clientCredentials flow, so there is no token URL to use; pass tokenUrl to TokenCredential.ClientCredentials.");
        string scope = string.Join(" ", (IEnumerable<string>?)scopes ?? context.Scopes);
        return (endpoint, scope);
    }

    private string? Valid(string key, TimeProvider clock)
    {
        lock (_tokens)
        {
            return _tokens.TryGetValue(key, out CachedToken token) && clock.GetUtcNow() < token.RefreshAt ? token.Value : null;
        }
    }

    private async Task<CachedToken> FetchAsync(TokenContext context, Uri endpoint, string scope, CancellationToken cancellationToken)
    {
        var fields = new List<KeyValuePair<string, string>> { new("grant_type", "client_credentials") };
        if (scope.Length > 0)
        {
            fields.Add(new("scope", scope));
        }

        if (secretInBody)
        {
            fields.Add(new("client_id", clientId));
            fields.Add(new("client_secret", clientSecret));
        }

        using var message = new HttpRequestMessage(HttpMethod.Post, endpoint) { Content = new FormUrlEncodedContent(fields) };
        message.Headers.TryAddWithoutValidation("Accept", "application/json");
        if (!secretInBody)
        {
            // RFC 6749, section 2.3.1: both parts form-encoded, then joined by ':' for basic authentication.
            string pair = FormEncode(clientId) + ":" + FormEncode(clientSecret);
            message.Headers.TryAddWithoutValidation("Authorization", "Basic " + Convert.ToBase64String(Encoding.UTF8.GetBytes(pair)));
        }

        DateTimeOffset sentAt = context.Clock.GetUtcNow();
        HttpResponseMessage response;
        try
        {
            response = await context.HttpClient.SendAsync(message, HttpCompletionOption.ResponseHeadersRead, cancellationToken).ConfigureAwait(false);
        }
        catch (HttpRequestException ex)
        {
            // A connection failure like any other: the pipeline retries it or reports it.
#if NET
            throw new HttpRequestException($"the token endpoint {ApiClientOptions.SafeAddress(endpoint)} could not be reached ({ex.Message})", ex, ex.StatusCode);
#else
            throw new HttpRequestException($"the token endpoint {ApiClientOptions.SafeAddress(endpoint)} could not be reached ({ex.Message})", ex);
#endif
        }

        using (response)
        {
            byte[] body = await ReadCappedAsync(response.Content, cancellationToken).ConfigureAwait(false);
            if (!response.IsSuccessStatusCode)
            {
                (string? error, string? description) = ReadError(body);
                throw new TokenRequestException(context.Request, context.Attempt, context.Scheme.Name, endpoint, response.StatusCode, error, description);
            }

            return ReadToken(body, sentAt) ?? throw new TokenRequestException(context.Request, context.Attempt, context.Scheme.Name, endpoint, response.StatusCode, error: null,
                description: "the response has no access_token string");
        }
    }

    // The response is JSON with access_token and, usually, expires_in (seconds; some servers send
    // it as a string). Without expires_in the token is kept until the API refuses it.
    private static CachedToken? ReadToken(byte[] body, DateTimeOffset sentAt)
    {
        try
        {
            using JsonDocument document = JsonDocument.Parse(body);
            JsonElement root = document.RootElement;
            if (root.ValueKind != JsonValueKind.Object
                || !root.TryGetProperty("access_token", out JsonElement accessToken)
                || accessToken.ValueKind != JsonValueKind.String
                || accessToken.GetString() is not { Length: > 0 } value
                || value.AsSpan().IndexOfAny('\r', '\n') >= 0)
            {
                return null;
            }

            DateTimeOffset refreshAt = DateTimeOffset.MaxValue;
            if (root.TryGetProperty("expires_in", out JsonElement expiresIn) && Seconds(expiresIn) is { } seconds && seconds > 0)
            {
                TimeSpan lifetime = TimeSpan.FromSeconds(Math.Min(seconds, TimeSpan.FromDays(3650).TotalSeconds));
                TimeSpan margin = lifetime.Ticks / 2 < RefreshMargin.Ticks ? TimeSpan.FromTicks(lifetime.Ticks / 2) : RefreshMargin;
                refreshAt = sentAt + lifetime - margin;
            }

            return new CachedToken(value, refreshAt);
        }
        catch (JsonException)
        {
            return null;
        }
    }

    private static double? Seconds(JsonElement value) => value.ValueKind switch
    {
        JsonValueKind.Number when value.TryGetDouble(out double number) => number,
        JsonValueKind.String when double.TryParse(value.GetString(), NumberStyles.Float, CultureInfo.InvariantCulture, out double parsed) => parsed,
        _ => null,
    };

    private static (string? Error, string? Description) ReadError(byte[] body)
    {
        try
        {
            using JsonDocument document = JsonDocument.Parse(body);
            JsonElement root = document.RootElement;
            return root.ValueKind != JsonValueKind.Object
                ? (null, null)
                : (Text(root, "error"), Text(root, "error_description"));
        }
        catch (JsonException)
        {
            return (null, null);
        }

        static string? Text(JsonElement root, string name) =>
            root.TryGetProperty(name, out JsonElement value) && value.ValueKind == JsonValueKind.String ? Shorten(value.GetString()!) : null;

        static string Shorten(string text) => text.Length <= 300 ? text : text.Substring(0, 300) + "…";
    }

    private static async Task<byte[]> ReadCappedAsync(HttpContent content, CancellationToken cancellationToken)
    {
        using Stream stream = await content.ReadAsStreamAsync(cancellationToken).ConfigureAwait(false);
        using var buffer = new MemoryStream();
        byte[] chunk = new byte[8 * 1024];
        int read;
        while (buffer.Length < MaxResponseLength && (read = await stream.ReadAsync(chunk, cancellationToken).ConfigureAwait(false)) > 0)
        {
            buffer.Write(chunk, 0, read);
        }

        return buffer.ToArray();
    }

    private static string FormEncode(string value) => Uri.EscapeDataString(value).Replace("%20", "+");

    private readonly record struct CachedToken(string Value, DateTimeOffset RefreshAt);
}
