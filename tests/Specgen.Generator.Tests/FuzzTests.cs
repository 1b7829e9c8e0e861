using System;
using System.Collections.Concurrent;
using System.Collections.Generic;
using System.Collections.Immutable;
using System.Diagnostics;
using System.Globalization;
using System.IO;
using System.Linq;
using System.Text;
using System.Threading;
using System.Threading.Tasks;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.Text;
using Xunit.Abstractions;

namespace Specgen.Generator.Tests;

/// <summary>
/// Seeded mutations (bit flips, byte replacements, truncations, deleted, duplicated and swapped
/// lines, sometimes two at once) of four documents, each run through the generator: the Threads
/// fragment, a Swagger 2.0 document, a 3.0 one with forms, files and cookies, and one in three
/// files (a mutation then hits one of them).
/// </summary>
/// <remarks>
/// <para>The invariant, for every mutation:</para>
/// <list type="number">
/// <item>the run ends within its bound and no exception escapes the generator (a user would see
/// CS8785 and lose every generated file of the project), and none is caught as SPEC005 either:
/// that diagnostic means a bug in Specgen, and malformed input is not a bug;</item>
/// <item>every diagnostic has a SPEC id and a place (a line) in the spec file;</item>
/// <item>whatever was generated compiles with nullable enabled and warnings as errors, with or
/// without diagnostics.</item>
/// </list>
/// <para>Why the third point holds even when there are diagnostics, rather than "compiles, or at
/// least one diagnostic": a warning (SPEC002, SPEC003, SPEC004) promises that the rest of the spec
/// still generates, so a build with TreatWarningsAsErrors off must succeed; compile errors in
/// generated code would point at files the user cannot edit, for a problem in the spec they can.
/// An error diagnostic (SPEC001, SPEC006, SPEC008) generates nothing, which compiles trivially.</para>
/// <para>Cost: compiling the 1.8 MB the fragment generates takes seconds, so each mutation is run
/// on a long-lived incremental driver (only the types whose model changed are emitted again, as in
/// the IDE), and only the generated files that differ from the unmutated output are compiled
/// again, with every file that names a type whose file changed or disappeared, against the
/// unmutated compilation. A declaration change can only break a file that names it, so this finds
/// what a full compile would.</para>
/// <para>Replay: the seed, the case and the mutation are printed on failure, and the mutated text
/// is written next to the test binaries. <c>SPECGEN_FUZZ_SEED</c>, <c>SPECGEN_FUZZ_CASES</c> and
/// <c>SPECGEN_FUZZ_ONLY</c> (one case number) override the defaults.</para>
/// </remarks>
public sealed class FuzzTests(ITestOutputHelper output)
{
    private const int DefaultCases = 1000;

    /// <summary>A hang bound per mutation; a mutation takes tens of milliseconds.</summary>
    private static readonly TimeSpan BoundPerCase = TimeSpan.FromSeconds(30);

    /// <summary>The documents mutated, each with its own seed: four kinds of spec a user brings.</summary>
    public static TheoryData<string> SeedNames => new() { "fragment", "swagger2", "forms", "multifile" };

    [Theory]
    [MemberData(nameof(SeedNames))]
    public void A_thousand_mutations_of_each_seed_document_end_with_diagnostics_or_clean_compiling_output(string seedName)
    {
        FuzzSeed fuzzSeed = FuzzSeed.Named(seedName);
        int seed = EnvironmentInt("SPECGEN_FUZZ_SEED") ?? fuzzSeed.Seed;
        int cases = EnvironmentInt("SPECGEN_FUZZ_CASES") ?? DefaultCases;
        int? only = EnvironmentInt("SPECGEN_FUZZ_ONLY");
        var baseline = Baseline.Create(fuzzSeed);

        var stopwatch = Stopwatch.StartNew();
        var failures = new ConcurrentBag<string>();
        var outcomes = new ConcurrentDictionary<string, int>(StringComparer.Ordinal);
        int[] indices = only is int single ? new[] { single } : Enumerable.Range(0, cases).ToArray();

        // One worker per core (two on CI), each with its own driver; cases are dealt round-robin,
        // so that a case's worker, and so its result, does not depend on timing.
        int workers = Math.Max(1, Math.Min(Environment.ProcessorCount, 4));
        Parallel.For(0, workers, new ParallelOptions { MaxDegreeOfParallelism = workers }, worker =>
        {
            var runner = new Runner(baseline);
            for (int n = worker; n < indices.Length; n += workers)
            {
                int index = indices[n];
                Mutation mutation = Mutation.Create(fuzzSeed, seed, index);
                // Every failure counts: no list of known bugs excuses one (a bug found is a bug fixed).
                string? failure = runner.Check(mutation, out string outcome);
                outcomes.AddOrUpdate(outcome, 1, (_, count) => count + 1);
                if (failure is not null)
                {
                    string file = Path.Combine(AppContext.BaseDirectory, $"fuzz-failure-{seedName}-{seed}-{index}{Path.GetExtension(mutation.Path)}");
                    File.WriteAllText(file, mutation.Text);
                    failures.Add($"{seedName}: seed {seed}, case {index} ({mutation.Description}); mutated file written to {file}; replay with SPECGEN_FUZZ_SEED={seed} SPECGEN_FUZZ_ONLY={index}:\n{failure}");
                }
            }
        });

        output.WriteLine($"{indices.Length} mutations of {seedName} (seed {seed}) in {stopwatch.Elapsed.TotalSeconds:0.0} s on {workers} workers; generating {TimeSpan.FromTicks(GenerateTicks).TotalSeconds:0.0} s, compiling {TimeSpan.FromTicks(CompileTicks).TotalSeconds:0.0} s");
        foreach (KeyValuePair<string, int> outcome in outcomes.OrderByDescending(o => o.Value))
        {
            output.WriteLine($"  {outcome.Value,5}  {outcome.Key}");
        }

        Assert.True(failures.IsEmpty, $"{failures.Count} of {indices.Length} mutations broke the invariant:\n\n{string.Join("\n\n", failures.Take(10))}");
    }

    /// <summary>A document to mutate: its files (the entry first), and the seed its mutations come from.</summary>
    private sealed record FuzzSeed(string Name, int Seed, IReadOnlyList<(string Path, string Text)> Files)
    {
        public string Entry => Files[0].Path;

        public static FuzzSeed Named(string name) => name switch
        {
            "fragment" => new(name, 20260501, new[] { ("/project/specs/openai-threads.yaml", Read(RepoPaths.ThreadsFragment)) }),
            "swagger2" => new(name, 20261207, new[] { ("/project/specs/kennel.yaml", Seeded("swagger2.yaml")) }),
            "forms" => new(name, 20261208, new[] { ("/project/specs/studio.yaml", Seeded("forms.yaml")) }),
            "multifile" => new(name, 20261209, new[]
            {
                ("/project/specs/library/openapi.yaml", Seeded("multifile/openapi.yaml")),
                ("/project/specs/library/schemas.yaml", Seeded("multifile/schemas.yaml")),
                ("/project/specs/library/parameters.yaml", Seeded("multifile/parameters.yaml")),
            }),
            _ => throw new ArgumentOutOfRangeException(nameof(name), name, null),
        };

        private static string Seeded(string file) => Read(Path.Combine(AppContext.BaseDirectory, "FuzzSeeds", file));

        private static string Read(string path) => File.ReadAllText(path).Replace("\r\n", "\n");
    }

    private static int? EnvironmentInt(string name) =>
        int.TryParse(Environment.GetEnvironmentVariable(name), NumberStyles.Integer, CultureInfo.InvariantCulture, out int value) ? value : null;

    /// <summary>The unmutated document's output and its compilation, which is known to be clean.</summary>
    private sealed class Baseline
    {
        private Baseline(FuzzSeed seed, IReadOnlyDictionary<string, string> files, CSharpCompilation compilation, IReadOnlyDictionary<string, SyntaxTree> trees)
        {
            Seed = seed;
            Files = files;
            Compilation = compilation;
            Trees = trees;
        }

        public FuzzSeed Seed { get; }

        public IReadOnlyDictionary<string, string> Files { get; }

        public CSharpCompilation Compilation { get; }

        public IReadOnlyDictionary<string, SyntaxTree> Trees { get; }

        public static Baseline Create(FuzzSeed seed)
        {
            GeneratorDriver driver = GeneratorHarness.CreateDriver(seed.Files.Select(f => new InMemoryAdditionalText(f.Path, f.Text)), CorpusHarness.ForceSpec(seed.Entry));
            CSharpCompilation input = GeneratorHarness.CreateCompilation("namespace Consumer { internal static class Placeholder { } }");
            driver = driver.RunGeneratorsAndUpdateCompilation(input, out Compilation output, out ImmutableArray<Diagnostic> diagnostics);
            GeneratorRunResult result = driver.GetRunResult().Results.Single();
            Assert.Empty(diagnostics);
            Assert.Empty(output.GetDiagnostics().Where(d => d.Severity >= DiagnosticSeverity.Warning));
            return new Baseline(
                seed,
                result.GeneratedSources.ToDictionary(s => s.HintName, s => s.SourceText.ToString(), StringComparer.Ordinal),
                (CSharpCompilation)output,
                result.GeneratedSources.ToDictionary(s => s.HintName, s => s.SyntaxTree, StringComparer.Ordinal));
        }

        public static SyntaxTree Parse(string hintName, string text) =>
            CSharpSyntaxTree.ParseText(text, new CSharpParseOptions(LanguageVersion.CSharp12), path: hintName);
    }

    private static long CompileTicks;
    private static long GenerateTicks;

    /// <summary>
    /// One worker. Its driver has run on the unmutated document once; a driver is immutable, so
    /// each mutation is an edit of that state, and only what the mutation changed is emitted and
    /// parsed again, as when a user edits the spec in the IDE.
    /// </summary>
    private sealed class Runner
    {
        private readonly Baseline _baseline;
        private readonly CSharpCompilation _input = GeneratorHarness.CreateCompilation("namespace Consumer { internal static class Placeholder { } }");
        private readonly GeneratorDriver _driver;
        private readonly Dictionary<string, AdditionalText> _originals;

        public Runner(Baseline baseline)
        {
            _baseline = baseline;
            _originals = baseline.Seed.Files.ToDictionary(f => f.Path, f => (AdditionalText)new InMemoryAdditionalText(f.Path, f.Text), StringComparer.Ordinal);
            _driver = GeneratorHarness.CreateDriver(_originals.Values, CorpusHarness.ForceSpec(baseline.Seed.Entry)).RunGenerators(_input);
        }

        /// <summary>Null when the mutation keeps the invariant, else what broke it. <paramref name="outcome"/> summarizes the run for the statistics.</summary>
        public string? Check(Mutation mutation, out string outcome)
        {
            GeneratorDriver driver = _driver.ReplaceAdditionalText(_originals[mutation.Path], new InMemoryAdditionalText(mutation.Path, mutation.Text));
            using var timeout = new CancellationTokenSource(BoundPerCase);
            var generateWatch = Stopwatch.StartNew();
            Task<GeneratorDriver> run = Task.Run(() => driver.RunGenerators(_input, timeout.Token));
            run.ContinueWith(_ => Interlocked.Add(ref GenerateTicks, generateWatch.Elapsed.Ticks));
            if (!run.Wait(BoundPerCase + TimeSpan.FromSeconds(5)) || run.IsCanceled || run.Exception?.InnerException is OperationCanceledException)
            {
                outcome = "hang";
                return $"did not finish within {BoundPerCase.TotalSeconds:0} s";
            }

            if (run.Exception is { } harness)
            {
                outcome = "harness exception";
                return harness.ToString();
            }

            GeneratorRunResult result = run.Result.GetRunResult().Results.Single();
            if (result.Exception is { } exception)
            {
                outcome = "exception";
                return "the generator threw (CS8785 for a user):\n" + exception;
            }

            List<SpecDiagnostic> diagnostics = result.Diagnostics.Select(SpecDiagnostic.From).ToList();
            outcome = diagnostics.Count == 0 ? "no diagnostic" : string.Join(" + ", diagnostics.Select(d => d.Id).Distinct().OrderBy(id => id, StringComparer.Ordinal));
            var problems = new List<string>();
            problems.AddRange(diagnostics.Where(d => d.Id == "SPEC005").Select(d => "a bug caught as SPEC005: " + d));
            problems.AddRange(diagnostics.Where(d => !d.Id.StartsWith("SPEC", StringComparison.Ordinal)).Select(d => "not a SPEC diagnostic: " + d));
            problems.AddRange(diagnostics.Where(d => !_originals.ContainsKey(d.File ?? string.Empty) || d.Line <= 0).Select(d => "not located in a file of the spec: " + d));

            var compileWatch = Stopwatch.StartNew();
            problems.AddRange(CompileChanged(result.GeneratedSources).Select(d => "generated code does not compile: " + d));
            Interlocked.Add(ref CompileTicks, compileWatch.Elapsed.Ticks);
            return problems.Count == 0 ? null : string.Join("\n", problems.Take(20)) + (diagnostics.Count > 0 ? "\nDiagnostics:\n" + string.Join("\n", diagnostics.Take(10)) : string.Empty);
        }

        /// <summary>
        /// The warnings and errors of the generated files that differ from the baseline's, and of
        /// the files that name a type whose declarations changed or whose file is gone. A file whose
        /// only changes are in comments (a description) cannot change a declaration: its syntax is
        /// checked, and nothing that depends on it.
        /// </summary>
        private IEnumerable<string> CompileChanged(ImmutableArray<GeneratedSourceResult> generated)
        {
            var files = generated.ToDictionary(s => s.HintName, StringComparer.Ordinal);
            var changed = files.Values.Where(f => !_baseline.Files.TryGetValue(f.HintName, out string? before) || before != f.SourceText.ToString()).ToList();
            var removed = _baseline.Files.Keys.Where(k => !files.ContainsKey(k)).ToList();
            if (changed.Count == 0 && removed.Count == 0)
            {
                return Array.Empty<string>();
            }

            var commentOnly = changed.Where(f => _baseline.Files.TryGetValue(f.HintName, out string? before) && SameOutsideComments(before, f.SourceText.ToString())).ToList();
            var declarationChanges = changed.Except(commentOnly).Select(f => f.HintName).Concat(removed).Select(TypeNameOf).ToList();
            var dependents = files.Values
                .Where(f => !changed.Contains(f) && declarationChanges.Any(type => f.SourceText.ToString().Contains("." + type, StringComparison.Ordinal)))
                .Select(f => _baseline.Trees[f.HintName])
                .ToList();

            if (changed.Count == 0 && dependents.Count == 0)
            {
                return Array.Empty<string>();
            }

            CSharpCompilation compilation = _baseline.Compilation.RemoveSyntaxTrees(removed.Select(hint => _baseline.Trees[hint]));

            foreach (GeneratedSourceResult file in changed)
            {
                compilation = _baseline.Trees.TryGetValue(file.HintName, out SyntaxTree? old)
                    ? compilation.ReplaceSyntaxTree(old, file.SyntaxTree)
                    : compilation.AddSyntaxTrees(file.SyntaxTree);
            }

            IEnumerable<Diagnostic> syntax = commentOnly.SelectMany(f => f.SyntaxTree.GetDiagnostics());
            IEnumerable<Diagnostic> semantic = changed.Except(commentOnly).Select(f => f.SyntaxTree).Concat(dependents)
                .SelectMany(tree => compilation.GetSemanticModel(tree).GetDiagnostics());
            return syntax.Concat(semantic)
                .Where(d => d.Severity >= DiagnosticSeverity.Warning)
                .Select(d => d.ToString())
                .ToList();
        }

        private static bool SameOutsideComments(string before, string after)
        {
            static IEnumerable<string> Code(string text) => text.Split('\n').Where(line => !line.TrimStart().StartsWith("//", StringComparison.Ordinal));
            return Code(before).SequenceEqual(Code(after), StringComparer.Ordinal);
        }

        private static string TypeNameOf(string hintName)
        {
            string withoutSuffix = hintName.EndsWith(".g.cs", StringComparison.Ordinal) ? hintName.Substring(0, hintName.Length - ".g.cs".Length) : hintName;
            return withoutSuffix.Substring(withoutSuffix.LastIndexOf('.') + 1);
        }
    }

    /// <summary>A mutated file and how it was made, reproducible from the seed and the case number alone.</summary>
    private sealed record Mutation(string Path, string Text, string Description)
    {
        public static Mutation Create(FuzzSeed fuzzSeed, int seed, int index)
        {
            var random = new Random(unchecked((seed * 1_000_003) + index));
            (string path, string original) = fuzzSeed.Files[fuzzSeed.Files.Count == 1 ? 0 : random.Next(fuzzSeed.Files.Count)];
            string text = original;
            var steps = new List<string>();
            int count = random.Next(5) == 0 ? 2 : 1;
            for (int i = 0; i < count; i++)
            {
                (text, string step) = Once(text, random);
                steps.Add(step);
            }

            string where = fuzzSeed.Files.Count == 1 ? string.Empty : $"in {System.IO.Path.GetFileName(path)}: ";
            return new Mutation(path, text, where + string.Join(", then ", steps));
        }

        private static (string Text, string Description) Once(string text, Random random)
        {
            if (text.Length == 0)
            {
                return (text, "nothing (the text is empty)");
            }

            string[] lines = text.Split('\n');
            switch (random.Next(7))
            {
                case 0:
                {
                    // A bit flip in the UTF-8 bytes, decoded as a compiler decodes a file.
                    byte[] bytes = Encoding.UTF8.GetBytes(text);
                    int at = random.Next(bytes.Length);
                    int bit = random.Next(8);
                    bytes[at] ^= (byte)(1 << bit);
                    return (Decode(bytes), $"bit {bit} of byte {at} flipped (line {LineAt(text, at)})");
                }

                case 1:
                {
                    byte[] bytes = Encoding.UTF8.GetBytes(text);
                    int at = random.Next(bytes.Length);
                    const string structural = "{}[]:,-'\"#&*!|> \t\n?%@`";
                    byte value = random.Next(3) == 0 ? (byte)random.Next(256) : (byte)structural[random.Next(structural.Length)];
                    bytes[at] = value;
                    return (Decode(bytes), $"byte {at} set to 0x{value:x2} (line {LineAt(text, at)})");
                }

                case 2:
                {
                    int at = random.Next(text.Length);
                    return (text.Substring(0, at), $"truncated to {at} characters (line {LineAt(text, at)})");
                }

                case 3:
                {
                    int line = random.Next(lines.Length);
                    int length = 1 + random.Next(Math.Min(5, lines.Length - line));
                    return (string.Join("\n", lines.Take(line).Concat(lines.Skip(line + length))), $"lines {line + 1}-{line + length} deleted");
                }

                case 4:
                {
                    int line = random.Next(lines.Length);
                    return (string.Join("\n", lines.Take(line + 1).Append(lines[line]).Concat(lines.Skip(line + 1))), $"line {line + 1} duplicated");
                }

                case 5:
                {
                    int a = random.Next(lines.Length);
                    int b = random.Next(2) == 0 ? Math.Min(lines.Length - 1, a + 1) : random.Next(lines.Length);
                    (lines[a], lines[b]) = (lines[b], lines[a]);
                    return (string.Join("\n", lines), $"lines {a + 1} and {b + 1} swapped");
                }

                default:
                {
                    // A character typed into a value or a key: the mutations a reader meets most.
                    int at = random.Next(text.Length);
                    const string typed = "x0-.{}[]:#'\" \t";
                    char c = typed[random.Next(typed.Length)];
                    return (text.Insert(at, c.ToString()), $"'{c}' inserted at {at} (line {LineAt(text, at)})");
                }
            }
        }

        private static string Decode(byte[] bytes)
        {
            using var stream = new MemoryStream(bytes);
            return SourceText.From(stream).ToString();
        }

        private static int LineAt(string text, int offset)
        {
            int line = 1;
            for (int i = 0; i < Math.Min(offset, text.Length); i++)
            {
                if (text[i] == '\n')
                {
                    line++;
                }
            }

            return line;
        }
    }
}
