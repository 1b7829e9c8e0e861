using Specgen.Generator.Model;

namespace Specgen.Generator.Emitting;

/// <summary>
/// A string enum -> an extensible readonly struct: the known values are static members, and any
/// other string the server sends is kept as is instead of failing the whole response.
/// </summary>
internal static class EnumEmitter
{
    /// <summary>
    /// An integer enum whose values the document names: a static class with a constant per value.
    /// Members stay integers, so the constants are for comparing and setting them.
    /// </summary>
    public static void WriteNamedValues(SourceWriter w, NamedValuesModel model)
    {
        string type = TypeSyntax.Render(model.ValueType, model.Namespace);
        w.Summary(model.Description, $"The {model.Name} values.");
        w.Line($"/// <remarks>Constants, because members and parameters that take these values stay <c>{type}</c>: a value the API adds later still reads.</remarks>");
        if (model.Deprecated)
        {
            w.Line(FileHeader.Obsolete);
        }

        w.Line(TypeSyntax.GeneratedCodeAttribute);
        w.OpenBlock($"{model.Visibility} static partial class {model.Name}");
        bool first = true;
        foreach (EnumValueModel value in model.Values)
        {
            if (!first)
            {
                w.Line();
            }

            first = false;
            w.Summary(value.Description, $"<c>{Docs.Escape(value.Value)}</c>");
            w.Line($"public const {type} {value.Name} = {value.Value};");
        }

        w.CloseBlock();
    }

    /// <summary>Writes the type and its converters into a file whose header <see cref="TypeEmitter"/> wrote.</summary>
    public static void Write(SourceWriter w, EnumModel model)
    {
        string ns = model.Namespace;
        string name = model.Name;
        w.Summary(model.Description, $"The {name} values.");
        w.Line("/// <remarks>Extensible: a value this version of the spec does not list is kept and compares by its text.</remarks>");
        if (model.Deprecated)
        {
            w.Line(FileHeader.Obsolete);
        }

        w.Line(TypeSyntax.GeneratedCodeAttribute);
        w.OpenBlock($"{model.Visibility} readonly partial struct {name} : global::System.IEquatable<{name}>");
        w.Line("private readonly string? _value;");
        w.Line();
        w.Summary(null, $"Creates a value from its JSON text.");
        w.Line("/// <exception cref=\"global::System.ArgumentNullException\"><paramref name=\"value\"/> is null.</exception>");
        w.OpenBlock($"public {name}(string value)");
        w.Line("_value = value ?? throw new global::System.ArgumentNullException(nameof(value));");
        w.CloseBlock();
        foreach (EnumValueModel value in model.Values)
        {
            w.Line();
            if (value.Description is { } description)
            {
                w.Summary(description, string.Empty);
                w.Line($"/// <remarks>In JSON: <c>{Docs.Escape(value.Value)}</c>.</remarks>");
            }
            else
            {
                w.Summary(null, $"<c>{Docs.Escape(value.Value)}</c>");
            }

            w.Line($"public static {name} {value.Name} {{ get; }} = new {name}({Docs.Literal(value.Value)});");
        }

        w.Line();
        w.Summary(null, "The JSON text of the value.");
        w.Line("public string Value => _value ?? string.Empty;");
        w.Line();
        w.Summary(null, "Converts JSON text to a value.");
        w.Line($"public static implicit operator {name}(string value) => new {name}(value);");
        w.Line();
        w.Summary(null, "Compares two values by their text (ordinal).");
        w.Line($"public static bool operator ==({name} left, {name} right) => left.Equals(right);");
        w.Line();
        w.Summary(null, "Compares two values by their text (ordinal).");
        w.Line($"public static bool operator !=({name} left, {name} right) => !left.Equals(right);");
        w.Line();
        w.Line("/// <inheritdoc/>");
        w.Line($"public bool Equals({name} other) => string.Equals(Value, other.Value, global::System.StringComparison.Ordinal);");
        w.Line();
        w.Line("/// <inheritdoc/>");
        w.Line($"public override bool Equals(object? obj) => obj is {name} other && Equals(other);");
        w.Line();
        w.Line("/// <inheritdoc/>");
        w.Line("public override int GetHashCode() => global::System.StringComparer.Ordinal.GetHashCode(Value);");
        w.Line();
        w.Line("/// <inheritdoc/>");
        w.Line("public override string ToString() => Value;");
        w.CloseBlock();
        w.Line();

        string type = $"global::{ns}.{name}";
        JsonCode.OpenConverter(w, model.Visibility, ns, name, $"Reads and writes <see cref=\"{name}\"/> as a JSON string without reflection.");
        w.Summary(null, "Reads the JSON string at the reader's current token.");
        w.Arrow($"public static {type} ReadValue(ref {TypeSyntax.Json}.Utf8JsonReader reader)", $"new {type}({TypeSyntax.Runtime}.JsonSupport.ReadString(ref reader));");
        w.Line();
        w.Summary(null, "Writes the value's text as a JSON string.");
        w.Arrow($"public static void WriteValue({TypeSyntax.Json}.Utf8JsonWriter writer, {type} value)", "writer.WriteStringValue(value.Value);");
        w.CloseBlock();
    }
}
