using System;
using System.Collections.Generic;
using System.IO;
using System.Text.Json.Nodes;
using Specgen.Generator.Reading;

namespace Specgen.Conformance.Tests.Values;

/// <summary>A node of a document and the file it is in (which its relative <c>$ref</c>s start from).</summary>
internal readonly record struct Located(JsonNode? Node, string File)
{
    public JsonObject? Object => Node as JsonObject;

    /// <summary>A member of this node, in the same file; a null node when it has none.</summary>
    public Located this[string member] => new(Object?[member], File);

    public bool IsMissing => Node is null;
}

/// <summary>
/// The raw JSON tree of a document and of the files it refers to, read with the generator's own
/// reader (YAML included) but otherwise independent of the generator: <c>$ref</c>s are followed
/// here, local pointers and relative files alike, so that the values the sweep sends come from
/// the document and not from what the generator made of it.
/// </summary>
internal sealed class SpecTree
{
    private const int MaxReferenceChain = 32;

    private readonly Dictionary<string, JsonNode> _files = new(StringComparer.Ordinal);

    public SpecTree(string entryFile)
    {
        EntryFile = Path.GetFullPath(entryFile);
        Root = new Located(FileRoot(EntryFile), EntryFile);
    }

    public string EntryFile { get; }

    public Located Root { get; }

    /// <summary>Swagger 2.0 keeps parameter schemas inline and bodies as parameters.</summary>
    public bool IsSwagger2 => Root.Object?["swagger"] is not null;

    /// <summary>Follows <paramref name="node"/>'s <c>$ref</c>, and the target's, until a node without one.</summary>
    /// <exception cref="InvalidOperationException">A reference points nowhere, or references form a loop.</exception>
    public Located Resolve(Located node)
    {
        for (int i = 0; i < MaxReferenceChain; i++)
        {
            if (node.Object?["$ref"] is not JsonValue reference || reference.GetValueKind() != System.Text.Json.JsonValueKind.String)
            {
                return node;
            }

            node = Follow(reference.GetValue<string>(), node.File);
        }

        throw new InvalidOperationException($"More than {MaxReferenceChain} references in a row from {node.File}.");
    }

    /// <summary>Where <paramref name="node"/>'s <c>$ref</c> points (absolute file and pointer), or null when it has none: the identity of a schema for recursion checks.</summary>
    public static string? ReferenceKey(Located node) =>
        node.Object?["$ref"] is JsonValue value && value.TryGetValue(out string? reference) ? Target(reference, node.File) is var (file, pointer) ? file + "#" + pointer : null : null;

    private static (string File, string Pointer) Target(string reference, string fromFile)
    {
        int hash = reference.IndexOf('#');
        string filePart = hash < 0 ? reference : reference.Substring(0, hash);
        string pointer = hash < 0 ? string.Empty : reference.Substring(hash + 1);
        string file = filePart.Length == 0 ? fromFile : Path.GetFullPath(Path.Combine(Path.GetDirectoryName(fromFile)!, Uri.UnescapeDataString(filePart)));
        return (file, pointer);
    }

    private Located Follow(string reference, string fromFile)
    {
        (string file, string pointer) = Target(reference, fromFile);
        JsonNode? target = FileRoot(file);
        foreach (string token in pointer.Split('/', StringSplitOptions.RemoveEmptyEntries))
        {
            string member = Uri.UnescapeDataString(token).Replace("~1", "/").Replace("~0", "~");
            target = target switch
            {
                JsonObject obj => obj[member],
                JsonArray array when int.TryParse(member, out int index) && index < array.Count => array[index],
                _ => null,
            };
            if (target is null)
            {
                throw new InvalidOperationException($"The reference '{reference}' in {fromFile} points nowhere.");
            }
        }

        return new Located(target, file);
    }

    private JsonNode FileRoot(string path)
    {
        if (!_files.TryGetValue(path, out JsonNode? root))
        {
            root = SpecReader.Read(path, File.ReadAllText(path)).Root;
            _files[path] = root;
        }

        return root;
    }
}
