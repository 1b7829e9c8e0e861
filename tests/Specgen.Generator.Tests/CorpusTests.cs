using System;
using System.Collections.Concurrent;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using System.Globalization;
using System.Text;
using System.Text.RegularExpressions;
using Xunit.Abstractions;

namespace Specgen.Generator.Tests;

/// <summary>
/// The real-world corpus (<c>../shared/specs/</c>, see its SOURCES.md): each of the 25 published
/// documents, added to a project the way a user adds it, must generate without an exception or a
/// hang and compile with nullable enabled and warnings as errors; what it cannot support is a
/// located diagnostic. The table of the results is docs/compatibility.md, which this test
/// regenerates with <c>UPDATE_COMPATIBILITY=1</c> (and then fails, like the baselines) and
/// otherwise compares.
/// </summary>
public sealed class CorpusTests(CorpusTests.Runs runs, ITestOutputHelper output) : IClassFixture<CorpusTests.Runs>
{
    /// <summary>
    /// A hang bound, not a benchmark: the slowest document (OpenAI's, 2.8 MB) generates in about
    /// 3 s and compiles in about 10 s on our 2-core machine; CI runs other test classes at the same
    /// time.
    /// </summary>
    private static readonly TimeSpan BoundPerDocument = TimeSpan.FromSeconds(180);

    public static IEnumerable<object[]> DocumentNames => CorpusDocuments.All.Select(d => new object[] { d.Name });

    [SharedCorpusFact]
    public void Every_file_of_the_shared_corpus_belongs_to_exactly_one_listed_document()
    {
        string root = CorpusDocuments.Root;
        var present = Directory.GetFiles(root, "*", SearchOption.AllDirectories)
            .Select(f => Path.GetRelativePath(root, f).Replace('\\', '/'))
            .Where(f => f != "SOURCES.md")
            .OrderBy(f => f, StringComparer.Ordinal)
            .ToList();
        var listed = CorpusDocuments.All.SelectMany(d => d.Files).OrderBy(f => f, StringComparer.Ordinal).ToList();

        Assert.Equal(present, listed);
        Assert.Equal(25, CorpusDocuments.All.Count);
    }

    [SharedCorpusTheory]
    [MemberData(nameof(DocumentNames))]
    public void Each_document_generates_without_crash_or_hang_and_compiles_without_a_warning(string document)
    {
        CorpusRun run = runs.Of(document);
        output.WriteLine($"{document}: {run.Operations} operations, {run.Models} models, {run.Diagnostics.Count} diagnostics, generated in {run.GenerateTime.TotalSeconds:0.0} s, compiled in {run.CompileTime.TotalSeconds:0.0} s");
        output.WriteLine(run.DescribeDiagnostics(50));

        Assert.True(run.Failure is null, run.Failure);
        foreach (IGrouping<KnownCompileBug, string> known in KnownCompileBug.Explained(run))
        {
            output.WriteLine($"Known bug, not failed here ({known.Count()} errors): {known.Key.Description}");
        }

        IReadOnlyList<string> unexplained = KnownCompileBug.Unexplained(run);
        Assert.True(unexplained.Count == 0, $"{document}: the generated code does not compile cleanly:\n{string.Join("\n", unexplained.Take(30))}");
        Assert.DoesNotContain(run.Diagnostics, d => d.Id == "SPEC005");
        Assert.All(run.Diagnostics, d => Assert.True(d.File is not null && d.Line > 0, $"Not located: {d}"));
    }

    [SharedCorpusFact]
    public void The_complete_OpenAI_document_generates_every_operation_and_compiles()
    {
        CorpusDocument openAi = CorpusDocuments.All.Single(d => d.Name == "openai/openapi.yaml");
        CorpusRun run = runs.Of(openAi.Name);

        Assert.True(run.Failure is null, run.Failure);
        Assert.Empty(KnownCompileBug.Unexplained(run));
        int declared = openAi.DeclaredOperations();
        Assert.True(declared >= 280, $"The OpenAI document declares {declared} operations; expected about 290.");

        IReadOnlyCollection<string> leftOut = CompatibilityPage.OperationsLeftOut(run);
        Assert.True(leftOut.Count == 0, $"Operations left out: {string.Join(", ", leftOut)}");
        Assert.Equal(declared, run.Operations);
        Assert.True(run.Models >= 1400, $"{run.Models} models generated; the document has about 1,400 schemas.");
    }

    [SharedCorpusFact]
    public void The_compatibility_page_is_the_table_the_corpus_produces()
    {
        var rows = CorpusDocuments.All.Select(d => (Document: d, Run: runs.Of(d.Name))).ToList();
        foreach ((CorpusDocument document, CorpusRun run) in rows)
        {
            output.WriteLine($"{document.Name,-45} generate {run.GenerateTime.TotalSeconds,5:0.0} s  compile {run.CompileTime.TotalSeconds,5:0.0} s  {run.GeneratedCharacters / 1024,6} KiB generated");
        }

        string page = CompatibilityPage.Render(rows);
        output.WriteLine(page);
        IReadOnlyList<string> unexplained = CompatibilityPage.Unexplained(rows);
        Assert.True(unexplained.Count == 0, $"{unexplained.Count} diagnostic(s) of a kind docs/compatibility.md does not explain; add the kind to CompatibilityPage.Kinds:\n{string.Join("\n", unexplained.Take(20))}");
        // The conformance sweep's region (tests/Specgen.Conformance.Tests) is kept as it is checked in.
        string checkedIn = CompatibilityFile.ReadCheckedIn();
        string produced = CompatibilityFile.Compose(page, CompatibilityFile.SweepRegion(checkedIn));
        if (CompatibilityFile.UpdateRequested)
        {
            CompatibilityFile.Write(produced);
            Assert.Fail($"{CompatibilityPage.UpdateVariable}=1: rewrote {CompatibilityFile.Path}. Review the diff, then run again without {CompatibilityPage.UpdateVariable}; this run fails on purpose.");
        }

        string? difference = Baselines.FirstDifference(checkedIn, produced);
        Assert.True(difference is null, $"docs/compatibility.md is not what the corpus produces now ({difference}). If the change is intended, run with {CompatibilityPage.UpdateVariable}=1 and review the diff.");
    }

    /// <summary>One run per document, shared by the tests of the class and made on first use.</summary>
    public sealed class Runs
    {
        private readonly ConcurrentDictionary<string, Lazy<CorpusRun>> _runs = new(StringComparer.Ordinal);

        internal CorpusRun Of(string name) =>
            _runs.GetOrAdd(name, n => new Lazy<CorpusRun>(() => CorpusDocuments.All.Single(d => d.Name == n).Run(BoundPerDocument))).Value;
    }
}

/// <summary>
/// A compile error of generated code whose cause is known and belongs to code this test does not
/// own (the emitters). It is shown on the page and in the output instead of failing the document;
/// when it is fixed the page changes, and its entry here should go.
/// </summary>
internal sealed record KnownCompileBug(string Id, string Description)
{
    // Empty today: CS9042 (required members marked [Obsolete]) was listed here until ObjectEmitter fixed it.
    public static readonly IReadOnlyList<KnownCompileBug> All = Array.Empty<KnownCompileBug>();

    public static KnownCompileBug? Of(string diagnostic) => All.FirstOrDefault(bug => diagnostic.Contains($"error {bug.Id}:", StringComparison.Ordinal) || diagnostic.Contains($"warning {bug.Id}:", StringComparison.Ordinal));

    public static IEnumerable<IGrouping<KnownCompileBug, string>> Explained(CorpusRun run) =>
        run.CompileDiagnostics.Where(d => Of(d) is not null).GroupBy(d => Of(d)!);

    public static IReadOnlyList<string> Unexplained(CorpusRun run) => run.CompileDiagnostics.Where(d => Of(d) is null).ToList();
}

/// <summary>docs/compatibility.md, rendered from the runs. Nothing in it may vary between runs of the same code (no timings).</summary>
internal static class CompatibilityPage
{
    public const string UpdateVariable = CompatibilityFile.UpdateVariable;

    private static readonly Regex PointerAtEnd = new(@"\(at #(?<pointer>/[^)]*)\)$", RegexOptions.CultureInvariant);

    /// <summary>
    /// Every kind of diagnostic the corpus may produce, with the verdict the page gives it. A
    /// diagnostic that matches none fails the page test: whoever makes it appear must explain it here.
    /// </summary>
    public static readonly IReadOnlyList<DiagnosticKind> Kinds = new DiagnosticKind[]
    {
        new("SPEC003", @"^The request body of '[^']*' is not JSON \([^)]*application/x-www-form-urlencoded", "Form-encoded request body", Verdict.NotYet,
            "`application/x-www-form-urlencoded` bodies (Twilio, Slack, Box's OAuth) are not generated yet; the operation is left out."),
        new("SPEC003", @"^The request body of '[^']*' is not JSON \([^)]*multipart/form-data", "Multipart request body", Verdict.NotYet,
            "File uploads as `multipart/form-data` are not generated yet; the operation is left out."),
        new("SPEC003", @"^The request body of '[^']*' is not JSON \(", "Binary request body", Verdict.NotYet,
            "A raw upload (`application/octet-stream`, `image/jpeg`) would be a `Stream` argument; not generated yet, so the operation is left out."),
        new("SPEC003", @"^The \S+ response of '[^']*' is not JSON \(", "Binary or text response", Verdict.NotYet,
            "A download (`application/octet-stream`, `application/pdf`, images, `text/csv`, `text/html`) would be a `Stream` result; not generated yet, so the operation is left out."),
        new("SPEC003", @"^The parameter '[^']*' of '[^']*' has a (Array|Map|Object|Union) schema", "Structured parameter", Verdict.NotYet,
            "A header array, a `deepObject` query object or map, or a union-typed parameter has no serialization in the client yet; the operation is left out."),
        new("SPEC003", @"^The cookie parameter '", "Cookie parameter", Verdict.NotYet,
            "Cookie parameters are not sent yet; the operation is generated without them."),
        new("SPEC004", @"^The OpenAPI reader reports: Expected scalar value\.", "`type` given as a list in Swagger 2.0", Verdict.SpecError,
            "Swagger 2.0 requires `type` to be one string; Slack's document writes `type: [string, null]` (a JSON Schema / OpenAPI 3.1 form). The reader drops the keyword, so the member is typed from the rest of its schema (raw JSON when nothing else says)."),
        new("SPEC004", @"^'items' must be a schema \(an object\), not a list", "Tuple `items` in Swagger 2.0", Verdict.SpecError,
            "Swagger 2.0 requires `items` to be one schema; Slack's document uses a list (a tuple). The keyword is ignored, so the items are raw JSON."),
        new("SPEC004", @"^The OpenAPI reader reports: The path signature '[^']*' MUST be unique\.", "Equivalent path templates", Verdict.SpecError,
            "OpenAPI forbids two templated paths that differ only in parameter names (`/Contacts/{ContactID}` and `/Contacts/{ContactNumber}`): a server cannot tell them apart. The warning is kept; both operations are still generated, each with its own method."),
        new("SPEC004", @"^The OpenAPI reader reports: Schema .*must contain property specified in the discriminator type in the required field list", "Discriminator property not required", Verdict.SpecError,
            "OpenAI's `CodeInterpreterToolCall.outputs` (and its beta twin) puts a `discriminator` on the array schema itself, besides the right one on the `oneOf` of its items; an array has no `type` member to require, so the reader's validation flags it. A discriminator on a schema that is not a union means nothing to Specgen; the items' `oneOf` has its own."),
        new("SPEC007", @"^x-enum-varnames is ignored: it has \d+ entries for the \d+ values of `enum`", "Enum names that do not match the values", Verdict.SpecError,
            "Xero's `CurrencyCode` lists 169 names in `x-enum-varnames` for its 168 values (the last, `EMPTY_CURRENCY`, has no value), so no name can be trusted to belong to its value. The names are ignored and each member is named from its value, as without the extension."),
    };

    /// <summary>The operations (their pointers) that a diagnostic of the run says are left out.</summary>
    public static IReadOnlyCollection<string> OperationsLeftOut(CorpusRun run) =>
        run.Diagnostics
            .Where(d => d.Message.Contains("the operation is left out", StringComparison.Ordinal) || d.Message.Contains("is left out (at #/paths/", StringComparison.Ordinal))
            .Select(d => PointerAtEnd.Match(d.Message))
            .Where(m => m.Success)
            .Select(m => string.Join("/", m.Groups["pointer"].Value.Split('/').Take(4)))
            .ToHashSet(StringComparer.Ordinal);

    /// <summary>The diagnostics of the rows that no <see cref="Kinds"/> explains.</summary>
    public static IReadOnlyList<string> Unexplained(IReadOnlyList<(CorpusDocument Document, CorpusRun Run)> rows) =>
        rows.SelectMany(r => r.Run.Diagnostics.Where(d => KindOf(d) is null).Select(d => $"{r.Document.Name}: {d}")).ToList();

    public static DiagnosticKind? KindOf(SpecDiagnostic diagnostic) =>
        Kinds.FirstOrDefault(k => k.Id == diagnostic.Id && k.Pattern.IsMatch(diagnostic.Message));

    public static string Render(IReadOnlyList<(CorpusDocument Document, CorpusRun Run)> rows)
    {
        var page = new StringBuilder();
        page.Append("# Compatibility with published OpenAPI documents\n\n");
        page.Append("<!-- Generated by CorpusTests (tests/Specgen.Generator.Tests/CorpusTests.cs); do not edit. To regenerate:\n");
        page.Append($"     {UpdateVariable}=1 dotnet test tests/Specgen.Generator.Tests --filter FullyQualifiedName~CorpusTests -->\n\n");
        page.Append("Specgen is tried on 25 OpenAPI documents published by API vendors and the OpenAPI Initiative\n");
        page.Append("(`../shared/specs/`, listed with their sources in its SOURCES.md; they are not part of this\n");
        page.Append("repository, and the tests that need them are skipped, with the reason, where they are absent).\n");
        page.Append("Each is added to a fresh project the way a user adds it (`<AdditionalFiles Include=\"...\" />`, no\n");
        page.Append("metadata; a multi-file document with all its files), generated, and the output compiled with\n");
        page.Append("nullable enabled and warnings as errors. The test fails on any exception escaping the generator\n");
        page.Append("(CS8785), any document that takes longer than its time bound, any compile error or warning, any\n");
        page.Append("diagnostic without a place in a file, and any diagnostic this page does not explain.\n\n");

        page.Append("| Document | Version | Operations generated | Models | Diagnostics | Compile errors and warnings |\n");
        page.Append("| --- | --- | ---: | ---: | --- | ---: |\n");
        foreach ((CorpusDocument document, CorpusRun run) in rows)
        {
            string diagnostics = run.Diagnostics.Count == 0
                ? "none"
                : string.Join(", ", run.Diagnostics.GroupBy(d => d.Id).OrderBy(g => g.Key, StringComparer.Ordinal).Select(g => $"{g.Key} x{g.Count()}"));
            string known = string.Join(", ", KnownCompileBug.Explained(run).Select(g => $"{Number(g.Count())} {g.Key.Id}, a known bug"));
            string compile = run.TimedOut ? "did not finish" : run.Crashes.Count > 0 ? "crashed"
                : Number(run.CompileDiagnostics.Count) + (known.Length > 0 ? $" ({known})" : string.Empty);
            string name = document.Referenced.Length == 0 ? document.Name : $"{document.Name} (+{document.Referenced.Length} files)";
            page.Append($"| {name} | {document.Version()} | {Number(run.Operations)} of {Number(document.DeclaredOperations())} | {Number(run.Models)} | {diagnostics} | {compile} |\n");
        }

        var bugs = rows.SelectMany(r => KnownCompileBug.Explained(r.Run).Select(g => (r.Document, Bug: g.Key, Count: g.Count()))).ToList();
        int operations = rows.Sum(r => r.Run.Operations);
        int declared = rows.Sum(r => r.Document.DeclaredOperations());
        page.Append($"\nIn all: {Number(operations)} of {Number(declared)} operations and {Number(rows.Sum(r => r.Run.Models))} models generated; ");
        page.Append($"{Number(rows.Count(r => r.Run.Finished && r.Run.CompileDiagnostics.Count == 0))} of {rows.Count} documents compile without an error or a warning");
        page.Append(bugs.Count > 0 ? " (see the known bugs below). " : ". ");
        page.Append("An operation that is not generated is always named by a diagnostic that says it is left out.\n\n");

        page.Append("## What the remaining diagnostics mean\n\n");
        page.Append("Each kind is either a construct Specgen does not support yet (the rest of the document still\n");
        page.Append("generates) or an error in the published document itself (Specgen reports it and goes on).\n\n");
        page.Append("| Kind | Id | Count | Documents | Verdict | Explanation |\n");
        page.Append("| --- | --- | ---: | --- | --- | --- |\n");
        var found = rows.SelectMany(r => r.Run.Diagnostics.Select(d => (r.Document, Kind: KindOf(d)))).Where(x => x.Kind is not null).ToList();
        foreach (DiagnosticKind kind in Kinds)
        {
            var ofKind = found.Where(x => x.Kind == kind).ToList();
            if (ofKind.Count == 0)
            {
                continue;
            }

            string documents = string.Join(", ", ofKind.Select(x => x.Document.Name).Distinct());
            string verdict = kind.Verdict == Verdict.NotYet ? "not supported yet" : "error in the document";
            page.Append($"| {kind.Title} | {kind.Id} | {Number(ofKind.Count)} | {documents} | {verdict} | {kind.Explanation} |\n");
        }

        if (bugs.Count > 0)
        {
            page.Append("\n## Known bugs\n\n");
            page.Append("Compile errors in generated code are bugs of Specgen, never of the document. These are known, and\n");
            page.Append("listed here until they are fixed:\n\n");
            page.Append("| Error | Documents | Cause |\n");
            page.Append("| --- | --- | --- |\n");
            foreach (var bug in bugs.GroupBy(b => b.Bug))
            {
                page.Append($"| {bug.Key.Id} | {string.Join(", ", bug.Select(b => $"{b.Document.Name} ({Number(b.Count)})"))} | {bug.Key.Description} |\n");
            }
        }

        page.Append("\n## What the reader works around\n\n");
        page.Append("These documents are valid but trip the libraries underneath; Specgen copes without a diagnostic:\n\n");
        page.Append("- A YAML block scalar whose only line is whitespace (`example: |+` in OpenAI's document) is valid,\n");
        page.Append("  but YamlDotNet 16.3 rejects it (aaubry/YamlDotNet#523); it is read as the string it means.\n");
        page.Append("- Swagger 2.0 allows `multipleOf`, `exclusiveMinimum`, `exclusiveMaximum`, `maxItems`, `minItems` and\n");
        page.Append("  `uniqueItems` on a query parameter (NYTimes uses `multipleOf`), and `collectionFormat` on its items;\n");
        page.Append("  Microsoft.OpenApi 3.11's 2.0 reader calls them invalid and drops them. Specgen does not report the\n");
        page.Append("  false error; the dropped keywords are not checked by the client.\n");
        page.Append("- Swagger 2.0 lets an operation list its own `schemes`, which the same reader calls invalid; and\n");
        page.Append("  OpenAPI 3.1 made an operation's `responses` optional, which the reader still demands. Neither is\n");
        page.Append("  reported (an empty `responses: {}`, and a 3.0 operation without them, still are).\n");
        page.Append("- Microsoft.OpenApi 3.11's 2.0 reader throws IndexOutOfRangeException on a whole-file `$ref: Pet.json`;\n");
        page.Append("  references into other files are resolved (or reported) before the reader sees the document.\n");
        page.Append("- Some reader errors name their place only inside the message (`... at #/paths/...`); the diagnostic\n");
        page.Append("  is put there.\n");
        return page.ToString();
    }

    private static string Number(int value) => value.ToString("N0", CultureInfo.InvariantCulture);
}

internal enum Verdict
{
    /// <summary>A construct Specgen does not support yet.</summary>
    NotYet,

    /// <summary>An error in the published document.</summary>
    SpecError,
}

/// <summary>One kind of diagnostic the corpus produces: its id, a pattern of its message, and what it means.</summary>
internal sealed class DiagnosticKind(string id, string pattern, string title, Verdict verdict, string explanation)
{
    public string Id { get; } = id;

    public Regex Pattern { get; } = new(pattern, RegexOptions.CultureInvariant);

    public string Title { get; } = title;

    public Verdict Verdict { get; } = verdict;

    public string Explanation { get; } = explanation;
}
