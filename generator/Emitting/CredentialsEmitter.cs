using System.Collections.Generic;
using System.Linq;
using Specgen.Generator.Model;

namespace Specgen.Generator.Emitting;

/// <summary>
/// The credentials class of a client (<c>{Client}Credentials</c>): a typed property per security
/// scheme of the spec, and the static descriptions of those schemes that requests carry.
/// </summary>
internal static class CredentialsEmitter
{
    private const string Runtime = TypeSyntax.Runtime;

    public static string Emit(ClientModel client)
    {
        string name = client.CredentialsName!;
        SourceWriter w = FileHeader.Start(client.Namespace);
        w.Summary(null, $"The credentials of <see cref=\"global::{client.Namespace}.{client.Name}\"/>: one property per security scheme of its spec.\nSet the ones you have and pass the object as <see cref=\"{Runtime}.ApiClientOptions.Credentials\"/>.");
        w.Line("/// <remarks>");
        w.Line("/// Each operation sends the credentials of the first of its security requirements that they meet;");
        w.Line($"/// one that none meets throws <see cref=\"{Runtime}.MissingCredentialException\"/> before anything is sent.");
        w.Line($"/// <see cref=\"{Runtime}.ApiClientOptions.ApiKey\"/> also supplies every API-key and HTTP bearer scheme left unset here.");
        foreach (SecuritySchemeModel scheme in client.SecuritySchemes.Where(s => s.Kind == SecurityKind.MutualTls))
        {
            w.Line($"/// The scheme <c>{Docs.Escape(scheme.Name)}</c> is mutual TLS{(scheme.Description is { } d ? $" ({DocLine(d)})" : string.Empty)}: give the client an");
            w.Line("/// <see cref=\"global::System.Net.Http.HttpClient\"/> whose handler presents the client certificate (<c>SocketsHttpHandler.SslOptions.ClientCertificates</c>).");
        }

        w.Line("/// <see cref=\"object.ToString\"/> names the schemes that are set, never a value.");
        w.Line("/// </remarks>");
        w.Line(TypeSyntax.GeneratedCodeAttribute);
        w.OpenBlock($"{client.Visibility} sealed partial class {name} : {Runtime}.ApiCredentials");
        bool first = true;
        foreach (SecuritySchemeModel scheme in client.SecuritySchemes.Where(s => s.Property is not null))
        {
            if (!first)
            {
                w.Line();
            }

            first = false;
            w.Summary(scheme.Description, $"The credential of the security scheme <c>{Docs.Escape(scheme.Name)}</c>.");
            w.DocElement("<remarks>", Remarks(scheme), "</remarks>");
            string type = PropertyType(scheme);
            w.OpenBlock($"public {type}? {scheme.Property}");
            w.Line($"get => Get<{type}>({Docs.Literal(scheme.Name)});");
            w.Line($"set => Set({Docs.Literal(scheme.Name)}, value);");
            w.CloseBlock();
        }

        w.CloseBlock();
        return w.ToString();
    }

    /// <summary>The call that describes <paramref name="scheme"/> to the runtime: the method and its arguments.</summary>
    public static (string Method, string[] Arguments) SchemeExpression(SecuritySchemeModel scheme, ClientModel client)
    {
        string name = Docs.Literal(scheme.Name);
        string setting = Docs.Literal($"{client.CredentialsName}.{scheme.Property}");
        string factory = Runtime + ".SecurityScheme.";
        return scheme.Kind switch
        {
            SecurityKind.ApiKey => (factory + "ApiKey", new[] { name, Docs.Literal(scheme.ParameterName!), $"{Runtime}.ApiKeyLocation.{scheme.Location}", setting }),
            SecurityKind.Http => (factory + "Http", new[] { name, Docs.Literal(scheme.HttpScheme!), setting }),
            SecurityKind.OAuth2 => (factory + "OAuth2", new[] { name, scheme.TokenUrl is { } url ? $"new global::System.Uri({Docs.Literal(url)})" : "null", setting }),
            SecurityKind.OpenIdConnect => (factory + "OpenIdConnect", new[] { name, setting }),
            _ => (factory + "MutualTls", new[] { name }),
        };
    }

    private static string PropertyType(SecuritySchemeModel scheme) => scheme.Kind switch
    {
        SecurityKind.Http when scheme.HttpScheme == "basic" => Runtime + ".BasicCredential",
        SecurityKind.Http when scheme.HttpScheme == "bearer" => Runtime + ".TokenCredential",
        SecurityKind.OAuth2 or SecurityKind.OpenIdConnect => Runtime + ".TokenCredential",
        _ => "string",
    };

    private static string Remarks(SecuritySchemeModel scheme)
    {
        string token = $"<see cref=\"{Runtime}.TokenCredential\"/>";
        return scheme.Kind switch
        {
            SecurityKind.ApiKey => $"An API key, sent in the {(scheme.Location == "Query" ? "query parameter" : scheme.Location == "Cookie" ? "cookie" : "header")} <c>{Docs.Escape(scheme.ParameterName!)}</c>.",
            SecurityKind.Http when scheme.HttpScheme == "basic" => "HTTP basic authentication: a user name and password, sent as <c>Authorization: Basic …</c>.",
            SecurityKind.Http when scheme.HttpScheme == "bearer" => $"A bearer token{(scheme.BearerFormat is { } format ? $" ({Docs.Escape(format)})" : string.Empty)}, sent as <c>Authorization: Bearer …</c>:\na string, or a {token} that gets one for each request.",
            SecurityKind.Http => $"Sent as <c>Authorization: {Docs.Escape(scheme.HttpScheme!)} …</c>, followed by this value.",
            SecurityKind.OAuth2 => $"OAuth 2.0, the access token sent as <c>Authorization: Bearer …</c>.{Flows(scheme)}{(scheme.TokenUrl is not null ? $"\nWith the client-credentials flow, <see cref=\"{Runtime}.TokenCredential.ClientCredentials\"/> fetches and renews the token itself;\nfor the other flows pass your token getter to <see cref=\"{Runtime}.TokenCredential.FromProvider\"/>." : $"\nPass a token, or your token getter to <see cref=\"{Runtime}.TokenCredential.FromProvider\"/>.")}",
            SecurityKind.OpenIdConnect => $"OpenID Connect{(scheme.OpenIdConnectUrl is { } url ? $" (discovery at <c>{Docs.Escape(url)}</c>)" : string.Empty)},\nthe access token sent as <c>Authorization: Bearer …</c>:\npass a token, or your token getter to <see cref=\"{Runtime}.TokenCredential.FromProvider\"/>.",
            _ => string.Empty,
        };
    }

    private static string Flows(SecuritySchemeModel scheme) =>
        scheme.Flows.Count == 0 ? string.Empty : $"\nFlows: {Docs.Escape(string.Join("; ", scheme.Flows))}.";

    private static string DocLine(string text) => string.Join(" ", Docs.Lines(text).Select(l => l.Trim()).Where(l => l.Length > 0));
}
