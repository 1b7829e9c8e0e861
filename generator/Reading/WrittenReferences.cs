using System.Collections.Generic;
using System.Runtime.CompilerServices;
using System.Text.Json.Nodes;
using System.Threading;

namespace Specgen.Generator.Reading;

/// <summary>
/// The <c>$ref</c>s of the normalized document that the OpenAPI object model does not keep as
/// written, by the pointer of the object that holds each: every one but a plain reference to a
/// schema the document has (<c>#/components/schemas/Pet</c>, Swagger 2.0's <c>#/definitions/Pet</c>),
/// whose name the object model keeps. Microsoft.OpenApi keeps only the last segment of a
/// reference into a schema (<c>#/components/schemas/X/properties/y</c> becomes <c>y</c>), and of a
/// reference to nothing; the mappers read those here, not from the tree, which belongs to the
/// stages before them.
/// </summary>
internal sealed class WrittenReferences
{
    private readonly Dictionary<string, string> _byPointer;

    private WrittenReferences(Dictionary<string, string> byPointer) => _byPointer = byPointer;

    /// <summary>The <c>$ref</c> written at <paramref name="pointer"/>, or null when the object there has none (or there is no object).</summary>
    public string? At(string pointer) => _byPointer.TryGetValue(pointer, out string? reference) ? reference : null;

    /// <summary>Walks the document's structure (never its examples or extensions, whose <c>$ref</c> is data).</summary>
    [MethodImpl(JitOptions.Optimized)]
    public static WrittenReferences Collect(NormalizedDocument document, CancellationToken cancellationToken)
    {
        var found = new Dictionary<string, string>(System.StringComparer.Ordinal);
        JsonObject? schemas = document.Root is not JsonObject root ? null
            : root["components"] is JsonObject components ? components["schemas"] as JsonObject
            : root["definitions"] as JsonObject;
        var stack = new Stack<(JsonNode Node, PointerPath Pointer, SpecNodeKind Kind)>();
        stack.Push((document.Root, PointerPath.Of(string.Empty), SpecNodeKind.Root));
        int visited = 0;
        while (stack.Count > 0)
        {
            if (++visited % 4096 == 0)
            {
                cancellationToken.ThrowIfCancellationRequested();
            }

            (JsonNode node, PointerPath pointer, SpecNodeKind kind) = stack.Pop();
            if (node is JsonObject obj)
            {
                foreach (KeyValuePair<string, JsonNode?> member in obj)
                {
                    if (member.Key == "$ref")
                    {
                        if (member.Value is JsonValue value && value.TryGetValue(out string? text) && !IsPlainSchemaReference(text, schemas))
                        {
                            found[pointer.ToString()] = text;
                        }

                        continue;
                    }

                    SpecNodeKind memberKind = SpecStructure.Member(kind, member.Key);
                    if (memberKind != SpecNodeKind.Data && member.Value is { } child)
                    {
                        stack.Push((child, pointer.Member(member.Key), memberKind));
                    }
                }
            }
            else if (node is JsonArray array && SpecStructure.Item(kind) is var itemKind && itemKind != SpecNodeKind.Data)
            {
                for (int i = 0; i < array.Count; i++)
                {
                    if (array[i] is { } item)
                    {
                        stack.Push((item, pointer.Item(i), itemKind));
                    }
                }
            }
        }

        return new WrittenReferences(found);
    }

    private static bool IsPlainSchemaReference(string reference, JsonObject? schemas)
    {
        string? name = reference.StartsWith("#/components/schemas/", System.StringComparison.Ordinal) ? reference.Substring("#/components/schemas/".Length)
            : reference.StartsWith("#/definitions/", System.StringComparison.Ordinal) ? reference.Substring("#/definitions/".Length)
            : null;
        if (name is null || schemas is null)
        {
            return false;
        }

        name = System.Uri.UnescapeDataString(name);
        return name.IndexOf('/') < 0 && schemas.ContainsKey(name.Replace("~1", "/").Replace("~0", "~"));
    }
}
