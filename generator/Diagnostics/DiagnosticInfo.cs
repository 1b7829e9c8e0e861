using Microsoft.CodeAnalysis;

namespace Specgen.Generator.Diagnostics;

/// <summary>
/// A diagnostic as a pipeline value: the descriptor's id, the message arguments and an
/// equatable location. Turned into a <see cref="Diagnostic"/> only when reported.
/// </summary>
/// <param name="Pointer">
/// The JSON pointer of the construct in the spec, part of every message: <c>/paths/~1pets</c>, or
/// <c>Pet.json#/properties/id</c> for a construct that another file of the spec holds.
/// </param>
internal sealed record DiagnosticInfo(string Id, string Detail, string Pointer, LocationInfo? Location)
{
    /// <summary>
    /// The detail already says what happens to the construct, so the descriptor's own ending
    /// (SPEC002's "the value is kept as raw JSON") is left out.
    /// </summary>
    public bool DetailIsComplete { get; init; }

    public Diagnostic ToDiagnostic()
    {
        DiagnosticDescriptor descriptor = DetailIsComplete ? DiagnosticDescriptors.WithPlainMessage(Id) : DiagnosticDescriptors.ById(Id);
        string pointer = Pointer.Length == 0 ? "#" : Pointer[0] == '/' ? "#" + Pointer : Pointer;
        return Diagnostic.Create(descriptor, Location?.ToLocation() ?? Microsoft.CodeAnalysis.Location.None, Detail, pointer);
    }
}
