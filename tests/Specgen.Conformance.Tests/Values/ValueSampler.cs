using System;
using System.Collections.Generic;
using System.Globalization;
using System.Linq;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace Specgen.Conformance.Tests.Values;

/// <summary>The document gives nothing the sweep can write for a value: the call cannot be built.</summary>
internal class NoValueException(string reason) : Exception(reason);

/// <summary>
/// Writes a JSON value for a schema of the document: the document's own value where it gives one
/// (<c>const</c>, an example of the value or of what holds it, <c>default</c>, the first of
/// <c>enum</c>), else one that satisfies the schema (type, format, bounds, lengths, pattern, items,
/// required members, <c>allOf</c> merged, the first <c>oneOf</c>/<c>anyOf</c> variant that can be
/// written). Optional members are written only when the document gives a value for them;
/// <c>readOnly</c> members never (the server owns them).
/// </summary>
internal sealed class ValueSampler(SpecTree tree)
{
    private const int MaxDepth = 12;

    /// <summary>A value for <paramref name="schema"/>; <paramref name="hint"/> is an example of it from around the schema (a parameter's or a media type's).</summary>
    /// <exception cref="NoValueException">Nothing can be written.</exception>
    public JsonNode? Sample(Located schema, JsonNode? hint = null) => Write(schema, hint, new List<string>(), depth: 0);

    /// <summary>A value for an already merged view (a Swagger 2.0 parameter, a form built from parameters).</summary>
    public JsonNode? Sample(SchemaView view, JsonNode? hint = null) => WriteView(view, hint, new List<string>(), depth: 0);

    private JsonNode? Write(Located schema, JsonNode? hint, List<string> references, int depth)
    {
        if (depth > MaxDepth)
        {
            throw new NoValueException($"the schema nests deeper than {MaxDepth} levels of required members");
        }

        if (schema.IsMissing || schema.Node is JsonValue { } boolean && boolean.GetValueKind() == JsonValueKind.True)
        {
            return hint?.DeepClone() ?? JsonValue.Create("sweep");
        }

        string? reference = SpecTree.ReferenceKey(schema);
        if (reference is not null && references.Count(r => r == reference) >= 2)
        {
            throw new NoValueException($"{reference} requires a member of its own type");
        }

        if (reference is not null)
        {
            references.Add(reference);
        }

        try
        {
            return WriteView(SchemaView.Of(tree, schema), hint, references, depth);
        }
        finally
        {
            if (reference is not null)
            {
                references.RemoveAt(references.Count - 1);
            }
        }
    }

    private JsonNode? WriteView(SchemaView view, JsonNode? hint, List<string> references, int depth)
    {
        if (view.Impossible)
        {
            throw new NoValueException("the schema admits no value");
        }

        if (view.HasConst)
        {
            return view.Const?.DeepClone();
        }

        // An enum beside a oneOf (Discord narrows a oneOf of named constants to one of them) decides.
        if (view.OneOf.Count > 0 && view.Enum is null)
        {
            return WriteUnion(view, hint, references, depth);
        }

        string? type = view.MainType;
        if (type == "object")
        {
            return WriteObject(view, (hint ?? view.Example) as JsonObject, references, depth);
        }

        if (type == "array")
        {
            return WriteArray(view, (hint ?? view.Example) as JsonArray, references, depth);
        }

        foreach (JsonNode? documented in new[] { hint, view.Example, view.Default })
        {
            if (documented is JsonValue && view.Admits(documented))
            {
                return documented.DeepClone();
            }
        }

        if (view.Enum is { } values)
        {
            JsonNode? first = values.FirstOrDefault(v => v is not null && view.Admits(v)) ?? values.FirstOrDefault(v => v is not null);
            return first?.DeepClone() ?? throw new NoValueException("the enum holds only null");
        }

        // false for a boolean: OpenAI's `stream: true` would ask a JSON method for events it refuses to read.
        return type switch
        {
            "string" => JsonValue.Create(WriteString(view)),
            "integer" => JsonValue.Create((long)WriteNumber(view, whole: true)),
            "number" => JsonValue.Create(WriteNumber(view, whole: false)),
            "boolean" => JsonValue.Create(false),
            "null" => null,
            _ => hint?.DeepClone() ?? view.Example?.DeepClone() ?? JsonValue.Create("sweep"),
        };
    }

    private JsonNode? WriteUnion(SchemaView view, JsonNode? hint, List<string> references, int depth)
    {
        // The variant an example shows comes first; then the document's order. A variant that is
        // only null is a way of saying "nullable", not a value to send.
        var variants = view.OneOf
            .Select(variant => (Variant: variant, Alone: SchemaView.Of(tree, variant)))
            .Where(v => !(v.Alone.Types.Count == 1 && v.Alone.Types[0] == "null"))
            .OrderBy(v => hint is null || KindFits(v.Alone.MainType, hint) ? 0 : 1)
            .ToList();
        var reasons = new List<string>();
        foreach ((Located variant, _) in variants)
        {
            string? reference = SpecTree.ReferenceKey(variant);
            if (reference is not null && references.Contains(reference))
            {
                reasons.Add($"{reference} is the type being written");
                continue;
            }

            if (reference is not null)
            {
                references.Add(reference);
            }

            try
            {
                SchemaView chosen = view.WithVariant(tree, variant);
                JsonNode? value = WriteView(chosen, hint, references, depth + 1);
                if (value is JsonObject written && DiscriminatorValue(view.Discriminator, variant, chosen) is ({ } property, { } name))
                {
                    written[property] = name;
                }

                return value;
            }
            catch (NoValueException ex)
            {
                reasons.Add(ex.Message);
            }
            finally
            {
                if (reference is not null)
                {
                    references.RemoveAt(references.Count - 1);
                }
            }
        }

        throw new NoValueException($"no variant of the oneOf/anyOf can be written ({string.Join("; ", reasons)})");
    }

    /// <summary>
    /// The member a discriminator names and the value that selects <paramref name="variant"/>: its
    /// key in <c>mapping</c>, else (when the member has no enum or const of its own, which the
    /// written value already follows) its schema's name.
    /// </summary>
    private (string? Property, string? Name) DiscriminatorValue(Located discriminator, Located variant, SchemaView chosen)
    {
        if (discriminator.Object?["propertyName"]?.ToString() is not { } property || SpecTree.ReferenceKey(variant) is not { } target)
        {
            return (null, null);
        }

        if (discriminator.Object["mapping"] is JsonObject mapping)
        {
            foreach ((string key, JsonNode? value) in mapping)
            {
                string reference = value?.ToString() ?? string.Empty;
                var asReference = new Located(new JsonObject { ["$ref"] = reference.Contains('#') || reference.Contains('/') ? reference : "#/components/schemas/" + reference }, discriminator.File);
                if (SpecTree.ReferenceKey(asReference) == target)
                {
                    return (property, key);
                }
            }
        }

        Located member = chosen.Properties.FirstOrDefault(p => p.Name == property).Schema;
        if (!member.IsMissing && SchemaView.Of(tree, member) is { } memberView && (memberView.Enum is not null || memberView.HasConst))
        {
            return (null, null);
        }

        return (property, target.Substring(target.LastIndexOf('/') + 1));
    }

    private static bool KindFits(string? type, JsonNode hint) => hint switch
    {
        JsonObject => type == "object",
        JsonArray => type == "array",
        JsonValue value => value.GetValueKind() switch
        {
            JsonValueKind.String => type == "string",
            JsonValueKind.Number => type is "number" or "integer",
            JsonValueKind.True or JsonValueKind.False => type == "boolean",
            _ => false,
        },
        _ => false,
    };

    private JsonObject WriteObject(SchemaView view, JsonObject? example, List<string> references, int depth)
    {
        var written = new JsonObject();
        foreach ((string name, Located member) in view.Properties)
        {
            bool required = view.Required.Contains(name);
            SchemaView memberView = SchemaView.Of(tree, member);
            if (memberView.ReadOnly)
            {
                continue;
            }

            // An example of the whole object says which optional members go together (OpenAI's
            // image references take either a URL or a file id, never both); without one, each
            // member's own example, default or constant does.
            JsonNode? memberHint = example?[name];
            bool documented = example is not null
                ? example.ContainsKey(name)
                : memberView.Example is not null || memberView.Default is not null || memberView.HasConst;
            if (!required && !documented)
            {
                continue;
            }

            try
            {
                written[name] = Write(member, memberHint, references, depth + 1);
            }
            catch (NoValueException ex)
            {
                if (required)
                {
                    throw new NoValueException($"{name}: {ex.Message}");
                }
            }
        }

        // Required names without a declared member, a map's entries, and a minimum of members come
        // from additionalProperties (anything when it says nothing).
        foreach (string name in view.Required.Where(n => !written.ContainsKey(n) && !view.Properties.Any(p => p.Name == n)))
        {
            written[name] = Write(view.AdditionalProperties, example?[name], references, depth + 1);
        }

        if (view.Properties.Count == 0 && !view.AdditionalProperties.IsMissing && written.Count == 0)
        {
            (string key, JsonNode? value) = example is { Count: > 0 } ? (example.First().Key, example.First().Value) : ("sweep", null);
            written[key] = Write(view.AdditionalProperties, value, references, depth + 1);
        }

        for (int i = 1; written.Count < (view.MinProperties ?? 0); i++)
        {
            written["sweep" + i.ToString(CultureInfo.InvariantCulture)] = Write(view.AdditionalProperties, null, references, depth + 1);
        }

        return written;
    }

    private JsonArray WriteArray(SchemaView view, JsonArray? example, List<string> references, int depth)
    {
        // One item, or as many as minItems asks; an example's items guide them.
        int count = Math.Min(Math.Max(view.MinItems ?? 0, 1), view.MaxItems ?? int.MaxValue);
        var written = new JsonArray();
        for (int i = 0; i < count; i++)
        {
            JsonNode? item = Write(view.Items, example is { Count: > 0 } ? example[i % example.Count] : null, references, depth + 1);
            if (view.UniqueItems && written.Any(w => JsonNode.DeepEquals(w, item)))
            {
                item = OtherItem(view.Items, written) ?? throw new NoValueException($"no {i + 1} different items for uniqueItems");
            }

            written.Add(item);
        }

        return written;
    }

    /// <summary>A scalar item the array does not hold yet: another enum value, a longer pattern match, or a numbered string or number.</summary>
    private JsonNode? OtherItem(Located items, JsonArray written)
    {
        SchemaView view = SchemaView.Of(tree, items);
        IEnumerable<JsonNode?> candidates = view.Enum is { } values ? values
            : view.MainType == "string" && view.Pattern is { } pattern ? Enumerable.Range(1, 8).SelectMany(n => new JsonNode?[] { PatternSampler.Sample(pattern, (view.MinLength ?? 0) + n, view.MaxLength), JsonValue.Create(n.ToString(CultureInfo.InvariantCulture)) })
            : view.MainType == "string" ? Enumerable.Range(1, 8).SelectMany(n => new JsonNode?[] { JsonValue.Create(WriteString(view) + n.ToString(CultureInfo.InvariantCulture)), JsonValue.Create(n.ToString(CultureInfo.InvariantCulture)) })
            : view.MainType is "integer" or "number" ? Enumerable.Range(1, 8).Select(n => (JsonNode?)JsonValue.Create(WriteNumber(view, whole: true) + n))
            : [];
        return candidates.FirstOrDefault(c => c is not null && view.Admits(c) && !written.Any(w => JsonNode.DeepEquals(w, c)))?.DeepClone();
    }

    private static string WriteString(SchemaView view)
    {
        string? formatted = view.Format switch
        {
            "date-time" or "dateTime" => "2024-01-02T03:04:05Z",
            "date" => "2024-01-02",
            "time" => "03:04:05",
            "uuid" => "3fa85f64-5717-4562-b3fc-2c963f66afa6",
            "email" => "sweep@example.com",
            "uri" or "url" or "uri-reference" or "iri" => "https://example.com/sweep",
            "hostname" => "example.com",
            "ipv4" => "192.0.2.1",
            "ipv6" => "2001:db8::1",
            "byte" or "base64" => Convert.ToBase64String("sweep"u8),
            "binary" => "sweep file",
            "int32" or "int64" => "1",
            "date-time-rfc-2822" => "Tue, 02 Jan 2024 03:04:05 +0000",
            _ => null,
        };
        if (formatted is not null && view.AdmitsString(formatted))
        {
            return formatted;
        }

        if (view.Pattern is { } pattern)
        {
            return PatternSampler.Sample(pattern, view.MinLength ?? 0, view.MaxLength)
                ?? throw new NoValueException($"the sweep cannot write a string that matches '{pattern}'");
        }

        string text = formatted ?? "sweep";
        if (text.Length < (view.MinLength ?? 0))
        {
            text = text.PadRight(view.MinLength!.Value, 'x');
        }

        return view.MaxLength is { } max && text.Length > max ? text.Substring(0, max) : text;
    }

    /// <summary>1 when the bounds allow it, else the nearest value inside them (a multiple of <c>multipleOf</c>).</summary>
    private static double WriteNumber(SchemaView view, bool whole)
    {
        double step = view.MultipleOf is { } multiple && multiple > 0 ? multiple : whole ? 1 : 0.5;
        double low = view.Minimum is { } min ? (view.ExclusiveMinimum ? min + step : min) : double.MinValue;
        double high = view.Maximum is { } max ? (view.ExclusiveMaximum ? max - step : max) : double.MaxValue;
        double value = Math.Clamp(1, low, Math.Max(low, high));
        if (view.MultipleOf is { } m && m > 0)
        {
            value = Math.Ceiling(value / m) * m;
        }

        if (whole)
        {
            value = Math.Ceiling(value);
        }

        return view.AdmitsNumber(value) ? value : throw new NoValueException($"no {(whole ? "integer" : "number")} within [{view.Minimum}, {view.Maximum}]");
    }
}
