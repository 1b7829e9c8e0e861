using System.Linq;

namespace Specgen.Generator.Model;

/// <summary>A type the generator emits, one file each. Final C# names are already chosen.</summary>
internal abstract record TypeModel(string Namespace, string Name, string? Description, bool Deprecated)
{
    public string HintName => $"{HintPrefix ?? Namespace}.{Name}.g.cs";

    /// <summary>See <see cref="SpecInput.HintPrefix"/>; null for the namespace.</summary>
    public string? HintPrefix { get; init; }

    /// <summary><c>public</c>, or <c>internal</c> when the spec's settings say so.</summary>
    public string Visibility { get; init; } = "public";

    /// <summary>
    /// Whether the file uses something the spec marks deprecated (the type itself, a member, a
    /// member's type): the file then silences CS0618, since generated code must still read and write it.
    /// </summary>
    public bool UsesDeprecated { get; init; }
}

/// <summary>
/// One generated file of types: a single type (named after it) or, in a large document, the
/// types that share a bucket (see <see cref="Mapping.FileLayout"/>).
/// </summary>
internal sealed record TypeFileModel(string HintName, string Namespace, EquatableArray<TypeModel> Types)
{
    /// <summary>Whether a type in the file uses something deprecated: the file then silences CS0618.</summary>
    public bool UsesDeprecated => Types.Any(t => t.UsesDeprecated);
}

/// <summary>An object schema: a sealed class plus its JSON converter.</summary>
internal sealed record ObjectModel(string Namespace, string Name, string? Description, bool Deprecated, EquatableArray<PropertyModel> Properties)
    : TypeModel(Namespace, Name, Description, Deprecated)
{
    /// <summary>
    /// When this is the body of a streaming operation, the JSON name of the boolean member that asks
    /// for events (OpenAI's <c>stream</c>): the converter can then write it as true whatever the
    /// object holds, so that the streaming method never changes its caller's object. Else null.
    /// </summary>
    public string? StreamFlag { get; init; }
}

/// <summary>A property of an object schema.</summary>
/// <param name="ConstValue">The only value a single-valued enum allows; the property then defaults to it.</param>
internal sealed record PropertyModel(string JsonName, string Name, TypeRef Type, bool Required, string? Description, string? ConstValue, bool Deprecated)
{
    /// <summary>The schema's <c>default</c> as JSON text, or null.</summary>
    public string? Default { get; init; }

    /// <summary><c>readOnly</c>: the server sets it; a request never needs it and never carries it.</summary>
    public bool ReadOnly { get; init; }

    /// <summary><c>writeOnly</c>: the client sends it; a response never needs it.</summary>
    public bool WriteOnly { get; init; }

    /// <summary>The <see cref="NamedValuesModel"/> with constants for this integer member's values, when the spec names them.</summary>
    public string? NamedValues { get; init; }

    /// <summary>The private names the model's code uses for this member, from <see cref="Mapping.MemberNaming.WithStorage"/>.</summary>
    public PropertyStorage Storage { get; init; } = PropertyStorage.Unnamed;

    /// <summary>Required both ways or one way, never null, not a constant: a value is always there for whoever needs it.</summary>
    public bool IsAlwaysPresent => ConstValue is null && Required && !Type.Nullable;

    /// <summary>A member a response must carry, or reading fails.</summary>
    public bool MustBeRead => IsAlwaysPresent && !WriteOnly;

    /// <summary>
    /// Optional and nullable: the model remembers whether the member was set, so that an explicit
    /// null (read, or set to clear a value) is written as null while a member never set stays out.
    /// </summary>
    public bool IsPresenceTracked => ConstValue is null && !Required && Type.Nullable;
}

/// <summary>The private names of one member in its model's code.</summary>
/// <param name="ReaderLocal">The local <c>ReadValue</c> reads the member into.</param>
/// <param name="ReaderFlag">The local that says the member was read: for members a response must carry and presence-tracked ones; else null.</param>
/// <param name="Field">The backing field of a presence-tracked member; else null.</param>
/// <param name="IsSetField">The field that says a presence-tracked member was set; else null.</param>
/// <param name="CheckLocal">The local <c>Validate</c> checks a nullable member's value through.</param>
internal sealed record PropertyStorage(string ReaderLocal, string? ReaderFlag, string? Field, string? IsSetField, string CheckLocal)
{
    /// <summary>Before the naming pass; never reaches an emitter.</summary>
    public static readonly PropertyStorage Unnamed = new(string.Empty, null, null, null, string.Empty);

    /// <summary>
    /// For one of the first 64 members a response must carry: its bit in the <c>ReadValue</c> local
    /// <see cref="Mapping.MemberNaming.RequiredSeen"/>, instead of a <see cref="ReaderFlag"/>; else null.
    /// </summary>
    public int? RequiredBit { get; init; }
}

/// <summary>A string enum: an extensible readonly struct with the known values as static members.</summary>
internal sealed record EnumModel(string Namespace, string Name, string? Description, bool Deprecated, EquatableArray<EnumValueModel> Values)
    : TypeModel(Namespace, Name, Description, Deprecated);

/// <summary>
/// An integer enum whose values the document names (<c>x-enum-varnames</c>, <c>x-enumNames</c>,
/// <c>x-ms-enum</c>): a static class of constants. Members and parameters keep their integer type,
/// so a value the API adds later still reads, and code written against the numbers keeps compiling.
/// </summary>
/// <param name="ValueType">The integer type of the values (<c>int</c>, <c>long</c> …).</param>
/// <param name="Values">Each value as its JSON text, with the name of its constant.</param>
internal sealed record NamedValuesModel(string Namespace, string Name, string? Description, bool Deprecated, TypeRef ValueType, EquatableArray<EnumValueModel> Values)
    : TypeModel(Namespace, Name, Description, Deprecated);

internal sealed record EnumValueModel(string Value, string Name)
{
    /// <summary>What the document says the value means (<c>x-enum-descriptions</c>, <c>x-ms-enum</c>); null when it says nothing.</summary>
    public string? Description { get; init; }
}

/// <summary>
/// A oneOf / anyOf: a class that holds exactly one of its variants. With a discriminator the
/// variant is chosen by that member's value; otherwise by the JSON token and, among objects,
/// by the first variant that reads without error.
/// </summary>
internal sealed record UnionModel(string Namespace, string Name, string? Description, bool Deprecated, string? DiscriminatorProperty, EquatableArray<VariantModel> Variants)
    : TypeModel(Namespace, Name, Description, Deprecated)
{
    /// <summary>True when the union is the event schema of a <c>text/event-stream</c> response: it can then be read from server-sent events.</summary>
    public bool IsEventStream { get; init; }

    /// <summary>The C# member that gives the discriminator's value (<c>Type</c>); null without a discriminator or when the name is taken (see <see cref="Mapping.MemberNaming.DiscriminatorMember"/>).</summary>
    public string? DiscriminatorMember { get; init; }
}

/// <param name="Name">The variant's name inside the union: <c>Is{Name}</c>, <c>As{Name}</c>, <c>From{Name}</c>.</param>
internal sealed record VariantModel(string Name, TypeRef Type, string? DiscriminatorValue, string? Description)
{
    /// <summary>For an event-stream union: how the variant's <c>data</c> member is read from an event.</summary>
    public EventDataModel? EventData { get; init; }
}

/// <summary>The <c>data</c> member of an event variant; an end event (<c>data: [DONE]</c>) carries no value and ends the stream.</summary>
internal sealed record EventDataModel(string Property, TypeRef Type, bool IsEndOfStream)
{
    /// <summary>The C# member that holds the event's name, when it is a plain required string the reader must set (not a constant the type sets itself).</summary>
    public string? EventNameProperty { get; init; }
}
