using System.Globalization;
using System.Text.Json;
using Specgen.Generator.Model;

namespace Specgen.Generator.Emitting;

/// <summary>A schema's <c>default</c> (JSON text) as documentation, and as a C# value where one is meaningful.</summary>
internal static class DefaultValues
{
    private const int MaxDocLength = 120;

    /// <summary>The default for an XML doc: a string without its quotes, anything else as JSON, shortened when long.</summary>
    public static string Doc(string json)
    {
        string text = Text(json);
        return Docs.Escape(text.Length <= MaxDocLength ? text : text.Substring(0, MaxDocLength) + "…");
    }

    /// <summary>Whether <paramref name="description"/> already states the default (so that saying it again would be noise).</summary>
    public static bool Mentions(string? description, string json) =>
        description is not null && description.IndexOf(Text(json), System.StringComparison.Ordinal) >= 0;

    private static string Text(string json)
    {
        if (json.Length >= 2 && json[0] == '"')
        {
            try
            {
                using JsonDocument document = JsonDocument.Parse(json);
                return document.RootElement.GetString() ?? json;
            }
            catch (JsonException)
            {
                return json;
            }
        }

        return json;
    }

    /// <summary>
    /// A C# expression of <paramref name="type"/> for the default, or null when there is none, it
    /// does not fit the type, or the type has no simple literal (objects, unions, dates).
    /// </summary>
    public static string? Expression(TypeRef type, string? json, string ns)
    {
        if (json is null)
        {
            return null;
        }

        JsonElement value;
        try
        {
            using JsonDocument document = JsonDocument.Parse(json);
            value = document.RootElement.Clone();
        }
        catch (JsonException)
        {
            return null;
        }

        switch (type.Kind)
        {
            case TypeKind.String when value.ValueKind == JsonValueKind.String:
                return Docs.Literal(value.GetString()!);
            case TypeKind.Enum when value.ValueKind == JsonValueKind.String:
                return $"new global::{ns}.{type.Name}({Docs.Literal(value.GetString()!)})";
            case TypeKind.Boolean when value.ValueKind is JsonValueKind.True or JsonValueKind.False:
                return value.ValueKind == JsonValueKind.True ? "true" : "false";
            case TypeKind.Int32 when value.ValueKind == JsonValueKind.Number && value.TryGetInt32(out int int32):
                return int32.ToString(CultureInfo.InvariantCulture);
            case TypeKind.Int64 when value.ValueKind == JsonValueKind.Number && value.TryGetInt64(out long int64):
                return int64.ToString(CultureInfo.InvariantCulture) + "L";
            case TypeKind.Double when value.ValueKind == JsonValueKind.Number && value.TryGetDouble(out double number) && !double.IsInfinity(number):
                return number.ToString("R", CultureInfo.InvariantCulture) + "d";
            case TypeKind.Array when value.ValueKind == JsonValueKind.Array && value.GetArrayLength() == 0:
                return $"new {TypeSyntax.RenderConcrete(type, ns)}()";
            default:
                return null;
        }
    }
}
