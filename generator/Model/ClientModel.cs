namespace Specgen.Generator.Model;

/// <summary>The client class of one spec.</summary>
/// <param name="DefaultBaseAddress">The spec's first absolute server URL, or null when it has none.</param>
/// <param name="TypeNames">Every generated type, for the JSON type-info resolver.</param>
internal sealed record ClientModel(string Namespace, string Name, string? Description, string? DefaultBaseAddress, EquatableArray<OperationModel> Operations, EquatableArray<string> TypeNames)
{
    public string HintName => $"{Namespace}.{Name}.g.cs";
}

internal enum ParameterIn
{
    Path,
    Query,
    Header,
}

/// <summary>One operation: one async method, its raw-response twin and, for cursor lists, a pager.</summary>
internal sealed record OperationModel(
    string OperationId,
    string Name,
    string HttpMethod,
    string PathTemplate,
    EquatableArray<PathPart> Path,
    EquatableArray<ParameterModel> Parameters,
    BodyModel? Body,
    TypeRef? Response,
    PagerModel? Pager,
    string? Summary,
    string? Description,
    bool Deprecated);

/// <summary>A literal piece of the path template, or the parameter that fills a <c>{placeholder}</c>.</summary>
internal sealed record PathPart(string Literal, string? ParameterName);

internal sealed record ParameterModel(string JsonName, string Name, ParameterIn In, TypeRef Type, bool Required, string? Description);

internal sealed record BodyModel(TypeRef Type, bool Required, string? Description);

/// <summary>How to walk a cursor-paged list: the members of the page and the cursor parameter.</summary>
internal sealed record PagerModel(string ItemsProperty, TypeRef ItemType, string HasMoreProperty, string LastIdProperty, string CursorParameter);
