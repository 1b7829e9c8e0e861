using System.Collections.Generic;
using System.Globalization;
using System.Text.Json.Nodes;
using System.Threading;
using Specgen.Generator.Diagnostics;
using Specgen.Generator.Model;
using Specgen.Generator.Reading;

namespace Specgen.Generator.Mapping;

/// <summary>What the mappers of one spec share: the namespace, the type names taken, the types made, the diagnostics.</summary>
internal sealed class MappingContext(SpecDocument document, string @namespace, string clientName, CancellationToken cancellationToken)
{
    public string Namespace { get; } = @namespace;

    public string ClientName { get; } = clientName;

    public CancellationToken CancellationToken { get; } = cancellationToken;

    // The client's name is taken first so that no schema can shadow it.
    public NameScope TypeNames { get; } = new(new[] { clientName, clientName + "JsonTypeInfoResolver" });

    /// <summary>A name for a generated type and its <c>…JsonConverter</c>.</summary>
    public string ClaimTypeName(string wanted) => TypeNames.ClaimWith(wanted, "JsonConverter");

    public List<TypeModel> Types { get; } = new();

    public List<DiagnosticInfo> Diagnostics { get; } = new();

    /// <param name="complete">The detail says everything, so the descriptor's own wording ("The OpenAPI reader reports: …") is left out.</param>
    public void Report(string id, string detail, string pointer, bool complete = false) =>
        Diagnostics.Add(new DiagnosticInfo(id, detail, pointer, document.Locate(pointer)) { DetailIsComplete = complete });

    public static string Escape(string segment) => segment.Replace("~", "~0").Replace("/", "~1");

    /// <summary>
    /// The <c>$ref</c> written at <paramref name="pointer"/> in the document, or null when the
    /// node there has none (or the pointer does not lead to a node, as in a Swagger 2.0 document,
    /// whose layout the pointers of the OpenAPI 3 object model do not follow).
    /// </summary>
    /// <remarks>
    /// Microsoft.OpenApi keeps only the last segment of a reference into a schema
    /// (<c>#/components/schemas/X/properties/y</c> becomes <c>y</c>), so the text is read here.
    /// </remarks>
    public string? RefAt(string pointer)
    {
        JsonNode? node = document.Root;
        if (pointer.Length > 0)
        {
            foreach (string raw in pointer.Substring(1).Split('/'))
            {
                string segment = raw.Replace("~1", "/").Replace("~0", "~");
                node = node switch
                {
                    JsonObject obj => obj.TryGetPropertyValue(segment, out JsonNode? child) ? child : null,
                    JsonArray array => int.TryParse(segment, NumberStyles.None, CultureInfo.InvariantCulture, out int index) && index < array.Count ? array[index] : null,
                    _ => null,
                };
                if (node is null)
                {
                    return null;
                }
            }
        }

        return node is JsonObject target && target.TryGetPropertyValue("$ref", out JsonNode? reference)
            && reference is JsonValue value && value.TryGetValue(out string? text) ? text : null;
    }
}
