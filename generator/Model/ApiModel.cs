using Specgen.Generator.Diagnostics;

namespace Specgen.Generator.Model;

/// <summary>Everything generated from one spec.</summary>
/// <param name="Resolver">The JSON resolver of the generated types; made by the Settings step, once it is known which types are generated.</param>
internal sealed record ApiModel(EquatableArray<TypeModel> Types, ClientModel Client, ResolverModel? Resolver = null);

/// <summary>
/// The outcome of the Parse step (and, settings applied, of the Settings step). Diagnostics travel
/// beside the model so that they can be reported on their own output: a moved line changes only
/// them, never the emitted code.
/// </summary>
/// <param name="Path">The spec file, by which the Settings step finds the spec's settings.</param>
internal sealed record ParseResult(string Path, ApiModel? Model, EquatableArray<DiagnosticInfo> Diagnostics);
