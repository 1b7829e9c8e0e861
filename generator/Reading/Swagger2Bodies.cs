using System;
using System.Collections.Generic;
using System.Linq;
using System.Text.Json.Nodes;

namespace Specgen.Generator.Reading;

/// <summary>
/// Restates two Swagger 2.0 rules about request bodies in the form the 2.0 reader of
/// Microsoft.OpenApi 3.11 follows, before it reads the document:
/// <list type="number">
/// <item><description>A <c>body</c> or <c>formData</c> parameter declared on a path item belongs to every
/// operation of the path (unless the operation declares one of the same name and place). The reader
/// turns only an operation's own into its request body and drops the path item's, so each is copied
/// into the operations.</description></item>
/// <item><description><c>formData</c> parameters travel as <c>application/x-www-form-urlencoded</c> or
/// <c>multipart/form-data</c> only, whatever else <c>consumes</c> lists. The reader gives the form
/// body every media type of <c>consumes</c> (Slack lists JSON beside the form), so an operation with
/// form parameters gets a <c>consumes</c> of the form types alone.</description></item>
/// </list>
/// </summary>
internal static class Swagger2Bodies
{
    private static readonly string[] Methods = { "get", "put", "post", "delete", "options", "head", "patch" };

    public static void Apply(NormalizedDocument document)
    {
        // Most documents need neither: find out on the tree as read, and copy it only if one does.
        if (!document.IsCopy && Apply(document, change: false))
        {
            document.CopyForChanges();
        }

        if (document.IsCopy)
        {
            Apply(document, change: true);
        }
    }

    /// <param name="change">Whether to change the tree; when false, only whether something would change is found.</param>
    /// <returns>Whether something changes (or would).</returns>
    private static bool Apply(NormalizedDocument document, bool change)
    {
        bool changes = false;
        if (document.Root is not JsonObject root || root["paths"] is not JsonObject paths)
        {
            return false;
        }

        List<string>? documentConsumes = MediaTypes(root["consumes"]);
        foreach (KeyValuePair<string, JsonNode?> path in paths)
        {
            if (path.Value is not JsonObject pathItem)
            {
                continue;
            }

            string pathPointer = "/paths/" + Escape(path.Key);
            List<(JsonNode Parameter, int Index)> shared = BodyParameters(root, pathItem["parameters"]).ToList();
            foreach (string method in Methods)
            {
                if (pathItem[method] is not JsonObject operation)
                {
                    continue;
                }

                string operationPointer = pathPointer + "/" + method;
                if (shared.Count > 0)
                {
                    changes |= CopyInto(document, operation, operationPointer, shared, pathPointer, root, change);
                }

                changes |= LimitConsumesToForms(root, operation, documentConsumes, change);
            }
        }

        return changes;
    }

    private static bool CopyInto(NormalizedDocument document, JsonObject operation, string operationPointer, List<(JsonNode Parameter, int Index)> shared, string pathPointer, JsonObject root, bool change)
    {
        bool changes = false;
        var own = new HashSet<string>(StringComparer.Ordinal);
        if (operation["parameters"] is JsonArray ownParameters)
        {
            foreach (JsonNode? parameter in ownParameters)
            {
                if (Resolve(root, parameter) is { } resolved)
                {
                    own.Add(Key(resolved));
                }
            }
        }

        foreach ((JsonNode parameter, int index) in shared)
        {
            // An operation may have one body; a body of its own replaces the path item's.
            JsonObject resolved = Resolve(root, parameter)!;
            if (own.Contains(Key(resolved)) || (In(resolved) == "body" && own.Any(k => k.StartsWith("body\n", StringComparison.Ordinal))))
            {
                continue;
            }

            changes = true;
            if (!change)
            {
                continue;
            }

            if (operation["parameters"] is not JsonArray list)
            {
                list = new JsonArray();
                operation["parameters"] = list;
            }

            list.Add(parameter.DeepClone());
            document.CameFrom($"{operationPointer}/parameters/{list.Count - 1}", $"{pathPointer}/parameters/{index}");
        }

        return changes;
    }

    private static bool LimitConsumesToForms(JsonObject root, JsonObject operation, List<string>? documentConsumes, bool change)
    {
        bool hasForm = operation["parameters"] is JsonArray parameters && parameters.Any(p => Resolve(root, p) is { } resolved && In(resolved) == "formData");
        if (!hasForm || (MediaTypes(operation["consumes"]) ?? documentConsumes) is not { } consumes)
        {
            return false;
        }

        List<string> forms = consumes.Where(IsForm).ToList();
        if (forms.Count == 0 || forms.Count == consumes.Count)
        {
            return false;
        }

        if (change)
        {
            operation["consumes"] = new JsonArray(forms.Select(f => (JsonNode)JsonValue.Create(f)!).ToArray());
        }

        return true;
    }

    private static IEnumerable<(JsonNode Parameter, int Index)> BodyParameters(JsonObject root, JsonNode? parameters)
    {
        if (parameters is not JsonArray list)
        {
            yield break;
        }

        for (int i = 0; i < list.Count; i++)
        {
            if (list[i] is { } parameter && Resolve(root, parameter) is { } resolved && In(resolved) is "body" or "formData")
            {
                yield return (parameter, i);
            }
        }
    }

    /// <summary>The parameter object itself, following a <c>$ref</c> into the document's <c>parameters</c>.</summary>
    private static JsonObject? Resolve(JsonObject root, JsonNode? parameter)
    {
        if (parameter is JsonObject obj && obj["$ref"] is JsonValue reference && reference.TryGetValue(out string? text))
        {
            const string prefix = "#/parameters/";
            return text.StartsWith(prefix, StringComparison.Ordinal) && root["parameters"] is JsonObject declared
                ? declared[text.Substring(prefix.Length).Replace("~1", "/").Replace("~0", "~")] as JsonObject
                : null;
        }

        return parameter as JsonObject;
    }

    private static string? In(JsonObject parameter) => parameter["in"] is JsonValue value && value.TryGetValue(out string? text) ? text : null;

    private static string Key(JsonObject parameter) =>
        In(parameter) + "\n" + (parameter["name"] is JsonValue value && value.TryGetValue(out string? name) ? name : string.Empty);

    private static List<string>? MediaTypes(JsonNode? node) =>
        node is JsonArray array
            ? array.Select(n => n is JsonValue value && value.TryGetValue(out string? text) ? text : null).OfType<string>().ToList()
            : null;

    private static bool IsForm(string mediaType)
    {
        string bare = mediaType.Split(';')[0].Trim();
        return bare.Equals("application/x-www-form-urlencoded", StringComparison.OrdinalIgnoreCase)
            || bare.Equals("multipart/form-data", StringComparison.OrdinalIgnoreCase);
    }

    private static string Escape(string segment) => segment.Replace("~", "~0").Replace("/", "~1");
}
