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

    /// <summary><c>format: float</c>: a <c>float</c>.</summary>
    Float,

    /// <summary><c>format: decimal</c>: a <c>decimal</c>, exact where a double would round.</summary>
    Decimal,

    /// <summary><c>format: int8</c>: an <c>sbyte</c>.</summary>
    Int8,

    /// <summary><c>format: int16</c>: a <c>short</c>.</summary>
    Int16,

    /// <summary><c>format: uint8</c>: a <c>byte</c>.</summary>
    UInt8,

    /// <summary><c>format: uint16</c>: a <c>ushort</c>.</summary>
    UInt16,

    /// <summary><c>format: uint32</c>: a <c>uint</c>.</summary>
    UInt32,

    /// <summary><c>format: uint64</c>: a <c>ulong</c>.</summary>
    UInt64,

    /// <summary><c>format: uuid</c>: a <c>Guid</c>.</summary>
    Uuid,

    /// <summary><c>format: date</c> (RFC 3339 full-date, <c>yyyy-MM-dd</c>): a <c>DateOnly</c>.</summary>
    Date,

    /// <summary><c>format: byte</c> (base64 text): a <c>byte[]</c>.</summary>
    Base64,
}

/// <summary>
/// A use of a type: what it is, whether null is allowed there, and the constraint keywords that
/// apply at that place. <see cref="Element"/> is the item type of an array or the value type of a map.
/// </summary>
internal sealed record TypeRef(TypeKind Kind, string? Name = null, TypeRef? Element = null, bool Nullable = false)
{
    public Constraints Constraints { get; init; } = Constraints.None;

    /// <summary>
    /// For <see cref="TypeKind.Date"/>: the project's framework (and so its Specgen.Runtime) has no
    /// <c>DateOnly</c> (.NET Framework, .NET Standard), so a <c>DateTime</c> at midnight holds the day.
    /// </summary>
    public bool DateAsDateTime { get; init; }

    public bool IsValueType => IsNumber || Kind is TypeKind.Boolean or TypeKind.UnixTime or TypeKind.DateTime
        or TypeKind.Enum or TypeKind.Any or TypeKind.Uuid or TypeKind.Date;

    /// <summary>A JSON number: the integers, <c>float</c>, <c>double</c> and <c>decimal</c> (not Unix time, which reads as a date).</summary>
    public bool IsNumber => Kind is TypeKind.Int32 or TypeKind.Int64 or TypeKind.Double or TypeKind.Float or TypeKind.Decimal
        or TypeKind.Int8 or TypeKind.Int16 or TypeKind.UInt8 or TypeKind.UInt16 or TypeKind.UInt32 or TypeKind.UInt64;

    /// <summary>One value that travels as a JSON string, number or boolean, and as text in a parameter.</summary>
    public bool IsScalar => IsNumber || Kind is TypeKind.String or TypeKind.Boolean or TypeKind.Enum or TypeKind.DateTime
        or TypeKind.UnixTime or TypeKind.Uuid or TypeKind.Date or TypeKind.Base64;

    /// <summary>A JSON string with a format the client parses (date-time, date, uuid, byte), which reads by token as a string does.</summary>
    public bool IsFormattedString => Kind is TypeKind.DateTime or TypeKind.Uuid or TypeKind.Date or TypeKind.Base64;

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
