using System;
using System.Collections.Generic;
using System.Linq;
using System.Text.Json.Nodes;
using Microsoft.OpenApi;

namespace Specgen.Generator.Mapping;

/// <summary>
/// The names and descriptions a document gives its enum values through the vendor extensions in
/// common use: <c>x-enum-varnames</c> (and NSwag's <c>x-enumNames</c>) with <c>x-enum-descriptions</c>,
/// lists parallel to <c>enum</c>; and AutoRest's <c>x-ms-enum</c>, whose <c>values</c> name each value.
/// </summary>
internal static class EnumNames
{
    private static readonly string[] NameLists = { "x-enum-varnames", "x-enumNames" };
    private const string DescriptionList = "x-enum-descriptions";
    private const string MsEnum = "x-ms-enum";

    /// <summary>The name and description given to each value of <paramref name="schema"/>'s enum, by its text (<see cref="ValueText"/>).</summary>
    /// <param name="report">Called with the extension and the problem when an extension is malformed; it is then ignored.</param>
    public static Dictionary<string, (string? Name, string? Description)> Read(IOpenApiSchema schema, Action<string, string> report)
    {
        var result = new Dictionary<string, (string? Name, string? Description)>(StringComparer.Ordinal);
        if (schema.Enum is not { Count: > 0 } values || schema.Extensions is not { Count: > 0 } extensions)
        {
            return result;
        }

        void Set(string value, string? name, string? description)
        {
            result.TryGetValue(value, out (string? Name, string? Description) known);
            result[value] = (name ?? known.Name, description ?? known.Description);
        }

        // Lists parallel to `enum`, entry for entry (a null value included).
        foreach (string list in NameLists.Append(DescriptionList))
        {
            if (!extensions.TryGetValue(list, out IOpenApiExtension? extension))
            {
                continue;
            }

            if (extension is not JsonNodeExtension { Node: JsonArray entries } || entries.Any(e => e is not null && !IsString(e)))
            {
                report(list, "it must be a list of strings, one for each value of `enum`");
                continue;
            }

            if (entries.Count != values.Count)
            {
                report(list, $"it has {entries.Count} entries for the {values.Count} values of `enum`");
                continue;
            }

            for (int i = 0; i < values.Count; i++)
            {
                if (ValueText(values[i]) is { } value && Text(entries[i]) is { Length: > 0 } entry)
                {
                    Set(value, list == DescriptionList ? null : entry, list == DescriptionList ? entry : null);
                }
            }
        }

        if (extensions.TryGetValue(MsEnum, out IOpenApiExtension? msEnum))
        {
            if (msEnum is not JsonNodeExtension { Node: JsonObject settings } || settings["values"] is not (null or JsonArray))
            {
                report(MsEnum, "it must be an object whose `values` is a list of `{value, name, description}`");
            }
            else if (settings["values"] is JsonArray named)
            {
                foreach (JsonNode? entry in named)
                {
                    if (entry is JsonObject item && ValueText(item["value"]) is { } value)
                    {
                        Set(value, Text(item["name"]) is { Length: > 0 } name ? name : null, Text(item["description"]) is { Length: > 0 } d ? d : null);
                    }
                }
            }
        }

        return result;
    }

    private static bool IsString(JsonNode node) => node is JsonValue value && value.TryGetValue(out string? _);

    private static string? Text(JsonNode? node) => JsonText.Of(node);

    /// <summary>An enum value as the key of its name: a string's text, an integer's digits.</summary>
    public static string? ValueText(JsonNode? node) =>
        Text(node) ?? (node is JsonValue value && value.TryGetValue(out long number) ? number.ToString(System.Globalization.CultureInfo.InvariantCulture) : null);
}
