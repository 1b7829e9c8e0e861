using System;
using System.Collections.Generic;
using System.Linq;
using System.Text.RegularExpressions;
using Microsoft.OpenApi;
using Specgen.Generator.Model;

namespace Specgen.Generator.Mapping;

/// <summary>
/// Where operations are sent: the document's server (Swagger 2.0's <c>host</c>, <c>basePath</c>
/// and <c>schemes</c> arrive here as one, made by the reader) and the servers that path items and
/// operations declare for themselves. Variables take their defaults; the default server's variables
/// also become the parameters of a generated <c>ServerAddress</c> method.
/// </summary>
internal sealed class ServerMapper
{
    private static readonly Regex Variable = new(@"\{(?<name>[^{}]+)\}", RegexOptions.CultureInvariant);

    public ServerMapper(MappingContext context, OpenApiDocument document)
    {
        OpenApiServer? server = document.Servers?.FirstOrDefault(s => Address(s) is not null);
        DefaultAddress = server is null ? null : Address(server);
        if (server?.Variables is { Count: > 0 } variables && Variable.IsMatch(server.Url ?? string.Empty))
        {
            var parameters = new NameScope(MemberNaming.ServerAddressReserved);
            var models = new List<ServerVariableModel>();
            foreach (KeyValuePair<string, OpenApiServerVariable> variable in variables)
            {
                if (!server.Url!.Contains("{" + variable.Key + "}"))
                {
                    continue;
                }

                string? enumType = null;
                if (variable.Value.Enum is { Count: > 0 } values)
                {
                    enumType = context.ClaimTypeName(Naming.Pascal("Server_" + variable.Key, "ServerVariable"));
                    context.Types.Add(new EnumModel(
                        context.Namespace,
                        enumType,
                        Clean(variable.Value.Description) ?? $"The values of the server variable '{variable.Key}'.",
                        Deprecated: false,
                        Naming.EnumValues(enumType, values)));
                }

                models.Add(new ServerVariableModel(variable.Key, parameters.Claim(Naming.Camel(variable.Key)), variable.Value.Default ?? string.Empty, Clean(variable.Value.Description), enumType));
            }

            if (models.Count > 0)
            {
                VariableServer = new ServerModel(server.Url!, Clean(server.Description), models.ToEquatableArray());
            }
        }
    }

    /// <summary>The document's first server that is an absolute http or https URL (variables at their defaults), without a trailing slash.</summary>
    public string? DefaultAddress { get; private set; }

    /// <summary>The default server when it has variables.</summary>
    public ServerModel? VariableServer { get; }

    /// <summary>The server an operation declares for itself (or its path item does), when it is not the default one.</summary>
    public string? Of(IOpenApiPathItem pathItem, OpenApiOperation operation)
    {
        IList<OpenApiServer>? servers = operation.Servers is { Count: > 0 } own ? own : pathItem.Servers;
        string? address = servers?.Select(Address).FirstOrDefault(a => a is not null);
        return address is null || string.Equals(address, DefaultAddress, StringComparison.OrdinalIgnoreCase) ? null : address;
    }

    /// <summary>
    /// A document without servers of its own whose every operation names the same one: that
    /// server is the document's, so that <c>BaseAddress</c> can replace it.
    /// </summary>
    public List<OperationModel> Settle(List<OperationModel> operations)
    {
        if (DefaultAddress is not null || operations.Count == 0 || operations[0].Server is not { } shared
            || !operations.All(o => string.Equals(o.Server, shared, StringComparison.OrdinalIgnoreCase)))
        {
            return operations;
        }

        DefaultAddress = shared;
        return operations.Select(o => o with { Server = null }).ToList();
    }

    // The URL with each variable at its default, when that is an absolute http(s) URL.
    private static string? Address(OpenApiServer server)
    {
        if (string.IsNullOrWhiteSpace(server.Url))
        {
            return null;
        }

        string url = Variable.Replace(server.Url!.Trim(), match =>
            server.Variables is not null && server.Variables.TryGetValue(match.Groups["name"].Value, out OpenApiServerVariable? variable) && variable.Default is { } value
                ? value
                : match.Value);
        return !url.Contains('{') && Uri.TryCreate(url, UriKind.Absolute, out Uri? uri) && (uri.Scheme == Uri.UriSchemeHttps || uri.Scheme == Uri.UriSchemeHttp)
            ? url.TrimEnd('/')
            : null;
    }

    private static string? Clean(string? text) => string.IsNullOrWhiteSpace(text) ? null : text!.Trim();
}
