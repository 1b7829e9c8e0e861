using System;
using Specgen.Generator.Model;

namespace Specgen.Generator.Emitting;

/// <summary>C# spellings of <see cref="TypeRef"/>s, always <c>global::</c>-qualified.</summary>
internal static class TypeSyntax
{
    public const string Runtime = "global::Specgen.Runtime";
    public const string Json = "global::System.Text.Json";
    public const string Collections = "global::System.Collections.Generic";

    /// <summary>The type without a nullable annotation of its own.</summary>
    public static string Render(TypeRef type, string ns) => type.Kind switch
    {
        TypeKind.Any => Json + ".JsonElement",
        TypeKind.String => "string",
        TypeKind.Int32 => "int",
        TypeKind.Int64 => "long",
        TypeKind.Double => "double",
        TypeKind.Float => "float",
        TypeKind.Decimal => "decimal",
        TypeKind.Int8 => "sbyte",
        TypeKind.Int16 => "short",
        TypeKind.UInt8 => "byte",
        TypeKind.UInt16 => "ushort",
        TypeKind.UInt32 => "uint",
        TypeKind.UInt64 => "ulong",
        TypeKind.Uuid => "global::System.Guid",
        TypeKind.Date => type.DateAsDateTime ? "global::System.DateTime" : "global::System.DateOnly",
        TypeKind.Base64 => "byte[]",
        TypeKind.Boolean => "bool",
        TypeKind.UnixTime or TypeKind.DateTime => "global::System.DateTimeOffset",
        TypeKind.Object or TypeKind.Enum or TypeKind.Union => $"global::{ns}.{type.Name}",
        TypeKind.Array => $"{Collections}.IList<{RenderElement(type.Element!, ns)}>",
        TypeKind.Map => $"{Collections}.IDictionary<string, {RenderElement(type.Element!, ns)}>",
        TypeKind.Binary => Runtime + ".FileUpload",
        _ => throw new ArgumentOutOfRangeException(nameof(type), type.Kind, null),
    };

    /// <summary>An array item or map value: nullable when the schema allows null there.</summary>
    public static string RenderElement(TypeRef element, string ns) => Render(element, ns) + (element.Nullable ? "?" : string.Empty);

    /// <summary>The concrete collection type a reader fills.</summary>
    public static string RenderConcrete(TypeRef type, string ns) => type.Kind switch
    {
        TypeKind.Array => $"{Collections}.List<{RenderElement(type.Element!, ns)}>",
        TypeKind.Map => $"{Collections}.Dictionary<string, {RenderElement(type.Element!, ns)}>",
        _ => Render(type, ns),
    };

    public static string Converter(TypeRef named, string ns) => $"global::{ns}.{named.Name}JsonConverter";

    public static string GeneratedCodeAttribute => $"[global::System.CodeDom.Compiler.GeneratedCode(\"Specgen\", \"{GeneratorInfo.Version}\")]";
}

internal static class GeneratorInfo
{
    public static readonly string Version = typeof(GeneratorInfo).Assembly.GetName().Version?.ToString(3) ?? "0.0.0";
}
