using System;
using System.Collections.Generic;
using System.Text.Json.Nodes;
using Specgen.Generator.Diagnostics;

namespace Specgen.Generator.Reading;

/// <summary>
/// A spec as JSON nodes plus a way back from a JSON pointer to a line and column of the original
/// text. Lives only inside the Parse step.
/// </summary>
internal abstract class SpecDocument
{
    // Parts copied in from other files (see ExternalReferences): where they are in this document,
    // and where they came from. Few, so a list searched from the newest is enough.
    private readonly List<(string Pointer, SpecDocument Source, string SourcePointer)> _imports = new();

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
        if (FindImport(pointer) is var (source, sourcePointer))
        {
            return source.Locate(sourcePointer);
        }

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

    /// <summary>
    /// The pointer to show in a message: <paramref name="pointer"/> itself, or, inside a part
    /// copied from another file, that file (relative to this one) and the pointer there.
    /// </summary>
    public string Describe(string pointer) =>
        FindImport(pointer) is var (source, sourcePointer) ? FilePaths.Relative(Path, source.Path) + "#" + sourcePointer : pointer;

    /// <summary>Records that the node at <paramref name="pointer"/> is a copy of <paramref name="sourcePointer"/> in <paramref name="source"/>.</summary>
    public void AddImport(string pointer, SpecDocument source, string sourcePointer) => _imports.Add((pointer, source, sourcePointer));

    /// <summary>Finds the node at a JSON pointer (<c>/paths/~1threads/post</c>), or null.</summary>
    public JsonNode? Find(string pointer)
    {
        JsonNode? node = Root;
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
                JsonArray array => int.TryParse(segment, out int index) && index >= 0 && index < array.Count ? array[index] : null,
                _ => null,
            };
            if (node is null)
            {
                return null;
            }
        }

        return node;
    }

    /// <summary>
    /// Called before <see cref="Root"/> is first changed in place (a node removed, replaced or
    /// added), so that positions found later are those of the nodes as they were read.
    /// </summary>
    public virtual void PrepareForChanges()
    {
    }

    protected abstract bool TryLocate(string pointer, out int line, out int column);

    private (SpecDocument Source, string SourcePointer)? FindImport(string pointer)
    {
        // The newest import wins: a part copied into a copied part is more specific.
        for (int i = _imports.Count - 1; i >= 0; i--)
        {
            (string prefix, SpecDocument source, string sourcePointer) = _imports[i];
            if (pointer.Length == prefix.Length ? string.Equals(pointer, prefix, StringComparison.Ordinal)
                : pointer.Length > prefix.Length && pointer[prefix.Length] == '/' && pointer.StartsWith(prefix, StringComparison.Ordinal))
            {
                return (source, sourcePointer + pointer.Substring(prefix.Length));
            }
        }

        return null;
    }
}
