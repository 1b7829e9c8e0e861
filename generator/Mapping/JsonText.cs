using System.Text.Json.Nodes;

namespace Specgen.Generator.Mapping;

/// <summary>Reading our extensions' settings, which are JSON nodes.</summary>
internal static class JsonText
{
    /// <summary>The string <paramref name="node"/> holds, or null when it is missing or not a string.</summary>
    public static string? Of(JsonNode? node) => node is JsonValue value && value.TryGetValue(out string? text) ? text : null;
}
