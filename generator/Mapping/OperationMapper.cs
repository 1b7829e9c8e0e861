using System;
using System.Collections.Generic;
using System.Linq;
using System.Net.Http;
using Microsoft.OpenApi;
using Specgen.Generator.Diagnostics;
using Specgen.Generator.Model;
using ParameterStyle = Specgen.Generator.Model.ParameterStyle;

namespace Specgen.Generator.Mapping;

/// <summary>Lowers the paths of a document to <see cref="OperationModel"/>s, in document order.</summary>
internal sealed class OperationMapper(MappingContext context, SchemaMapper schemas, SecurityMapper security, ServerMapper servers)
{
    // Header parameters OpenAPI 3 says to ignore: the client chooses Accept and Content-Type from
    // the media types, and the security schemes supply Authorization.
    private static readonly HashSet<string> ReservedHeaders = new(StringComparer.OrdinalIgnoreCase) { "Accept", "Content-Type", "Authorization" };

    // Headers HttpClient writes itself from the request and its content.
    private static readonly HashSet<string> ManagedHeaders = new(StringComparer.OrdinalIgnoreCase) { "Content-Length", "Transfer-Encoding", "Host", "Connection" };

    private readonly NameScope _methodNames = new(MemberNaming.OperationMethodReserved);

    private readonly PagingMapper _paging = new(context);

    // The types of the bodies of responses in components/responses, by name and media type.
    private readonly Dictionary<string, TypeRef> _componentResponses = new(StringComparer.Ordinal);

    // The reserved header parameters left out, with how often and where first, for one note per spec.
    private readonly Dictionary<string, (int Count, string Pointer)> _setAside = new(StringComparer.OrdinalIgnoreCase);

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

        ReportSetAside();
        return operations;
    }

    private void SetAside(string name, string pointer)
    {
        string key = name.ToLowerInvariant() switch { "accept" => "Accept", "content-type" => "Content-Type", _ => "Authorization" };
        _setAside[key] = _setAside.TryGetValue(key, out (int Count, string Pointer) seen) ? (seen.Count + 1, seen.Pointer) : (1, pointer);
    }

    private void ReportSetAside()
    {
        if (_setAside.Count == 0)
        {
            return;
        }

        string which = string.Join(", ", _setAside.OrderBy(e => e.Key, StringComparer.Ordinal).Select(e => $"'{e.Key}' on {e.Value.Count} operation{(e.Value.Count == 1 ? string.Empty : "s")}"));
        context.Report(
            DiagnosticDescriptors.HeaderParametersSetAside.Id,
            $"Header parameters that OpenAPI says to ignore are not method parameters: {which}. An Accept default or single value is sent beside the media types the responses declare, "
            + "a required Content-Type with one value is the request's content type, and Authorization comes from the security schemes",
            _setAside.Values.Select(v => v.Pointer).First(),
            complete: true);
    }

    private OperationModel? Map(string template, IOpenApiPathItem pathItem, HttpMethod method, OpenApiOperation operation, string pointer)
    {
        string operationId = operation.OperationId is { Length: > 0 } id ? id : DeriveOperationId(method, template);
        string name = _methodNames.Claim(Naming.Pascal(MemberNaming.Requested(operation.Extensions, context, pointer) ?? operationId, "Operation"));

        // Operation-level parameters override path-level ones of the same name and location.
        var declared = new List<(IOpenApiParameter Parameter, string Pointer)>();
        AddParameters(declared, operation.Parameters, pointer + "/parameters");
        AddParameters(declared, pathItem.Parameters, $"{pointer.Substring(0, pointer.LastIndexOf('/'))}/parameters");

        // Names the generated method uses for itself: its arguments, its locals and the pager's lambda.
        var argumentNames = new NameScope(MemberNaming.OperationArguments);
        var parameters = new List<ParameterModel>();
        string? acceptParameter = null;
        string? contentTypeParameter = null;
        foreach ((IOpenApiParameter parameter, string parameterPointer) in declared)
        {
            ParameterIn? location = parameter.In switch
            {
                Microsoft.OpenApi.ParameterLocation.Path => ParameterIn.Path,
                Microsoft.OpenApi.ParameterLocation.Query => ParameterIn.Query,
                Microsoft.OpenApi.ParameterLocation.Header => ParameterIn.Header,
                Microsoft.OpenApi.ParameterLocation.Cookie => ParameterIn.Cookie,
                _ => null,
            };
            if (location is null || parameter.Name is null)
            {
                context.Report(DiagnosticDescriptors.Unsupported.Id, $"The {parameter.In} parameter '{parameter.Name}' of '{operationId}' is not supported yet and is left out", parameterPointer);
                continue;
            }

            // OpenAPI 3: header parameters named Accept, Content-Type or Authorization SHALL be
            // ignored. What they declare still counts: a versioned Accept, a fixed Content-Type.
            if (location == ParameterIn.Header && ReservedHeaders.Contains(parameter.Name))
            {
                SetAside(parameter.Name, parameterPointer);
                string? only = schemas.ConstantOf(parameter.Schema);
                if (parameter.Name.Equals("Accept", StringComparison.OrdinalIgnoreCase))
                {
                    acceptParameter = only ?? WireText(schemas.DefaultOf(parameter.Schema));
                }
                else if (parameter.Name.Equals("Content-Type", StringComparison.OrdinalIgnoreCase) && parameter.Required && only is not null)
                {
                    contentTypeParameter = only;
                }

                continue;
            }

            if (!IsValidHeaderName(parameter.Name) && location is ParameterIn.Header or ParameterIn.Cookie)
            {
                context.Report(DiagnosticDescriptors.Unsupported.Id, $"The {location.Value.ToString().ToLowerInvariant()} parameter '{parameter.Name}' of '{operationId}' has a name HTTP cannot carry (a header name is letters, digits and !#$%&'*+-.^_`|~); it is left out", parameterPointer, complete: true);
                continue;
            }

            if (location == ParameterIn.Header && ManagedHeaders.Contains(parameter.Name))
            {
                context.Report(DiagnosticDescriptors.Unsupported.Id, $"The header parameter '{parameter.Name}' of '{operationId}' is one HttpClient sets itself from the request; it is left out", parameterPointer, complete: true);
                continue;
            }

            // A parameter is described by a schema, or by `content` with one media type (its value
            // is then that media type's text, for JSON the value's JSON).
            IOpenApiSchema? schema = parameter.Schema;
            string schemaPointer = parameterPointer + "/schema";
            bool asJson = false;
            if (schema is null && parameter.Content is { Count: > 0 } parameterContent)
            {
                KeyValuePair<string, IOpenApiMediaType> media = parameterContent.First();
                schema = media.Value.Schema;
                schemaPointer = $"{parameterPointer}/content/{MappingContext.Escape(media.Key)}/schema";
                asJson = IsJsonMediaType(media.Key);
            }

            TypeRef type = schemas.Map(schema, name + Naming.Pascal(parameter.Name), schemaPointer);
            ParameterStyle style = asJson ? ParameterStyle.Json : StyleOf(parameter.Style, location.Value);
            if (Unsupported(type, location.Value, style) is { } problem)
            {
                context.Report(DiagnosticDescriptors.Unsupported.Id, $"The {location.Value.ToString().ToLowerInvariant()} parameter '{parameter.Name}' of '{operationId}' {problem}, which is not supported; the operation is left out", parameterPointer);
                return null;
            }

            bool required = location == ParameterIn.Path || parameter.Required;

            // A required header or query value the spec fixes is the client's to send; one it gives
            // a default is the caller's to change, and is sent as that default when left out.
            bool fixable = required && location is ParameterIn.Header or ParameterIn.Query && IsSimple(type) && style != ParameterStyle.Json;
            string? constant = fixable ? schemas.ConstantOf(schema) : null;
            string? sentDefault = fixable && constant is null ? WireText(schemas.DefaultOf(schema)) : null;
            parameters.Add(new ParameterModel(parameter.Name, argumentNames.Claim(Naming.Camel(MemberNaming.Requested(parameter.Extensions, context, parameterPointer) ?? parameter.Name)), location.Value, type, required && sentDefault is null, Clean(parameter.Description))
            {
                // The reader applies OpenAPI's defaults: form and exploded in the query and cookies, simple elsewhere.
                Explode = parameter.Explode,
                Style = style,
                Default = schemas.DefaultOf(schema),
                Deprecated = parameter.Deprecated,
                Constant = constant,
                SentDefault = sentDefault,
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
            body = MapBody(requestBody, name, operationId, pointer, contentTypeParameter, argumentNames);
            if (body is null)
            {
                return null;
            }
        }

        TypeRef? response = null;
        StreamModel? stream = null;
        ContentKind responseKind = ContentKind.Json;
        var readable = new List<string>();
        List<(string Status, IOpenApiResponse Response)> successes = SuccessResponses(operation);
        if (successes.FirstOrDefault(s => s.Response.Content is { Count: > 0 }) is { Response: not null } success)
        {
            string responsePointer = $"{pointer}/responses/{MappingContext.Escape(success.Status)}/content";
            IDictionary<string, IOpenApiMediaType>? content = success.Response.Content;
            (string Key, IOpenApiMediaType Media)? json = Find(content, IsJsonMediaType);
            (string Key, IOpenApiMediaType Media)? events = Find(content, type => type.Equals("text/event-stream", StringComparison.OrdinalIgnoreCase));
            // `*/*` with an object schema is how some generators (springdoc) declare JSON.
            json ??= Find(content, type => type is "*/*" or "application/*") is { Media.Schema: { } wildcardSchema } wildcard && IsStructured(wildcardSchema) ? wildcard : null;
            List<string> files = MediaTypes(content, type => KindOf(type) == ContentKind.File && !(json is { } structured && structured.Key == type));
            List<string> texts = MediaTypes(content, type => KindOf(type) == ContentKind.Text && !type.Equals("text/event-stream", StringComparison.OrdinalIgnoreCase));

            // A JSON string next to file types is the file's text form (OpenAI's video content):
            // the file is what callers want.
            if (json is { } plain && files.Count > 0 && plain.Media.Schema is { } jsonSchema && IsPlainString(jsonSchema))
            {
                json = null;
            }

            if (json is { Media.Schema: { } bareString } && IsPlainString(bareString) && bareString is not OpenApiSchemaReference)
            {
                responseKind = ContentKind.JsonString;
                response = TypeRef.Of(TypeKind.String);
            }
            else if (json is { } jsonMedia)
            {
                response = MapResponseSchema(success.Response, jsonMedia.Key, jsonMedia.Media.Schema!, name + "Response", $"{responsePointer}/{MappingContext.Escape(jsonMedia.Key)}/schema");
                response = OtherSuccessBodies(successes, success.Status, response, name, pointer);
            }
            else if (files.Count > 0)
            {
                responseKind = ContentKind.File;
                response = TypeRef.Of(TypeKind.Binary);
            }
            else if (texts.Count > 0)
            {
                responseKind = ContentKind.Text;
                response = TypeRef.Of(TypeKind.String);
            }

            // Accept names what the client can read of every success response the spec declares.
            foreach ((string _, IOpenApiResponse each) in successes)
            {
                readable.AddRange(Readable(each.Content, responseKind, json?.Key));
            }

            // Another success without a body (a 204 beside a 200) makes the value optional.
            if (response is not null && responseKind == ContentKind.Json && successes.Any(s => s.Response.Content is not { Count: > 0 }))
            {
                response = response with { Nullable = true };
            }

            if (events is { } eventMedia)
            {
                TypeRef eventType = schemas.Map(eventMedia.Media.Schema, name + "Event", $"{responsePointer}/{MappingContext.Escape(eventMedia.Key)}/schema");
                stream = EventStreamMapper.Stream(eventType, StreamFlag(body), context.Types);
            }
        }

        // A versioning Accept parameter's value goes first: the API reads its version from it.
        if (acceptParameter is not null)
        {
            readable.Insert(0, acceptParameter);
        }

        List<string> acceptable = readable.Distinct(StringComparer.OrdinalIgnoreCase).ToList();
        string? accept = acceptable.Count == 0 || (acceptable.Count == 1 && acceptable[0].Equals("application/json", StringComparison.OrdinalIgnoreCase))
            ? null
            : string.Join(", ", acceptable);

        PagerModel? pager = response is not null && responseKind == ContentKind.Json ? _paging.Find(operation, method, response, parameters, pointer) : null;
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
            ResponseKind = responseKind,
            Accept = accept,
            EmptyBodyContentType = body is null ? contentTypeParameter : null,
            Errors = ErrorResponses(operation, name, pointer).ToEquatableArray(),
            HttpMethodIsBuiltIn = context.Target.HasHttpMethodPatch || !method.Method.Equals("PATCH", StringComparison.OrdinalIgnoreCase),
            Tags = (operation.Tags ?? Enumerable.Empty<OpenApiTagReference>()).Select(t => t.Name).Where(t => !string.IsNullOrWhiteSpace(t)).Select(t => t!).ToEquatableArray(),
            Security = security.Of(operation, pointer),
            Server = servers.Of(pathItem, operation),
        };
    }

    /// <summary>
    /// The request body, in the first of these the spec offers: JSON, form fields, multipart,
    /// text, a file. Null (reported) when it offers none of them or the value cannot be sent so.
    /// </summary>
    /// <param name="contentTypeParameter">The one value of a required <c>Content-Type</c> header parameter, which picks the media type when the body offers it.</param>
    /// <param name="argumentNames">The method's argument names, for a media-type argument.</param>
    private BodyModel? MapBody(IOpenApiRequestBody requestBody, string name, string operationId, string pointer, string? contentTypeParameter, NameScope argumentNames)
    {
        IDictionary<string, IOpenApiMediaType>? content = requestBody.Content;
        (string Key, IOpenApiMediaType Media, ContentKind Kind)? chosen = null;
        if (contentTypeParameter is not null && Find(content, type => type.Equals(BareType(contentTypeParameter), StringComparison.OrdinalIgnoreCase)) is { } named)
        {
            chosen = (named.Key, named.Media, KindOf(named.Key));
        }

        chosen ??= PreferredMedia(content);

        string bodyPointer = pointer + "/requestBody";
        if (chosen is not { } media)
        {
            string offered = content is { Count: > 0 } ? string.Join(", ", content.Keys) : "no content";
            context.Report(DiagnosticDescriptors.Unsupported.Id, $"The request body of '{operationId}' has no media type Specgen can send ({offered}); the operation is left out", bodyPointer);
            return null;
        }

        string schemaPointer = $"{bodyPointer}/content/{MappingContext.Escape(media.Key)}/schema";
        string? description = Clean(requestBody.Description);
        switch (media.Kind)
        {
            case ContentKind.File:
                return new BodyModel(TypeRef.Of(TypeKind.Binary), requestBody.Required, description) { Kind = ContentKind.File, ContentType = media.Key };
            case ContentKind.Text:
                return new BodyModel(TypeRef.Of(TypeKind.String), requestBody.Required, description) { Kind = ContentKind.Text, ContentType = media.Key };
        }

        TypeRef type = schemas.Map(media.Media.Schema, name + "Request", schemaPointer);
        if (media.Kind == ContentKind.Json)
        {
            // Every JSON media type with the same schema can carry the body (Kubernetes' three
            // kinds of patch): the caller chooses, the one listed first by default.
            List<string> choices = content!
                .Where(m => KindOf(m.Key) == ContentKind.Json && SameSchema(m.Value.Schema, media.Media.Schema))
                .Select(m => m.Key.Trim())
                .ToList();
            string? choice = null;
            if (choices.Count > 1)
            {
                choice = context.ClaimTypeName(name + "ContentType");
                context.Types.Add(new EnumModel(context.Namespace, choice, $"The media types the body of {operationId} can be sent as.", Deprecated: false, Naming.EnumValues(choice, choices)));
            }

            return new BodyModel(type, requestBody.Required, description)
            {
                ContentType = IsPlainJson(media.Key) ? null : media.Key.Trim(),
                ContentTypeChoice = choice,
                ContentTypeArgument = choice is null ? null : argumentNames.Claim("contentType"),
            };
        }

        // Form fields and parts are the members of an object.
        if (type.Kind is not (TypeKind.Object or TypeKind.Map or TypeKind.Union or TypeKind.Any))
        {
            context.Report(DiagnosticDescriptors.Unsupported.Id, $"The {media.Key} body of '{operationId}' is a {type.Kind}, not an object whose members are the fields; the operation is left out", schemaPointer);
            return null;
        }

        return new BodyModel(type, requestBody.Required, description)
        {
            Kind = media.Kind,
            Encodings = Encodings(media.Media, media.Kind).ToEquatableArray(),
        };
    }

    /// <summary>The media type a body is sent as, unless a <c>Content-Type</c> parameter names one: JSON first, then form, multipart, text and a file.</summary>
    internal static (string Key, IOpenApiMediaType Media, ContentKind Kind)? PreferredMedia(IDictionary<string, IOpenApiMediaType>? content)
    {
        foreach (ContentKind kind in new[] { ContentKind.Json, ContentKind.Form, ContentKind.Multipart, ContentKind.Text, ContentKind.File })
        {
            if (Find(content, type => KindOf(type) == kind) is { } found)
            {
                return (found.Key, found.Media, kind);
            }
        }

        return null;
    }

    /// <summary>The spec's <c>encoding</c> entries, resolved to what the runtime needs.</summary>
    private static List<FieldEncodingModel> Encodings(IOpenApiMediaType media, ContentKind kind)
    {
        var result = new List<FieldEncodingModel>();
        if (media.Encoding is null)
        {
            return result;
        }

        foreach (KeyValuePair<string, OpenApiEncoding> entry in media.Encoding.OrderBy(e => e.Key, StringComparer.Ordinal))
        {
            OpenApiEncoding encoding = entry.Value;
            if (kind == ContentKind.Multipart)
            {
                if (encoding.ContentType is { Length: > 0 } partType)
                {
                    result.Add(new FieldEncodingModel(entry.Key, "Form", true, partType));
                }

                continue;
            }

            string? style = encoding.ContentType is { } type && IsJsonMediaType(type.Split(',')[0].Trim()) ? "Json"
                : encoding.Style switch
                {
                    Microsoft.OpenApi.ParameterStyle.Form => "Form",
                    Microsoft.OpenApi.ParameterStyle.SpaceDelimited => "SpaceDelimited",
                    Microsoft.OpenApi.ParameterStyle.PipeDelimited => "PipeDelimited",
                    Microsoft.OpenApi.ParameterStyle.DeepObject => "DeepObject",
                    _ => encoding.Explode is not null ? "Form" : null,
                };
            if (style is not null)
            {
                // OpenAPI: explode defaults to true for form, false for the other styles.
                result.Add(new FieldEncodingModel(entry.Key, style, encoding.Explode ?? style == "Form", null));
            }
        }

        return result;
    }

    private static ParameterStyle StyleOf(Microsoft.OpenApi.ParameterStyle? style, ParameterIn location) => style switch
    {
        Microsoft.OpenApi.ParameterStyle.Form => ParameterStyle.Form,
        Microsoft.OpenApi.ParameterStyle.SpaceDelimited => ParameterStyle.SpaceDelimited,
        Microsoft.OpenApi.ParameterStyle.PipeDelimited => ParameterStyle.PipeDelimited,
        Microsoft.OpenApi.ParameterStyle.DeepObject => ParameterStyle.DeepObject,
        Microsoft.OpenApi.ParameterStyle.Label => ParameterStyle.Label,
        Microsoft.OpenApi.ParameterStyle.Matrix => ParameterStyle.Matrix,
        Microsoft.OpenApi.ParameterStyle.Simple => ParameterStyle.Simple,
        _ => location is ParameterIn.Query or ParameterIn.Cookie ? ParameterStyle.Form : ParameterStyle.Simple,
    };

    /// <summary>Why a parameter of this type cannot be sent in this place and style, or null when it can.</summary>
    private static string? Unsupported(TypeRef type, ParameterIn location, ParameterStyle style)
    {
        if (type.Kind == TypeKind.Binary)
        {
            return "is a file";
        }

        bool simpleArray = type.Kind == TypeKind.Array && IsSimple(type.Element!) && !type.Element!.Nullable;
        if (location == ParameterIn.Path)
        {
            // A path segment holds a scalar (plain, `.label` or `;matrix=`), a simple comma-separated
            // list, or, in the simple style, anything else spelled from its JSON (a union of an ID and
            // a slug is the value it holds; an object is `k,v`), as headers are.
            return IsSimple(type) || style == ParameterStyle.Simple ? null : $"has a {type.Kind} schema in style {style}";
        }

        // Everything else has a spelling: scalars and lists directly, objects, maps and unions
        // through their JSON (see the runtime's ValueEncoding).
        return style is ParameterStyle.Label or ParameterStyle.Matrix ? $"uses style {style}, which only a path parameter can" : null;
    }

    /// <summary>The body's boolean <c>stream</c> member (OpenAI's convention for asking for events).</summary>
    private string? StreamFlag(BodyModel? body) =>
        body?.Type is { Kind: TypeKind.Object } bodyType
        && context.Types.Named<ObjectModel>(bodyType.Name) is { } model
        && model.Properties.FirstOrDefault(p => p.JsonName == EventStreamMapper.StreamFlagMember && p.Type.Kind == TypeKind.Boolean) is { } flag
            ? flag.Name
            : null;

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

    /// <summary>The first media type (without parameters) that <paramref name="match"/> accepts, in document order.</summary>
    private static (string Key, IOpenApiMediaType Media)? Find(IDictionary<string, IOpenApiMediaType>? content, Func<string, bool> match)
    {
        if (content is null)
        {
            return null;
        }

        foreach (KeyValuePair<string, IOpenApiMediaType> media in content)
        {
            if (match(BareType(media.Key)))
            {
                return (media.Key, media.Value);
            }
        }

        return null;
    }

    private static List<string> MediaTypes(IDictionary<string, IOpenApiMediaType>? content, Func<string, bool> match) =>
        content is null ? new List<string>() : content.Keys.Where(key => match(BareType(key))).Select(BareType).Distinct(StringComparer.OrdinalIgnoreCase).ToList();

    private static string BareType(string mediaType) => mediaType.Split(';')[0].Trim();

    /// <summary>Whether two media types declare one schema: the same reference, or the very same schema.</summary>
    private static bool SameSchema(IOpenApiSchema? left, IOpenApiSchema? right) =>
        ReferenceEquals(left, right)
        || (left is OpenApiSchemaReference { Reference.Id: { } a } && right is OpenApiSchemaReference { Reference.Id: { } b } && a == b);

    /// <summary><c>application/json</c>, with at most a UTF-8 charset: what the runtime sends for a JSON body unless told otherwise.</summary>
    private static bool IsPlainJson(string mediaType)
    {
        string[] parts = mediaType.Split(';').Select(p => p.Trim()).ToArray();
        return parts[0].Equals("application/json", StringComparison.OrdinalIgnoreCase)
            && parts.Skip(1).All(p => p.Replace(" ", string.Empty).Equals("charset=utf-8", StringComparison.OrdinalIgnoreCase));
    }

    internal static bool IsJsonMediaType(string type)
    {
        string bare = BareType(type);
        return bare.Equals("application/json", StringComparison.OrdinalIgnoreCase) || bare.EndsWith("+json", StringComparison.OrdinalIgnoreCase);
    }

    /// <summary>
    /// How a body of this media type travels: JSON; form fields; multipart parts; text
    /// (<c>text/*</c>, XML, <c>application/sdp</c> …); a file (everything else: octet streams,
    /// images, audio, PDF, <c>*/*</c>).
    /// </summary>
    private static ContentKind KindOf(string mediaType)
    {
        string type = BareType(mediaType).ToLowerInvariant();
        if (IsJsonMediaType(type))
        {
            return ContentKind.Json;
        }

        if (type == "application/x-www-form-urlencoded")
        {
            return ContentKind.Form;
        }

        if (type.StartsWith("multipart/", StringComparison.Ordinal))
        {
            return type == "multipart/form-data" ? ContentKind.Multipart : ContentKind.File;
        }

        return type.StartsWith("text/", StringComparison.Ordinal) || type.EndsWith("/xml", StringComparison.Ordinal) || type.EndsWith("+xml", StringComparison.Ordinal)
            || type is "application/sdp" or "application/x-ndjson" or "application/jsonl" or "application/javascript" or "application/yaml" or "application/x-yaml"
            ? ContentKind.Text
            : ContentKind.File;
    }

    private static bool IsStructured(IOpenApiSchema schema) =>
        schema is OpenApiSchemaReference || schema.Properties is { Count: > 0 } || schema.Items is not null
        || schema.AllOf is { Count: > 0 } || schema.OneOf is { Count: > 0 } || schema.AnyOf is { Count: > 0 }
        || (schema.Type is { } type && (type & (JsonSchemaType.Object | JsonSchemaType.Array)) != 0);

    private static bool IsPlainString(IOpenApiSchema schema) =>
        schema.Type is { } type && (type & ~JsonSchemaType.Null) == JsonSchemaType.String && schema.Format is null && schema.Enum is not { Count: > 0 };

    /// <summary>
    /// The success responses (<c>2xx</c> and <c>2XX</c>), in order of status; a <c>default</c>
    /// response alone is the success too (OpenAPI: it covers every status not declared).
    /// </summary>
    internal static List<(string Status, IOpenApiResponse Response)> SuccessResponses(OpenApiOperation operation)
    {
        if (operation.Responses is null)
        {
            return new List<(string, IOpenApiResponse)>();
        }

        List<(string Status, IOpenApiResponse Response)> successes = operation.Responses
            .Where(r => r.Key.StartsWith("2", StringComparison.Ordinal))
            .OrderBy(r => r.Key, StringComparer.Ordinal)
            .Select(r => (r.Key, r.Value))
            .ToList();
        List<KeyValuePair<string, IOpenApiResponse>> others = operation.Responses
            .Where(r => !r.Key.StartsWith("1", StringComparison.Ordinal) && !r.Key.StartsWith("3", StringComparison.Ordinal))
            .ToList();
        if (successes.Count == 0 && others.Count == 1 && others[0].Key == "default")
        {
            successes.Add((others[0].Key, others[0].Value));
        }

        return successes;
    }

    /// <summary>
    /// The type of a response body's schema. A response that refers to <c>components/responses</c>
    /// (Spotify's <c>Unauthorized</c>, used by every operation) is one type, named after it, however
    /// many operations use it; an inline one is named after the operation.
    /// </summary>
    private TypeRef MapResponseSchema(IOpenApiResponse response, string mediaType, IOpenApiSchema schema, string nameHint, string pointer)
    {
        if (response is not OpenApiResponseReference { Reference.Id: { } id })
        {
            return schemas.Map(schema, nameHint, pointer);
        }

        string key = id + " " + mediaType;
        if (!_componentResponses.TryGetValue(key, out TypeRef? type))
        {
            type = schemas.Map(schema, Naming.Pascal(id, "Response"), $"/components/responses/{MappingContext.Escape(id)}/content/{MappingContext.Escape(mediaType)}/schema");
            _componentResponses[key] = type;
        }

        return type;
    }

    /// <summary>
    /// When other success statuses declare JSON of other types (a 200 and a 201 with different
    /// schemas), the value is a union of them all, read by the shape of the JSON; else <paramref name="first"/>.
    /// </summary>
    private TypeRef OtherSuccessBodies(List<(string Status, IOpenApiResponse Response)> successes, string firstStatus, TypeRef first, string name, string pointer)
    {
        var bodies = new List<(string Status, TypeRef Type)> { (firstStatus, first) };
        foreach ((string status, IOpenApiResponse response) in successes)
        {
            if (status == firstStatus || Find(response.Content, IsJsonMediaType) is not { Media.Schema: { } schema } json)
            {
                continue;
            }

            string schemaPointer = $"{pointer}/responses/{MappingContext.Escape(status)}/content/{MappingContext.Escape(json.Key)}/schema";
            bodies.Add((status, MapResponseSchema(response, json.Key, schema, name + Naming.Pascal(status, "Status") + "Response", schemaPointer)));
        }

        List<IGrouping<TypeRef, (string Status, TypeRef Type)>> distinct = bodies.GroupBy(b => b.Type with { Nullable = false }).ToList();
        if (distinct.Count < 2)
        {
            return first;
        }

        string union = context.ClaimTypeName(name + "Result");
        var members = new NameScope(MemberNaming.UnionMembers(union));
        List<VariantModel> variants = distinct
            .Select(group => new VariantModel(
                members.Claim(group.Key.Name ?? Naming.Pascal("Status_" + group.First().Status)),
                group.Key,
                DiscriminatorValue: null,
                $"The body of a {string.Join(" or ", group.Select(b => b.Status))} response."))
            .ToList();
        context.Types.Add(new UnionModel(context.Namespace, union, $"The success bodies of {name}, which differ by status: read by the shape of the JSON.", Deprecated: false, DiscriminatorProperty: null, variants.ToEquatableArray()));
        return new TypeRef(TypeKind.Union, union);
    }

    /// <summary>The error responses (every status but <c>1xx</c>, <c>2xx</c> and <c>3xx</c>, <c>default</c> included) with a JSON schema, and the type of each.</summary>
    private List<ErrorResponseModel> ErrorResponses(OpenApiOperation operation, string name, string pointer)
    {
        var errors = new List<ErrorResponseModel>();
        foreach (KeyValuePair<string, IOpenApiResponse> response in operation.Responses ?? new OpenApiResponses())
        {
            if (response.Key.Length == 0 || response.Key[0] is '1' or '2' or '3'
                || Find(response.Value.Content, IsJsonMediaType) is not { Media.Schema: { } schema } json)
            {
                continue;
            }

            string schemaPointer = $"{pointer}/responses/{MappingContext.Escape(response.Key)}/content/{MappingContext.Escape(json.Key)}/schema";
            TypeRef type = MapResponseSchema(response.Value, json.Key, schema, name + Naming.Pascal(response.Key, "Status") + "Error", schemaPointer);
            errors.Add(new ErrorResponseModel(response.Key.ToUpperInvariant() == "DEFAULT" ? "default" : response.Key.ToUpperInvariant(), type));
        }

        return errors;
    }

    /// <summary>
    /// The media types of <paramref name="content"/> a client that reads <paramref name="kind"/>
    /// can take, as the spec writes them (parameters such as <c>;version=2</c> included).
    /// </summary>
    private static IEnumerable<string> Readable(IDictionary<string, IOpenApiMediaType>? content, ContentKind kind, string? chosenJson)
    {
        if (content is null)
        {
            yield break;
        }

        foreach (string key in content.Keys)
        {
            string type = BareType(key);
            bool fits = kind switch
            {
                ContentKind.Json or ContentKind.JsonString => IsJsonMediaType(type) || key == chosenJson,
                _ => KindOf(type) == kind && !type.Equals("text/event-stream", StringComparison.OrdinalIgnoreCase),
            };
            if (fits && type is not ("*/*" or "application/*"))
            {
                yield return key.Trim();
            }
        }
    }

    /// <summary>A parameter's JSON <c>default</c> as it goes on the wire: a string unquoted, a number or boolean as written; null for anything else.</summary>
    private static string? WireText(string? json)
    {
        if (json is null)
        {
            return null;
        }

        try
        {
            return System.Text.Json.Nodes.JsonNode.Parse(json) is System.Text.Json.Nodes.JsonValue value
                ? value.TryGetValue(out string? text) ? text : value.ToJsonString()
                : null;
        }
        catch (System.Text.Json.JsonException)
        {
            return null;
        }
    }

    // RFC 9110 field names are tokens: visible ASCII without separators.
    private static bool IsValidHeaderName(string name) =>
        name.Length > 0 && name.All(c => c is > ' ' and < (char)127 && "\"(),/:;<=>?@[\\]{}".IndexOf(c) < 0);

    private static bool IsSimple(TypeRef type) => type.IsScalar;

    private static string DeriveOperationId(HttpMethod method, string template) =>
        method.Method.ToLowerInvariant() + Naming.Pascal(template.Replace("{", "By_").Replace("}", string.Empty), "Root");

    private static string? Clean(string? text) => string.IsNullOrWhiteSpace(text) ? null : text!.Trim();
}
