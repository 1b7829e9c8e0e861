using System.Collections.Generic;
using System.Linq;
using System.Text.Json.Nodes;
using Microsoft.OpenApi;
using Specgen.Generator.Model;

namespace Specgen.Generator.Mapping;

/// <summary>
/// Reads our <c>x-specgen-polling</c> extension on component schemas: a long-running resource
/// (OpenAI's run) gets <c>Poll{Name}Async</c>, and every operation that returns it gets an
/// <c>…AndPollAsync</c> twin.
/// </summary>
/// <remarks>
/// <code>
/// x-specgen-polling:
///   name: Run                     # optional; the schema's name otherwise
///   status: status                # the member whose value says whether to keep polling
///   terminal: [completed, failed] # the values that stop the polling
///   refresh:
///     operationId: getRun         # the operation that reads the resource again
///     parameters: { thread_id: thread_id, run_id: id }   # its required parameters, from members
/// </code>
/// </remarks>
internal static class PollingMapper
{
    public const string Extension = "x-specgen-polling";

    public static List<PollingModel> Apply(MappingContext context, OpenApiDocument document, SchemaMapper schemas, List<OperationModel> operations)
    {
        var pollers = new List<PollingModel>();
        if (document.Components?.Schemas is not { } components)
        {
            return pollers;
        }

        var names = new NameScope();
        foreach (KeyValuePair<string, IOpenApiSchema> component in components)
        {
            if (component.Value.Extensions is not { } extensions
                || !extensions.TryGetValue(Extension, out IOpenApiExtension? extension)
                || extension is not JsonNodeExtension { Node: JsonObject settings })
            {
                continue;
            }

            string pointer = $"/components/schemas/{MappingContext.Escape(component.Key)}/{Extension}";
            if (Read(context, schemas, component.Key, settings, operations, names, pointer) is { } poller)
            {
                pollers.Add(poller);
            }
        }

        return pollers;
    }

    /// <summary>Operations that return a pollable resource, other than the one that re-reads it, get its name.</summary>
    public static List<OperationModel> MarkOperations(List<OperationModel> operations, List<PollingModel> pollers) =>
        operations.Select(operation =>
            pollers.FirstOrDefault(p => operation.Response is { Kind: TypeKind.Object, Nullable: false } response
                && response.Name == p.Resource.Name && operation.Name != p.RefreshOperation) is { } poller
                ? operation with { PollName = poller.Name }
                : operation).ToList();

    private static PollingModel? Read(MappingContext context, SchemaMapper schemas, string component, JsonObject settings, List<OperationModel> operations, NameScope names, string pointer)
    {
        TypeRef resource = schemas.MapComponentByName(component);
        if (resource.Kind != TypeKind.Object || context.Types.Named<ObjectModel>(resource.Name) is not { } model)
        {
            return Invalid(context, pointer, $"'{component}' is not an object schema");
        }

        string? statusName = JsonText.Of(settings["status"]);
        PropertyModel? status = model.Properties.FirstOrDefault(p => p.JsonName == statusName);
        if (status is null || status.Type.Kind is not (TypeKind.String or TypeKind.Enum))
        {
            return Invalid(context, pointer, $"'status' must name a string or enum member of '{component}'");
        }

        string[] terminal = settings["terminal"] is JsonArray values ? values.Select(JsonText.Of).Where(v => v is not null).Select(v => v!).ToArray() : new string[0];
        if (terminal.Length == 0)
        {
            return Invalid(context, pointer, "'terminal' must list at least one status value");
        }

        string? refreshId = JsonText.Of(settings["refresh"]?["operationId"]);
        OperationModel? refresh = operations.FirstOrDefault(o => o.OperationId == refreshId);
        if (refresh is null || refresh.Response?.Name != resource.Name || refresh.Body is { Required: true })
        {
            return Invalid(context, pointer, $"'refresh.operationId' must name an operation that returns '{component}' and needs no body");
        }

        var arguments = new List<string>();
        JsonObject? mapping = settings["refresh"]?["parameters"] as JsonObject;
        foreach (ParameterModel parameter in refresh.Parameters.Where(p => p.Required && p.IsArgument))
        {
            string? member = JsonText.Of(mapping?[parameter.JsonName]);
            PropertyModel? source = model.Properties.FirstOrDefault(p => p.JsonName == member);
            // The helpers pass the member as it is: it must always be there.
            if (source is null || source.Type.Kind != TypeKind.String || !source.Required || source.Type.Nullable || source.WriteOnly)
            {
                return Invalid(context, pointer, $"'refresh.parameters' must map '{parameter.JsonName}' to a required, non-nullable string member of '{component}'");
            }

            arguments.Add(source.Name);
        }

        string access = status.Type.Kind == TypeKind.String
            ? "value." + status.Name
            : status.Required && !status.Type.Nullable ? $"value.{status.Name}.Value" : $"value.{status.Name}?.Value";
        string name = names.Claim(Naming.Pascal(JsonText.Of(settings["name"]) ?? resource.Name!));
        return new PollingModel(name, MemberNaming.PollParameter(name), resource, access, terminal.ToEquatableArray(), refresh.Name, arguments.ToEquatableArray());
    }

    private static PollingModel? Invalid(MappingContext context, string pointer, string problem)
    {
        context.IgnoreExtension(Extension, problem, pointer);
        return null;
    }
}
