using System;
using System.Collections.Generic;

namespace Specgen.Runtime;

/// <summary>The kinds of security scheme OpenAPI defines (<c>type</c> of a security scheme object).</summary>
public enum SecuritySchemeKind
{
    /// <summary>An API key in a header, the query or a cookie, under a name the spec gives.</summary>
    ApiKey,

    /// <summary>An HTTP authentication scheme in the <c>Authorization</c> header: <c>bearer</c>, <c>basic</c> or another one.</summary>
    Http,

    /// <summary>OAuth 2.0: an access token, sent as a bearer token.</summary>
    OAuth2,

    /// <summary>OpenID Connect: an access token, sent as a bearer token.</summary>
    OpenIdConnect,

    /// <summary>Mutual TLS: a client certificate, configured on the <see cref="System.Net.Http.HttpClient"/>'s handler.</summary>
    MutualTls,
}

/// <summary>Where an API key travels.</summary>
public enum ApiKeyLocation
{
    /// <summary>In a request header.</summary>
    Header,

    /// <summary>In a query parameter.</summary>
    Query,

    /// <summary>In a cookie.</summary>
    Cookie,
}

/// <summary>
/// One security scheme of a spec, as a generated client describes it to the pipeline: what kind of
/// credential it takes, where the credential travels, and which setting of the generated
/// credentials class supplies it.
/// </summary>
/// <remarks>Generated clients create these once, as static values; the pipeline never changes them.</remarks>
public sealed class SecurityScheme
{
    private SecurityScheme(string name, SecuritySchemeKind kind, string setting)
    {
        Name = name ?? throw new ArgumentNullException(nameof(name));
        Kind = kind;
        Setting = setting ?? throw new ArgumentNullException(nameof(setting));
    }

    /// <summary>The scheme's name in the spec (the key under <c>components.securitySchemes</c>).</summary>
    public string Name { get; }

    /// <summary>The kind of scheme.</summary>
    public SecuritySchemeKind Kind { get; }

    /// <summary>
    /// The setting that supplies the credential, for messages: the generated credentials property,
    /// such as <c>ThreadsClientCredentials.ApiKeyAuth</c>.
    /// </summary>
    public string Setting { get; }

    /// <summary>For <see cref="SecuritySchemeKind.ApiKey"/>: the header, query parameter or cookie name.</summary>
    public string? ParameterName { get; private init; }

    /// <summary>For <see cref="SecuritySchemeKind.ApiKey"/>: where the key travels.</summary>
    public ApiKeyLocation Location { get; private init; }

    /// <summary>For <see cref="SecuritySchemeKind.Http"/>: the scheme of the <c>Authorization</c> header, lower case (<c>bearer</c>, <c>basic</c> …).</summary>
    public string? HttpScheme { get; private init; }

    /// <summary>For <see cref="SecuritySchemeKind.OAuth2"/>: the token URL of the spec's <c>clientCredentials</c> flow, when it has one.</summary>
    public Uri? TokenUrl { get; private init; }

    /// <summary>Whether the scheme's credential is a token sent as <c>Authorization: Bearer</c> (OAuth 2, OpenID Connect, HTTP bearer).</summary>
    internal bool IsBearer => Kind is SecuritySchemeKind.OAuth2 or SecuritySchemeKind.OpenIdConnect
        || (Kind == SecuritySchemeKind.Http && HttpScheme == "bearer");

    /// <summary>Whether <see cref="ApiClientOptions.ApiKey"/> supplies this scheme when no credential of its own is set: API keys and HTTP bearer tokens.</summary>
    internal bool TakesApiKey => Kind == SecuritySchemeKind.ApiKey || (Kind == SecuritySchemeKind.Http && HttpScheme == "bearer");

    /// <summary>An API key sent in a header, the query or a cookie named <paramref name="parameterName"/>.</summary>
    /// <param name="name">The scheme's name in the spec.</param>
    /// <param name="parameterName">The header, query parameter or cookie name.</param>
    /// <param name="location">Where the key travels.</param>
    /// <param name="setting">The generated setting that supplies the key.</param>
    public static SecurityScheme ApiKey(string name, string parameterName, ApiKeyLocation location, string setting)
    {
        if (string.IsNullOrEmpty(parameterName))
        {
            throw new ArgumentException("An API key scheme needs the name of its header, query parameter or cookie.", nameof(parameterName));
        }

        HeaderGuard.EnsureNoLineBreaks(parameterName, nameof(parameterName));
        return new SecurityScheme(name, SecuritySchemeKind.ApiKey, setting) { ParameterName = parameterName, Location = location };
    }

    /// <summary>An HTTP authentication scheme: <c>bearer</c>, <c>basic</c>, or another one sent as <c>Authorization: {scheme} {value}</c>.</summary>
    /// <param name="name">The scheme's name in the spec.</param>
    /// <param name="httpScheme">The HTTP scheme (case does not matter).</param>
    /// <param name="setting">The generated setting that supplies the credential.</param>
    public static SecurityScheme Http(string name, string httpScheme, string setting)
    {
        if (string.IsNullOrWhiteSpace(httpScheme) || httpScheme.AsSpan().IndexOfAny(" \r\n") >= 0)
        {
            throw new ArgumentException("An HTTP security scheme needs a scheme name without spaces, such as 'bearer' or 'basic'.", nameof(httpScheme));
        }

        return new SecurityScheme(name, SecuritySchemeKind.Http, setting) { HttpScheme = httpScheme.ToLowerInvariant() };
    }

    /// <summary>An OAuth 2.0 scheme; <paramref name="tokenUrl"/> is its <c>clientCredentials</c> flow's token URL, if it has that flow.</summary>
    /// <param name="name">The scheme's name in the spec.</param>
    /// <param name="tokenUrl">The token URL of the client-credentials flow, or <see langword="null"/>.</param>
    /// <param name="setting">The generated setting that supplies the credential.</param>
    public static SecurityScheme OAuth2(string name, Uri? tokenUrl, string setting) =>
        new(name, SecuritySchemeKind.OAuth2, setting) { TokenUrl = tokenUrl };

    /// <summary>An OpenID Connect scheme: the access token comes from a <see cref="TokenCredential"/>.</summary>
    /// <param name="name">The scheme's name in the spec.</param>
    /// <param name="setting">The generated setting that supplies the credential.</param>
    public static SecurityScheme OpenIdConnect(string name, string setting) =>
        new(name, SecuritySchemeKind.OpenIdConnect, setting);

    /// <summary>A mutual TLS scheme: satisfied by the client certificate of the handler, which the pipeline cannot see.</summary>
    /// <param name="name">The scheme's name in the spec.</param>
    public static SecurityScheme MutualTls(string name) =>
        new(name, SecuritySchemeKind.MutualTls, "the HttpClient handler's ClientCertificates");

    /// <summary>The scheme's name and kind; a scheme holds no secret.</summary>
    public override string ToString() => Kind switch
    {
        SecuritySchemeKind.ApiKey => $"'{Name}' (an API key in the {Location.ToString().ToLowerInvariant()} '{ParameterName}')",
        SecuritySchemeKind.Http => $"'{Name}' (HTTP {HttpScheme})",
        SecuritySchemeKind.OAuth2 => $"'{Name}' (OAuth 2.0)",
        SecuritySchemeKind.OpenIdConnect => $"'{Name}' (OpenID Connect)",
        _ => $"'{Name}' (mutual TLS)",
    };
}

/// <summary>
/// One way to satisfy an operation's security: every scheme in it at once (OpenAPI's security
/// requirement object). An operation lists one or more of these as alternatives; an empty one means
/// the operation may also be called without credentials.
/// </summary>
public sealed class SecurityRequirement
{
    private static readonly string[] NoScopes = Array.Empty<string>();

    private readonly SecurityScheme[] _schemes;
    private readonly string[][] _scopes;

    /// <summary>A requirement of every scheme in <paramref name="schemes"/>, with no scopes.</summary>
    public SecurityRequirement(params SecurityScheme[] schemes)
        : this(schemes, scopes: null)
    {
    }

    /// <summary>A requirement of every scheme in <paramref name="schemes"/>, each with the OAuth scopes at the same index.</summary>
    /// <param name="schemes">The schemes that must all be applied.</param>
    /// <param name="scopes">The scopes per scheme (OAuth 2 asks for them when it fetches a token); <see langword="null"/> for none.</param>
    public SecurityRequirement(SecurityScheme[] schemes, string[][]? scopes)
    {
        _schemes = schemes ?? throw new ArgumentNullException(nameof(schemes));
        if (Array.IndexOf(_schemes, null) >= 0)
        {
            throw new ArgumentException("A security requirement cannot hold a null scheme.", nameof(schemes));
        }

        if (scopes is not null && scopes.Length != schemes.Length)
        {
            throw new ArgumentException("There must be one list of scopes per scheme.", nameof(scopes));
        }

        _scopes = scopes ?? new string[schemes.Length][];
    }

    /// <summary>The schemes that must all be applied; none for anonymous access.</summary>
    public IReadOnlyList<SecurityScheme> Schemes => _schemes;

    /// <summary>The schemes as the array they are, for loops that must not allocate an enumerator.</summary>
    internal SecurityScheme[] SchemeArray => _schemes;

    /// <summary>The OAuth scopes the requirement names for the scheme at <paramref name="index"/>.</summary>
    public IReadOnlyList<string> ScopesOf(int index) => _scopes[index] ?? NoScopes;

    /// <summary>The names of its schemes, joined by "and".</summary>
    public override string ToString() => _schemes.Length == 0 ? "no credentials" : string.Join(" and ", Array.ConvertAll(_schemes, s => s.ToString()));
}
