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
        var schemas = new SchemaMapper(context, document);
        schemas.MapAllComponents();
        List<OperationModel> operations = new OperationMapper(context, schemas).MapAll(document);
        operations = EventStreamMapper.Apply(context, operations);
        List<PollingModel> pollers = PollingMapper.Apply(context, document, schemas, operations);
        operations = PollingMapper.MarkOperations(operations, pollers);

        // Emission order must not depend on discovery order: sort by name (ordinal).
        TypeModel[] types = context.Types.OrderBy(t => t.Name, StringComparer.Ordinal).ToArray();
        var client = new ClientModel(
            context.Namespace,
            context.ClientName,
            document.Info?.Description?.Trim() is { Length: > 0 } description ? description : document.Info?.Title,
            DefaultServer(document),
            operations.ToEquatableArray(),
            types.Select(t => t.Name).ToEquatableArray(),
            pollers.ToEquatableArray());
        return new ApiModel(types.ToEquatableArray(), client);
    }

    private static string? DefaultServer(OpenApiDocument document)
    {
        string? url = document.Servers?.FirstOrDefault()?.Url;
        return url is not null && Uri.TryCreate(url, UriKind.Absolute, out Uri? uri) && (uri.Scheme == "https" || uri.Scheme == "http") ? url : null;
    }
}
