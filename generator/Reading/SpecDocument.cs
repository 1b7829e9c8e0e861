using System.Globalization;
using System.Text.Json.Nodes;
using Specgen.Generator.Diagnostics;

namespace Specgen.Generator.Reading;

/// <summary>
/// A file as read: its JSON nodes, exactly as the text has them, and a way back from a JSON
/// pointer to a line and column of that text. Never changed once read (the normalized copy the
/// OpenAPI reader reads is a <see cref="NormalizedDocument"/>), so a position found later is that
/// of the text. Lives only inside the Parse step.
/// </summary>
internal abstract class SpecDocument
{
    protected SpecDocument(string path, JsonNode root)
    {
        Path = path;
        Root = root;
    }

    public string Path { get; }

    public JsonNode Root { get; }

    /// <summary>The place of the node at <paramref name="pointer"/>, or of its nearest ancestor that has one.</summary>
    public LocationInfo Locate(string pointer)
    {
        string current = pointer;
        while (true)
        {
            if (TryLocate(current, out int line, out int column))
            {
                return new LocationInfo(Path, line, column);
            }

            int slash = current.LastIndexOf('/');
            if (slash < 0)
            {
                return new LocationInfo(Path, 0, 0);
            }

            current = current.Substring(0, slash);
        }
    }

    /// <summary>Finds the node at a JSON pointer (<c>/paths/~1threads/post</c>), or null.</summary>
    public JsonNode? Find(string pointer) => Find(Root, pointer);

    /// <summary>Finds the node at a JSON pointer under <paramref name="root"/>, or null.</summary>
    public static JsonNode? Find(JsonNode root, string pointer)
    {
        JsonNode? node = root;
        if (pointer.Length == 0)
        {
            return node;
        }

        if (pointer[0] != '/')
        {
            return null;
        }

        foreach (string raw in pointer.Substring(1).Split('/'))
        {
            string segment = raw.Replace("~1", "/").Replace("~0", "~");
            node = node switch
            {
                JsonObject obj => obj.TryGetPropertyValue(segment, out JsonNode? child) ? child : null,
                JsonArray array => int.TryParse(segment, NumberStyles.None, CultureInfo.InvariantCulture, out int index) && index >= 0 && index < array.Count ? array[index] : null,
                _ => null,
            };
            if (node is null)
            {
                return null;
            }
        }

        return node;
    }

    protected abstract bool TryLocate(string pointer, out int line, out int column);
}
