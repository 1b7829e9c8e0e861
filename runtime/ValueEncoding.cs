using System;
using System.Buffers;
using System.Collections.Generic;
using System.Globalization;
using System.Text;
using System.Text.Json;

namespace Specgen.Runtime;

/// <summary>How a value is spelled in a query string or a form body (OpenAPI's <c>style</c>).</summary>
public enum ValueStyle
{
    /// <summary>
    /// <c>form</c>: exploded, an array repeats its name (<c>id=1&amp;id=2</c>) and an object's members
    /// become fields of their own; not exploded, one comma-separated value (<c>id=1,2</c>, <c>point=x,1,y,2</c>).
    /// </summary>
    Form,

    /// <summary><c>spaceDelimited</c>: an array as one space-separated value (<c>id=1%202</c>).</summary>
    SpaceDelimited,

    /// <summary><c>pipeDelimited</c>: an array as one pipe-separated value (<c>id=1|2</c>).</summary>
    PipeDelimited,

    /// <summary><c>deepObject</c>: members in brackets, nested as deep as they go (<c>filter[size][min]=1</c>, <c>tags[0]=a</c>).</summary>
    DeepObject,

    /// <summary>The value's JSON text as one field (an <c>encoding</c> whose <c>contentType</c> is JSON).</summary>
    Json,
}

/// <summary>
/// How one member of a form or multipart body is encoded, when the spec's <c>encoding</c> says so.
/// Members without one use the defaults of <see cref="ValueEncoding.FormFields"/> and <see cref="MultipartBody.FromJson"/>.
/// </summary>
/// <param name="Name">The member's JSON name.</param>
/// <param name="Style">For a form body: how an array or object is spelled.</param>
/// <param name="Explode">For a form body: whether an array or object is exploded.</param>
/// <param name="ContentType">For a multipart body: the part's content type (of a file that names none, or <c>application/json</c> for a value sent as JSON).</param>
public sealed record FieldEncoding(string Name, ValueStyle Style = ValueStyle.Form, bool Explode = true, string? ContentType = null);

/// <summary>
/// Spells values that are not single scalars (arrays, objects, unions, maps) as query parameters,
/// form fields and headers. Generated code writes such a value as JSON with its generated writer
/// (<see cref="ToJson"/>) and hands the result here, so every shape goes through one set of rules.
/// </summary>
/// <remarks>
/// A scalar is its text: a string as it is, a number as its JSON text, a boolean as <c>true</c> or
/// <c>false</c>; a null leaves the value (or member, or item) out.
/// </remarks>
public static class ValueEncoding
{
    /// <summary>Writes <paramref name="value"/> with <paramref name="write"/>, as part of a request, and returns it as a <see cref="JsonElement"/>.</summary>
    public static JsonElement ToJson<T>(T value, Action<Utf8JsonWriter, T> write)
    {
        if (write is null)
        {
            throw new ArgumentNullException(nameof(write));
        }

        var buffer = new ArrayBufferWriter<byte>(256);
        using (var writer = new Utf8JsonWriter(buffer, new JsonWriterOptions { SkipValidation = true }))
        using (JsonSupport.BeginRequest())
        {
            write(writer, value);
        }

        using JsonDocument document = JsonDocument.Parse(buffer.WrittenMemory);
        return document.RootElement.Clone();
    }

    /// <summary>
    /// The <c>name=value</c> pairs of one query parameter or form field in <paramref name="style"/>.
    /// </summary>
    public static List<KeyValuePair<string, string>> Pairs(string name, JsonElement value, ValueStyle style, bool explode)
    {
        var pairs = new List<KeyValuePair<string, string>>();
        AddPairs(pairs, name, value, style, explode);
        return pairs;
    }

    /// <summary>
    /// The fields of a form body from the JSON object <paramref name="body"/>, in member order.
    /// Without an <paramref name="encodings"/> entry, a scalar is one field, an array repeats the
    /// member's name for each item (form, exploded: the OpenAPI default), and an object is spelled
    /// as a deep object (<c>meta[key]=value</c>) rather than losing its nesting.
    /// </summary>
    /// <exception cref="ArgumentException"><paramref name="body"/> is not a JSON object.</exception>
    public static List<KeyValuePair<string, string>> FormFields(JsonElement body, IReadOnlyList<FieldEncoding>? encodings = null)
    {
        if (body.ValueKind != JsonValueKind.Object)
        {
            throw new ArgumentException($"A form body must be an object, not {body.ValueKind}.", nameof(body));
        }

        var fields = new List<KeyValuePair<string, string>>();
        foreach (JsonProperty member in body.EnumerateObject())
        {
            FieldEncoding? encoding = Find(encodings, member.Name);
            ValueStyle style = encoding?.Style ?? (member.Value.ValueKind == JsonValueKind.Object ? ValueStyle.DeepObject : ValueStyle.Form);
            AddPairs(fields, member.Name, member.Value, style, encoding?.Explode ?? true);
        }

        return fields;
    }

    /// <summary>
    /// A header or path value in OpenAPI's <c>simple</c> style: an array's items and an object's
    /// members joined with commas (<c>k,v,k2,v2</c>; exploded <c>k=v,k2=v2</c>); null for a JSON null.
    /// </summary>
    public static string? Simple(JsonElement value, bool explode)
    {
        switch (value.ValueKind)
        {
            case JsonValueKind.Array:
            {
                var parts = new List<string>();
                foreach (JsonElement item in value.EnumerateArray())
                {
                    if (Nested(item) is { } text)
                    {
                        parts.Add(text);
                    }
                }

                return string.Join(",", parts);
            }

            case JsonValueKind.Object:
            {
                var parts = new List<string>();
                foreach (JsonProperty member in value.EnumerateObject())
                {
                    if (Nested(member.Value) is { } text)
                    {
                        parts.Add(explode ? member.Name + "=" + text : member.Name + "," + text);
                    }
                }

                return string.Join(",", parts);
            }

            default:
                return Text(value);
        }
    }

    /// <summary>The text of a scalar: a string as it is, a number as its JSON text, <c>true</c>/<c>false</c>; null for a JSON null.</summary>
    public static string? Text(JsonElement scalar) => scalar.ValueKind switch
    {
        JsonValueKind.String => scalar.GetString(),
        JsonValueKind.Number => scalar.GetRawText(),
        JsonValueKind.True => "true",
        JsonValueKind.False => "false",
        JsonValueKind.Null or JsonValueKind.Undefined => null,
        _ => scalar.GetRawText(),
    };

    private static void AddPairs(List<KeyValuePair<string, string>> pairs, string name, JsonElement value, ValueStyle style, bool explode)
    {
        if (style == ValueStyle.Json)
        {
            if (value.ValueKind is not (JsonValueKind.Null or JsonValueKind.Undefined))
            {
                pairs.Add(Pair(name, value.GetRawText()));
            }

            return;
        }

        if (style == ValueStyle.DeepObject && value.ValueKind is JsonValueKind.Object or JsonValueKind.Array)
        {
            AddDeep(pairs, name, value);
            return;
        }

        switch (value.ValueKind)
        {
            case JsonValueKind.Array:
                if (explode)
                {
                    int index = 0;
                    foreach (JsonElement item in value.EnumerateArray())
                    {
                        if (item.ValueKind is JsonValueKind.Object or JsonValueKind.Array)
                        {
                            AddDeep(pairs, $"{name}[{index.ToString(CultureInfo.InvariantCulture)}]", item);
                        }
                        else if (Text(item) is { } text)
                        {
                            pairs.Add(Pair(name, text));
                        }

                        index++;
                    }
                }
                else
                {
                    var items = new List<string>();
                    foreach (JsonElement item in value.EnumerateArray())
                    {
                        if (Nested(item) is { } text)
                        {
                            items.Add(text);
                        }
                    }

                    pairs.Add(Pair(name, string.Join(Separator(style), items)));
                }

                return;

            case JsonValueKind.Object:
                if (explode && style == ValueStyle.Form)
                {
                    // Each member is a field of its own; nested values keep their place in brackets.
                    foreach (JsonProperty member in value.EnumerateObject())
                    {
                        AddPairs(pairs, member.Name, member.Value, member.Value.ValueKind == JsonValueKind.Object ? ValueStyle.DeepObject : ValueStyle.Form, explode: true);
                    }
                }
                else
                {
                    var items = new List<string>();
                    foreach (JsonProperty member in value.EnumerateObject())
                    {
                        if (Nested(member.Value) is { } text)
                        {
                            items.Add(member.Name);
                            items.Add(text);
                        }
                    }

                    pairs.Add(Pair(name, string.Join(Separator(style), items)));
                }

                return;

            default:
                if (Text(value) is { } scalar)
                {
                    pairs.Add(Pair(name, scalar));
                }

                return;
        }
    }

    private static void AddDeep(List<KeyValuePair<string, string>> pairs, string prefix, JsonElement value)
    {
        switch (value.ValueKind)
        {
            case JsonValueKind.Object:
                foreach (JsonProperty member in value.EnumerateObject())
                {
                    AddDeep(pairs, $"{prefix}[{member.Name}]", member.Value);
                }

                return;
            case JsonValueKind.Array:
                int index = 0;
                foreach (JsonElement item in value.EnumerateArray())
                {
                    AddDeep(pairs, $"{prefix}[{index.ToString(CultureInfo.InvariantCulture)}]", item);
                    index++;
                }

                return;
            default:
                if (Text(value) is { } text)
                {
                    pairs.Add(Pair(prefix, text));
                }

                return;
        }
    }

    // An item inside a delimited value: a scalar's text, or the JSON of anything deeper.
    private static string? Nested(JsonElement value) =>
        value.ValueKind is JsonValueKind.Object or JsonValueKind.Array ? value.GetRawText() : Text(value);

    private static string Separator(ValueStyle style) => style switch
    {
        ValueStyle.SpaceDelimited => " ",
        ValueStyle.PipeDelimited => "|",
        _ => ",",
    };

    private static FieldEncoding? Find(IReadOnlyList<FieldEncoding>? encodings, string name)
    {
        if (encodings is null)
        {
            return null;
        }

        foreach (FieldEncoding encoding in encodings)
        {
            if (string.Equals(encoding.Name, name, StringComparison.Ordinal))
            {
                return encoding;
            }
        }

        return null;
    }

    internal static FieldEncoding? FindEncoding(IReadOnlyList<FieldEncoding>? encodings, string name) => Find(encodings, name);

    private static KeyValuePair<string, string> Pair(string name, string value) => new(name, value);
}
