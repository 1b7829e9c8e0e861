using System.Collections.Generic;
using System.Globalization;
using Specgen.Generator.Model;

namespace Specgen.Generator.Emitting;

/// <summary>
/// Writes the statements that read, write and validate one value of a <see cref="TypeRef"/>.
/// Arrays and maps recurse; <c>depth</c> keeps the loop variables of nested collections apart.
/// </summary>
internal sealed class JsonCode(string ns)
{
    private const string TokenType = TypeSyntax.Json + ".JsonTokenType";
    private const string Support = TypeSyntax.Runtime + ".JsonSupport";
    private const string Check = TypeSyntax.Runtime + ".Validate";

    private readonly List<string> _patterns = new();

    /// <summary>The regular expressions the validation code uses, to be emitted as static fields.</summary>
    public IReadOnlyList<string> Patterns => _patterns;

    /// <summary>The static fields of the regular expressions in <see cref="Patterns"/>, each after a blank line.</summary>
    public void EmitPatterns(SourceWriter w)
    {
        for (int i = 0; i < _patterns.Count; i++)
        {
            w.Line();
            w.Wrapped(
                $"private static readonly global::System.Text.RegularExpressions.Regex Pattern{i.ToString(CultureInfo.InvariantCulture)} = new",
                new[] { Docs.Literal(_patterns[i]), "global::System.Text.RegularExpressions.RegexOptions.CultureInvariant", "global::System.TimeSpan.FromSeconds(1)" },
                ";");
        }
    }

    /// <summary>
    /// Opens the converter of a model or union: a class nested in it, so that it reads and writes
    /// the type's private state, with the two <c>JsonConverter</c> overrides that forward to its
    /// static <c>ReadValue</c> and <c>WriteValue</c>; the caller writes those two and closes the
    /// block, then the type, then writes <see cref="EmitPublicConverter"/>.
    /// </summary>
    public static void OpenNestedConverter(SourceWriter w, string ns, string name)
    {
        w.Summary(null, $"Reads and writes <see cref=\"{name}\"/> as JSON without reflection.\nUse <see cref=\"{name}JsonConverter\"/>: this is its code, nested here to reach private state.");
        w.OpenBlock($"public abstract class {Mapping.NameScope.Converter} : {TypeSyntax.Json}.Serialization.JsonConverter<global::{ns}.{name}>");
        w.Line($"// Only {name}JsonConverter derives from this; it is not an extension point.");
        w.OpenBlock($"private protected {Mapping.NameScope.Converter}()");
        w.CloseBlock();
        w.Line();
        EmitOverrides(w, ns, name);
    }

    /// <summary>
    /// The public <c>{name}JsonConverter</c> of a model or union: the converter nested in it
    /// (<see cref="OpenNestedConverter"/>) under the name users, attributes and the resolver know;
    /// its static methods are called through this name.
    /// </summary>
    public static void EmitPublicConverter(SourceWriter w, string visibility, string ns, string name)
    {
        w.Summary(null, $"Reads and writes <see cref=\"{name}\"/> as JSON without reflection.");
        w.Line(TypeSyntax.GeneratedCodeAttribute);
        w.OpenBlock($"{visibility} sealed class {name}JsonConverter : global::{ns}.{name}.{Mapping.NameScope.Converter}");
        w.CloseBlock();
    }

    /// <summary>
    /// Opens <c>{name}JsonConverter</c>, the converter of a type whose state is public (an enum),
    /// with the two <c>JsonConverter</c> overrides; the caller writes <c>ReadValue</c> and
    /// <c>WriteValue</c> and closes the block.
    /// </summary>
    public static void OpenConverter(SourceWriter w, string visibility, string ns, string name, string summary)
    {
        w.Summary(null, summary);
        w.Line(TypeSyntax.GeneratedCodeAttribute);
        string header = $"{visibility} sealed class {name}JsonConverter";
        string baseType = $": {TypeSyntax.Json}.Serialization.JsonConverter<global::{ns}.{name}>";
        if (w.Fits(header.Length + 1 + baseType.Length))
        {
            w.OpenBlock(header + " " + baseType);
        }
        else
        {
            w.Line(header);
            w.OpenBlock("    " + baseType);
        }

        EmitOverrides(w, ns, name);
    }

    private static void EmitOverrides(SourceWriter w, string ns, string name)
    {
        string type = $"global::{ns}.{name}";
        string options = $"{TypeSyntax.Json}.JsonSerializerOptions options";
        w.Line("/// <inheritdoc/>");
        w.Wrapped($"public override {type} Read", new[] { $"ref {TypeSyntax.Json}.Utf8JsonReader reader", "global::System.Type typeToConvert", options }, " => ReadValue(ref reader);");
        w.Line();
        w.Line("/// <inheritdoc/>");
        w.Wrapped("public override void Write", new[] { $"{TypeSyntax.Json}.Utf8JsonWriter writer", $"{type} value", options }, " => WriteValue(writer, value);");
        w.Line();
    }

    /// <summary>
    /// Reads the value at <paramref name="reader"/>'s current token into <paramref name="target"/>.
    /// A JSON null is accepted only when <paramref name="allowNull"/>; otherwise the reading
    /// method of the type rejects it.
    /// </summary>
    public void Read(SourceWriter w, TypeRef type, string target, string reader, bool allowNull, int depth, string what)
    {
        if (allowNull && type.Kind is not (TypeKind.Array or TypeKind.Map))
        {
            // One expression, not an if/else of eight lines: most members of most models are optional.
            string isNull = $"{target} = {reader}.TokenType == {TokenType}.Null";
            string read = ReadExpression(type, reader, what);
            if (type.Kind == TypeKind.Enum)
            {
                // An enum also converts from string, which would make `null` a null string.
                read = $"({TypeSyntax.Render(type, ns)}?){read}";
            }

            w.Line(w.Fits(isNull.Length + read.Length + 12) ? $"{isNull} ? null : {read};" : $"{isNull}\n    ? null\n    : {read};");
            return;
        }

        if (allowNull)
        {
            w.OpenBlock($"if ({reader}.TokenType == {TokenType}.Null)");
            w.Line($"{target} = null;");
            w.CloseBlock();
            w.OpenBlock("else");
            ReadNonNull(w, type, target, reader, depth, what);
            w.CloseBlock();
            return;
        }

        ReadNonNull(w, type, target, reader, depth, what);
    }

    private void ReadNonNull(SourceWriter w, TypeRef type, string target, string reader, int depth, string what)
    {
        string d = depth.ToString(CultureInfo.InvariantCulture);
        switch (type.Kind)
        {
            case TypeKind.Array:
            {
                TypeRef element = type.Element!;
                w.Wrapped($"{Support}.Expect", new[] { $"ref {reader}", $"{TokenType}.StartArray", Docs.Literal(what) }, ";");
                w.Line($"var items{d} = new {TypeSyntax.RenderConcrete(type, ns)}();");
                w.OpenBlock("while (true)");
                w.Line($"{Support}.Next(ref {reader});");
                w.OpenBlock($"if ({reader}.TokenType == {TokenType}.EndArray)");
                w.Line("break;");
                w.CloseBlock();
                w.Line();
                w.Line($"{TypeSyntax.RenderElement(element, ns)} item{d};");
                Read(w, element, $"item{d}", reader, element.Nullable, depth + 1, what);
                w.Line($"items{d}.Add(item{d});");
                w.CloseBlock();
                w.Line();
                w.Line($"{target} = items{d};");
                return;
            }

            case TypeKind.Map:
            {
                TypeRef element = type.Element!;
                w.Wrapped($"{Support}.Expect", new[] { $"ref {reader}", $"{TokenType}.StartObject", Docs.Literal(what) }, ";");
                w.Wrapped($"var entries{d} = new {TypeSyntax.RenderConcrete(type, ns)}", new[] { "global::System.StringComparer.Ordinal" }, ";");
                w.OpenBlock("while (true)");
                w.Line($"{Support}.Next(ref {reader});");
                w.OpenBlock($"if ({reader}.TokenType == {TokenType}.EndObject)");
                w.Line("break;");
                w.CloseBlock();
                w.Line();
                w.Line($"string key{d} = {reader}.GetString()!;");
                w.Line($"{Support}.Next(ref {reader});");
                w.Line($"{TypeSyntax.RenderElement(element, ns)} value{d};");
                Read(w, element, $"value{d}", reader, element.Nullable, depth + 1, what);
                w.Line($"entries{d}[key{d}] = value{d};");
                w.CloseBlock();
                w.Line();
                w.Line($"{target} = entries{d};");
                return;
            }

            default:
                w.Line($"{target} = {ReadExpression(type, reader, what)};");
                return;
        }
    }

    /// <summary>The expression that reads a scalar or named type (not a collection); <paramref name="what"/> names the value in a format error.</summary>
    public string ReadExpression(TypeRef type, string reader, string what) => type.Kind switch
    {
        TypeKind.Any => $"{TypeSyntax.Json}.JsonElement.ParseValue(ref {reader})",
        TypeKind.String => $"{Support}.ReadString(ref {reader})",
        TypeKind.Int32 => $"{reader}.GetInt32()",
        TypeKind.Int64 => $"{reader}.GetInt64()",
        TypeKind.Double => $"{reader}.GetDouble()",
        TypeKind.Float => $"{reader}.GetSingle()",
        TypeKind.Decimal => $"{reader}.GetDecimal()",
        TypeKind.Int8 => $"{reader}.GetSByte()",
        TypeKind.Int16 => $"{reader}.GetInt16()",
        TypeKind.UInt8 => $"{reader}.GetByte()",
        TypeKind.UInt16 => $"{reader}.GetUInt16()",
        TypeKind.UInt32 => $"{reader}.GetUInt32()",
        TypeKind.UInt64 => $"{reader}.GetUInt64()",
        TypeKind.Boolean => $"{reader}.GetBoolean()",
        TypeKind.UnixTime => $"{Support}.ReadUnixTime(ref {reader})",
        TypeKind.DateTime => $"{Support}.ReadDateTime(ref {reader}, {Docs.Literal(what)})",
        TypeKind.Date => $"{Support}.{(type.DateAsDateTime ? "ReadDateAsDateTime" : "ReadDate")}(ref {reader}, {Docs.Literal(what)})",
        TypeKind.Uuid => $"{Support}.ReadUuid(ref {reader}, {Docs.Literal(what)})",
        TypeKind.Base64 => $"{Support}.ReadBase64(ref {reader}, {Docs.Literal(what)})",
        TypeKind.Binary => $"{TypeSyntax.Runtime}.FileUpload.ReadJson(ref {reader})",
        _ => $"{TypeSyntax.Converter(type, ns)}.ReadValue(ref {reader})",
    };

    /// <summary>Writes <paramref name="value"/>, an expression that is not null.</summary>
    public void Write(SourceWriter w, TypeRef type, string value, int depth)
    {
        string d = depth.ToString(CultureInfo.InvariantCulture);
        switch (type.Kind)
        {
            case TypeKind.Array:
                w.Line("writer.WriteStartArray();");
                w.OpenBlock($"foreach ({TypeSyntax.RenderElement(type.Element!, ns)} item{d} in {value})");
                WriteMaybeNull(w, type.Element!, $"item{d}", depth + 1);
                w.CloseBlock();
                w.Line("writer.WriteEndArray();");
                return;
            case TypeKind.Map:
                w.Line("writer.WriteStartObject();");
                w.OpenBlock($"foreach ({TypeSyntax.Collections}.KeyValuePair<string, {TypeSyntax.RenderElement(type.Element!, ns)}> entry{d} in {value})");
                w.Line($"writer.WritePropertyName(entry{d}.Key);");
                WriteMaybeNull(w, type.Element!, $"entry{d}.Value", depth + 1);
                w.CloseBlock();
                w.Line("writer.WriteEndObject();");
                return;
            case TypeKind.Any:
                w.Line($"{value}.WriteTo(writer);");
                return;
            case TypeKind.String:
            case TypeKind.DateTime:
            case TypeKind.Uuid:
                w.Line($"writer.WriteStringValue({value});");
                return;
            case TypeKind.Date:
                w.Line($"{Support}.{(type.DateAsDateTime ? "WriteDateAsDateTime" : "WriteDate")}(writer, {value});");
                return;
            case TypeKind.Base64:
                w.Line($"writer.WriteBase64StringValue({value});");
                return;
            case TypeKind.Int32:
            case TypeKind.Int64:
            case TypeKind.Double:
            case TypeKind.Float:
            case TypeKind.Decimal:
            case TypeKind.UInt32:
            case TypeKind.UInt64:
                w.Line($"writer.WriteNumberValue({value});");
                return;
            case TypeKind.Int8:
            case TypeKind.Int16:
            case TypeKind.UInt8:
            case TypeKind.UInt16:
                // Utf8JsonWriter has no overloads this narrow; an int holds every value exactly.
                w.Line($"writer.WriteNumberValue((int){value});");
                return;
            case TypeKind.Boolean:
                w.Line($"writer.WriteBooleanValue({value});");
                return;
            case TypeKind.UnixTime:
                w.Line($"{Support}.WriteUnixTime(writer, {value});");
                return;
            case TypeKind.Binary:
                w.Line($"{TypeSyntax.Runtime}.FileUpload.WriteJson(writer, {value});");
                return;
            default:
                w.Wrapped($"{TypeSyntax.Converter(type, ns)}.WriteValue", new[] { "writer", value }, ";");
                return;
        }
    }

    /// <summary>Writes an element that may be null (a nullable item or map value).</summary>
    /// <summary>Writes <paramref name="value"/>, or JSON null when the type allows null and it is null.</summary>
    public void WriteMaybeNull(SourceWriter w, TypeRef element, string value, int depth)
    {
        if (!element.Nullable)
        {
            Write(w, element, value, depth);
            return;
        }

        w.OpenBlock($"if ({value} is null)");
        w.Line("writer.WriteNullValue();");
        w.CloseBlock();
        w.OpenBlock("else");
        Write(w, element, ValueOf(element, value), depth);
        w.CloseBlock();
    }

    /// <summary>The non-null value of a nullable expression (<c>.Value</c> for value types).</summary>
    public static string ValueOf(TypeRef type, string expression) => type.IsValueType ? expression + ".Value" : expression;

    /// <summary>Whether a value of this type can fail validation, so that code must be emitted for it.</summary>
    public static bool NeedsValidation(TypeRef type) =>
        HasApplicableConstraint(type) || type.Kind is TypeKind.Object or TypeKind.Union
        || (type.Kind is TypeKind.Array or TypeKind.Map && (NeedsValidation(type.Element!) || (!type.Element!.Nullable && !type.Element.IsValueType)));

    /// <summary>
    /// Checks <paramref name="value"/> (not null) against its constraints. The field is named by
    /// two string expressions, the parent's <paramref name="path"/> and the <paramref name="member"/>
    /// name (<c>""</c> when the path already names it), joined by the runtime only on failure.
    /// </summary>
    public void Validate(SourceWriter w, TypeRef type, string value, string path, string member, int depth)
    {
        string d = depth.ToString(CultureInfo.InvariantCulture);
        string field = $"{path}, {member}";
        // A keyword only constrains the kind of value it is meant for (maxLength on a map means nothing).
        Constraints c = type.Constraints;
        bool isString = type.Kind == TypeKind.String;
        bool isNumber = type.IsNumber;
        Emit(isString ? c.MaxLength : null, "MaxLength");
        Emit(isString ? c.MinLength : null, "MinLength");
        Emit(type.Kind == TypeKind.Array ? c.MaxItems : null, "MaxItems");
        Emit(type.Kind == TypeKind.Array ? c.MinItems : null, "MinItems");
        Emit(type.Kind == TypeKind.Map ? c.MaxProperties : null, "MaxProperties");
        Emit(type.Kind == TypeKind.Map ? c.MinProperties : null, "MinProperties");
        Emit(type.Kind == TypeKind.Map ? c.MaxKeyLength : null, "MaxKeyLength");
        // A decimal is checked as a decimal (a double would round it); every other number as a double.
        string prefix = type.Kind == TypeKind.Decimal ? "Decimal" : string.Empty;
        if (isNumber && c.Minimum is { } minimum)
        {
            w.Line($"{Check}.{prefix}Minimum({value}, {Limit(type, minimum)}, {field});");
        }

        if (isNumber && c.Maximum is { } maximum)
        {
            w.Line($"{Check}.{prefix}Maximum({value}, {Limit(type, maximum)}, {field});");
        }

        if (isString && c.Pattern is { } pattern)
        {
            w.Line($"{Check}.Pattern({value}, {PatternField(pattern)}, {field});");
        }

        string memberPath = member == "\"\"" ? path : $"{Check}.Member({path}, {member})";
        switch (type.Kind)
        {
            case TypeKind.Object:
            case TypeKind.Union:
                w.Wrapped($"{value}.Validate", new[] { memberPath }, ";");
                break;
            case TypeKind.Array or TypeKind.Map when IsPlainString(type.Element!):
            {
                // Strings in a collection are checked by one runtime call that names an item only
                // when it fails, so a valid collection allocates nothing.
                Constraints e = type.Element!.Constraints;
                string elementPattern = e.Pattern is { } p ? PatternField(p) : "null";
                w.Line($"{Check}.EachString({value}, {Optional(e.MaxLength)}, {Optional(e.MinLength)}, {elementPattern}, allowNull: {(type.Element!.Nullable ? "true" : "false")}, {field});");
                break;
            }

            case TypeKind.Array when NeedsValidation(type.Element!):
                w.OpenBlock($"for (int i{d} = 0; i{d} < {value}.Count; i{d}++)");
                ValidateMaybeNull(w, type.Element!, $"{value}[i{d}]", $"{Check}.Item({memberPath}, i{d})", depth + 1);
                w.CloseBlock();
                break;
            case TypeKind.Map when NeedsValidation(type.Element!):
                w.OpenBlock($"foreach ({TypeSyntax.Collections}.KeyValuePair<string, {TypeSyntax.RenderElement(type.Element!, ns)}> entry{d} in {value})");
                ValidateMaybeNull(w, type.Element!, $"entry{d}.Value", $"{Check}.Entry({memberPath}, entry{d}.Key)", depth + 1);
                w.CloseBlock();
                break;
        }

        void Emit(int? limit, string check)
        {
            if (limit is { } n)
            {
                w.Line($"{Check}.{check}({value}, {n.ToString(CultureInfo.InvariantCulture)}, {field});");
            }
        }
    }

    private static bool HasApplicableConstraint(TypeRef type)
    {
        Constraints c = type.Constraints;
        return type.Kind switch
        {
            TypeKind.String => c.MaxLength is not null || c.MinLength is not null || c.Pattern is not null,
            _ when type.IsNumber => c.Minimum is not null || c.Maximum is not null,
            TypeKind.Array => c.MaxItems is not null || c.MinItems is not null,
            TypeKind.Map => c.MaxProperties is not null || c.MinProperties is not null || c.MaxKeyLength is not null,
            _ => false,
        };
    }

    private static bool IsPlainString(TypeRef element) => element.Kind == TypeKind.String;

    private static string Optional(int? value) => value?.ToString(CultureInfo.InvariantCulture) ?? "null";

    private string PatternField(string pattern)
    {
        int index = _patterns.IndexOf(pattern);
        if (index < 0)
        {
            _patterns.Add(pattern);
            index = _patterns.Count - 1;
        }

        return "Pattern" + index.ToString(CultureInfo.InvariantCulture);
    }

    private void ValidateMaybeNull(SourceWriter w, TypeRef element, string value, string field, int depth)
    {
        if (!element.Nullable && !element.IsValueType)
        {
            w.Wrapped($"{Check}.NotNull", new[] { value, field }, ";");
            Validate(w, element, value, field, "\"\"", depth);
            return;
        }

        if (element.Nullable)
        {
            w.OpenBlock($"if ({value} is {{ }} present{depth.ToString(CultureInfo.InvariantCulture)})");
            Validate(w, element, "present" + depth.ToString(CultureInfo.InvariantCulture), field, "\"\"", depth);
            w.CloseBlock();
            return;
        }

        Validate(w, element, value, field, "\"\"", depth);
    }

    private static string Limit(TypeRef type, double value) =>
        type.Kind == TypeKind.Decimal ? value.ToString("R", CultureInfo.InvariantCulture) + "m" : Number(value);

    private static string Number(double value) =>
        value == System.Math.Floor(value) && System.Math.Abs(value) < 1e15
            ? value.ToString("0", CultureInfo.InvariantCulture)
            : value.ToString("R", CultureInfo.InvariantCulture) + "d";
}
