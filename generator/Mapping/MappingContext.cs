using System.Collections.Generic;
using System.Threading;
using Specgen.Generator.Diagnostics;
using Specgen.Generator.Model;
using Specgen.Generator.Reading;

namespace Specgen.Generator.Mapping;

/// <summary>What the mappers of one spec share: the namespace, the type names taken, the types made, the diagnostics.</summary>
internal sealed class MappingContext(SpecDocument document, string @namespace, string clientName, CancellationToken cancellationToken)
{
    public string Namespace { get; } = @namespace;

    public string ClientName { get; } = clientName;

    public CancellationToken CancellationToken { get; } = cancellationToken;

    // The client's name is taken first so that no schema can shadow it.
    public NameScope TypeNames { get; } = new(new[] { clientName, clientName + "JsonTypeInfoResolver" });

    /// <summary>A name for a generated type and its <c>…JsonConverter</c>.</summary>
    public string ClaimTypeName(string wanted) => TypeNames.ClaimWith(wanted, "JsonConverter");

    public List<TypeModel> Types { get; } = new();

    public List<DiagnosticInfo> Diagnostics { get; } = new();

    public void Report(string id, string detail, string pointer) =>
        Diagnostics.Add(new DiagnosticInfo(id, detail, pointer, document.Locate(pointer)));

    public static string Escape(string segment) => segment.Replace("~", "~0").Replace("/", "~1");
}
