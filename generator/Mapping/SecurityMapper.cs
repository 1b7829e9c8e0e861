using System;
using System.Collections.Generic;
using System.Linq;
using Microsoft.OpenApi;
using Specgen.Generator.Diagnostics;
using Specgen.Generator.Model;

namespace Specgen.Generator.Mapping;

/// <summary>
/// Lowers the security schemes of a document (<c>components.securitySchemes</c>, or Swagger 2.0's
/// <c>securityDefinitions</c>, which the reader moves there) and the security requirements of the
/// document and its operations.
/// </summary>
internal sealed class SecurityMapper
{
    private readonly MappingContext _context;
    private readonly Dictionary<string, SecuritySchemeModel> _schemes = new(StringComparer.Ordinal);
    private readonly EquatableArray<SecurityRequirementModel>? _documentRequirements;

    public SecurityMapper(MappingContext context, OpenApiDocument document)
    {
        _context = context;
        var properties = new NameScope(MemberNaming.CredentialsMembers);
        var schemes = new List<SecuritySchemeModel>();
        foreach (KeyValuePair<string, IOpenApiSecurityScheme> entry in document.Components?.SecuritySchemes ?? new Dictionary<string, IOpenApiSecurityScheme>())
        {
            string pointer = "/components/securitySchemes/" + MappingContext.Escape(entry.Key);
            if (Map(entry.Key, entry.Value, properties, pointer) is { } scheme)
            {
                schemes.Add(scheme);
                _schemes[scheme.Name] = scheme;
            }
        }

        Schemes = schemes.ToEquatableArray();
        _documentRequirements = document.Security is null ? null : Requirements(document.Security, "/security");
    }

    /// <summary>The schemes the client can apply, in document order.</summary>
    public EquatableArray<SecuritySchemeModel> Schemes { get; }

    /// <summary>
    /// The requirements of an operation: its own <c>security</c> when it has one (an empty list is
    /// <c>security: []</c>, no credentials), else the document's; null when neither says anything.
    /// </summary>
    public EquatableArray<SecurityRequirementModel>? Of(OpenApiOperation operation, string pointer) =>
        operation.Security is { } own ? Requirements(own, pointer + "/security") : _documentRequirements;

    private SecuritySchemeModel? Map(string name, IOpenApiSecurityScheme scheme, NameScope properties, string pointer)
    {
        string? description = string.IsNullOrWhiteSpace(scheme.Description) ? null : scheme.Description!.Trim();
        string Property() => properties.Claim(Naming.Pascal(name, "Scheme"));
        switch (scheme.Type)
        {
            case SecuritySchemeType.ApiKey:
                string? location = scheme.In switch
                {
                    ParameterLocation.Header => "Header",
                    ParameterLocation.Query => "Query",
                    ParameterLocation.Cookie => "Cookie",
                    _ => null,
                };
                if (location is null || string.IsNullOrEmpty(scheme.Name) || scheme.Name!.IndexOfAny(new[] { '\r', '\n' }) >= 0)
                {
                    _context.Report(DiagnosticDescriptors.ReaderProblem.Id, $"The API key scheme '{name}' needs 'in' (header, query or cookie) and a 'name'; the scheme is ignored", pointer, complete: true);
                    return null;
                }

                return new SecuritySchemeModel(name, SecurityKind.ApiKey, Property(), description) { ParameterName = scheme.Name, Location = location };

            case SecuritySchemeType.Http:
                string httpScheme = (scheme.Scheme ?? string.Empty).Trim().ToLowerInvariant();
                if (httpScheme.Length == 0 || httpScheme.Any(c => char.IsWhiteSpace(c) || char.IsControl(c)))
                {
                    _context.Report(DiagnosticDescriptors.ReaderProblem.Id, $"The HTTP security scheme '{name}' needs a 'scheme' such as bearer or basic; the scheme is ignored", pointer, complete: true);
                    return null;
                }

                return new SecuritySchemeModel(name, SecurityKind.Http, Property(), description)
                {
                    HttpScheme = httpScheme,
                    BearerFormat = string.IsNullOrWhiteSpace(scheme.BearerFormat) ? null : scheme.BearerFormat!.Trim(),
                };

            case SecuritySchemeType.OAuth2:
                return new SecuritySchemeModel(name, SecurityKind.OAuth2, Property(), description)
                {
                    TokenUrl = scheme.Flows?.ClientCredentials?.TokenUrl is { IsAbsoluteUri: true } tokenUrl && (tokenUrl.Scheme == Uri.UriSchemeHttps || tokenUrl.Scheme == Uri.UriSchemeHttp)
                        ? tokenUrl.OriginalString
                        : null,
                    Flows = Flows(scheme.Flows).ToEquatableArray(),
                };

            case SecuritySchemeType.OpenIdConnect:
                return new SecuritySchemeModel(name, SecurityKind.OpenIdConnect, Property(), description)
                {
                    OpenIdConnectUrl = scheme.OpenIdConnectUrl?.OriginalString,
                };

            case SecuritySchemeType.MutualTLS:
                return new SecuritySchemeModel(name, SecurityKind.MutualTls, Property: null, description);

            default:
                _context.Report(DiagnosticDescriptors.ReaderProblem.Id, $"The security scheme '{name}' has no type Specgen knows (apiKey, http, oauth2, openIdConnect, mutualTLS); it is ignored", pointer, complete: true);
                return null;
        }
    }

    private static IEnumerable<string> Flows(OpenApiOAuthFlows? flows)
    {
        if (flows is null)
        {
            yield break;
        }

        if (flows.ClientCredentials is { } clientCredentials)
        {
            yield return $"client credentials (token URL {clientCredentials.TokenUrl?.OriginalString ?? "not given"})";
        }

        if (flows.AuthorizationCode is { } code)
        {
            yield return $"authorization code (authorization URL {code.AuthorizationUrl?.OriginalString ?? "not given"}, token URL {code.TokenUrl?.OriginalString ?? "not given"})";
        }

        if (flows.Implicit is { } implicitFlow)
        {
            yield return $"implicit (authorization URL {implicitFlow.AuthorizationUrl?.OriginalString ?? "not given"})";
        }

        if (flows.Password is { } password)
        {
            yield return $"password (token URL {password.TokenUrl?.OriginalString ?? "not given"})";
        }

        if (flows.DeviceAuthorization is { } device)
        {
            yield return $"device authorization (device authorization URL {device.DeviceAuthorizationUrl?.OriginalString ?? "not given"}, token URL {device.TokenUrl?.OriginalString ?? "not given"})";
        }
    }

    private EquatableArray<SecurityRequirementModel>? Requirements(IList<OpenApiSecurityRequirement> requirements, string pointer)
    {
        var result = new List<SecurityRequirementModel>();
        for (int i = 0; i < requirements.Count; i++)
        {
            var uses = new List<SchemeUseModel>();
            bool usable = true;
            foreach (KeyValuePair<OpenApiSecuritySchemeReference, List<string>> use in requirements[i])
            {
                string? name = use.Key.Reference?.Id;
                if (name is null || !_schemes.ContainsKey(name))
                {
                    _context.Report(DiagnosticDescriptors.UnresolvedReference.Id, $"The security requirement names the scheme '{name}', which the document does not declare (or Specgen ignored); this alternative is left out", $"{pointer}/{i}", complete: true);
                    usable = false;
                    break;
                }

                uses.Add(new SchemeUseModel(name, (use.Value ?? new List<string>()).Where(s => !string.IsNullOrWhiteSpace(s)).ToEquatableArray()));
            }

            if (usable)
            {
                result.Add(new SecurityRequirementModel(uses.OrderBy(u => u.Scheme, StringComparer.Ordinal).ToEquatableArray()));
            }
        }

        // Every alternative named something unknown: the operation is as if it declared nothing.
        return requirements.Count > 0 && result.Count == 0 ? null : result.ToEquatableArray();
    }
}
