using System.Collections.Generic;
using System.Linq;
using Specgen.Generator.Mapping;
using Specgen.Generator.Model;

namespace Specgen.Generator.Emitting;

/// <summary>An object schema -> a sealed model class and its reflection-free JSON converter.</summary>
/// <remarks>
/// The model's unknown members and presence flags are private: its converter is nested in it to
/// reach them (see <see cref="JsonCode.OpenNestedConverter"/>), so that no other code can.
/// </remarks>
internal static class ObjectEmitter
{
    private const string TokenType = TypeSyntax.Json + ".JsonTokenType";
    private const string Support = TypeSyntax.Runtime + ".JsonSupport";
    private const string Unknown = TypeSyntax.Collections + ".Dictionary<string, " + TypeSyntax.Json + ".JsonElement>";

    /// <summary>Writes the type and its converters into a file whose header <see cref="TypeEmitter"/> wrote.</summary>
    public static void Write(SourceWriter w, ObjectModel model)
    {
        var code = new JsonCode(model.Namespace);
        EmitModel(w, model, code);
        w.Line();
        EmitConverter(w, model, code);
        w.CloseBlock();
        w.Line();
        JsonCode.EmitPublicConverter(w, model.Visibility, model.Namespace, model.Name);
    }

    /// <summary>Null is allowed in C# unless the member is required, non-nullable, or a constant.</summary>
    private static bool IsNullable(PropertyModel p) => p.ConstValue is null && (!p.Required || p.Type.Nullable);

    /// <summary>A C# <c>required</c> member: required by the spec both ways, and never null.</summary>
    private static bool IsRequiredMember(PropertyModel p) => p.IsAlwaysPresent && !p.ReadOnly && !p.WriteOnly;

    /// <summary>
    /// Required in one direction only (<c>readOnly</c>: in responses; <c>writeOnly</c>: in requests):
    /// non-nullable, since whoever needs it has it, but not C# <c>required</c>, so that the other
    /// direction can do without it.
    /// </summary>
    private static bool IsOneWay(PropertyModel p) => p.IsAlwaysPresent && (p.ReadOnly || p.WriteOnly);

    private static string PropertyType(PropertyModel p, string ns) =>
        p.ConstValue is not null ? "string" : TypeSyntax.Render(p.Type, ns) + (IsNullable(p) ? "?" : string.Empty);

    /// <summary>The model class, left open for the converter nested in it.</summary>
    private static void EmitModel(SourceWriter w, ObjectModel model, JsonCode code)
    {
        string ns = model.Namespace;
        w.Summary(model.Description, $"The {model.Name} object.");
        if (model.Deprecated)
        {
            w.Line(FileHeader.Obsolete);
        }

        w.Line(TypeSyntax.GeneratedCodeAttribute);
        w.OpenBlock($"{model.Visibility} sealed partial class {model.Name}");
        w.Line($"private {Unknown}? _additionalProperties;");
        foreach (PropertyModel p in model.Properties)
        {
            if (p.Storage is { Field: { } field, IsSetField: { } isSet })
            {
                w.Line($"private {PropertyType(p, ns)} {field};");
                w.Line($"private bool {isSet};");
            }
        }

        foreach (PropertyModel p in model.Properties)
        {
            w.Line();
            w.Summary(p.Description, $"The <c>{Docs.Escape(p.JsonName)}</c> member.");
            string? initializer = IsRequiredMember(p) ? DefaultValues.Expression(p.Type, p.Default, ns) : null;
            string? leftOut = p.Default is { } defaultValue && !DefaultValues.Mentions(p.Description, defaultValue)
                ? $"When left out, the API assumes <c>{DefaultValues.Doc(defaultValue)}</c>."
                : null;
            if (p.ConstValue is not null)
            {
                w.Line($"/// <remarks>Always <c>{Docs.Escape(p.ConstValue)}</c>; set by default.</remarks>");
            }
            else if (initializer is not null)
            {
                // Required, with a default: set to it, so that only a different value must be given.
                w.Line($"/// <remarks>Required; set to the spec's default, <c>{DefaultValues.Doc(p.Default!)}</c>, unless you change it.</remarks>");
            }
            else if (p.IsPresenceTracked)
            {
                w.Line($"/// <remarks>{(leftOut is null ? string.Empty : leftOut + " ")}Set to null, it is sent as <c>null</c>; never set, it is left out.</remarks>");
            }
            else if (leftOut is not null)
            {
                w.Line($"/// <remarks>{leftOut}</remarks>");
            }

            if (p.NamedValues is { } named)
            {
                w.Line($"/// <remarks>The values the spec names are the constants of <see cref=\"global::{ns}.{named}\"/>.</remarks>");
            }

            if (p.ReadOnly)
            {
                w.Line("/// <remarks>Set by the server: requests never carry it, so a request need not set it.</remarks>");
            }
            else if (p.WriteOnly)
            {
                w.Line(IsOneWay(p)
                    ? "/// <remarks>Sent to the server and never returned by it: required in a request, absent from a response.</remarks>"
                    : "/// <remarks>Sent to the server and never returned by it.</remarks>");
            }

            if (p.Deprecated && IsRequiredMember(p) && initializer is null)
            {
                // C# forbids [Obsolete] on a required member (CS9042); the spec says both, so the docs say it.
                w.Line("/// <remarks>The API marks this as deprecated, but still requires it.</remarks>");
            }
            else if (p.Deprecated)
            {
                w.Line(FileHeader.Obsolete);
            }

            if (p.ConstValue is not null)
            {
                w.Line($"public string {p.Name} {{ get; set; }} = {Docs.Literal(p.ConstValue)};");
            }
            else if (initializer is not null)
            {
                string declaration = $"public {PropertyType(p, ns)} {p.Name} {{ get; set; }}";
                w.Line(w.Fits(declaration.Length + 4 + initializer.Length) ? $"{declaration} = {initializer};" : $"{declaration}\n    = {initializer};");
            }
            else if (p.Storage is { Field: { } field, IsSetField: { } isSet })
            {
                w.Line($"public {PropertyType(p, ns)} {p.Name}");
                w.OpenBlock();
                w.Line($"get => {field};");
                w.Line("set");
                w.OpenBlock();
                w.Line($"{field} = value;");
                w.Line($"{isSet} = true;");
                w.CloseBlock();
                w.CloseBlock();
            }
            else if (IsOneWay(p))
            {
                w.Line($"public {PropertyType(p, ns)} {p.Name} {{ get; set; }}{(p.Type.IsValueType ? string.Empty : " = default!;")}");
            }
            else
            {
                w.Line($"public {(IsRequiredMember(p) ? "required " : string.Empty)}{PropertyType(p, ns)} {p.Name} {{ get; set; }}");
            }
        }

        w.Line();
        w.Summary(null, "Members of the JSON that the spec does not declare. They are kept when reading and written back unchanged,\nso that a newer server's data survives a round trip.");
        w.Arrow($"public {TypeSyntax.Collections}.IDictionary<string, {TypeSyntax.Json}.JsonElement> AdditionalProperties", "_additionalProperties ??= new(global::System.StringComparer.Ordinal);");
        w.Line();
        w.Summary(null, "Checks the constraints the spec declares (lengths, counts, ranges, patterns, required members), recursively.");
        w.Line("/// <param name=\"path\">Where this value sits in the request, for the error message.</param>");
        w.Line("/// <exception cref=\"global::System.ArgumentException\">A value breaks a constraint; the message names the member and the limit.</exception>");
        w.OpenBlock("public void Validate(string path = \"\")");
        bool first = true;
        foreach (PropertyModel p in model.Properties)
        {
            // Validate checks what a request sends, and a read-only member is never sent.
            bool mustExist = (IsRequiredMember(p) || (IsOneWay(p) && p.WriteOnly)) && !p.Type.IsValueType;
            if (p.ConstValue is not null || p.ReadOnly || (!mustExist && !JsonCode.NeedsValidation(p.Type)))
            {
                continue;
            }

            if (!first)
            {
                w.Line();
            }

            first = false;
            string member = Docs.Literal(p.JsonName);
            if (mustExist)
            {
                w.Line($"{TypeSyntax.Runtime}.Validate.NotNull({p.Name}, path, {member});");
                if (JsonCode.NeedsValidation(p.Type))
                {
                    code.Validate(w, p.Type, p.Name, "path", member, 0);
                }
            }
            else if (IsNullable(p))
            {
                string local = p.Storage.CheckLocal;
                w.OpenBlock($"if ({p.Name} is {{ }} {local})");
                code.Validate(w, p.Type, local, "path", member, 0);
                w.CloseBlock();
            }
            else
            {
                code.Validate(w, p.Type, p.Name, "path", member, 0);
            }
        }

        w.CloseBlock();
        code.EmitPatterns(w);
    }

    private static void EmitConverter(SourceWriter w, ObjectModel model, JsonCode code)
    {
        string ns = model.Namespace;
        string type = $"global::{ns}.{model.Name}";
        JsonCode.OpenNestedConverter(w, ns, model.Name);

        w.Summary(null, $"Reads a <see cref=\"{model.Name}\"/> from the JSON object at the reader's current token.");
        w.Line($"/// <exception cref=\"{TypeSyntax.Json}.JsonException\">The JSON is not such an object or lacks a required member.</exception>");
        w.OpenBlock($"public static {type} ReadValue(ref {TypeSyntax.Json}.Utf8JsonReader reader)");
        w.Line($"{Support}.Expect(ref reader, {TokenType}.StartObject, {Docs.Literal(model.Name)});");
        foreach (PropertyModel p in model.Properties)
        {
            string local = p.Storage.ReaderLocal;
            if (p.IsAlwaysPresent)
            {
                string declared = TypeSyntax.Render(p.Type, ns) + (p.Type.IsValueType ? string.Empty : "?");
                w.Line($"{declared} {local} = default;");
                if (p.MustBeRead && p.Storage.ReaderFlag is { } flag)
                {
                    w.Line($"bool {flag} = false;");
                }
            }
            else
            {
                string declared = p.ConstValue is not null ? "string?" : PropertyType(p, ns);
                w.Line($"{declared} {local} = default;");
                if (p.IsPresenceTracked)
                {
                    w.Line($"bool {p.Storage.ReaderFlag} = false;");
                }
            }
        }

        List<PropertyModel> required = model.Properties.Where(p => p.Storage.RequiredBit is not null).ToList();
        if (required.Count > 0)
        {
            w.Line($"ulong {MemberNaming.RequiredSeen} = 0;");
        }

        w.Line($"{Unknown}? unknown = null;");
        w.OpenBlock("while (true)");
        w.Line($"{Support}.Next(ref reader);");
        w.OpenBlock($"if (reader.TokenType == {TokenType}.EndObject)");
        w.Line("break;");
        w.CloseBlock();
        w.Line();
        string keyword = "if";
        foreach (PropertyModel p in model.Properties)
        {
            string local = p.Storage.ReaderLocal;
            w.OpenBlock($"{keyword} (reader.ValueTextEquals({Docs.Literal(p.JsonName)}u8))");
            w.Line($"{Support}.Next(ref reader);");
            if (p.ConstValue is not null)
            {
                // The constant itself when the JSON holds it (nearly always): no new string per object
                // for a value every instance carries, such as OpenAI's `object` and `type`.
                string constant = Docs.Literal(p.ConstValue);
                w.Line($"{local} = {Support}.ReadConstant(ref reader, {constant}u8, {constant});");
            }
            else
            {
                code.Read(w, p.Type, local, "reader", allowNull: IsNullable(p), 0, model.Name + "." + p.JsonName);
            }

            if (p.Storage.RequiredBit is { } bit)
            {
                w.Line($"{MemberNaming.RequiredSeen} |= 1UL << {bit};");
            }
            else if (p.MustBeRead || p.IsPresenceTracked)
            {
                w.Line($"{p.Storage.ReaderFlag} = true;");
            }

            w.CloseBlock();
            keyword = "else if";
        }

        if (model.Properties.Count > 0)
        {
            w.OpenBlock("else");
        }
        else
        {
            w.OpenBlock();
        }

        w.Line("string name = reader.GetString()!;");
        w.Line($"{Support}.Next(ref reader);");
        w.Line($"{Support}.CaptureUnknown(ref reader, name, ref unknown);");
        w.CloseBlock();
        w.CloseBlock();
        if (required.Count > 0)
        {
            // Which one is missing is worked out only when one is.
            string all = required.Count == 64 ? "ulong.MaxValue" : $"(1UL << {required.Count}) - 1";
            w.Line();
            w.OpenBlock($"if ({MemberNaming.RequiredSeen} != {all})");
            w.Wrapped($"throw {Support}.MissingRequired", new[] { Docs.Literal(model.Name), MemberNaming.RequiredSeen }.Concat(required.Select(p => Docs.Literal(p.JsonName))).ToArray(), ";");
            w.CloseBlock();
        }

        foreach (PropertyModel p in model.Properties)
        {
            if (p.MustBeRead && p.Storage.RequiredBit is null)
            {
                w.Line();
                w.OpenBlock($"if (!{p.Storage.ReaderFlag})");
                w.Line($"throw {Support}.MissingRequired({Docs.Literal(model.Name)}, {Docs.Literal(p.JsonName)});");
                w.CloseBlock();
            }
        }

        w.Line();
        w.OpenBlock($"return new {type}");
        foreach (PropertyModel p in model.Properties)
        {
            string local = p.Storage.ReaderLocal;
            if (p.Storage is { Field: { } field, IsSetField: { } isSet })
            {
                // The fields, not the property, whose setter would mark an absent member as set.
                w.Line($"{field} = {local},");
                w.Line($"{isSet} = {p.Storage.ReaderFlag},");
                continue;
            }

            // A write-only member a response leaves out stays null: nothing reads it from a response.
            string value = p.ConstValue is not null ? $"{local} ?? {Docs.Literal(p.ConstValue)}"
                : p.IsAlwaysPresent && !p.Type.IsValueType ? local + "!" : local;
            w.Line($"{p.Name} = {value},");
        }

        w.Line("_additionalProperties = unknown,");
        w.CloseBlock(";");
        w.CloseBlock();
        w.Line();

        w.Summary(null, !model.Properties.Any(p => p.IsPresenceTracked)
            ? $"Writes <paramref name=\"value\"/> as a JSON object: required members always, optional ones only when set,\nunknown members as they were read."
            : $"Writes <paramref name=\"value\"/> as a JSON object: required members always, optional ones only when set\n(a nullable one set to null as null), unknown members as they were read.");
        if (model.StreamFlag is { } streamFlag)
        {
            w.Arrow($"public static void WriteValue({TypeSyntax.Json}.Utf8JsonWriter writer, {type} value)", "WriteValue(writer, value, streaming: false);");
            w.Line();
            w.Summary(null, $"Writes <paramref name=\"value\"/> as the other overload does, but with <c>{Docs.Escape(streamFlag)}</c> true when <paramref name=\"streaming\"/> is,\nwhatever the object holds: the streaming call asks for events without changing its caller's object.");
            w.OpenBlock($"internal static void WriteValue({TypeSyntax.Json}.Utf8JsonWriter writer, {type} value, bool streaming)");
        }
        else
        {
            w.OpenBlock($"public static void WriteValue({TypeSyntax.Json}.Utf8JsonWriter writer, {type} value)");
        }

        w.Line("writer.WriteStartObject();");
        foreach (PropertyModel p in model.Properties)
        {
            string member = "value." + p.Name;
            string name = Docs.Literal(p.JsonName) + "u8";

            // The stream flag: true while streaming, else as the object says.
            string condition = "if";
            bool wrapped = false;
            if (p.JsonName == model.StreamFlag)
            {
                w.OpenBlock("if (streaming)");
                w.Line($"writer.WriteBoolean({name}, true);");
                w.CloseBlock();
                condition = "else if";
                wrapped = !IsNullable(p);
                if (wrapped)
                {
                    w.OpenBlock("else");
                }
            }

            if (p.ReadOnly)
            {
                // A request never carries what the server sets; other JSON (a response written
                // back, a cache) keeps it.
                w.OpenBlock($"if (!{Support}.IsWritingRequest)");
            }

            if (p.ConstValue is not null)
            {
                w.Line($"writer.WriteString({name}, {member});");
            }
            else if (IsOneWay(p) && !p.Type.IsValueType)
            {
                // Left unset by whoever does not need it.
                w.OpenBlock($"{condition} ({member} is not null)");
                w.Line($"writer.WritePropertyName({name});");
                code.Write(w, p.Type, member, 0);
                w.CloseBlock();
            }
            else if (!IsNullable(p))
            {
                w.Line($"writer.WritePropertyName({name});");
                code.Write(w, p.Type, member, 0);
            }
            else if (p.Storage is { Field: { } field, IsSetField: { } isSet })
            {
                w.OpenBlock($"{condition} (value.{isSet})");
                w.Line($"writer.WritePropertyName({name});");
                code.WriteMaybeNull(w, p.Type, member, 0);
                w.CloseBlock();
            }
            else
            {
                w.OpenBlock($"{condition} ({member} is not null)");
                w.Line($"writer.WritePropertyName({name});");
                code.Write(w, p.Type, JsonCode.ValueOf(p.Type, member), 0);
                w.CloseBlock();
                if (p.Required)
                {
                    w.OpenBlock("else");
                    w.Line($"writer.WriteNull({name});");
                    w.CloseBlock();
                }
            }

            if (wrapped)
            {
                w.CloseBlock();
            }

            if (p.ReadOnly)
            {
                w.CloseBlock();
            }
        }

        w.Line($"{Support}.WriteUnknown(writer, value._additionalProperties);");
        w.Line("writer.WriteEndObject();");
        w.CloseBlock();
        w.CloseBlock();
    }

}
