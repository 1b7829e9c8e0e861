using System;
using System.Collections.Generic;
using System.Diagnostics;
using System.Globalization;
using System.Linq;
using System.Threading;
using System.Threading.Tasks;

namespace Specgen.Benchmarks.Runtime;

/// <summary>
/// Latency per call under concurrency, which BenchmarkDotNet does not report: for each operation
/// of <see cref="ConcurrencyBenchmarks"/> and each number of calls in flight, every client runs
/// closed loops (each call started when its loop's last one returned) for <see cref="CallsPerRound"/>
/// calls, in <see cref="Rounds"/> rounds that interleave the clients so that drift on a shared
/// machine hits all alike. Each call is timed with <see cref="Stopwatch.GetTimestamp"/> from before
/// the client method is called to the end of its await; p50 and p99 are over every call of every
/// round, throughput is the median over rounds of calls per second of the round's wall clock, and
/// bytes per call the whole process's allocations over every round divided by its calls (exact,
/// <see cref="GC.GetTotalAllocatedBytes(bool)"/>; BenchmarkDotNet's figures are the ones reported).
/// </summary>
internal static class ClientLatency
{
    private const int Rounds = 9;
    private const int CallsPerRound = 2048;
    private static readonly int[] InFlight = [1, 16, 64];

    /// <param name="filters">Substrings of the operations to measure (all when none).</param>
    public static async Task<int> RunAsync(string[] filters)
    {
        Console.WriteLine($"Latency per call and throughput, closed loops ({Rounds} rounds of {CallsPerRound} calls per client, clients interleaved)");
        Console.WriteLine();
        var benchmarks = new ConcurrencyBenchmarks { InFlight = 64 };
        benchmarks.Setup();
        try
        {
            var operations = benchmarks.Calls()
                .Where(c => filters.Length == 0 || filters.Any(f => c.Operation.Contains(f, StringComparison.OrdinalIgnoreCase)))
                .GroupBy(c => c.Operation, StringComparer.Ordinal)
                .ToArray();
            string[] clients = operations.SelectMany(o => o.Select(c => c.Client)).Distinct().ToArray();
            Console.WriteLine("| Operation | In flight | " + string.Join(" | ", clients.Select(c => $"{c}: calls/s, p50, p99, bytes")) + " | "
                + string.Join(" | ", clients.Skip(1).Select(c => $"{c} / Floor: calls/s, p50, p99, bytes")) + " |");
            Console.WriteLine("| --- | ---: | " + string.Join(" | ", Enumerable.Repeat("---:", 2 * clients.Length - 1)) + " |");
            foreach (var operation in operations)
            {
                foreach (int inFlight in InFlight)
                {
                    var samples = operation.ToDictionary(c => c.Client, _ => (Latencies: new List<long>(), Throughputs: new List<double>(), Allocated: new long[1]));

                    // One round unrecorded: the connections for this many calls in flight, and the JIT.
                    for (int round = -1; round < Rounds; round++)
                    {
                        foreach ((_, string client, Func<Task> call) in operation)
                        {
                            var latencies = new long[CallsPerRound];
                            long allocated = GC.GetTotalAllocatedBytes(precise: true);
                            long start = Stopwatch.GetTimestamp();
                            await MeasureAsync(call, inFlight, latencies);
                            double seconds = Stopwatch.GetElapsedTime(start).TotalSeconds;
                            allocated = GC.GetTotalAllocatedBytes(precise: true) - allocated;
                            if (round >= 0)
                            {
                                samples[client].Allocated[0] += allocated;
                                samples[client].Latencies.AddRange(latencies);
                                samples[client].Throughputs.Add(CallsPerRound / seconds);
                            }
                        }
                    }

                    var rows = clients.Select(c => Summarize(samples[c])).ToArray();
                    Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                        $"| {operation.Key} | {inFlight} | {string.Join(" | ", rows.Select(r => $"{r.Throughput:N0}, {r.P50:0} us, {r.P99:0} us, {r.Bytes:N0} B"))} | "
                        + $"{string.Join(" | ", rows.Skip(1).Select(r => $"{r.Throughput / rows[0].Throughput:0.00}, {r.P50 / rows[0].P50:0.00}, {r.P99 / rows[0].P99:0.00}, {r.Bytes / rows[0].Bytes:0.00}"))} |"));
                }
            }
        }
        finally
        {
            benchmarks.Cleanup();
        }

        return 0;
    }

    private static Task MeasureAsync(Func<Task> call, int inFlight, long[] latencies)
    {
        int next = -1;
        var loops = new Task[inFlight];
        for (int i = 0; i < inFlight; i++)
        {
            loops[i] = LoopAsync();
        }

        return Task.WhenAll(loops);

        async Task LoopAsync()
        {
            await Task.Yield();
            int index;
            while ((index = Interlocked.Increment(ref next)) < latencies.Length)
            {
                long start = Stopwatch.GetTimestamp();
                await call().ConfigureAwait(false);
                latencies[index] = Stopwatch.GetTimestamp() - start;
            }
        }
    }

    private static (double Throughput, double P50, double P99, double Bytes) Summarize((List<long> Latencies, List<double> Throughputs, long[] Allocated) samples)
    {
        samples.Latencies.Sort();
        samples.Throughputs.Sort();
        double Percentile(double p) => samples.Latencies[(int)Math.Min(samples.Latencies.Count - 1, Math.Ceiling(p * samples.Latencies.Count) - 1)] * 1e6 / Stopwatch.Frequency;
        return (samples.Throughputs[samples.Throughputs.Count / 2], Percentile(0.50), Percentile(0.99), (double)samples.Allocated[0] / samples.Latencies.Count);
    }
}
