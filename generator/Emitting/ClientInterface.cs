using System.Collections.Generic;

namespace Specgen.Generator.Emitting;

/// <summary>
/// The interface of a client or tag class (<c>IThreadsClient</c>): every public operation method of
/// the class, with the class's own docs (<c>inheritdoc</c>), so that a user's tests can put a fake in
/// the client's place. The class's emitter declares each method through <see cref="OpenMethod"/>,
/// which writes it and records it here, so the interface cannot drift from the class.
/// </summary>
internal sealed class ClientInterface(string ns, string className, string interfaceName)
{
    private readonly List<(string Declaration, IReadOnlyList<string> Parameters, string Name, bool Deprecated)> _methods = new();
    private readonly List<(string Type, string Name, string Summary)> _properties = new();

    public string Name => interfaceName;

    /// <summary>Opens a public method of the class and records it for the interface.</summary>
    /// <param name="declaration">The return type and the name (<c>Task&lt;Thread&gt; GetThreadAsync</c>), without modifiers.</param>
    /// <param name="async">Whether the class's method is <c>async</c> (a modifier an interface member does not take).</param>
    public void OpenMethod(SourceWriter w, string declaration, IReadOnlyList<string> parameters, bool deprecated, bool async = false)
    {
        w.OpenBlock((async ? "public async " : "public ") + declaration, parameters);
        string name = declaration.Substring(declaration.LastIndexOf(' ') + 1);
        _methods.Add((declaration, parameters, name, deprecated));
    }

    /// <summary>A property of the interface (a tag class's interface, on the client's).</summary>
    public void AddProperty(string type, string name, string summary) => _properties.Add((type, name, summary));

    public void Emit(SourceWriter w, string visibility)
    {
        w.Line();
        w.Summary(null, $"The operations of <see cref=\"{className}\"/>, which implements it: put a fake in its place in your tests.");
        w.Line(TypeSyntax.GeneratedCodeAttribute);
        w.OpenBlock($"{visibility} partial interface {interfaceName}");
        bool first = true;
        foreach ((string type, string name, string summary) in _properties)
        {
            if (!first)
            {
                w.Line();
            }

            first = false;
            w.Summary(null, summary);
            w.Line($"{type} {name} {{ get; }}");
        }

        foreach ((string declaration, IReadOnlyList<string> parameters, string name, bool deprecated) in _methods)
        {
            if (!first)
            {
                w.Line();
            }

            first = false;
            w.Line($"/// <inheritdoc cref=\"global::{ns}.{className}.{name}\"/>");
            if (deprecated)
            {
                w.Line(FileHeader.Obsolete);
            }

            w.Wrapped(declaration, parameters, ";");
        }

        w.CloseBlock();
    }
}
