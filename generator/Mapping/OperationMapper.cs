using System;
using System.Collections.Generic;
using System.Linq;
using System.Net.Http;
using Microsoft.OpenApi;
using Specgen.Generator.Diagnostics;
using Specgen.Generator.Model;

namespace Specgen.Generator.Mapping;

/// <summary>Lowers the paths of a document to <see cref="OperationModel"/>s, in document order.</summary>
internal sealed class OperationMapper(MappingContext context, SchemaMapper schemas)
{
    private static readonly string[] ReservedMemberNames = { "Pipeline" };

    private readonly NameScope _methodNames = new(ReservedMemberNames);

    public List<OperationModel> MapAll(OpenApiDocument document)
    {
        var operations = new List<OperationModel>();
        if (document.Paths is null)
        {
            return operations;
        }

        foreach (KeyValuePair<string, IOpenApiPathItem> path in document.Paths)
        {
            if (path.Value.Operations is null)
            {
                continue;
            }

            foreach (KeyValuePair<HttpMethod, OpenApiOperation> operation in path.Value.Operations)
            {
                context.CancellationToken.ThrowIfCancellationRequested();
                string pointer = $"/paths/{MappingContext.Escape(path.Key)}/{operation.Key.Method.ToLowerInvariant()}";
                if (Map(path.Key, path.Value, operation.Key, operation.Value, pointer) is { } mapped)
                {
                    operations.Add(mapped);
                }
            }
        }

        return operations;
    }

    private OperationModel? Map(string template, IOpenApiPathItem pathItem, HttpMethod method, OpenApiOperation operation, string pointer)
    {
        string operationId = operation.OperationId is { Length: > 0 } id ? id : DeriveOperationId(method, template);
        string name = _methodNames.Claim(Naming.Pascal(operationId, "Operation"));

        // Operation-level parameters override path-level ones of the same name and location.
        var declared = new List<(IOpenApiParameter Parameter, string Pointer)>();
        AddParameters(declared, operation.Parameters, pointer + "/parameters");
        AddParameters(declared, pathItem.Parameters, $"{pointer.Substring(0, pointer.LastIndexOf('/'))}/parameters");

        // Names the generated method uses for itself: its arguments, its locals and the pager's lambda.
        var argumentNames = new NameScope(new[] { "body", "options", "cancellationToken", "request", "nextCursor", "pageCancellationToken", "page", "pollInterval", "response", "pollAfter", "current", "token" });
        var parameters = new List<ParameterModel>();
        foreach ((IOpenApiParameter parameter, string parameterPointer) in declared)
        {
            ParameterIn? location = parameter.In switch
            {
                Microsoft.OpenApi.ParameterLocation.Path => ParameterIn.Path,
                Microsoft.OpenApi.ParameterLocation.Query => ParameterIn.Query,
                Microsoft.OpenApi.ParameterLocation.Header => ParameterIn.Header,
                _ => null,
            };
            if (location is null || parameter.Name is null)
            {
                context.Report(DiagnosticDescriptors.Unsupported.Id, $"The {parameter.In} parameter '{parameter.Name}' of '{operationId}' is not supported yet and is left out", parameterPointer);
                continue;
            }

            TypeRef type = schemas.Map(parameter.Schema, name + Naming.Pascal(parameter.Name), parameterPointer + "/schema");
            bool simpleArray = location == ParameterIn.Query && type.Kind == TypeKind.Array && IsSimple(type.Element!) && !type.Element!.Nullable;
            if (!IsSimple(type) && !simpleArray)
            {
                context.Report(DiagnosticDescriptors.Unsupported.Id, $"The parameter '{parameter.Name}' of '{operationId}' has a {type.Kind} schema, which is not supported yet; the operation is left out", parameterPointer);
                return null;
            }

            bool required = location == ParameterIn.Path || parameter.Required;
            parameters.Add(new ParameterModel(parameter.Name, argumentNames.Claim(Naming.Camel(parameter.Name)), location.Value, type, required, Clean(parameter.Description))
            {
                // OpenAPI's default for query parameters is form style, exploded.
                Explode = parameter.Explode,
            });
        }

        // Path parameters come in the order the template uses them, whatever order the spec lists them in.
        parameters = parameters
            .OrderBy(p => p.In == ParameterIn.Path ? 0 : 1)
            .ThenBy(p => p.In == ParameterIn.Path ? template.IndexOf("{" + p.JsonName + "}", StringComparison.Ordinal) : 0)
            .ToList();

        List<PathPart>? path = SplitTemplate(template, parameters, operationId, pointer);
        if (path is null)
        {
            return null;
        }

        BodyModel? body = null;
        if (operation.RequestBody is { } requestBody)
        {
            if (JsonContent(requestBody.Content) is not { } bodyMedia)
            {
                context.Report(DiagnosticDescriptors.Unsupported.Id, $"The request body of '{operationId}' is not JSON ({string.Join(", ", requestBody.Content?.Keys ?? Array.Empty<string>())}), which is not supported yet; the operation is left out", pointer + "/requestBody");
                return null;
            }

            TypeRef bodyType = schemas.Map(bodyMedia.Schema, name + "Request", pointer + "/requestBody/content/application~1json/schema");
            body = new BodyModel(bodyType, requestBody.Required, Clean(requestBody.Description));
        }

        TypeRef? response = null;
        StreamModel? stream = null;
        if (SuccessResponse(operation) is { } success)
        {
            string responsePointer = $"{pointer}/responses/{success.Status}/content";
            IOpenApiMediaType? responseMedia = JsonContent(success.Response.Content);
            IOpenApiMediaType? eventMedia = EventStreamContent(success.Response.Content);
            if (responseMedia is not null)
            {
                response = schemas.Map(responseMedia.Schema, name + "Response", responsePointer + "/application~1json/schema");
            }

            if (eventMedia is not null)
            {
                TypeRef events = schemas.Map(eventMedia.Schema, name + "Event", responsePointer + "/text~1event-stream/schema");
                stream = new StreamModel(events, StreamFlag(body), HasEndEvent: false);
            }

            if (responseMedia is null && eventMedia is null && success.Response.Content is { Count: > 0 } other)
            {
                context.Report(DiagnosticDescriptors.Unsupported.Id, $"The {success.Status} response of '{operationId}' is not JSON ({string.Join(", ", other.Keys)}), which is not supported yet; the operation is left out", $"{pointer}/responses/{success.Status}");
                return null;
            }
        }

        PagerModel? pager = response is null ? null : FindPager(response, parameters);
        return new OperationModel(
            operationId,
            name,
            method.Method.ToUpperInvariant(),
            template,
            path.ToEquatableArray(),
            parameters.ToEquatableArray(),
            body,
            response,
            pager,
            Clean(operation.Summary),
            Clean(operation.Description),
            operation.Deprecated)
        {
            Stream = stream,
        };
    }

    /// <summary>The body's boolean <c>stream</c> member (OpenAI's convention for asking for events).</summary>
    private string? StreamFlag(BodyModel? body) =>
        body?.Type is { Kind: TypeKind.Object } bodyType
        && context.Types.OfType<ObjectModel>().FirstOrDefault(t => t.Name == bodyType.Name) is { } model
        && model.Properties.FirstOrDefault(p => p.JsonName == "stream" && p.Type.Kind == TypeKind.Boolean) is { } flag
            ? flag.Name
            : null;

    private static IOpenApiMediaType? EventStreamContent(IDictionary<string, IOpenApiMediaType>? content)
    {
        if (content is null)
        {
            return null;
        }

        foreach (KeyValuePair<string, IOpenApiMediaType> media in content)
        {
            if (media.Key.Split(';')[0].Trim().Equals("text/event-stream", StringComparison.OrdinalIgnoreCase))
            {
                return media.Value;
            }
        }

        return null;
    }

    private static void AddParameters(List<(IOpenApiParameter, string)> into, IList<IOpenApiParameter>? parameters, string pointer)
    {
        if (parameters is null)
        {
            return;
        }

        for (int i = 0; i < parameters.Count; i++)
        {
            IOpenApiParameter parameter = parameters[i];
            if (!into.Any(p => p.Item1.Name == parameter.Name && p.Item1.In == parameter.In))
            {
                into.Add((parameter, $"{pointer}/{i}"));
            }
        }
    }

    private List<PathPart>? SplitTemplate(string template, List<ParameterModel> parameters, string operationId, string pointer)
    {
        var parts = new List<PathPart>();
        int position = 0;
        while (position < template.Length)
        {
            int open = template.IndexOf('{', position);
            if (open < 0)
            {
                parts.Add(new PathPart(template.Substring(position), null));
                break;
            }

            int close = template.IndexOf('}', open);
            if (close < 0)
            {
                context.Report(DiagnosticDescriptors.Unsupported.Id, $"The path '{template}' has an unclosed '{{'; the operation '{operationId}' is left out", pointer);
                return null;
            }

            if (open > position)
            {
                parts.Add(new PathPart(template.Substring(position, open - position), null));
            }

            string placeholder = template.Substring(open + 1, close - open - 1);
            if (!parameters.Any(p => p.In == ParameterIn.Path && p.JsonName == placeholder))
            {
                context.Report(DiagnosticDescriptors.Unsupported.Id, $"The path '{template}' uses '{{{placeholder}}}' but '{operationId}' declares no such path parameter; the operation is left out", pointer);
                return null;
            }

            parts.Add(new PathPart(string.Empty, placeholder));
            position = close + 1;
        }

        return parts;
    }

    /// <summary>
    /// A cursor-paged list: the response has an array <c>data</c>, a boolean <c>has_more</c> and a
    /// string <c>last_id</c>, and the operation takes an <c>after</c> cursor.
    /// </summary>
    private PagerModel? FindPager(TypeRef response, List<ParameterModel> parameters)
    {
        if (response.Kind != TypeKind.Object || context.Types.OfType<ObjectModel>().FirstOrDefault(t => t.Name == response.Name) is not { } page)
        {
            return null;
        }

        PropertyModel? data = page.Properties.FirstOrDefault(p => p.JsonName == "data" && p.Type.Kind == TypeKind.Array);
        PropertyModel? hasMore = page.Properties.FirstOrDefault(p => p.JsonName == "has_more" && p.Type.Kind == TypeKind.Boolean);
        PropertyModel? lastId = page.Properties.FirstOrDefault(p => p.JsonName == "last_id" && p.Type.Kind == TypeKind.String);
        ParameterModel? after = parameters.FirstOrDefault(p => p.JsonName == "after" && p.In == ParameterIn.Query && p.Type.Kind == TypeKind.String);
        if (data is null || hasMore is null || lastId is null || after is null)
        {
            return null;
        }

        return new PagerModel(data.Name, data.Type.Element!, hasMore.Name, lastId.Name, after.Name);
    }

    private static IOpenApiMediaType? JsonContent(IDictionary<string, IOpenApiMediaType>? content)
    {
        if (content is null)
        {
            return null;
        }

        foreach (KeyValuePair<string, IOpenApiMediaType> media in content)
        {
            string type = media.Key.Split(';')[0].Trim();
            if (type.Equals("application/json", StringComparison.OrdinalIgnoreCase) || type.EndsWith("+json", StringComparison.OrdinalIgnoreCase))
            {
                return media.Value;
            }
        }

        return null;
    }

    private static (string Status, IOpenApiResponse Response)? SuccessResponse(OpenApiOperation operation)
    {
        if (operation.Responses is null)
        {
            return null;
        }

        foreach (KeyValuePair<string, IOpenApiResponse> response in operation.Responses.OrderBy(r => r.Key, StringComparer.Ordinal))
        {
            if (response.Key.StartsWith("2", StringComparison.Ordinal))
            {
                return (response.Key, response.Value);
            }
        }

        return null;
    }

    private static bool IsSimple(TypeRef type) => type.Kind is TypeKind.String or TypeKind.Int32 or TypeKind.Int64 or TypeKind.Double
        or TypeKind.Boolean or TypeKind.Enum or TypeKind.DateTime or TypeKind.UnixTime;

    private static string DeriveOperationId(HttpMethod method, string template) =>
        method.Method.ToLowerInvariant() + Naming.Pascal(template.Replace("{", "By_").Replace("}", string.Empty), "Root");

    private static string? Clean(string? text) => string.IsNullOrWhiteSpace(text) ? null : text!.Trim();
}
