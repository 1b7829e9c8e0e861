using System;
using System.Collections.Generic;
using System.Linq;
using Microsoft.OpenApi;
using Specgen.Generator.Model;

namespace Specgen.Generator.Mapping;

/// <summary>Lowers a read document to the <see cref="ApiModel"/> the emitters consume.</summary>
internal static class ApiMapper
{
    public static ApiModel Map(OpenApiDocument document, MappingContext context)
    {
        // The credentials class is named before any schema, like the client, so that no schema takes its name.
        var security = new SecurityMapper(context, document);
        string? credentials = security.Schemes.Any(s => s.Property is not null) ? context.ClaimTypeName(context.ClientName + "Credentials") : null;
        var schemas = new SchemaMapper(context, document, EventStreamMapper.Find(document));
        schemas.MapAllComponents();
        MapWebhookPayloads(document, schemas, context);
        var servers = new ServerMapper(context, document);
        List<OperationModel> operations = servers.Settle(new OperationMapper(context, schemas, security, servers).MapAll(document));
        List<PollingModel> pollers = PollingMapper.Apply(context, document, schemas, operations);
        operations = PollingMapper.MarkOperations(operations, pollers);

        // Emission order must not depend on discovery order: sort by name (ordinal). Which files
        // use something deprecated is the types' own business here; the client's (which depends on
        // which operations are generated) is the Settings step's.
        var deprecated = new Deprecations(context.Types);
        TypeModel[] types = context.Types.OrderBy(t => t.Name, StringComparer.Ordinal).Select(deprecated.Mark).ToArray();
        var client = new ClientModel(
            context.Namespace,
            context.ClientName,
            document.Info?.Description?.Trim() is { Length: > 0 } description ? description : document.Info?.Title,
            servers.DefaultAddress,
            operations.ToEquatableArray(),
            pollers.ToEquatableArray())
        {
            Tags = (document.Tags ?? Enumerable.Empty<OpenApiTag>())
                .Where(t => !string.IsNullOrWhiteSpace(t.Name))
                .Select(t => new TagModel(t.Name!, string.IsNullOrWhiteSpace(t.Description) ? null : t.Description!.Trim()))
                .ToEquatableArray(),
            SecuritySchemes = security.Schemes,
            CredentialsName = credentials,
            VariableServer = servers.VariableServer,
        };
        return new ApiModel(types.ToEquatableArray(), client);
    }

    /// <summary>Which generated files touch something deprecated, and so must silence CS0618.</summary>
    internal sealed class Deprecations(IEnumerable<TypeModel> types)
    {
        private readonly HashSet<string> _names = new(types.Where(t => t.Deprecated).Select(t => t.Name), StringComparer.Ordinal);

        public bool Uses(TypeRef? type) =>
            type is not null && ((type.Name is { } name && _names.Contains(name)) || Uses(type.Element));

        public TypeModel Mark(TypeModel type) => type with
        {
            UsesDeprecated = type.Deprecated || type switch
            {
                ObjectModel model => model.Properties.Any(p => p.Deprecated || Uses(p.Type)),
                UnionModel model => model.Variants.Any(v => Uses(v.Type) || Uses(v.EventData?.Type)),
                _ => false,
            },
        };

        public bool UsedBy(OperationModel operation) =>
            operation.Deprecated || operation.Parameters.Any(p => Uses(p.Type)) || Uses(operation.Body?.Type)
            || Uses(operation.Response) || Uses(operation.Stream?.EventType) || Uses(operation.Pager?.ItemType)
            || operation.Errors.Any(e => Uses(e.Type));
    }

    /// <summary>
    /// Webhooks are requests the API sends, so they get no method; the JSON bodies they carry get
    /// types (<c>{Webhook}Payload</c> when written inline), so that a receiver can read them.
    /// </summary>
    private static void MapWebhookPayloads(OpenApiDocument document, SchemaMapper schemas, MappingContext context)
    {
        if (document.Webhooks is null)
        {
            return;
        }

        foreach (KeyValuePair<string, IOpenApiPathItem> webhook in document.Webhooks)
        {
            foreach (KeyValuePair<System.Net.Http.HttpMethod, OpenApiOperation> operation in webhook.Value.Operations ?? new Dictionary<System.Net.Http.HttpMethod, OpenApiOperation>())
            {
                context.CancellationToken.ThrowIfCancellationRequested();
                if (operation.Value.RequestBody?.Content is not { } content)
                {
                    continue;
                }

                foreach (KeyValuePair<string, IOpenApiMediaType> media in content)
                {
                    string type = media.Key.Split(';')[0].Trim();
                    if (media.Value.Schema is { } schema && (type.Equals("application/json", StringComparison.OrdinalIgnoreCase) || type.EndsWith("+json", StringComparison.OrdinalIgnoreCase)))
                    {
                        string pointer = $"/webhooks/{MappingContext.Escape(webhook.Key)}/{operation.Key.Method.ToLowerInvariant()}/requestBody/content/{MappingContext.Escape(media.Key)}/schema";
                        schemas.Map(schema, Naming.Pascal(webhook.Key, "Webhook") + "Payload", pointer);
                        break;
                    }
                }
            }
        }
    }
}
