using System;
using System.Collections.Generic;
using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;
using System.Threading;
using Specgen.Generator.Diagnostics;
using System.Runtime.CompilerServices;

namespace Specgen.Generator.Reading;

/// <summary>
/// Removes, with a located SPEC004 each, the parts of a document whose shape the OpenAPI reader
/// or the mappers cannot take: a key with no value where an object is expected (<c>schema:</c>
/// followed by nothing, an empty path item, a null in an <c>allOf</c>), and a constraint keyword
/// whose value is not the number or boolean it must be (<c>maxLength: lots</c>).
/// </summary>
/// <remarks>
/// Without this, Microsoft.OpenApi 3.11 throws FormatException on the whole document for one
/// such keyword (nothing is generated, and the reader says nowhere where), and a null where an
/// object is expected reaches the mappers as a null. Valid documents are never changed.
/// </remarks>
internal static class SpecShape
{
    private static readonly HashSet<string> IntegerKeywords = new(StringComparer.Ordinal)
    {
        "maxLength", "minLength", "maxItems", "minItems", "maxProperties", "minProperties", "maxContains", "minContains",
    };

    private static readonly HashSet<string> NumberKeywords = new(StringComparer.Ordinal) { "minimum", "maximum", "multipleOf" };

    // A boolean in Swagger 2.0 and OpenAPI 3.0, a number in 3.1.
    private static readonly HashSet<string> NumberOrBooleanKeywords = new(StringComparer.Ordinal) { "exclusiveMinimum", "exclusiveMaximum" };

    private static readonly HashSet<string> SchemaBooleanKeywords = new(StringComparer.Ordinal)
    {
        "nullable", "readOnly", "writeOnly", "deprecated", "uniqueItems",
    };

    private static readonly HashSet<string> ParameterBooleanKeywords = new(StringComparer.Ordinal)
    {
        "required", "deprecated", "allowEmptyValue", "explode", "allowReserved", "uniqueItems",
    };

    [MethodImpl(JitOptions.Optimized)]
    public static IReadOnlyList<DiagnosticInfo> Check(NormalizedDocument document, CancellationToken cancellationToken)
    {
        var diagnostics = new List<DiagnosticInfo>();
        var fixes = new List<Action>();
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
                    PointerPath memberPointer = pointer.Member(member.Key);
                    SpecNodeKind memberKind = SpecStructure.Member(kind, member.Key);
                    if (member.Value is null)
                    {
                        if (ExpectsObject(memberKind))
                        {
                            string key = member.Key;
                            fixes.Add(() => obj.Remove(key));
                            diagnostics.Add(Problem(document, memberPointer, $"'{key}' has no value where {Expected(memberKind)} is expected; it is ignored"));
                        }

                        continue;
                    }

                    if (ExpectsObject(memberKind) && !IsObjectOrBooleanSchema(member.Value, memberKind))
                    {
                        string key = member.Key;
                        fixes.Add(() => obj.Remove(key));
                        diagnostics.Add(Problem(document, memberPointer, $"'{key}' must be {Expected(memberKind)} (an object), not {Show(member.Value)}; it is ignored"));
                        continue;
                    }

                    if (memberKind == SpecNodeKind.Schema && member.Value is JsonValue flag && flag.TryGetValue(out bool allows)
                        && member.Key is not ("additionalProperties" or "unevaluatedProperties" or "unevaluatedItems"))
                    {
                        // A boolean schema (valid JSON Schema, so valid OpenAPI 3.1) makes the reader
                        // throw: a property that may not be there is left out, and any other becomes
                        // the object schema that means the same.
                        string key = member.Key;
                        fixes.Add(kind == SpecNodeKind.SchemaMap && !allows
                            ? () => obj.Remove(key)
                            : () => obj[key] = BooleanSchema(allows));
                        continue;
                    }

                    if (memberKind == SpecNodeKind.Data)
                    {
                        if (KeywordProblem(kind, member.Key, member.Value) is { } problem)
                        {
                            string key = member.Key;
                            fixes.Add(() => obj.Remove(key));
                            diagnostics.Add(Problem(document, memberPointer, problem));
                        }

                        continue;
                    }

                    stack.Push((member.Value, memberPointer, memberKind));
                }
            }
            else if (node is JsonArray array)
            {
                SpecNodeKind itemKind = SpecStructure.Item(kind);
                if (itemKind == SpecNodeKind.Data)
                {
                    continue;
                }

                var removed = new List<int>();
                for (int i = 0; i < array.Count; i++)
                {
                    PointerPath itemPointer = pointer.Item(i);
                    if (array[i] is JsonValue flag && itemKind == SpecNodeKind.Schema && flag.TryGetValue(out bool allows))
                    {
                        int index = i;
                        fixes.Add(() => array[index] = BooleanSchema(allows));
                    }
                    else if (array[i] is { } item && IsObjectOrBooleanSchema(item, itemKind))
                    {
                        stack.Push((item, itemPointer, itemKind));
                    }
                    else
                    {
                        removed.Add(i);
                        diagnostics.Add(Problem(document, itemPointer, array[i] is { } wrong
                            ? $"item {i} must be {Expected(itemKind)} (an object), not {Show(wrong)}; it is ignored"
                            : $"item {i} has no value where {Expected(itemKind)} is expected; it is ignored"));
                    }
                }

                if (removed.Count > 0)
                {
                    string arrayPointer = pointer.ToString();
                    fixes.Add(() => RemoveItems(document, array, arrayPointer, removed));
                }
            }
        }

        if (fixes.Count > 0 && !document.IsCopy)
        {
            // Found on the tree as read, which stays as it is: the same walk over a copy finds the
            // same problems on nodes that may change. Only a document with such a problem pays for it.
            document.CopyForChanges();
            return Check(document, cancellationToken);
        }

        foreach (Action fix in fixes)
        {
            fix();
        }

        return diagnostics;
    }

    /// <summary>Removes the items at <paramref name="removed"/> (ascending), and records where each later item was.</summary>
    private static void RemoveItems(NormalizedDocument document, JsonArray array, string arrayPointer, List<int> removed)
    {
        int count = array.Count;
        for (int r = removed.Count - 1; r >= 0; r--)
        {
            array.RemoveAt(removed[r]);
        }

        int shift = 0;
        for (int old = 0; old < count; old++)
        {
            if (shift < removed.Count && removed[shift] == old)
            {
                shift++;
            }
            else if (shift > 0)
            {
                document.CameFrom(arrayPointer + "/" + (old - shift).ToString(CultureInfo.InvariantCulture), arrayPointer + "/" + old.ToString(CultureInfo.InvariantCulture));
            }
        }
    }

    // `true` allows anything, as `{}` does; `false` allows nothing, as `{"not": {}}` does.
    private static JsonObject BooleanSchema(bool allows) => allows ? new JsonObject() : new JsonObject { ["not"] = new JsonObject() };

    // JSON Schema (OpenAPI 3.1) allows `true` and `false` as schemas.
    private static bool IsObjectOrBooleanSchema(JsonNode value, SpecNodeKind kind) =>
        value is JsonObject || (kind == SpecNodeKind.Schema && value is JsonValue scalar && scalar.TryGetValue(out bool _));

    private static bool ExpectsObject(SpecNodeKind kind) => kind is not (SpecNodeKind.Data or SpecNodeKind.Root or SpecNodeKind.ParameterList or SpecNodeKind.SchemaList);

    private static string Expected(SpecNodeKind kind) => kind switch
    {
        SpecNodeKind.Schema => "a schema",
        SpecNodeKind.Parameter => "a parameter",
        SpecNodeKind.Response => "a response",
        SpecNodeKind.RequestBody => "a request body",
        SpecNodeKind.MediaType => "a media type object",
        SpecNodeKind.PathItem => "a path item",
        SpecNodeKind.Operation => "an operation",
        SpecNodeKind.Header => "a header",
        _ => "an object",
    };

    /// <summary>Why the value of <paramref name="keyword"/> cannot be read in a node of <paramref name="kind"/>; null when it can.</summary>
    private static string? KeywordProblem(SpecNodeKind kind, string keyword, JsonNode value)
    {
        bool schemaLike = kind is SpecNodeKind.Schema or SpecNodeKind.Parameter or SpecNodeKind.Header;
        if (!schemaLike && kind != SpecNodeKind.RequestBody)
        {
            return null;
        }

        if (schemaLike && IntegerKeywords.Contains(keyword))
        {
            return Scalar(value) is { } text && long.TryParse(text, NumberStyles.Integer, CultureInfo.InvariantCulture, out long number) && number >= 0 && number <= int.MaxValue
                ? null
                : $"'{keyword}' must be a whole number, not {Show(value)}; it is ignored";
        }

        if (schemaLike && NumberKeywords.Contains(keyword))
        {
            return Scalar(value) is { } text && IsNumber(text) ? null : $"'{keyword}' must be a number, not {Show(value)}; it is ignored";
        }

        if (schemaLike && NumberOrBooleanKeywords.Contains(keyword))
        {
            return Scalar(value) is { } text && (IsNumber(text) || IsBoolean(text)) ? null : $"'{keyword}' must be a number or a boolean, not {Show(value)}; it is ignored";
        }

        HashSet<string> booleans = kind == SpecNodeKind.Schema ? SchemaBooleanKeywords : ParameterBooleanKeywords;
        if (booleans.Contains(keyword) && !(kind == SpecNodeKind.RequestBody && keyword != "required"))
        {
            return Scalar(value) is { } text && IsBoolean(text) ? null : $"'{keyword}' must be true or false, not {Show(value)}; it is ignored";
        }

        return null;
    }

    /// <summary>The text the OpenAPI reader parses for a scalar (a string's value, a number's or a boolean's JSON), or null for an object or an array.</summary>
    private static string? Scalar(JsonNode value)
    {
        if (value is not JsonValue scalar)
        {
            return null;
        }

        return scalar.TryGetValue(out string? text) ? text : scalar.ToJsonString();
    }

    private static bool IsNumber(string text) =>
        decimal.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out _)
        || (double.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out double number) && !double.IsNaN(number) && !double.IsInfinity(number));

    private static bool IsBoolean(string text) => bool.TryParse(text, out _);

    private static string Show(JsonNode value)
    {
        string json = value.ToJsonString(new JsonSerializerOptions { Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping });
        return value switch
        {
            JsonObject => "an object",
            JsonArray => "a list",
            _ => json.Length > 40 ? json.Substring(0, 40) + "..." : json,
        };
    }

    private static DiagnosticInfo Problem(NormalizedDocument document, PointerPath path, string detail)
    {
        string pointer = path.ToString();
        return new(DiagnosticDescriptors.ReaderProblem.Id, detail, document.Describe(pointer), document.Locate(pointer)) { DetailIsComplete = true };
    }
}
