using Specgen.Generator.Model;

namespace Specgen.Generator.Emitting;

/// <summary>
/// A <c>IJsonTypeInfoResolver</c> that maps every generated type to its converter, so that
/// <c>JsonSerializer</c> can (de)serialize the models without reflection, trimming-safe.
/// </summary>
internal static class ResolverEmitter
{
    public static string Emit(ResolverModel client)
    {
        string ns = client.Namespace;
        string name = client.Name;
        string metadata = TypeSyntax.Json + ".Serialization.Metadata";
        SourceWriter w = FileHeader.Start(ns, client.UsesDeprecated);
        w.Summary(null, $"Resolves every model of <see cref=\"{client.ClientName}\"/> to its generated converter, for <c>JsonSerializer</c> without reflection.");
        w.Line($"/// <example><code>var options = new JsonSerializerOptions {{ TypeInfoResolver = {name}.Instance }};</code></example>");
        w.Line(TypeSyntax.GeneratedCodeAttribute);
        w.OpenBlock($"{client.Visibility} sealed class {name} : {metadata}.IJsonTypeInfoResolver");
        w.Summary(null, "The shared instance.");
        w.Line($"public static {name} Instance {{ get; }} = new {name}();");
        w.Line();
        w.Summary(null, "Options that use this resolver (and nothing else).");
        w.Line($"public static {TypeSyntax.Json}.JsonSerializerOptions Options {{ get; }} = new() {{ TypeInfoResolver = Instance }};");
        w.Line();
        w.Line("/// <inheritdoc/>");
        w.OpenBlock($"public {metadata}.JsonTypeInfo? GetTypeInfo", new[] { "global::System.Type type", $"{TypeSyntax.Json}.JsonSerializerOptions options" });
        foreach (string typeName in client.TypeNames)
        {
            w.OpenBlock($"if (type == typeof(global::{ns}.{typeName}))");
            w.Line($"return ValueInfo(options, new global::{ns}.{typeName}JsonConverter());");
            w.CloseBlock();
            w.Line();
        }

        w.Line("return null;");
        w.CloseBlock();

        // Named once here, so that each type above is one short line.
        w.Line();
        w.OpenBlock(
            $"private static {metadata}.JsonTypeInfo<T> ValueInfo<T>",
            new[] { $"{TypeSyntax.Json}.JsonSerializerOptions options", $"{TypeSyntax.Json}.Serialization.JsonConverter<T> converter" });
        w.Line($"return {metadata}.JsonMetadataServices.CreateValueInfo<T>(options, converter);");
        w.CloseBlock();
        w.CloseBlock();
        return w.ToString();
    }
}
