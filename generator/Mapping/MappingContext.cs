using System;
using System.Collections.Generic;
using System.Threading;
using Specgen.Generator.Diagnostics;
using Specgen.Generator.Model;
using Specgen.Generator.Reading;

namespace Specgen.Generator.Mapping;

/// <summary>What the mappers of one spec share: the namespace, the type names taken, the types made, the diagnostics.</summary>
internal sealed class MappingContext(Func<string, LocationInfo> locate, WrittenReferences references, string @namespace, string clientName, TargetFeatures target, CancellationToken cancellationToken)
{
    public string Namespace { get; } = @namespace;

    /// <summary>What the project's framework has that the mapping of a type depends on.</summary>
    public TargetFeatures Target { get; } = target;

    public string ClientName { get; } = clientName;

    public CancellationToken CancellationToken { get; } = cancellationToken;

    // The client's name is taken first so that no schema can shadow it; the names of the types
    // nested in models and unions, so that no type contains a member of its own name.
    public NameScope TypeNames { get; } = new(MemberNaming.ReservedTypeNames(clientName));

    /// <summary>A name for a generated type and its <c>…JsonConverter</c>.</summary>
    public string ClaimTypeName(string wanted) => TypeNames.ClaimWith(wanted, "JsonConverter");

    public TypeList Types { get; } = new();

    public List<DiagnosticInfo> Diagnostics { get; } = new();

    /// <param name="complete">The detail says everything, so the descriptor's own wording ("The OpenAPI reader reports: …") is left out.</param>
    public void Report(string id, string detail, string pointer, bool complete = false) =>
        Diagnostics.Add(new DiagnosticInfo(id, detail, pointer, locate(pointer)) { DetailIsComplete = complete });

    /// <summary>SPEC007: one of our extensions (or a vendor's we read) is malformed and left out; <paramref name="pointer"/> is where it is.</summary>
    public void IgnoreExtension(string extension, string problem, string pointer) =>
        Report(DiagnosticDescriptors.InvalidExtension.Id, $"{extension} is ignored: {problem}", pointer);

    public static string Escape(string segment) => segment.Replace("~", "~0").Replace("/", "~1");

    /// <summary>
    /// The <c>$ref</c> written at <paramref name="pointer"/> in the document, or null when the
    /// object there has none (or the pointer does not lead to one, as in a Swagger 2.0 document,
    /// whose layout the pointers of the OpenAPI 3 object model do not follow). See <see cref="WrittenReferences"/>.
    /// </summary>
    public string? RefAt(string pointer) => references.At(pointer);
}
