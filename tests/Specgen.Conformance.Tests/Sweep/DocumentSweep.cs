using System;
using System.Collections.Generic;
using System.Collections.Immutable;
using System.Diagnostics;
using System.IO;
using System.Linq;
using System.Net.Http;
using System.Threading;
using System.Threading.Tasks;
using Microsoft.CodeAnalysis;
using Specgen.Conformance.Tests.Outcomes;
using Specgen.Conformance.Tests.Values;
using Specgen.Generator.Model;
using Specgen.Generator.Tests;
using Specgen.Runtime;

namespace Specgen.Conformance.Tests.Sweep;

/// <summary>Where the time of one document went (for the test output; never on the page, which must not vary between runs).</summary>
internal sealed record DocumentTimings(TimeSpan Generate, TimeSpan Compile, TimeSpan PrismStart, TimeSpan Calls, TimeSpan Total)
{
    public override string ToString() =>
        $"generate {Generate.TotalSeconds:0.0} s, compile and load {Compile.TotalSeconds:0.0} s, Prism start {PrismStart.TotalSeconds:0.0} s (beside the compile), calls {Calls.TotalSeconds:0.0} s, in all {Total.TotalSeconds:0.0} s";
}

/// <summary>The sweep of one document: every call, how long it took, and what happened to Prism.</summary>
/// <param name="Failure">Why the document could not be swept at all (the generator crashed, Prism never started), or null.</param>
internal sealed record DocumentResult(CorpusDocument Document, int Operations, IReadOnlyList<CallRecord> Calls, DocumentTimings Timings, IReadOnlyList<string> PrismRestarts, IReadOnlyList<string> SetupNotes, string? Failure)
{
    public int Count(Outcome outcome) => Calls.Count(c => c.Outcome == outcome);
}

/// <summary>
/// Sweeps one document: generates its client in this process (the generator's own client model
/// names each operation's method and arguments), compiles and loads it while Prism starts, then
/// calls every operation in document order, one at a time (Prism's dynamic mode serves one
/// request at a time).
/// </summary>
internal static class DocumentSweep
{
    /// <summary>
    /// Per try: a healthy Prism answers in well under a second, and json-schema-faker on Xero's
    /// recursive schemas takes up to about 15 s before it gives up with a 500; longer is a stall.
    /// </summary>
    public static readonly TimeSpan TimeoutPerTry = TimeSpan.FromSeconds(30);

    /// <summary>Bounds a whole call, streaming included (the per-try timeout ends when a stream's headers arrive).</summary>
    public static readonly TimeSpan CallBound = TimeoutPerTry + TimeSpan.FromSeconds(10);

    public static async Task<DocumentResult> RunAsync(CorpusDocument document, CancellationToken cancellationToken)
    {
        var total = Stopwatch.StartNew();
        var generating = Stopwatch.StartNew();
        GeneratorDriver driver = GeneratorHarness.CreateDriver(document.AdditionalFiles(), CorpusDocument.ProjectOptions);
        driver = driver.RunGeneratorsAndUpdateCompilation(
            GeneratorHarness.CreateCompilation("namespace Consumer { internal static class Placeholder { } }"),
            out Compilation output,
            out ImmutableArray<Diagnostic> _);
        GeneratorDriverRunResult run = driver.GetRunResult();
        ClientModel? client = CorpusHarness.ClientsOf(run).SingleOrDefault();
        generating.Stop();
        KeepGeneratedSources(document, run);
        List<OperationModel> operations = client is null ? new() : ClientSetup.AllOperations(client).ToList();
        if (client is null || operations.Count == 0)
        {
            // Webhooks only: nothing to call, and no route for Prism to serve.
            return new DocumentResult(document, 0, Array.Empty<CallRecord>(), new DocumentTimings(generating.Elapsed, TimeSpan.Zero, TimeSpan.Zero, TimeSpan.Zero, total.Elapsed), Array.Empty<string>(), Array.Empty<string>(), null);
        }

        var prismStart = Stopwatch.StartNew();
        Task<PrismMock> starting = Task.Run(async () =>
        {
            PrismMock started = await PrismMock.StartAsync(document);
            prismStart.Stop();
            return started;
        });
        var compiling = Stopwatch.StartNew();
        GeneratedAssembly generated;
        try
        {
            generated = await Task.Run(() => GeneratedAssembly.FromCompilation(output, client.Namespace, client.Name));
        }
        catch
        {
            // No Prism may outlive its document.
            (await starting.ContinueWith(t => t.IsCompletedSuccessfully ? t.Result : null, TaskScheduler.Default))?.Dispose();
            throw;
        }

        compiling.Stop();
        using (generated)
        {
            PrismMock prism;
            try
            {
                prism = await starting;
            }
            catch (Exception ex)
            {
                return new DocumentResult(document, operations.Count, Array.Empty<CallRecord>(), new DocumentTimings(generating.Elapsed, compiling.Elapsed, prismStart.Elapsed, TimeSpan.Zero, total.Elapsed), Array.Empty<string>(), Array.Empty<string>(), $"Prism did not start: {ex.Message}");
            }

            using (prism)
            {
                var calling = Stopwatch.StartNew();
                (List<CallRecord> calls, IReadOnlyList<string> notes) = await CallEveryOperationAsync(document, operations, generated, client, prism, cancellationToken);
                prism.Dispose(); // before the second Prism starts: Prism on Xero holds over a GB
                await CallAgainInAnotherModeAsync(document, operations, calls, generated, client, cancellationToken);
                calling.Stop();
                var timings = new DocumentTimings(generating.Elapsed, compiling.Elapsed, prismStart.Elapsed, calling.Elapsed, total.Elapsed);
                return new DocumentResult(document, operations.Count, calls, timings, prism.Restarts, notes, null);
            }
        }
    }

    private static async Task<(List<CallRecord> Calls, IReadOnlyList<string> Notes)> CallEveryOperationAsync(CorpusDocument document, List<OperationModel> operations, GeneratedAssembly generated, ClientModel client, PrismMock prism, CancellationToken cancellationToken)
    {
        var caller = new OperationCaller(document.Name, new SpecTree(document.FullPath(document.Name)), generated, CallBound);
        var calls = new List<CallRecord>();
        var recorder = new RequestRecorder();
        HttpClient http = NewHttpClient(recorder);
        try
        {
            object api = NewClient(generated, client, prism, http, out IReadOnlyList<string> notes);
            foreach (OperationModel operation in operations)
            {
                cancellationToken.ThrowIfCancellationRequested();
                recorder.Clear();
                CallRecord call = await caller.CallAsync(api, operation);
                calls.Add(call.Outcome == Outcome.Accepted ? call : call with { Sent = recorder.Last });
                if (call.Outcome == Outcome.PrismFailed && (prism.HasExited || call.Findings[0].ExceptionType is not null))
                {
                    // A stalled Prism still works on the request it gave up on, and serves nothing
                    // else until it is done; a crashed one serves nothing at all.
                    string why = $"{operation.OperationId}: {call.Findings[0].Text}; Prism {(prism.HasExited ? "had exited" : "was still running")}, its last lines: {prism.Tail(6)}";
                    http.Dispose();
                    await prism.RestartAsync(why);
                    recorder = new RequestRecorder();
                    http = NewHttpClient(recorder);
                    api = NewClient(generated, client, prism, http, out _);
                }
            }

            return (calls, notes);
        }
        finally
        {
            http.Dispose();
        }
    }

    /// <summary>
    /// Calls once more each operation Prism could not answer in dynamic mode, against a Prism in
    /// the mode that can (<see cref="CallRecord.RetryMode"/>): one that leaves optional members
    /// out where json-schema-faker threw on them, a static one where the response gives examples
    /// but no schema. The first pass keeps the optional members for every other operation, so
    /// that the client reads them; the page counts the calls made again.
    /// </summary>
    private static async Task CallAgainInAnotherModeAsync(CorpusDocument document, List<OperationModel> operations, List<CallRecord> calls, GeneratedAssembly generated, ClientModel client, CancellationToken cancellationToken)
    {
        foreach (IGrouping<PrismMode, int> again in Enumerable.Range(0, calls.Count).Where(i => calls[i].RetryMode is not null).GroupBy(i => calls[i].RetryMode!.Value))
        {
            using PrismMock other = await PrismMock.StartAsync(document, again.Key);

            // One call per operation, in order: call i is operation i's.
            List<int> indexes = again.ToList();
            (List<CallRecord> second, _) = await CallEveryOperationAsync(document, indexes.Select(i => operations[i]).ToList(), generated, client, other, cancellationToken);
            for (int k = 0; k < indexes.Count; k++)
            {
                calls[indexes[k]] = second[k] with { AnsweredIn = again.Key };
            }
        }
    }

    /// <summary>Where the generated code of <paramref name="document"/> is written, for whoever checks a cause against it.</summary>
    public static string GeneratedSourcesFolder(CorpusDocument document) =>
        Path.Combine(AppContext.BaseDirectory, "generated", document.Name.Replace('/', '_'));

    private static void KeepGeneratedSources(CorpusDocument document, GeneratorDriverRunResult run)
    {
        string folder = GeneratedSourcesFolder(document);
        if (Directory.Exists(folder))
        {
            Directory.Delete(folder, recursive: true);
        }

        Directory.CreateDirectory(folder);
        foreach (GeneratedSourceResult source in run.Results.SelectMany(r => r.GeneratedSources))
        {
            File.WriteAllText(Path.Combine(folder, source.HintName), source.SourceText.ToString());
        }
    }

    private static HttpClient NewHttpClient(RequestRecorder recorder) => new(recorder) { Timeout = Timeout.InfiniteTimeSpan };

    private static object NewClient(GeneratedAssembly generated, ClientModel client, PrismMock prism, HttpClient http, out IReadOnlyList<string> notes) =>
        Activator.CreateInstance(generated.Type(client.Name), ClientSetup.Options(prism.Root, TimeoutPerTry, generated, client, out notes), http)!;
}
