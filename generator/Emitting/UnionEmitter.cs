using System.Collections.Generic;
using System.Globalization;
using System.Linq;
using Specgen.Generator.Model;

namespace Specgen.Generator.Emitting;

/// <summary>
/// A oneOf / anyOf -> a class holding exactly one variant, with <c>Is…</c>, <c>As…</c>,
/// <c>From…</c> and implicit conversions, plus an unknown variant that keeps the raw JSON.
/// </summary>
/// <remarks>
/// A wrapper rather than an abstract base with derived variants: one schema is often a variant of
/// several unions (OpenAI's image-file part is in both the request and the response content), and
/// a C# class can only have one base. The value held and its kind are private: the converter is
/// nested in the union to reach them (see <see cref="JsonCode.OpenNestedConverter"/>).
/// </remarks>
internal static class UnionEmitter
{
    private const string TokenType = TypeSyntax.Json + ".JsonTokenType";
    private const string Element = TypeSyntax.Json + ".JsonElement";
    private const string Kind = Mapping.NameScope.VariantKind;
    private const string UnknownKind = Kind + ".Unknown";

    /// <summary>Writes the type and its converters into a file whose header <see cref="TypeEmitter"/> wrote.</summary>
    public static void Write(SourceWriter w, UnionModel model)
    {
        string ns = model.Namespace;
        string name = model.Name;
        var code = new JsonCode(ns);
        w.Summary(model.Description, $"One of several shapes.");
        w.Line(DescribeChoice(model));
        if (model.Deprecated)
        {
            w.Line(FileHeader.Obsolete);
        }

        w.Line(TypeSyntax.GeneratedCodeAttribute);
        w.OpenBlock($"{model.Visibility} sealed partial class {name}");
        w.Line("private readonly object _value;");
        w.Line($"private readonly {Kind} _kind;");
        w.Line();
        w.OpenBlock($"private {name}(object value, {Kind} kind)");
        w.Line("_value = value;");
        w.Line("_kind = kind;");
        w.CloseBlock();
        w.Line();

        // Private, like the fields: the converter nested below reads them, no other code.
        w.OpenBlock($"private enum {Kind}");
        w.Line("Unknown,");
        foreach (VariantModel variant in model.Variants)
        {
            w.Line(variant.Name + ",");
        }

        w.CloseBlock();
        w.Line();
        w.Summary(null, $"The variant held: the value of one of the <c>As…</c> properties,\nor a <see cref=\"{Element}\"/> for a variant this client does not know.");
        w.Line("public object Value => _value;");

        HashSet<string> convertible = ImplicitlyConvertible(model, ns);
        foreach (VariantModel variant in model.Variants)
        {
            string type = TypeSyntax.Render(variant.Type, ns);
            string k = KindOf(variant);
            string what = variant.DiscriminatorValue is { } tag ? $"the <c>{Docs.Escape(tag)}</c> variant" : $"the {variant.Name} variant";
            w.Line();
            w.Summary(null, $"Whether this holds {what}.");
            w.Line($"public bool Is{variant.Name} => _kind == {k};");
            w.Line();
            w.Summary(null, $"{Capitalize(what)}, or null when this holds another one.");
            w.Arrow($"public {type}? As{variant.Name}", variant.Type.IsValueType
                ? $"_kind == {k} ? ({type}?)({type})_value : null;"
                : $"_kind == {k} ? ({type})_value : null;");
            w.Line();
            w.Summary(null, variant.Description is null ? $"Creates a value holding {what}." : $"Creates a value holding {what}: {Docs.Escape(variant.Description)}");
            w.Arrow($"public static {name} From{variant.Name}({type} value)", $"new {name}({(variant.Type.IsValueType ? "value" : "value ?? throw new global::System.ArgumentNullException(nameof(value))")}, {k});");
            string concrete = TypeSyntax.RenderConcrete(variant.Type, ns);
            if (convertible.Contains(concrete))
            {
                w.Line();
                w.Summary(null, $"Wraps {what}.");
                w.Arrow($"public static implicit operator {name}({concrete} value)", $"From{variant.Name}(value);");
            }
        }

        if (model.DiscriminatorProperty is { } tagProperty && model.DiscriminatorMember is { } tagMember)
        {
            w.Line();
            w.Summary(null, model.Variants.Any(IsReadByToken)
                ? $"The <c>{Docs.Escape(tagProperty)}</c> of the object variant held, or null for a variant that is not an object;\nfor an unknown variant, the one in its raw JSON."
                : $"The <c>{Docs.Escape(tagProperty)}</c> of the variant held; for an unknown variant, the one in its raw JSON.");
            w.OpenBlock($"public string? {tagMember} => _kind switch");
            foreach (VariantModel variant in model.Variants)
            {
                if (variant.DiscriminatorValue is { } tag)
                {
                    w.Line($"{KindOf(variant)} => {Docs.Literal(tag)},");
                }
            }

            w.Line($"_ => _value is {Element} {{ ValueKind: {TypeSyntax.Json}.JsonValueKind.Object }} raw");
            w.Line($"    && raw.TryGetProperty({Docs.Literal(tagProperty)}, out {Element} tag)");
            w.Line($"    && tag.ValueKind == {TypeSyntax.Json}.JsonValueKind.String");
            w.Line("        ? tag.GetString()");
            w.Line("        : null,");
            w.CloseBlock(";");
        }

        w.Line();
        w.Summary(null, "Whether this holds a variant this version of the spec does not know; <see cref=\"Value\"/> is then its raw JSON.");
        w.Line($"public bool IsUnknown => _kind == {UnknownKind};");
        w.Line();
        w.Summary(null, "Creates a value from raw JSON, sent as it is.");
        w.Arrow($"public static {name} FromUnknown({Element} json)", $"new {name}(json.Clone(), {UnknownKind});");
        w.Line();
        w.Summary(null, "Checks the constraints of the variant held.");
        w.Line("/// <param name=\"path\">Where this value sits in the request, for the error message.</param>");
        w.Line("/// <exception cref=\"global::System.ArgumentException\">A value breaks a constraint.</exception>");
        w.OpenBlock("public void Validate(string path = \"\")");
        bool anyChecked = model.Variants.Any(v => JsonCode.NeedsValidation(v.Type));
        if (anyChecked)
        {
            w.OpenBlock("switch (_kind)");
        }

        for (int i = 0; i < model.Variants.Count; i++)
        {
            VariantModel variant = model.Variants[i];
            if (!JsonCode.NeedsValidation(variant.Type))
            {
                continue;
            }

            string k = i.ToString(CultureInfo.InvariantCulture);
            w.OpenBlock($"case {KindOf(variant)}:");
            w.Line($"var variant{k} = ({TypeSyntax.Render(variant.Type, ns)})_value;");
            code.Validate(w, variant.Type, $"variant{k}", "path", "\"\"", 0);
            w.Line("break;");
            w.CloseBlock();
        }

        if (anyChecked)
        {
            w.CloseBlock();
        }

        w.CloseBlock();
        code.EmitPatterns(w);

        w.Line();
        EmitConverter(w, model, code);
        w.CloseBlock();
        w.Line();
        JsonCode.EmitPublicConverter(w, model.Visibility, ns, name);
    }

    private static string DescribeChoice(UnionModel model) => model.DiscriminatorProperty is not { } property
        ? "/// <remarks>The variant is chosen by the JSON value's kind and, among objects, by the first variant that reads; anything else is kept as raw JSON.</remarks>"
        : model.Variants.Any(IsReadByToken)
        ? $"/// <remarks>The variant is chosen by the JSON value's kind and, for an object, by its <c>{Docs.Escape(property)}</c> member; anything else is kept as raw JSON.</remarks>"
        : $"/// <remarks>The variant is chosen by the <c>{Docs.Escape(property)}</c> member; an unknown value is kept as raw JSON.</remarks>";

    private static string Capitalize(string text) => char.ToUpperInvariant(text[0]) + text.Substring(1);

    /// <summary>
    /// Variants that get an implicit conversion: C# forbids them from interfaces and <c>object</c>,
    /// and two variants of the same type would make the conversion ambiguous.
    /// </summary>
    private static HashSet<string> ImplicitlyConvertible(UnionModel model, string ns)
    {
        var counts = model.Variants.GroupBy(v => TypeSyntax.RenderConcrete(v.Type, ns)).ToDictionary(g => g.Key, g => g.Count());
        var result = new HashSet<string>();
        foreach (VariantModel variant in model.Variants)
        {
            string concrete = TypeSyntax.RenderConcrete(variant.Type, ns);
            if (counts[concrete] == 1 && variant.Type.Kind != TypeKind.Any && variant.Type.Kind != TypeKind.Union)
            {
                result.Add(concrete);
            }
        }

        return result;
    }

    private static void EmitConverter(SourceWriter w, UnionModel model, JsonCode code)
    {
        string ns = model.Namespace;
        string type = $"global::{ns}.{model.Name}";
        JsonCode.OpenNestedConverter(w, ns, model.Name);
        w.Summary(null, "Reads the variant at the reader's current token.");
        w.OpenBlock($"public static {type} ReadValue(ref {TypeSyntax.Json}.Utf8JsonReader reader)");
        List<int> byToken = Enumerable.Range(0, model.Variants.Count).Where(i => model.DiscriminatorProperty is null || IsReadByToken(model.Variants[i])).ToList();
        if (model.DiscriminatorProperty is not null && byToken.Count == 0)
        {
            EmitReadByDiscriminator(w, code, model);
        }
        else
        {
            EmitReadByToken(w, code, model, byToken);
        }

        w.Line();
        w.Wrapped($"return new {type}", new[] { $"{Element}.ParseValue(ref reader)", UnknownKind }, ";");
        w.CloseBlock();
        if (model.IsEventStream)
        {
            EmitReadEvent(w, model, code);
        }

        w.Line();
        w.Summary(null, "Writes the variant held, or the raw JSON of an unknown one.");
        w.OpenBlock($"public static void WriteValue({TypeSyntax.Json}.Utf8JsonWriter writer, {type} value)");
        w.OpenBlock("switch (value._kind)");
        foreach (VariantModel variant in model.Variants)
        {
            w.OpenBlock($"case {KindOf(variant)}:");
            code.Write(w, variant.Type, $"(({TypeSyntax.Render(variant.Type, ns)})value._value)", 0);
            w.Line("break;");
            w.CloseBlock();
        }

        w.OpenBlock("default:");
        w.Line($"(({Element})value._value).WriteTo(writer);");
        w.Line("break;");
        w.CloseBlock();
        w.CloseBlock();
        w.CloseBlock();
        w.CloseBlock();
    }

    /// <summary>
    /// Reading from a server-sent event: the event name picks the variant and the data is its
    /// payload. An unknown name becomes the unknown variant (<c>{"event": …, "data": …}</c>) because
    /// APIs add events over time; the end event gives null.
    /// </summary>
    private static void EmitReadEvent(SourceWriter w, UnionModel model, JsonCode code)
    {
        string ns = model.Namespace;
        string type = $"global::{ns}.{model.Name}";
        w.Line();
        w.Summary(null, "Reads one server-sent event: its name picks the variant and its data is the payload.\nReturns null for the event that ends the stream.");
        w.Line($"/// <exception cref=\"{TypeSyntax.Json}.JsonException\">The data of a known event is not the JSON the spec declares.</exception>");
        w.OpenBlock($"public static {type}? ReadEvent({TypeSyntax.Runtime}.Utf8ServerSentEvent serverSentEvent)");

        // The name is compared as UTF-8 bytes, in the order the spec lists the variants: the event
        // is read from the socket's bytes and no string is made for its name.
        var labels = new HashSet<string>(System.StringComparer.Ordinal);
        var cases = new List<(VariantModel Variant, EventDataModel Data, string Name)>();
        foreach (VariantModel variant in model.Variants)
        {
            if (variant.EventData is { } eventData && variant.DiscriminatorValue is { } eventName && labels.Add(eventName))
            {
                cases.Add((variant, eventData, eventName));
            }
        }

        string keyword = "if";
        foreach ((VariantModel variant, EventDataModel data, string name) in cases)
        {
            w.OpenBlock($"{keyword} (serverSentEvent.EventTypeEquals({Docs.Literal(name)}u8))");
            keyword = "else if";
            if (data.IsEndOfStream)
            {
                w.Line("return null;");
            }
            else
            {
                w.Line($"{TypeSyntax.Json}.Utf8JsonReader reader = {TypeSyntax.Runtime}.EventStream.StartReading(serverSentEvent);");
                w.Line($"{TypeSyntax.Render(data.Type, ns)}{(data.Type.Nullable ? "?" : string.Empty)} data;");
                code.Read(w, data.Type, "data", "reader", allowNull: data.Type.Nullable, 0, $"{model.Name} event {name}");
                string eventName = data.EventNameProperty is { } nameProperty ? $"{nameProperty} = {Docs.Literal(name)}, " : string.Empty;
                w.Wrapped($"return new {type}", new[] { $"new {TypeSyntax.Render(variant.Type, ns)} {{ {eventName}{data.Property} = data }}", KindOf(variant) }, ";");
            }

            w.CloseBlock();
        }

        if (cases.Count > 0)
        {
            w.Line();
        }

        w.Wrapped($"return new {type}", new[] { $"{TypeSyntax.Runtime}.EventStream.UnknownEvent(serverSentEvent)", UnknownKind }, ";");
        w.CloseBlock();
    }

    private static void EmitReturnRead(SourceWriter w, JsonCode code, UnionModel model, VariantModel variant, int index, string reader)
    {
        string ns = model.Namespace;
        string k = index.ToString(CultureInfo.InvariantCulture);
        if (variant.Type.Kind is TypeKind.Array or TypeKind.Map)
        {
            w.Line($"{TypeSyntax.Render(variant.Type, ns)} variant{k};");
            code.Read(w, variant.Type, $"variant{k}", reader, allowNull: false, 0, model.Name);
            w.Wrapped($"return new global::{ns}.{model.Name}", new[] { $"variant{k}", KindOf(variant) }, ";");
        }
        else
        {
            w.Wrapped($"return new global::{ns}.{model.Name}", new[] { code.ReadExpression(variant.Type, reader, model.Name), KindOf(variant) }, ";");
        }
    }

    /// <summary>The member of the private enum that stands for <paramref name="variant"/>.</summary>
    private static string KindOf(VariantModel variant) => Kind + "." + variant.Name;

    /// <summary>
    /// With a discriminator, a variant that is a string, number, boolean or array is chosen by its
    /// JSON token, since it has no member to carry a tag; every other variant by the tag.
    /// </summary>
    private static bool IsReadByToken(VariantModel variant) => variant.DiscriminatorValue is null
        && (variant.Type.IsScalar || variant.Type.Kind is TypeKind.Binary or TypeKind.Array);

    /// <summary>A switch on the discriminator's value, for a reader at the start of an object.</summary>
    private static void EmitReadByDiscriminator(SourceWriter w, JsonCode code, UnionModel model)
    {
        w.OpenBlock($"switch ({TypeSyntax.Runtime}.JsonSupport.PeekDiscriminator(reader, {Docs.Literal(model.DiscriminatorProperty!)}))");

        // Two variants with one discriminator value cannot be told apart when reading; the
        // first one wins, the other can still be sent.
        var labels = new HashSet<string>(System.StringComparer.Ordinal);
        for (int i = 0; i < model.Variants.Count; i++)
        {
            VariantModel variant = model.Variants[i];
            if (IsReadByToken(variant))
            {
                continue;
            }

            string label = variant.DiscriminatorValue ?? variant.Name;
            if (!labels.Add(label))
            {
                continue;
            }

            w.OpenBlock($"case {Docs.Literal(label)}:");
            EmitReturnRead(w, code, model, variant, i, "reader");
            w.CloseBlock();
        }

        w.CloseBlock();
    }

    /// <summary>
    /// The JSON token narrows the candidates (<paramref name="byToken"/>, the indexes of the
    /// variants it chooses); an object then goes to the discriminator when there is one, else, when
    /// several candidates remain (two object variants), each is tried on a copy of the reader and
    /// the first that reads wins.
    /// </summary>
    private static void EmitReadByToken(SourceWriter w, JsonCode code, UnionModel model, List<int> byToken)
    {
        var groups = new (string Label, TypeKind[] Kinds)[]
        {
            ($"case {TokenType}.String:", new[] { TypeKind.String, TypeKind.DateTime, TypeKind.Enum, TypeKind.Binary, TypeKind.Date, TypeKind.Uuid, TypeKind.Base64 }),
            ($"case {TokenType}.Number:", new[]
            {
                TypeKind.Int32, TypeKind.Int64, TypeKind.Double, TypeKind.UnixTime, TypeKind.Float, TypeKind.Decimal,
                TypeKind.Int8, TypeKind.Int16, TypeKind.UInt8, TypeKind.UInt16, TypeKind.UInt32, TypeKind.UInt64,
            }),
            ($"case {TokenType}.True:\ncase {TokenType}.False:", new[] { TypeKind.Boolean }),
            ($"case {TokenType}.StartArray:", new[] { TypeKind.Array }),
            ($"case {TokenType}.StartObject:", new[] { TypeKind.Object, TypeKind.Map }),
        };
        w.OpenBlock("switch (reader.TokenType)");
        foreach ((string label, TypeKind[] kinds) in groups)
        {
            var candidates = new List<int>();
            foreach (int i in byToken)
            {
                TypeKind kind = model.Variants[i].Type.Kind;
                if (kinds.Contains(kind) || kind is TypeKind.Union or TypeKind.Any)
                {
                    candidates.Add(i);
                }
            }

            bool discriminated = model.DiscriminatorProperty is not null && kinds.Contains(TypeKind.Object);
            if (candidates.Count == 0 && !discriminated)
            {
                continue;
            }

            w.Line(label);
            w.OpenBlock();
            if (discriminated)
            {
                EmitReadByDiscriminator(w, code, model);
                w.Line("break;");
            }
            else if (candidates.Count == 1)
            {
                EmitReturnRead(w, code, model, model.Variants[candidates[0]], candidates[0], "reader");
            }
            else
            {
                foreach (int i in candidates)
                {
                    string k = i.ToString(CultureInfo.InvariantCulture);
                    w.OpenBlock();
                    w.Line($"{TypeSyntax.Json}.Utf8JsonReader attempt{k} = reader;");
                    w.OpenBlock("try");
                    w.Line($"{TypeSyntax.Render(model.Variants[i].Type, model.Namespace)} candidate{k};");
                    code.Read(w, model.Variants[i].Type, $"candidate{k}", $"attempt{k}", allowNull: false, 0, model.Name);
                    w.Line($"reader = attempt{k};");
                    w.Wrapped($"return new global::{model.Namespace}.{model.Name}", new[] { $"candidate{k}", KindOf(model.Variants[i]) }, ";");
                    w.CloseBlock();
                    w.Line("catch (global::System.Exception exception)");
                    w.Line($"    when (exception is {TypeSyntax.Json}.JsonException");
                    w.Line("        or global::System.InvalidOperationException");
                    w.OpenBlock("        or global::System.FormatException)");
                    w.Line($"// Not this variant; try the next one.");
                    w.CloseBlock();
                    w.CloseBlock();
                }

                w.Line("break;");
            }

            w.CloseBlock();
        }

        w.CloseBlock();
    }
}
