using System;
using System.Collections.Generic;
using System.Collections.Immutable;
using System.Diagnostics;
using System.IO;
using System.Linq;
using System.Threading;
using System.Threading.Tasks;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Specgen.Generator.Model;

namespace Specgen.Generator.Tests;

/// <summary>
/// Runs the generator on documents nobody wrote for it (the real-world corpus, the broken corpus,
/// the fuzzer's mutations) under a time bound, and keeps only a small summary of each run, so that
/// hundreds of runs never hold hundreds of compilations.
/// </summary>
/// <remarks>
/// A hang must fail the test, not block CI: the work runs on its own thread with a cancellation
/// token that fires at the bound (the generator honours it in its loops), and the caller stops
/// waiting a little later in any case. A run that is still going then is reported as a hang; its
/// thread is abandoned, which is acceptable in a test process that is about to report a failure.
/// </remarks>
internal static class CorpusHarness
{
    private static readonly TimeSpan Grace = TimeSpan.FromSeconds(5);

    /// <summary>
    /// Generates from <paramref name="files"/> (the first one is the spec; the others are other
    /// AdditionalFiles of the same project, such as the files a multi-file document refers to),
    /// then, when <paramref name="compile"/> is set, compiles the output with nullable enabled and
    /// warnings as errors.
    /// </summary>
    public static CorpusRun Run(IReadOnlyList<AdditionalText> files, TestOptionsProvider options, TimeSpan bound, bool compile = true)
    {
        var stopwatch = Stopwatch.StartNew();
        using var timeout = new CancellationTokenSource(bound);
        Task<CorpusRun> work = Task.Factory.StartNew(
            () => RunUnbounded(files, options, compile, timeout.Token),
            CancellationToken.None,
            TaskCreationOptions.LongRunning,
            TaskScheduler.Default);

        if (!work.Wait(bound + Grace))
        {
            return CorpusRun.Hang(files[0].Path, bound, stopwatch.Elapsed);
        }

        stopwatch.Stop();
        if (work.Exception is { } failure)
        {
            Exception inner = failure.InnerExceptions.Count == 1 ? failure.InnerExceptions[0] : failure;
            return inner is OperationCanceledException
                ? CorpusRun.Hang(files[0].Path, bound, stopwatch.Elapsed)
                : CorpusRun.Crash(files[0].Path, inner, stopwatch.Elapsed);
        }

        return work.Result with { Elapsed = stopwatch.Elapsed };
    }

    public static CorpusRun Run(string path, string text, TimeSpan bound, bool compile = true) =>
        Run(new AdditionalText[] { new InMemoryAdditionalText(path, text) }, ForceSpec(path), bound, compile);

    /// <summary>Metadata that makes <paramref name="path"/> a spec whatever its content (<c>Specgen="true"</c>), as a user forcing a broken file would.</summary>
    public static TestOptionsProvider ForceSpec(string path, string ns = "Corpus.Api", string client = "CorpusClient") =>
        new(
            new Dictionary<string, IReadOnlyDictionary<string, string>>
            {
                [path] = new Dictionary<string, string>
                {
                    ["build_metadata.AdditionalFiles.Specgen"] = "true",
                    ["build_metadata.AdditionalFiles.SpecgenNamespace"] = ns,
                    ["build_metadata.AdditionalFiles.SpecgenClientName"] = client,
                },
            },
            new Dictionary<string, string> { ["build_property.RootNamespace"] = "CorpusProject" });

    /// <summary>The generator's own model of each client it generated: its operations, their C# names and their parameters.</summary>
    public static IReadOnlyList<ClientModel> ClientsOf(GeneratorDriverRunResult run) =>
        run.Results
            .SelectMany(result => result.TrackedSteps.TryGetValue(TrackingNames.Clients, out ImmutableArray<IncrementalGeneratorRunStep> clients) ? clients : ImmutableArray<IncrementalGeneratorRunStep>.Empty)
            .SelectMany(step => step.Outputs)
            .Select(output => output.Value)
            .OfType<ClientModel>()
            .ToList();

    private static CorpusRun RunUnbounded(IReadOnlyList<AdditionalText> files, TestOptionsProvider options, bool compile, CancellationToken cancellationToken)
    {
        var generating = Stopwatch.StartNew();
        GeneratorDriver driver = GeneratorHarness.CreateDriver(files, options);
        CSharpCompilation input = GeneratorHarness.CreateCompilation("namespace Consumer { internal static class Placeholder { } }");
        driver = driver.RunGeneratorsAndUpdateCompilation(input, out Compilation output, out ImmutableArray<Diagnostic> generatorDiagnostics, cancellationToken);
        GeneratorDriverRunResult run = driver.GetRunResult();
        generating.Stop();

        var crashes = run.Results.Where(r => r.Exception is not null).Select(r => r.Exception!.ToString()).ToList();
        crashes.AddRange(generatorDiagnostics.Where(d => d.Id == "CS8785").Select(d => d.ToString()));

        // The client models say how many operations became methods; the Types step has one value
        // per file of generated models, enums and unions.
        int operations = ClientsOf(run).Sum(c => c.Operations.Count);
        int models = run.Results
            .Select(result => result.TrackedSteps.TryGetValue(TrackingNames.Types, out ImmutableArray<IncrementalGeneratorRunStep> types)
                ? types.SelectMany(step => step.Outputs).Sum(output => ((TypeFileModel)output.Value).Types.Count)
                : 0)
            .Sum();

        var compiling = Stopwatch.StartNew();
        ImmutableArray<Diagnostic> compileDiagnostics = compile
            ? output.GetDiagnostics(cancellationToken).Where(d => d.Severity >= DiagnosticSeverity.Warning).ToImmutableArray()
            : ImmutableArray<Diagnostic>.Empty;
        compiling.Stop();

        return new CorpusRun(files[0].Path)
        {
            Crashes = crashes,
            Diagnostics = generatorDiagnostics.Where(d => d.Id != "CS8785").Select(SpecDiagnostic.From).ToList(),
            CompileDiagnostics = compileDiagnostics.Select(d => d.ToString()).ToList(),
            GeneratedFiles = run.Results.Sum(r => r.GeneratedSources.Length),
            GeneratedCharacters = run.Results.Sum(r => r.GeneratedSources.Sum(s => (long)s.SourceText.Length)),
            Operations = operations,
            Models = models,
            GenerateTime = generating.Elapsed,
            CompileTime = compiling.Elapsed,
        };
    }
}

/// <summary>What one bounded run produced: counts and texts only.</summary>
internal sealed record CorpusRun(string Path)
{
    public bool TimedOut { get; init; }

    public TimeSpan Bound { get; init; }

    /// <summary>Exceptions that escaped the generator (CS8785 for a user), or that the harness met.</summary>
    public IReadOnlyList<string> Crashes { get; init; } = Array.Empty<string>();

    public IReadOnlyList<SpecDiagnostic> Diagnostics { get; init; } = Array.Empty<SpecDiagnostic>();

    /// <summary>Every warning and error of the compilation of the generated code, formatted.</summary>
    public IReadOnlyList<string> CompileDiagnostics { get; init; } = Array.Empty<string>();

    public int GeneratedFiles { get; init; }

    public long GeneratedCharacters { get; init; }

    public int Operations { get; init; }

    public int Models { get; init; }

    public TimeSpan GenerateTime { get; init; }

    public TimeSpan CompileTime { get; init; }

    public TimeSpan Elapsed { get; init; }

    public bool Finished => !TimedOut && Crashes.Count == 0;

    public static CorpusRun Hang(string path, TimeSpan bound, TimeSpan elapsed) =>
        new(path) { TimedOut = true, Bound = bound, Elapsed = elapsed };

    public static CorpusRun Crash(string path, Exception exception, TimeSpan elapsed) =>
        new(path) { Crashes = new[] { exception.ToString() }, Elapsed = elapsed };

    /// <summary>Why the run is not a finished one, for an assertion message; null when it finished.</summary>
    public string? Failure =>
        TimedOut ? $"{Path}: did not finish within {Bound.TotalSeconds:0} s (a hang, or a cancellation token the generator ignores)"
        : Crashes.Count > 0 ? $"{Path}: the generator crashed:\n{string.Join("\n", Crashes)}"
        : null;

    public string DescribeDiagnostics(int max = 20) =>
        Diagnostics.Count == 0 ? "(none)" : string.Join("\n", Diagnostics.Take(max).Select(d => d.ToString())) + (Diagnostics.Count > max ? $"\n... and {Diagnostics.Count - max} more" : string.Empty);
}

/// <summary>A diagnostic of the generator, reduced to what the tests check.</summary>
/// <param name="Line">1-based; 0 when the diagnostic has no place in a file.</param>
internal sealed record SpecDiagnostic(string Id, DiagnosticSeverity Severity, string Message, string? File, int Line, int Column)
{
    public static SpecDiagnostic From(Diagnostic diagnostic)
    {
        FileLinePositionSpan span = diagnostic.Location.GetLineSpan();
        bool located = diagnostic.Location != Location.None && span.IsValid && !string.IsNullOrEmpty(span.Path);
        return new SpecDiagnostic(
            diagnostic.Id,
            diagnostic.Severity,
            diagnostic.GetMessage(System.Globalization.CultureInfo.InvariantCulture),
            located ? span.Path : null,
            located ? span.StartLinePosition.Line + 1 : 0,
            located ? span.StartLinePosition.Character + 1 : 0);
    }

    public override string ToString() =>
        $"{(File is null ? "(no location)" : $"{System.IO.Path.GetFileName(File)}({Line},{Column})")}: {Severity.ToString().ToLowerInvariant()} {Id}: {Message}";
}
