using BenchmarkDotNet.Columns;
using BenchmarkDotNet.Configs;
using BenchmarkDotNet.Diagnosers;
using BenchmarkDotNet.Engines;
using Perfolizer.Horology;
using BenchmarkDotNet.Jobs;
using BenchmarkDotNet.Reports;

namespace Specgen.Benchmarks;

/// <summary>
/// The jobs, chosen to fit a 2-core machine in minutes: one process per benchmark (cold ones get
/// five), a few warm-up and 8 to 15 measured iterations. Time and allocated bytes per operation.
/// </summary>
internal static class BenchmarkConfig
{
    private static ManualConfig Base() =>
        // BenchmarkSwitcher adds the default loggers, exporters and columns to these.
        ManualConfig.CreateEmpty()
            .AddDiagnoser(MemoryDiagnoser.Default)
            .WithSummaryStyle(SummaryStyle.Default.WithRatioStyle(RatioStyle.Value))
            .HideColumns(Column.Error, Column.RatioSD, Column.Gen1, Column.Gen2);

    /// <summary>HTTP clients: many short calls per iteration.</summary>
    public sealed class Runtime : ManualConfig
    {
        public Runtime()
        {
            Add(Base());
            AddJob(Job.Default.WithLaunchCount(1).WithWarmupCount(3).WithIterationCount(15)
                .WithIterationTime(TimeInterval.FromMilliseconds(250)).WithId("Client"));
            AddColumn(StatisticColumn.Median);
        }
    }

    /// <summary>
    /// A streamed run: milliseconds per call, so longer iterations than the short calls' (at 250 ms
    /// an iteration is a few dozen runs, and one descheduling on a loaded machine skews it) and more
    /// of them.
    /// </summary>
    public sealed class Streaming : ManualConfig
    {
        public Streaming()
        {
            Add(Base());
            AddJob(Job.Default.WithLaunchCount(1).WithWarmupCount(5).WithIterationCount(25)
                .WithIterationTime(TimeInterval.FromMilliseconds(500)).WithId("Streaming"));
            AddColumn(StatisticColumn.Median);
        }
    }

    /// <summary>Large bodies (a 10 MiB upload, a 1 MB response): milliseconds per call, so iterations of 500 ms.</summary>
    public sealed class Large : ManualConfig
    {
        public Large()
        {
            Add(Base());
            AddJob(Job.Default.WithLaunchCount(1).WithWarmupCount(3).WithIterationCount(15)
                .WithIterationTime(TimeInterval.FromMilliseconds(500)).WithId("Large"));
            AddColumn(StatisticColumn.Median);
        }
    }

    /// <summary>A fresh process per invocation (the first-call apps): one invocation per iteration, 20 of them after 2 unmeasured.</summary>
    public sealed class FirstCall : ManualConfig
    {
        public FirstCall()
        {
            Add(Base());
            AddJob(Job.Default.WithStrategy(RunStrategy.Monitoring).WithLaunchCount(1).WithWarmupCount(2).WithIterationCount(20)
                .WithInvocationCount(1).WithUnrollFactor(1).WithId("FirstCall"));
            AddColumn(StatisticColumn.Median);
        }
    }

    /// <summary>The generator in a warm process: phases, whole runs and incremental edits.</summary>
    public sealed class Generator : ManualConfig
    {
        public Generator()
        {
            Add(Base());
            AddJob(Job.Default.WithLaunchCount(1).WithWarmupCount(2).WithIterationCount(8).WithId("Warm"));
        }
    }

    /// <summary>The generator at 1x to 8x the OpenAI document: runs of seconds, so fewer iterations.</summary>
    public sealed class Scale : ManualConfig
    {
        public Scale()
        {
            Add(Base());
            AddJob(Job.Default.WithLaunchCount(1).WithWarmupCount(1).WithIterationCount(5).WithId("Scale"));
            AddColumn(StatisticColumn.Median);
        }
    }

    /// <summary>
    /// The first generation in a fresh process: JIT and type loading included. Twice: with the
    /// workstation GC of a console app (the figure kept since the first measurement) and with the
    /// server GC that csc and VBCSCompiler run with (their runtimeconfig.json sets System.GC.Server).
    /// </summary>
    public sealed class Cold : ManualConfig
    {
        public Cold()
        {
            Add(Base());
            Job cold = Job.Default.WithStrategy(RunStrategy.ColdStart).WithLaunchCount(5).WithWarmupCount(0).WithIterationCount(1);
            AddJob(cold.WithId("Cold"));
            AddJob(cold.WithGcServer(true).WithId("Cold, server GC"));
        }
    }
}
