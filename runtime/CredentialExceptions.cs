using System;
using System.Collections.Generic;
using System.Linq;
using System.Net;

namespace Specgen.Runtime;

/// <summary>
/// An operation needs credentials that the client was not given: none of its security
/// requirements has a credential for each of its schemes. Nothing was sent.
/// </summary>
/// <remarks>The message names the schemes and the settings that supply them; it never holds a value.</remarks>
public sealed class MissingCredentialException : InvalidOperationException
{
    internal MissingCredentialException(ApiRequest request, IReadOnlyList<SecurityRequirement> alternatives)
        : base(BuildMessage(request, alternatives))
    {
        OperationId = request.OperationId;
        Requirements = alternatives;
    }

    /// <summary>The spec's operationId of the call.</summary>
    public string OperationId { get; }

    /// <summary>The operation's security requirements, any one of which would do.</summary>
    public IReadOnlyList<SecurityRequirement> Requirements { get; }

    private static string BuildMessage(ApiRequest request, IReadOnlyList<SecurityRequirement> alternatives)
    {
        string needs = string.Join("; or ", alternatives.Select(requirement => string.Join(" and ", requirement.Schemes.Select(WhereFrom))));
        return $"{ApiCallException.Describe(request.OperationId, request.Method.Method, request.Path)} needs credentials the client was not given: {needs}. "
            + "Set them on ApiClientOptions.Credentials; nothing was sent.";
    }

    private static string WhereFrom(SecurityScheme scheme) =>
        $"{scheme} from {scheme.Setting}{(scheme.TakesApiKey ? " or ApiClientOptions.ApiKey" : string.Empty)}";
}

/// <summary>
/// The token endpoint of an OAuth 2.0 client-credentials flow refused to issue a token, or answered
/// with something that is not a token response.
/// </summary>
/// <remarks>
/// The message holds the endpoint, the status and the server's <c>error</c> and
/// <c>error_description</c>; never the client secret, the client id or a token.
/// </remarks>
public sealed class TokenRequestException : ApiCallException
{
    internal TokenRequestException(ApiRequest request, int attempt, string scheme, Uri tokenUrl, HttpStatusCode status, string? error, string? description)
        : base(request.OperationId, request.Method.Method, request.Path, attempt, BuildMessage(request, scheme, tokenUrl, status, error, description), innerException: null)
    {
        Scheme = scheme;
        TokenUrl = tokenUrl;
        Status = status;
        Error = error;
        ErrorDescription = description;
    }

    /// <summary>The security scheme the token was for.</summary>
    public string Scheme { get; }

    /// <summary>The token endpoint.</summary>
    public Uri TokenUrl { get; }

    /// <summary>The status the token endpoint answered with.</summary>
    public HttpStatusCode Status { get; }

    /// <summary>The OAuth error code (<c>invalid_client</c>, <c>invalid_scope</c> …), when the endpoint sent one.</summary>
    public string? Error { get; }

    /// <summary>The endpoint's <c>error_description</c>, when it sent one.</summary>
    public string? ErrorDescription { get; }

    private static string BuildMessage(ApiRequest request, string scheme, Uri tokenUrl, HttpStatusCode status, string? error, string? description)
    {
        string detail = error is null ? string.Empty : ": " + error + (description is null ? string.Empty : " (" + description + ")");
        if (error is null && description is not null)
        {
            detail = ": " + description;
        }

        return $"{Describe(request.OperationId, request.Method.Method, request.Path)} could not get an access token for '{scheme}' from "
            + $"{ApiClientOptions.SafeAddress(tokenUrl)}: {(int)status} {status}{detail}";
    }
}
