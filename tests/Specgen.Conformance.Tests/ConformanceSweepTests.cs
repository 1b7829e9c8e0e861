using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using System.Threading.Tasks;
using Specgen.Conformance.Tests.Outcomes;
using Specgen.Conformance.Tests.Sweep;
using Specgen.Generator.Tests;
using Xunit.Abstractions;

namespace Specgen.Conformance.Tests;

/// <summary>
/// The conformance sweep: every operation of every document of the shared corpus, generated and
/// called against Prism's validating mock of that document (see <see cref="DocumentSweep"/>). A
/// document passes when no call is refused for missing credentials or an unknown route, and every
/// other failure has a cause in <see cref="CauseCatalog"/>; docs/compatibility.md shows the counts
/// and the causes, regenerated with <c>UPDATE_COMPATIBILITY=1</c> like the rest of the page.
/// </summary>
public sealed class ConformanceSweepTests(SweepRun sweep, ITestOutputHelper output) : IClassFixture<SweepRun>
{
    public static IEnumerable<object[]> Documents => CorpusDocuments.All.Select(d => new object[] { d.Name });

    [SharedCorpusTheory]
    [MemberData(nameof(Documents))]
    public async Task Every_operation_is_accepted_by_the_mock_or_fails_for_a_catalogued_cause(string document)
    {
        DocumentResult result = await sweep.Of(document);
        Describe(result);

        Assert.True(result.Failure is null, result.Failure);
        var explained = SweepPage.Explain(result).ToList();
        var credentials = explained.Where(e => e.Finding.Status is 401 or 403).ToList();
        var routes = explained.Where(e => e.Finding.Status == 405 || (e.Finding.Status == 404 && e.Finding.Text.StartsWith("NO_PATH_MATCHED_ERROR", StringComparison.Ordinal))).ToList();
        var unexplained = explained.Where(e => e.Cause is null).Except(credentials).Except(routes).ToList();
        Assert.True(
            credentials.Count == 0 && routes.Count == 0 && unexplained.Count == 0,
            $"{document}: {credentials.Count} call(s) refused for credentials (401/403), {routes.Count} sent to a route or method the document does not have (404/405), "
            + $"{unexplained.Count} failure(s) of no catalogued cause:\n"
            + string.Join("\n", credentials.Concat(routes).Concat(unexplained).Take(40).Select(e => $"  {e.Call.OperationId} ({e.Call.Method}): {e.Finding}")));
    }

    [SharedCorpusFact]
    public async Task The_compatibility_page_shows_what_the_sweep_found_and_every_catalogued_cause_still_occurs()
    {
        IReadOnlyList<DocumentResult> results = await sweep.AllAsync();
        output.WriteLine($"Swept {results.Sum(r => r.Calls.Count)} operations of {results.Count} documents; per document:");
        foreach (DocumentResult result in results)
        {
            output.WriteLine($"  {result.Document.Name,-45} {result.Calls.Count,4} calls  {result.Timings}");
        }

        // Every call and finding, one per line, for whoever checks a cause (next to the generated code, see DocumentSweep).
        string table = Path.Combine(AppContext.BaseDirectory, "sweep-results.tsv");
        File.WriteAllLines(table, SweepPage.Table(results));
        output.WriteLine($"In all {sweep.Elapsed.TotalSeconds:0} s on two lanes; every call and finding: {table}");

        string region = SweepPage.Render(results);
        output.WriteLine(region);
        var seen = results.SelectMany(SweepPage.Explain).Select(e => e.Cause).OfType<Cause>().ToHashSet();
        var stale = CauseCatalog.All.Where(c => !seen.Contains(c)).Select(c => c.Key).ToList();
        Assert.True(stale.Count == 0, $"The catalog explains failures that no longer happen; remove these causes: {string.Join(", ", stale)}");

        string checkedIn = CompatibilityFile.ReadCheckedIn();
        string produced = CompatibilityFile.Compose(CompatibilityFile.CorpusPart(checkedIn), region);
        if (CompatibilityFile.UpdateRequested)
        {
            CompatibilityFile.Write(produced);
            Assert.Fail($"{CompatibilityFile.UpdateVariable}=1: rewrote the sweep's region of {CompatibilityFile.Path}. Review the diff, then run again without {CompatibilityFile.UpdateVariable}; this run fails on purpose.");
        }

        string? difference = Baselines.FirstDifference(checkedIn, produced);
        Assert.True(difference is null, $"docs/compatibility.md is not what the sweep found ({difference}). If the change is intended, run with {CompatibilityFile.UpdateVariable}=1 and review the diff.");
    }

    [Fact]
    public void Every_cause_of_the_catalog_has_its_own_key_an_explanation_and_for_a_client_bug_an_issue()
    {
        Assert.Equal(CauseCatalog.All.Count, CauseCatalog.All.Select(c => c.Key).Distinct(StringComparer.Ordinal).Count());
        Assert.All(CauseCatalog.All, cause =>
        {
            Assert.Matches("^[a-z0-9]+(-[a-z0-9]+)*$", cause.Key);
            Assert.False(string.IsNullOrWhiteSpace(cause.Explanation), cause.Key);
            Assert.Equal(cause.Verdict == Verdict.ClientBug, cause.Issue is not null);
        });
    }

    private void Describe(DocumentResult result)
    {
        output.WriteLine($"{result.Document.Name}: {result.Operations} operations; {result.Timings}");
        output.WriteLine($"  generated code: {DocumentSweep.GeneratedSourcesFolder(result.Document)}");
        foreach (string note in result.SetupNotes)
        {
            output.WriteLine($"  setup: {note}");
        }

        foreach (string restart in result.PrismRestarts)
        {
            output.WriteLine($"  Prism restarted after {restart}");
        }

        foreach (IGrouping<Outcome, CallRecord> outcome in result.Calls.GroupBy(c => c.Outcome).OrderBy(g => g.Key))
        {
            output.WriteLine($"  {outcome.Key}: {outcome.Count()}");
        }

        output.WriteLine($"  slowest calls: {string.Join(", ", result.Calls.OrderByDescending(c => c.Elapsed).Take(8).Select(c => $"{c.OperationId} {c.Elapsed.TotalSeconds:0.0} s"))}");

        foreach (SweepPage.Explained failure in SweepPage.Explain(result))
        {
            output.WriteLine($"  [{failure.Cause?.Key ?? "UNEXPLAINED"}] {failure.Call.OperationId} ({failure.Call.Method}, {failure.Call.Elapsed.TotalSeconds:0.0} s): {failure.Finding}");
        }
    }
}
