namespace Specgen.Generator.Model;

/// <summary>The shapes a value can have in generated code.</summary>
internal enum TypeKind
{
    /// <summary>Anything: kept as a <c>JsonElement</c>.</summary>
    Any,
    String,
    Int32,
    Int64,
    Double,
    Boolean,
    /// <summary>An integer of Unix seconds, as a <c>DateTimeOffset</c>.</summary>
    UnixTime,
    /// <summary>An RFC 3339 <c>date-time</c> string, as a <c>DateTimeOffset</c>.</summary>
    DateTime,
    /// <summary>A generated class (object schema).</summary>
    Object,
    /// <summary>A generated extensible enum (a struct).</summary>
    Enum,
    /// <summary>A generated union class (oneOf / anyOf).</summary>
    Union,
    Array,
    /// <summary>A JSON object with arbitrary keys (<c>additionalProperties</c>), as a dictionary.</summary>
    Map,
    /// <summary>A file (<c>format: binary</c>): the runtime's <c>FileUpload</c>.</summary>
    Binary,
}

/// <summary>
/// A use of a type: what it is, whether null is allowed there, and the constraint keywords that
/// apply at that place. <see cref="Element"/> is the item type of an array or the value type of a map.
/// </summary>
internal sealed record TypeRef(TypeKind Kind, string? Name = null, TypeRef? Element = null, bool Nullable = false)
{
    public Constraints Constraints { get; init; } = Constraints.None;

    public bool IsValueType => Kind is TypeKind.Int32 or TypeKind.Int64 or TypeKind.Double or TypeKind.Boolean
        or TypeKind.UnixTime or TypeKind.DateTime or TypeKind.Enum or TypeKind.Any;

    public static TypeRef Of(TypeKind kind) => new(kind);
}

/// <summary>The constraint keywords a generated <c>Validate</c> checks before a request is sent.</summary>
internal sealed record Constraints(
    int? MaxLength = null,
    int? MinLength = null,
    string? Pattern = null,
    int? MaxItems = null,
    int? MinItems = null,
    int? MaxProperties = null,
    int? MinProperties = null,
    int? MaxKeyLength = null,
    double? Minimum = null,
    double? Maximum = null)
{
    public static readonly Constraints None = new();

    public bool IsEmpty => Equals(None);
}
