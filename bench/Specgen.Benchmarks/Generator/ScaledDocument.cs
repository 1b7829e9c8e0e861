using System;
using System.Collections.Generic;
using System.Linq;
using System.Text.Json.Nodes;
using Specgen.Generator.Reading;

namespace Specgen.Benchmarks.Generator;

/// <summary>
/// A document <c>factor</c> times the size of a real one: the original, then renamed copies of its
/// components and paths (<c>RunObjectCopy2</c>, <c>/copy2/threads</c>, <c>createThreadCopy2</c>), each
/// copy referring to its own components. The shape of every schema and operation is a real one, so
/// the cost per schema is the real cost; only the count grows.
/// </summary>
internal static class ScaledDocument
{
    /// <summary>Component sections that are copied; security schemes stay shared, as in one API.</summary>
    private static readonly string[] CopiedSections = { "schemas", "responses", "parameters", "requestBodies", "headers", "examples", "links", "callbacks", "pathItems" };

    /// <summary>The scaled document as minified JSON, optionally with one schema's description edited (in the first copy).</summary>
    public static string Build(string path, string text, int factor, bool editOneSchema = false)
    {
        JsonObject original = (JsonObject)SpecReader.Read(path, text).Root.DeepClone();
        var result = (JsonObject)original.DeepClone();
        var components = result["components"] as JsonObject;
        var paths = result["paths"] as JsonObject;
        for (int copy = 2; copy <= factor; copy++)
        {
            string suffix = "Copy" + copy;
            foreach (string section in CopiedSections)
            {
                if (original["components"]?[section] is JsonObject entries && components?[section] is JsonObject target)
                {
                    foreach (KeyValuePair<string, JsonNode?> entry in entries)
                    {
                        target[entry.Key + suffix] = Renamed(entry.Value, suffix);
                    }
                }
            }

            if (original["paths"] is JsonObject originalPaths && paths is not null)
            {
                foreach (KeyValuePair<string, JsonNode?> entry in originalPaths)
                {
                    paths[$"/copy{copy}{entry.Key}"] = Renamed(entry.Value, suffix);
                }
            }
        }

        if (editOneSchema)
        {
            JsonObject schema = components?["schemas"] is JsonObject schemas
                ? schemas.Select(s => s.Value).OfType<JsonObject>().First(s => s["description"] is JsonValue d && d.TryGetValue(out string? _))
                : throw new InvalidOperationException("The document has no schema with a description to edit.");
            schema["description"] = schema["description"]!.GetValue<string>() + " Edited.";
        }

        return result.ToJsonString();
    }

    /// <summary>A copy of <paramref name="node"/> whose references and operation ids point into the copy <paramref name="suffix"/>.</summary>
    private static JsonNode? Renamed(JsonNode? node, string suffix)
    {
        JsonNode? copy = node?.DeepClone();
        Rename(copy, suffix);
        return copy;
    }

    private static void Rename(JsonNode? node, string suffix)
    {
        switch (node)
        {
            case JsonObject obj:
                foreach (string key in obj.Select(p => p.Key).ToList())
                {
                    JsonNode? value = obj[key];
                    if (value is JsonValue text && text.TryGetValue(out string? s))
                    {
                        if (key == "operationId")
                        {
                            obj[key] = s + suffix;
                        }
                        else if (Reference(s, suffix) is { } renamed)
                        {
                            // $ref, and a discriminator mapping's values.
                            obj[key] = renamed;
                        }
                    }
                    else
                    {
                        Rename(value, suffix);
                    }
                }

                break;
            case JsonArray array:
                foreach (JsonNode? item in array)
                {
                    Rename(item, suffix);
                }

                break;
        }
    }

    /// <summary><c>#/components/schemas/Foo/properties/x</c> -> <c>#/components/schemas/FooCopy2/properties/x</c>; null for anything else.</summary>
    private static string? Reference(string text, string suffix)
    {
        const string prefix = "#/components/";
        if (!text.StartsWith(prefix, StringComparison.Ordinal))
        {
            return null;
        }

        string[] segments = text.Substring(prefix.Length).Split('/');
        if (segments.Length < 2 || !CopiedSections.Contains(segments[0]))
        {
            return null;
        }

        segments[1] += suffix;
        return prefix + string.Join("/", segments);
    }
}
