using System;
using System.Collections.Generic;
using System.Linq;

namespace Specgen.Conformance.Tests.Outcomes;

/// <summary>How one call of a generated method ended.</summary>
internal enum Outcome
{
    /// <summary>Prism answered 2xx and the client read the typed value (or the first event, or the end of the stream).</summary>
    Accepted,

    /// <summary>Prism answered 4xx: the request does not match the document (422), lacks credentials (401), has no route (404), ...</summary>
    Refused,

    /// <summary>Prism answered 2xx and the client could not read the body as the type the document declares.</summary>
    Unreadable,

    /// <summary>No request was sent: the sweep had no value for an argument, or the generated method threw before sending.</summary>
    NotBuilt,

    /// <summary>The client threw something else (not an API error).</summary>
    ClientException,

    /// <summary>Prism itself failed: no answer in time, a crash, or a 5xx of its own.</summary>
    PrismFailed,
}

/// <summary>
/// One fact about a call that did not succeed: one violation Prism listed, or the one exception.
/// <see cref="Text"/> is what a cause's pattern reads.
/// </summary>
internal sealed record Finding(Outcome Outcome, int? Status, string Text, string? ExceptionType = null)
{
    public override string ToString() =>
        $"{Outcome}{(Status is { } status ? " " + status : string.Empty)}{(ExceptionType is { } type ? " " + type : string.Empty)}: {Text}";
}

/// <summary>One generated method called once, and how it ended.</summary>
/// <param name="Method">The C# method called, such as <c>ListPetsWithResponseAsync</c>.</param>
/// <param name="Findings">Empty for <see cref="Outcome.Accepted"/>; at least one otherwise.</param>
internal sealed record CallRecord(string Document, string OperationId, string Method, Outcome Outcome, int? Status, IReadOnlyList<Finding> Findings, TimeSpan Elapsed)
{
    /// <summary>For a failed call: the request as it went out (see <c>RequestRecorder</c>), or null when none did.</summary>
    public string? Sent { get; init; }

    /// <summary>For an unreadable 2xx: the start of the body the client could not read, the evidence of whose fault it is.</summary>
    public string? Received { get; init; }

    /// <summary>
    /// The mode of the Prism whose answer this is: a call Prism could not answer in dynamic mode
    /// is made again in another (see <c>DocumentSweep</c>).
    /// </summary>
    public Sweep.PrismMode AnsweredIn { get; init; } = Sweep.PrismMode.Dynamic;

    /// <summary>
    /// The mode in which Prism could answer a call it could not answer in dynamic mode, or null:
    /// json-schema-faker threw (Prism's 500 <c>UNKNOWN</c>), or the response has no schema to
    /// generate from.
    /// </summary>
    public Sweep.PrismMode? RetryMode =>
        Outcome != Outcome.PrismFailed || Status != 500 ? null
        : Findings[0].Text.Contains("schema is not defined", StringComparison.Ordinal) ? Sweep.PrismMode.Static
        : Findings[0].Text.StartsWith("UNKNOWN: ", StringComparison.Ordinal) ? Sweep.PrismMode.DynamicRequiredMembersOnly
        : null;

    public static CallRecord Accepted(string document, string operationId, string method, int status, TimeSpan elapsed) =>
        new(document, operationId, method, Outcome.Accepted, status, Array.Empty<Finding>(), elapsed);

    public static CallRecord Failed(string document, string operationId, string method, IReadOnlyList<Finding> findings, TimeSpan elapsed) =>
        new(document, operationId, method, findings[0].Outcome, findings[0].Status, findings, elapsed);

    public override string ToString() =>
        $"{OperationId} ({Method}): {Outcome}{(Status is { } status ? " " + status : string.Empty)}{(Findings.Count > 0 ? " - " + string.Join(" | ", Findings.Select(f => f.Text)) : string.Empty)}";
}
