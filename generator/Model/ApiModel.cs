using Specgen.Generator.Diagnostics;

namespace Specgen.Generator.Model;

/// <summary>Everything generated from one spec.</summary>
internal sealed record ApiModel(EquatableArray<TypeModel> Types, ClientModel Client);

/// <summary>
/// The outcome of the Parse step. Diagnostics travel beside the model so that they can be reported
/// on their own output: a moved line changes only them, never the emitted code.
/// </summary>
internal sealed record ParseResult(ApiModel? Model, EquatableArray<DiagnosticInfo> Diagnostics);
