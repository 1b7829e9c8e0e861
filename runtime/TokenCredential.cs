using System;
using System.Collections.Generic;
using System.Linq;
using System.Threading;
using System.Threading.Tasks;

namespace Specgen.Runtime;

/// <summary>
/// An access token sent as <c>Authorization: Bearer …</c>, for HTTP bearer, OAuth 2.0 and OpenID
/// Connect schemes: a fixed token, a provider the client asks before each request, or the OAuth 2.0
/// client-credentials flow, which the pipeline runs itself.
/// </summary>
/// <remarks>
/// <para>
/// A string converts to a fixed token, so <c>credentials.ApiKeyAuth = "sk-…"</c> works.
/// </para>
/// <para>
/// With <see cref="ClientCredentials"/>, the pipeline posts the client id and secret to the scheme's
/// token URL (from the spec, unless given here), keeps the token until shortly before it expires
/// (<c>expires_in</c>), fetches a new one then, and also once after the API answers 401 to a token
/// it had cached. Every other OAuth 2.0 flow (authorization code, device code …) and OpenID Connect
/// need a user or a browser: run them with your identity library and pass its token getter to
/// <see cref="FromProvider"/>, which is called for every request and may cache as it likes.
/// </para>
/// <para><see cref="ToString"/> never shows a token, a secret or a client id.</para>
/// </remarks>
public sealed class TokenCredential
{
    private readonly string? _token;
    private readonly Func<CancellationToken, ValueTask<string>>? _provider;
    private readonly ClientCredentialsFlow? _flow;

    private TokenCredential(string? token, Func<CancellationToken, ValueTask<string>>? provider, ClientCredentialsFlow? flow)
    {
        _token = token;
        _provider = provider;
        _flow = flow;
    }

    /// <summary>A fixed token, sent as it is with every request.</summary>
    /// <exception cref="ArgumentException">The token is empty or contains a line break.</exception>
    public static TokenCredential FromToken(string token)
    {
        if (string.IsNullOrEmpty(token))
        {
            throw new ArgumentException("The token must not be empty.", nameof(token));
        }

        HeaderGuard.EnsureNoLineBreaks(token, nameof(token));
        return new TokenCredential(token, null, null);
    }

    /// <summary>A token from <paramref name="provider"/>, asked before every request (it may cache; the pipeline does not).</summary>
    /// <param name="provider">Returns the current access token; it gets the call's cancellation token.</param>
    public static TokenCredential FromProvider(Func<CancellationToken, ValueTask<string>> provider) =>
        new(null, provider ?? throw new ArgumentNullException(nameof(provider)), null);

    /// <summary>The OAuth 2.0 client-credentials flow (RFC 6749, section 4.4), run by the pipeline.</summary>
    /// <param name="clientId">The client id.</param>
    /// <param name="clientSecret">The client secret.</param>
    /// <param name="scopes">The scopes to ask for; when <see langword="null"/>, those the operation's security requirement names (often none: the server's default).</param>
    /// <param name="tokenUrl">The token endpoint; when <see langword="null"/>, the one the spec declares for the scheme's <c>clientCredentials</c> flow.</param>
    /// <param name="secretInBody">
    /// Sends the id and secret as <c>client_id</c> and <c>client_secret</c> form fields instead of
    /// HTTP basic authentication (which RFC 6749 prefers and every server must accept).
    /// </param>
    public static TokenCredential ClientCredentials(string clientId, string clientSecret, IEnumerable<string>? scopes = null, Uri? tokenUrl = null, bool secretInBody = false)
    {
        if (string.IsNullOrEmpty(clientId))
        {
            throw new ArgumentException("The client id must not be empty.", nameof(clientId));
        }

        if (clientSecret is null)
        {
            throw new ArgumentNullException(nameof(clientSecret));
        }

        if (tokenUrl is not null && !tokenUrl.IsAbsoluteUri)
        {
            throw new ArgumentException("The token URL must be absolute.", nameof(tokenUrl));
        }

        return new TokenCredential(null, null, new ClientCredentialsFlow(clientId, clientSecret, scopes?.ToArray(), tokenUrl, secretInBody));
    }

    /// <summary>A fixed token: <see cref="FromToken"/>.</summary>
    public static implicit operator TokenCredential(string token) => FromToken(token);

    /// <summary>The fixed token, or <see langword="null"/> when tokens come from a provider or a flow.</summary>
    internal string? FixedToken => _token;

    /// <summary>Whether the pipeline fetches the tokens itself, and so can fetch a new one after a 401.</summary>
    internal bool FetchesTokens => _flow is not null;

    /// <summary>The token for one try of a call.</summary>
    internal ValueTask<string> GetTokenAsync(TokenContext context, CancellationToken cancellationToken)
    {
        if (_token is not null)
        {
            return new ValueTask<string>(_token);
        }

        return _provider is not null ? FromProviderAsync(_provider, context, cancellationToken) : _flow!.GetTokenAsync(context, cancellationToken);
    }

    /// <summary>Forgets <paramref name="token"/> (the API refused it) so that the next try fetches another; false when there is nothing to fetch again.</summary>
    internal bool Forget(TokenContext context, string token) => _flow is not null && _flow.Forget(context, token);

    /// <summary>Says what kind of token this is; never the token, the secret or the client id.</summary>
    public override string ToString() =>
        _token is not null ? "TokenCredential (a fixed token)"
        : _provider is not null ? "TokenCredential (from a provider)"
        : "TokenCredential (OAuth 2.0 client credentials)";

    private static async ValueTask<string> FromProviderAsync(Func<CancellationToken, ValueTask<string>> provider, TokenContext context, CancellationToken cancellationToken)
    {
        string token = await provider(cancellationToken).ConfigureAwait(false);
        if (string.IsNullOrEmpty(token))
        {
            throw new InvalidOperationException($"The token provider of the security scheme '{context.Scheme.Name}' returned an empty token.");
        }

        HeaderGuard.EnsureNoLineBreaks(token, context.Scheme.Name);
        return token;
    }
}

/// <summary>What a credential needs to know to produce a token for one try of a call.</summary>
internal readonly record struct TokenContext(
    SecurityScheme Scheme,
    IReadOnlyList<string> Scopes,
    System.Net.Http.HttpClient HttpClient,
    TimeProvider Clock,
    ApiRequest Request,
    int Attempt);
