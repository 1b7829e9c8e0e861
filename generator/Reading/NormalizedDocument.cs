using System;
using System.Collections.Generic;
using System.Text.Json.Nodes;
using Specgen.Generator.Diagnostics;

namespace Specgen.Generator.Reading;

/// <summary>
/// The document the OpenAPI reader reads: the entry file's tree as the normalizing passes
/// (<see cref="ExternalReferences"/>, <see cref="SpecShape"/>, <see cref="Swagger2Bodies"/>) leave
/// it. A pass that must change something first asks for a copy (<see cref="CopyForChanges"/>), so
/// the tree as read stays as the text has it and a document no pass changes (most) costs no copy.
/// Every pointer can still be located: a part copied from another file, or moved within this
/// one, remembers where it came from.
/// </summary>
internal sealed class NormalizedDocument
{
    // Where parts of the copy came from: their pointer here, the file and pointer they were read at.
    // Few, so a list searched from the newest is enough.
    private readonly List<(string Pointer, SpecDocument Source, string SourcePointer)> _origins = new();

    private JsonNode? _copy;

    public NormalizedDocument(SpecDocument source) => Source = source;

    /// <summary>The entry file as read.</summary>
    public SpecDocument Source { get; }

    public string Path => Source.Path;

    /// <summary>The tree as read until a pass asks for a copy; then the copy, which only the passes change, and only before the OpenAPI reader reads it.</summary>
    public JsonNode Root => _copy ?? Source.Root;

    /// <summary>Whether the tree is a copy yet, which a pass may change.</summary>
    public bool IsCopy => _copy is not null;

    /// <summary>
    /// Copies the tree as read, once, so that a pass can change it. A pass calls this before it
    /// takes any node to change: nodes found before belong to the tree as read.
    /// </summary>
    public void CopyForChanges() => _copy ??= Source.Root.DeepClone();

    /// <summary>The place in its file of the node at <paramref name="pointer"/> here.</summary>
    public LocationInfo Locate(string pointer) =>
        Origin(pointer) is var (source, sourcePointer) ? source.Locate(sourcePointer) : Source.Locate(pointer);

    /// <summary>
    /// The pointer to show in a message: <paramref name="pointer"/> itself, or, inside a part
    /// copied from another file, that file (relative to this one) and the pointer there.
    /// </summary>
    public string Describe(string pointer) =>
        Origin(pointer) is var (source, sourcePointer) && !ReferenceEquals(source, Source)
            ? FilePaths.Relative(Path, source.Path) + "#" + sourcePointer
            : pointer;

    /// <summary>Finds the node at a JSON pointer (<c>/paths/~1threads/post</c>) of the copy, or null.</summary>
    public JsonNode? Find(string pointer) => SpecDocument.Find(Root, pointer);

    /// <summary>Records that the node at <paramref name="pointer"/> is a copy of <paramref name="sourcePointer"/> in <paramref name="source"/>.</summary>
    public void CopiedFrom(string pointer, SpecDocument source, string sourcePointer) => _origins.Add((pointer, source, sourcePointer));

    /// <summary>Records that the node at <paramref name="pointer"/> was moved or copied from <paramref name="from"/> of this copy.</summary>
    public void CameFrom(string pointer, string from)
    {
        (SpecDocument source, string sourcePointer) = Origin(from) ?? (Source, from);
        _origins.Add((pointer, source, sourcePointer));
    }

    private (SpecDocument Source, string SourcePointer)? Origin(string pointer)
    {
        // The newest record wins: a part copied into a copied part is more specific.
        for (int i = _origins.Count - 1; i >= 0; i--)
        {
            (string prefix, SpecDocument source, string sourcePointer) = _origins[i];
            if (pointer.Length == prefix.Length ? string.Equals(pointer, prefix, StringComparison.Ordinal)
                : pointer.Length > prefix.Length && pointer[prefix.Length] == '/' && pointer.StartsWith(prefix, StringComparison.Ordinal))
            {
                return (source, sourcePointer + pointer.Substring(prefix.Length));
            }
        }

        return null;
    }
}
