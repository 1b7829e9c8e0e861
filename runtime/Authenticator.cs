using System;
using System.Collections.Concurrent;
using System.Collections.Generic;
using System.Net.Http;
using System.Text;
using System.Threading;
using System.Threading.Tasks;

namespace Specgen.Runtime;

/// <summary>
/// Puts a pipeline's credentials on its requests as each operation's security requirements say:
/// chooses the requirement a call meets, gets its token when it has one to get, and adds the
/// headers, query parameters and cookies its schemes name.
/// </summary>
/// <remarks>
/// Credentials are read once, from <see cref="ApiClientOptions.Credentials"/> and
/// <see cref="ApiClientOptions.ApiKey"/>. The text of a fixed credential's header is built once per
/// scheme and kept, so that a call with an API key or a fixed token allocates nothing for it.
/// </remarks>
internal sealed class Authenticator
{
    private readonly Dictionary<string, object> _credentials;
    private readonly string? _apiKey;
    private readonly HashSet<string> _defaultHeaderNames;
    private readonly ConcurrentDictionary<SecurityScheme, string> _fixedValues = new();

    public Authenticator(ApiClientOptions options)
    {
        _credentials = options.Credentials?.Snapshot() ?? new Dictionary<string, object>(StringComparer.Ordinal);
        _apiKey = options.ApiKey;
        _defaultHeaderNames = new HashSet<string>(options.DefaultHeaders.Keys, StringComparer.OrdinalIgnoreCase);
        UndeclaredAuthorization = _apiKey is null ? null : "Bearer " + _apiKey;
    }

    /// <summary>
    /// The <c>Authorization</c> value for an operation whose spec declares no security at all: the
    /// API key as a bearer token (what OpenAI-style APIs expect, and what a document that forgot
    /// its security scheme most likely means), or null without a key.
    /// </summary>
    public string? UndeclaredAuthorization { get; }

    /// <summary>
    /// The requirement a call will meet: the first of the operation's alternatives whose every
    /// scheme has a credential; null when the call sends none (no requirement, <c>security: []</c>,
    /// or an anonymous alternative and no other that can be met).
    /// </summary>
    /// <exception cref="MissingCredentialException">No alternative can be met.</exception>
    public SecurityRequirement? Choose(ApiRequest request, RequestOptions? options)
    {
        SecurityRequirement[]? alternatives = request.Security;
        if (alternatives is null || alternatives.Length == 0)
        {
            return null;
        }

        bool anonymous = false;
        foreach (SecurityRequirement requirement in alternatives)
        {
            SecurityScheme[] schemes = requirement.SchemeArray;
            if (schemes.Length == 0)
            {
                anonymous = true;
                continue;
            }

            bool met = true;
            for (int i = 0; i < schemes.Length && met; i++)
            {
                met = IsSupplied(schemes[i], options);
            }

            if (met)
            {
                return requirement;
            }
        }

        return anonymous ? null : throw new MissingCredentialException(request, alternatives);
    }

    /// <summary>The scheme of <paramref name="requirement"/> whose token must be asked for on each try (a provider or a flow), or null.</summary>
    public SecurityScheme? TokenScheme(SecurityRequirement requirement, out int index)
    {
        SecurityScheme[] schemes = requirement.SchemeArray;
        for (int i = 0; i < schemes.Length; i++)
        {
            if (schemes[i].IsBearer && Credential(schemes[i]) is TokenCredential { FixedToken: null })
            {
                index = i;
                return schemes[i];
            }
        }

        index = -1;
        return null;
    }

    /// <summary>The token of a provider or a flow for one try.</summary>
    public ValueTask<string> GetTokenAsync(in TokenContext context, CancellationToken cancellationToken) =>
        ((TokenCredential)Credential(context.Scheme)!).GetTokenAsync(context, cancellationToken);

    /// <summary>After a 401: forgets a fetched token so that the next try fetches another; false when the credential cannot fetch one.</summary>
    public bool ForgetToken(in TokenContext context, string token) =>
        Credential(context.Scheme) is TokenCredential { FetchesTokens: true } credential && credential.Forget(context, token);

    /// <summary>Whether a scheme of <paramref name="requirement"/> puts a key in the query.</summary>
    public static bool HasQueryKey(SecurityRequirement requirement)
    {
        foreach (SecurityScheme scheme in requirement.SchemeArray)
        {
            if (scheme.Kind == SecuritySchemeKind.ApiKey && scheme.Location == ApiKeyLocation.Query)
            {
                return true;
            }
        }

        return false;
    }

    /// <summary>Appends the query's API keys (<c>&amp;name=key</c>) to a URL.</summary>
    public void AppendQueryKeys(SecurityRequirement requirement, StringBuilder url, ref char separator, RequestOptions? options)
    {
        foreach (SecurityScheme scheme in requirement.SchemeArray)
        {
            if (scheme.Kind == SecuritySchemeKind.ApiKey && scheme.Location == ApiKeyLocation.Query && Credential(scheme) is string key
                && !HasQueryParameter(options, scheme.ParameterName!))
            {
                url.Append(separator).Append(Uri.EscapeDataString(scheme.ParameterName!)).Append('=').Append(Uri.EscapeDataString(key));
                separator = '&';
            }
        }
    }

    /// <summary>Adds the <c>Authorization</c> header and header API keys of <paramref name="requirement"/>.</summary>
    /// <param name="message">The try's message.</param>
    /// <param name="requirement">The requirement the call meets.</param>
    /// <param name="token">The token of the requirement's <see cref="TokenScheme"/>, fetched for this try.</param>
    public void AddHeaders(HttpRequestMessage message, SecurityRequirement requirement, string? token)
    {
        bool authorized = false;
        foreach (SecurityScheme scheme in requirement.SchemeArray)
        {
            switch (scheme.Kind)
            {
                case SecuritySchemeKind.ApiKey when scheme.Location == ApiKeyLocation.Header:
                    if (Credential(scheme) is string key && !_defaultHeaderNames.Contains(scheme.ParameterName!))
                    {
                        message.Headers.TryAddWithoutValidation(scheme.ParameterName!, key);
                    }

                    break;
                case SecuritySchemeKind.Http or SecuritySchemeKind.OAuth2 or SecuritySchemeKind.OpenIdConnect when !authorized:
                    // One Authorization header per request: a requirement naming two such schemes
                    // at once gets the first one's.
                    if (AuthorizationValue(scheme, token) is { } value && !_defaultHeaderNames.Contains("Authorization"))
                    {
                        message.Headers.TryAddWithoutValidation("Authorization", value);
                        authorized = true;
                    }

                    break;
            }
        }
    }

    /// <summary>Adds the cookie API keys of <paramref name="requirement"/> to the request's <c>Cookie</c> header, after any cookie parameters.</summary>
    public void AddCookies(HttpRequestMessage message, SecurityRequirement requirement)
    {
        foreach (SecurityScheme scheme in requirement.SchemeArray)
        {
            if (scheme.Kind != SecuritySchemeKind.ApiKey || scheme.Location != ApiKeyLocation.Cookie || Credential(scheme) is not string key)
            {
                continue;
            }

            string pair = Uri.EscapeDataString(scheme.ParameterName!) + "=" + Uri.EscapeDataString(key);
            if (message.Headers.TryGetValues("Cookie", out IEnumerable<string>? existing))
            {
                pair = string.Join("; ", existing) + "; " + pair;
                message.Headers.Remove("Cookie");
            }

            message.Headers.TryAddWithoutValidation("Cookie", pair);
        }
    }

    private string? AuthorizationValue(SecurityScheme scheme, string? token)
    {
        object? credential = Credential(scheme);
        if (credential is TokenCredential { FixedToken: null })
        {
            return token is null ? null : "Bearer " + token;
        }

        if (credential is null)
        {
            return null;
        }

        // Fixed credentials: the header's text is built once.
        return _fixedValues.GetOrAdd(scheme, static (s, value) => value switch
        {
            BasicCredential basic => basic.HeaderValue(),
            TokenCredential fixedToken => "Bearer " + fixedToken.FixedToken,
            string text when s.IsBearer => "Bearer " + text,
            string text => HttpSchemeName(s.HttpScheme!) + " " + text,
            _ => throw new InvalidOperationException($"The credential of '{s.Name}' is a {value.GetType().Name}, which that scheme cannot use."),
        }, credential);
    }

    /// <summary>
    /// The credential for <paramref name="scheme"/>: the one set for it; else, for an API-key or
    /// HTTP bearer scheme, <see cref="ApiClientOptions.ApiKey"/>.
    /// </summary>
    private object? Credential(SecurityScheme scheme)
    {
        if (_credentials.TryGetValue(scheme.Name, out object? credential) && Fits(scheme, credential))
        {
            return credential;
        }

        return scheme.TakesApiKey ? _apiKey : null;
    }

    private bool IsSupplied(SecurityScheme scheme, RequestOptions? options)
    {
        if (scheme.Kind == SecuritySchemeKind.MutualTls || Credential(scheme) is not null)
        {
            return true;
        }

        // A caller who sends the credential by hand (a default header, a per-call header or query
        // parameter) has met the scheme: the pipeline sends what it was told, not an error.
        string? name = scheme.Kind == SecuritySchemeKind.ApiKey ? scheme.ParameterName : "Authorization";
        return scheme.Kind == SecuritySchemeKind.ApiKey && scheme.Location == ApiKeyLocation.Query
            ? HasQueryParameter(options, name!)
            : scheme.Kind == SecuritySchemeKind.ApiKey && scheme.Location == ApiKeyLocation.Cookie
                ? _defaultHeaderNames.Contains("Cookie") || (options?.Headers.ContainsKey("Cookie") ?? false)
                : _defaultHeaderNames.Contains(name!) || (options?.Headers.ContainsKey(name!) ?? false);
    }

    private static bool HasQueryParameter(RequestOptions? options, string name)
    {
        if (options is null)
        {
            return false;
        }

        foreach (KeyValuePair<string, string> pair in options.QueryParameters)
        {
            if (pair.Key == name)
            {
                return true;
            }
        }

        return false;
    }

    private static bool Fits(SecurityScheme scheme, object credential) => scheme.Kind switch
    {
        SecuritySchemeKind.ApiKey => credential is string,
        SecuritySchemeKind.Http when scheme.HttpScheme == "basic" => credential is BasicCredential,
        SecuritySchemeKind.Http when scheme.HttpScheme == "bearer" => credential is string or TokenCredential,
        SecuritySchemeKind.Http => credential is string,
        SecuritySchemeKind.OAuth2 or SecuritySchemeKind.OpenIdConnect => credential is string or TokenCredential,
        _ => false,
    };

    // RFC 7235 schemes are case-insensitive; the registered ones read best capitalised.
    private static string HttpSchemeName(string scheme) => scheme switch
    {
        "digest" => "Digest",
        "negotiate" => "Negotiate",
        "hoba" => "HOBA",
        "mutual" => "Mutual",
        _ => scheme,
    };
}
