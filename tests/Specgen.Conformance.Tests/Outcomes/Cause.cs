using System;
using System.Text.RegularExpressions;

namespace Specgen.Conformance.Tests.Outcomes;

/// <summary>Whose the failure is.</summary>
internal enum Verdict
{
    /// <summary>The generated client (or its runtime) does something the document does not ask for; the generator team should fix it.</summary>
    ClientBug,

    /// <summary>Specgen does not support the construct yet, and says so.</summary>
    NotYet,

    /// <summary>The published document contradicts itself (an example that breaks its schema, a parameter declared twice...).</summary>
    DocumentError,

    /// <summary>Prism cannot mock or validate this part of the document; the client is not at fault.</summary>
    PrismLimit,

    /// <summary>The sweep cannot write a value the document asks for; neither the client nor the document is at fault.</summary>
    SweepLimit,
}

/// <summary>
/// One known reason for failed calls, and the rule that recognises it. Every part of the rule that
/// is set must match: the finding's text (a regex), the outcomes, the status, the exception type,
/// the document (a regex over its name) and the operation (a regex over its operationId).
/// </summary>
/// <param name="key">Stable: the page and the test output name causes by it.</param>
internal sealed class Cause(string key, Verdict verdict, string text, string explanation)
{
    private Regex? _text;
    private Regex? _document;
    private Regex? _operation;

    public string Key { get; } = key;

    public Verdict Verdict { get; } = verdict;

    /// <summary>The outcomes it explains; any when empty.</summary>
    public Outcome[] Outcomes { get; init; } = [];

    /// <summary>A regex over <see cref="Finding.Text"/>.</summary>
    public string Text { get; } = text;

    /// <summary>Why it happens, verified against the document, the generated code and Prism's answer.</summary>
    public string Explanation { get; } = explanation;

    /// <summary>For <see cref="Verdict.ClientBug"/>: the theme of the generator's issue it belongs to.</summary>
    public string? Issue { get; init; }

    public int? Status { get; init; }

    public string? ExceptionType { get; init; }

    public string? Document { get; init; }

    public string? Operation { get; init; }

    public string VerdictText => Verdict switch
    {
        Verdict.ClientBug => $"client bug (issue: {Issue})",
        Verdict.NotYet => "not supported yet",
        Verdict.DocumentError => "error in the document",
        Verdict.PrismLimit => "Prism's limit",
        Verdict.SweepLimit => "the sweep's limit",
        _ => throw new InvalidOperationException(Verdict.ToString()),
    };

    public bool Matches(string document, string operationId, Finding finding) =>
        (Outcomes.Length == 0 || Array.IndexOf(Outcomes, finding.Outcome) >= 0)
        && (Status is null || finding.Status == Status)
        && (ExceptionType is null || finding.ExceptionType == ExceptionType)
        && Pattern(ref _text, Text).IsMatch(finding.Text)
        && (Document is null || Pattern(ref _document, Document).IsMatch(document))
        && (Operation is null || Pattern(ref _operation, Operation).IsMatch(operationId));

    private static Regex Pattern(ref Regex? compiled, string pattern) =>
        compiled ??= new Regex(pattern, RegexOptions.CultureInvariant | RegexOptions.Singleline, TimeSpan.FromSeconds(1));
}
