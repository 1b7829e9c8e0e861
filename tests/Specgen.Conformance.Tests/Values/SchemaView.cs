using System;
using System.Collections.Generic;
using System.Globalization;
using System.Linq;
using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;

namespace Specgen.Conformance.Tests.Values;

/// <summary>
/// The keywords of one schema with its <c>$ref</c>s followed and its <c>allOf</c> merged: the
/// union of members and of required names, the tightest bounds, the first of everything else.
/// Swagger 2.0 parameters (which carry their schema keywords inline) read the same way.
/// </summary>
internal sealed class SchemaView
{
    private static readonly TimeSpan PatternTimeout = TimeSpan.FromSeconds(1);

    private Located _source;

    public List<string> Types { get; } = new();

    public string? Format { get; private set; }

    public JsonNode? Const { get; private set; }

    public bool HasConst { get; private set; }

    public JsonArray? Enum { get; private set; }

    public JsonNode? Default { get; private set; }

    /// <summary><c>example</c>, the first of <c>examples</c> (JSON Schema's list), or <c>x-example</c>.</summary>
    public JsonNode? Example { get; private set; }

    public List<(string Name, Located Schema)> Properties { get; } = new();

    public HashSet<string> Required { get; } = new(StringComparer.Ordinal);

    /// <summary>A schema, or a located JSON <c>true</c>; missing when extra members are not described.</summary>
    public Located AdditionalProperties { get; private set; }

    public Located Items { get; private set; }

    public int? MinItems { get; private set; }

    public int? MaxItems { get; private set; }

    public bool UniqueItems { get; private set; }

    public int? MinLength { get; private set; }

    public int? MaxLength { get; private set; }

    public int? MinProperties { get; private set; }

    public string? Pattern { get; private set; }

    public double? Minimum { get; private set; }

    public double? Maximum { get; private set; }

    public bool ExclusiveMinimum { get; private set; }

    public bool ExclusiveMaximum { get; private set; }

    public double? MultipleOf { get; private set; }

    public bool Nullable { get; private set; }

    public bool ReadOnly { get; private set; }

    public List<Located> OneOf { get; } = new();

    public Located Discriminator { get; private set; }

    /// <summary>The schema is <c>false</c>, or has <c>not: {}</c>: nothing fits.</summary>
    public bool Impossible { get; private set; }

    public bool IsBinary => Format == "binary" || Types.Contains("file");

    /// <summary>The view of <paramref name="schema"/> in <paramref name="tree"/>.</summary>
    public static SchemaView Of(SpecTree tree, Located schema)
    {
        var view = new SchemaView { _source = schema };
        view.Merge(tree, schema, unions: true, depth: 0);
        return view;
    }

    /// <summary>This view without its <c>oneOf</c>/<c>anyOf</c>, merged with one of their <paramref name="variant"/>s.</summary>
    public SchemaView WithVariant(SpecTree tree, Located variant)
    {
        var view = new SchemaView { _source = _source };
        view.Merge(tree, _source, unions: false, depth: 0);
        view.Merge(tree, variant, unions: true, depth: 0);
        return view;
    }

    /// <summary>The type to write: the first one declared besides null, else what the other keywords imply.</summary>
    public string? MainType =>
        Types.FirstOrDefault(t => t != "null")
        ?? (Properties.Count > 0 || !AdditionalProperties.IsMissing ? "object"
            : !Items.IsMissing ? "array"
            : Format is "int32" or "int64" ? "integer"
            : Format is "double" or "float" ? "number"
            : Pattern is not null || MinLength is not null || MaxLength is not null || Format is not null ? "string"
            : null);

    /// <summary>
    /// Whether a scalar from the document (an example, a default) satisfies this view: type, enum,
    /// bounds, length, pattern and the formats the sweep writes itself. Objects and arrays are
    /// checked member by member as they are written, so they pass here.
    /// </summary>
    public bool Admits(JsonNode? value)
    {
        if (value is null)
        {
            return Nullable || Types.Contains("null");
        }

        if (value is JsonObject or JsonArray)
        {
            string? type = MainType;
            return type is null || (value is JsonObject ? type == "object" : type == "array");
        }

        var scalar = (JsonValue)value;
        JsonValueKind kind = scalar.GetValueKind();
        if (Enum is { } values && !values.Any(v => JsonNode.DeepEquals(v, value)))
        {
            return false;
        }

        if (HasConst && !JsonNode.DeepEquals(Const, value))
        {
            return false;
        }

        switch (MainType)
        {
            case "string":
                return kind == JsonValueKind.String && AdmitsString(scalar.GetValue<string>());
            case "integer":
                return Number(scalar) is { } whole && whole == Math.Floor(whole) && AdmitsNumber(whole);
            case "number":
                return Number(scalar) is { } number && AdmitsNumber(number);
            case "boolean":
                return kind is JsonValueKind.True or JsonValueKind.False;
            case null:
                return true;
            default:
                return false;
        }
    }

    public bool AdmitsString(string text)
    {
        if (text.Length < (MinLength ?? 0) || text.Length > (MaxLength ?? int.MaxValue))
        {
            return false;
        }

        if (Pattern is { } pattern)
        {
            try
            {
                if (!Regex.IsMatch(text, pattern, RegexOptions.CultureInvariant, PatternTimeout))
                {
                    return false;
                }
            }
            catch (ArgumentException)
            {
                // A pattern .NET cannot read is not checked here; Prism checks it.
            }
        }

        return Format switch
        {
            "date-time" => DateTimeOffset.TryParseExact(text, "yyyy-MM-dd'T'HH:mm:ss.FFFFFFFK", CultureInfo.InvariantCulture, DateTimeStyles.None, out _),
            "date" => DateOnly.TryParseExact(text, "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.None, out _),
            "uuid" => Guid.TryParseExact(text, "D", out _),
            "email" => Regex.IsMatch(text, @"^[^@\s]+@[^@\s]+\.[^@\s]+$", RegexOptions.CultureInvariant),
            "uri" or "url" => Uri.TryCreate(text, UriKind.Absolute, out _),
            "byte" => IsBase64(text),
            "int32" => int.TryParse(text, NumberStyles.Integer, CultureInfo.InvariantCulture, out _),
            "int64" => long.TryParse(text, NumberStyles.Integer, CultureInfo.InvariantCulture, out _),
            _ => true,
        };
    }

    public bool AdmitsNumber(double number)
    {
        if (Minimum is { } min && (number < min || (ExclusiveMinimum && number == min)))
        {
            return false;
        }

        if (Maximum is { } max && (number > max || (ExclusiveMaximum && number == max)))
        {
            return false;
        }

        if (Format == "int32" && (number < int.MinValue || number > int.MaxValue))
        {
            return false;
        }

        return MultipleOf is not { } step || step <= 0 || Math.Abs(number / step - Math.Round(number / step)) < 1e-9;
    }

    private static bool IsBase64(string text)
    {
        Span<byte> buffer = new byte[text.Length];
        return Convert.TryFromBase64String(text, buffer, out _);
    }

    private void Merge(SpecTree tree, Located schema, bool unions, int depth)
    {
        if (depth > 16 || schema.IsMissing)
        {
            return;
        }

        if (schema.Node is JsonValue boolean && boolean.GetValueKind() == JsonValueKind.False)
        {
            Impossible = true;
            return;
        }

        schema = tree.Resolve(schema);

        if (schema.Object is not { } keywords)
        {
            return;
        }

        switch (keywords["type"])
        {
            case JsonValue single when single.TryGetValue(out string? type):
                AddType(type);
                break;
            case JsonArray several:
                foreach (JsonNode? type in several)
                {
                    if (type is JsonValue value && value.TryGetValue(out string? name))
                    {
                        AddType(name);
                    }
                }

                break;
        }

        Format ??= Text(keywords["format"]);
        if (keywords.ContainsKey("const") && !HasConst)
        {
            HasConst = true;
            Const = keywords["const"]?.DeepClone();
        }

        Enum ??= keywords["enum"] as JsonArray;
        Default ??= keywords["default"];
        Example ??= keywords["example"] ?? keywords["x-example"] ?? (keywords["examples"] as JsonArray)?.FirstOrDefault();
        Pattern ??= Text(keywords["pattern"]);
        MinLength = Max(MinLength, Integer(keywords["minLength"]));
        MaxLength = Min(MaxLength, Integer(keywords["maxLength"]));
        MinItems = Max(MinItems, Integer(keywords["minItems"]));
        MaxItems = Min(MaxItems, Integer(keywords["maxItems"]));
        MinProperties = Max(MinProperties, Integer(keywords["minProperties"]));
        UniqueItems |= Flag(keywords["uniqueItems"]);
        Nullable |= Flag(keywords["nullable"]) || Flag(keywords["x-nullable"]);
        ReadOnly |= Flag(keywords["readOnly"]);
        MultipleOf ??= Number(keywords["multipleOf"]);
        MergeBounds(keywords);

        if (keywords["properties"] is JsonObject properties)
        {
            foreach ((string name, JsonNode? property) in properties)
            {
                if (!Properties.Any(p => p.Name == name))
                {
                    Properties.Add((name, new Located(property, schema.File)));
                }
            }
        }

        if (keywords["required"] is JsonArray required)
        {
            Required.UnionWith(required.OfType<JsonValue>().Select(r => r.ToString()));
        }

        if (AdditionalProperties.IsMissing && keywords["additionalProperties"] is { } extra && !(extra is JsonValue flag && flag.GetValueKind() == JsonValueKind.False))
        {
            AdditionalProperties = new Located(extra, schema.File);
        }

        if (Items.IsMissing && keywords["items"] is JsonObject items)
        {
            Items = new Located(items, schema.File);
        }

        if (keywords["not"] is JsonObject { Count: 0 })
        {
            Impossible = true;
        }

        foreach (string union in new[] { "oneOf", "anyOf" })
        {
            if (unions && keywords[union] is JsonArray variants && OneOf.Count == 0)
            {
                OneOf.AddRange(variants.Select(v => new Located(v, schema.File)));
                if (keywords["discriminator"] is JsonObject discriminator)
                {
                    Discriminator = new Located(discriminator, schema.File);
                }
            }
        }

        if (keywords["allOf"] is JsonArray parts)
        {
            foreach (JsonNode? part in parts)
            {
                Merge(tree, new Located(part, schema.File), unions, depth + 1);
            }
        }
    }

    private void AddType(string type)
    {
        if (!Types.Contains(type))
        {
            Types.Add(type);
        }
    }

    private void MergeBounds(JsonObject keywords)
    {
        // OpenAPI 3.0 and Swagger: booleans beside minimum/maximum; OpenAPI 3.1: the bound itself.
        if (Number(keywords["minimum"]) is { } minimum && (Minimum is null || minimum > Minimum))
        {
            Minimum = minimum;
            ExclusiveMinimum = Flag(keywords["exclusiveMinimum"]);
        }

        if (Number(keywords["maximum"]) is { } maximum && (Maximum is null || maximum < Maximum))
        {
            Maximum = maximum;
            ExclusiveMaximum = Flag(keywords["exclusiveMaximum"]);
        }

        if (Number(keywords["exclusiveMinimum"]) is { } exclusiveMinimum && (Minimum is null || exclusiveMinimum >= Minimum))
        {
            Minimum = exclusiveMinimum;
            ExclusiveMinimum = true;
        }

        if (Number(keywords["exclusiveMaximum"]) is { } exclusiveMaximum && (Maximum is null || exclusiveMaximum <= Maximum))
        {
            Maximum = exclusiveMaximum;
            ExclusiveMaximum = true;
        }
    }

    private static string? Text(JsonNode? node) => node is JsonValue value && value.TryGetValue(out string? text) ? text : null;

    private static bool Flag(JsonNode? node) => node is JsonValue value && value.GetValueKind() == JsonValueKind.True;

    /// <summary>A JSON number as a double, whatever CLR type holds it (the YAML reader keeps integers as <c>long</c>).</summary>
    public static double? Number(JsonNode? node) =>
        node is JsonValue value && value.GetValueKind() == JsonValueKind.Number ? double.Parse(value.ToJsonString(), NumberStyles.Float, CultureInfo.InvariantCulture) : null;

    private static int? Integer(JsonNode? node) => Number(node) is { } number ? (int)Math.Min(number, int.MaxValue) : null;

    private static int? Max(int? a, int? b) => a is null ? b : b is null ? a : Math.Max(a.Value, b.Value);

    private static int? Min(int? a, int? b) => a is null ? b : b is null ? a : Math.Min(a.Value, b.Value);
}
