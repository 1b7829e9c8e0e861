using Microsoft.CodeAnalysis;

namespace Specgen.Generator.Diagnostics;

/// <summary>
/// A diagnostic as a pipeline value: the descriptor's id, the message arguments and an
/// equatable location. Turned into a <see cref="Diagnostic"/> only when reported.
/// </summary>
/// <param name="Pointer">The JSON pointer of the construct in the spec, part of every message.</param>
internal sealed record DiagnosticInfo(string Id, string Detail, string Pointer, LocationInfo? Location)
{
    public Diagnostic ToDiagnostic()
    {
        DiagnosticDescriptor descriptor = DiagnosticDescriptors.ById(Id);
        return Diagnostic.Create(descriptor, Location?.ToLocation() ?? Microsoft.CodeAnalysis.Location.None, Detail, Pointer.Length == 0 ? "#" : "#" + Pointer);
    }
}
