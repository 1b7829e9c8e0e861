namespace Specgen.Generator.Reading;

/// <summary>What a JSON node of an OpenAPI document (2.0, 3.0 or 3.1) is, judged by the path that leads to it.</summary>
internal enum SpecNodeKind
{
    /// <summary>Example values, enums, descriptions, extensions: a <c>$ref</c> inside is data, not a reference.</summary>
    Data,
    Root,
    Components,
    Paths,
    PathItem,
    Operation,
    ParameterList,
    ParameterMap,
    Parameter,
    Responses,
    Response,
    RequestBodyMap,
    RequestBody,
    ContentMap,
    MediaType,
    EncodingMap,
    Encoding,
    HeaderMap,
    Header,
    SchemaMap,
    SchemaList,
    Schema,
    CallbackMap,
    Callback,

    /// <summary>A map of examples, links or security schemes.</summary>
    OtherMap,

    /// <summary>One example, link or security scheme: may be a <c>$ref</c>, holds no reference below.</summary>
    Other,
}

/// <summary>
/// The grammar of an OpenAPI document, just deep enough to tell where a <c>$ref</c> is a reference
/// and what it must point to (a schema, a parameter, a response ...). A member named
/// <c>parameters</c> is a list of parameters under an operation but a property name under
/// <c>properties</c>; an <c>example</c> may hold a <c>$ref</c> member that is only data.
/// </summary>
internal static class SpecStructure
{
    /// <summary>The kind of the member <paramref name="key"/> of a node of kind <paramref name="parent"/>.</summary>
    [System.Runtime.CompilerServices.MethodImpl(JitOptions.Optimized)]
    public static SpecNodeKind Member(SpecNodeKind parent, string key)
    {
        // An "x-" member is an extension only among an object's fixed fields: in a map of names
        // (properties, headers, schemas ...) it is a name the API chose, like any other.
        if (key.StartsWith("x-", System.StringComparison.Ordinal) && !IsMapOfNames(parent))
        {
            return SpecNodeKind.Data;
        }

        switch (parent)
        {
            case SpecNodeKind.Root:
                return key switch
                {
                    "paths" or "webhooks" => SpecNodeKind.Paths,
                    "definitions" => SpecNodeKind.SchemaMap,
                    "parameters" => SpecNodeKind.ParameterMap,
                    "responses" => SpecNodeKind.Responses,
                    "components" => SpecNodeKind.Components,
                    _ => SpecNodeKind.Data,
                };
            case SpecNodeKind.Components:
                return key switch
                {
                    "schemas" => SpecNodeKind.SchemaMap,
                    "parameters" => SpecNodeKind.ParameterMap,
                    "responses" => SpecNodeKind.Responses,
                    "requestBodies" => SpecNodeKind.RequestBodyMap,
                    "headers" => SpecNodeKind.HeaderMap,
                    "pathItems" => SpecNodeKind.Paths,
                    "callbacks" => SpecNodeKind.CallbackMap,
                    "examples" or "links" or "securitySchemes" => SpecNodeKind.OtherMap,
                    _ => SpecNodeKind.Data,
                };
            case SpecNodeKind.Paths:
                return SpecNodeKind.PathItem;
            case SpecNodeKind.PathItem:
                return key switch
                {
                    "parameters" => SpecNodeKind.ParameterList,
                    "get" or "put" or "post" or "delete" or "options" or "head" or "patch" or "trace" or "query" => SpecNodeKind.Operation,
                    _ => SpecNodeKind.Data,
                };
            case SpecNodeKind.Operation:
                return key switch
                {
                    "parameters" => SpecNodeKind.ParameterList,
                    "requestBody" => SpecNodeKind.RequestBody,
                    "responses" => SpecNodeKind.Responses,
                    "callbacks" => SpecNodeKind.CallbackMap,
                    _ => SpecNodeKind.Data,
                };
            case SpecNodeKind.ParameterMap:
                return SpecNodeKind.Parameter;
            case SpecNodeKind.Parameter:
            case SpecNodeKind.Header:
                return key switch
                {
                    "schema" or "items" => SpecNodeKind.Schema,
                    "content" => SpecNodeKind.ContentMap,
                    "examples" => SpecNodeKind.OtherMap,
                    _ => SpecNodeKind.Data,
                };
            case SpecNodeKind.Responses:
                return SpecNodeKind.Response;
            case SpecNodeKind.Response:
                return key switch
                {
                    "schema" => SpecNodeKind.Schema,
                    "content" => SpecNodeKind.ContentMap,
                    "headers" => SpecNodeKind.HeaderMap,
                    "links" => SpecNodeKind.OtherMap,
                    _ => SpecNodeKind.Data,
                };
            case SpecNodeKind.RequestBodyMap:
                return SpecNodeKind.RequestBody;
            case SpecNodeKind.RequestBody:
                return key == "content" ? SpecNodeKind.ContentMap : SpecNodeKind.Data;
            case SpecNodeKind.ContentMap:
                return SpecNodeKind.MediaType;
            case SpecNodeKind.MediaType:
                return key switch
                {
                    "schema" or "itemSchema" => SpecNodeKind.Schema,
                    "encoding" => SpecNodeKind.EncodingMap,
                    "examples" => SpecNodeKind.OtherMap,
                    _ => SpecNodeKind.Data,
                };
            case SpecNodeKind.EncodingMap:
                return SpecNodeKind.Encoding;
            case SpecNodeKind.Encoding:
                return key == "headers" ? SpecNodeKind.HeaderMap : SpecNodeKind.Data;
            case SpecNodeKind.HeaderMap:
                return SpecNodeKind.Header;
            case SpecNodeKind.SchemaMap:
                return SpecNodeKind.Schema;
            case SpecNodeKind.Schema:
                return key switch
                {
                    "properties" or "patternProperties" or "$defs" or "definitions" or "dependentSchemas" => SpecNodeKind.SchemaMap,
                    "items" or "additionalProperties" or "additionalItems" or "not" or "if" or "then" or "else" or "contains"
                        or "propertyNames" or "unevaluatedProperties" or "unevaluatedItems" or "contentSchema" => SpecNodeKind.Schema,
                    "allOf" or "anyOf" or "oneOf" or "prefixItems" => SpecNodeKind.SchemaList,
                    _ => SpecNodeKind.Data,
                };
            case SpecNodeKind.CallbackMap:
                return SpecNodeKind.Callback;
            case SpecNodeKind.Callback:
                return SpecNodeKind.PathItem;
            case SpecNodeKind.OtherMap:
                return SpecNodeKind.Other;
            default:
                return SpecNodeKind.Data;
        }
    }

    /// <summary>Whether a node of this kind is an object of fixed fields (a schema, an operation ...), not a map of names.</summary>
    public static bool HasFixedFields(SpecNodeKind kind) => kind is SpecNodeKind.Root or SpecNodeKind.PathItem or SpecNodeKind.Operation
        or SpecNodeKind.Parameter or SpecNodeKind.Response or SpecNodeKind.RequestBody or SpecNodeKind.MediaType or SpecNodeKind.Encoding
        or SpecNodeKind.Header or SpecNodeKind.Schema or SpecNodeKind.Other;

    private static bool IsMapOfNames(SpecNodeKind kind) => kind is SpecNodeKind.SchemaMap or SpecNodeKind.HeaderMap or SpecNodeKind.EncodingMap
        or SpecNodeKind.ParameterMap or SpecNodeKind.RequestBodyMap or SpecNodeKind.CallbackMap or SpecNodeKind.Callback or SpecNodeKind.OtherMap;

    /// <summary>The kind of the items of an array of kind <paramref name="array"/>.</summary>
    public static SpecNodeKind Item(SpecNodeKind array) => array switch
    {
        SpecNodeKind.ParameterList => SpecNodeKind.Parameter,
        SpecNodeKind.SchemaList => SpecNodeKind.Schema,

        // Swagger 2.0 tuples (`items: [...]`) are not valid, but their items are still schemas.
        SpecNodeKind.Schema => SpecNodeKind.Schema,
        _ => SpecNodeKind.Data,
    };

    /// <summary>
    /// Whether a node of this kind may be a <c>$ref</c> object: where OpenAPI allows one, and an
    /// operation, where it does not but bundlers resolve one all the same.
    /// </summary>
    public static bool MayBeReference(SpecNodeKind kind) => kind is SpecNodeKind.PathItem or SpecNodeKind.Parameter or SpecNodeKind.Response
        or SpecNodeKind.RequestBody or SpecNodeKind.Header or SpecNodeKind.Schema or SpecNodeKind.Callback or SpecNodeKind.Other or SpecNodeKind.Operation;

    /// <summary>
    /// Whether a node of this kind, a map, may be written as a <c>$ref</c> to the whole map
    /// (<c>properties: {$ref: 'attributes.yml#/droplet_ids'}</c>), which bundlers replace by the
    /// map it points to: when <c>$ref</c> is its only member and a string, it cannot be an entry of
    /// the map (a schema or a header is an object, a response's status is not <c>$ref</c>).
    /// </summary>
    public static bool MayBeMapReference(SpecNodeKind kind) => IsMapOfNames(kind) || kind is SpecNodeKind.Responses or SpecNodeKind.ContentMap or SpecNodeKind.Paths;
}
