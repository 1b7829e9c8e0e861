using System;
using System.Collections.Generic;
using System.Diagnostics;
using System.Globalization;
using System.Linq;
using System.Reflection;
using System.Threading.Tasks;
using BenchmarkDotNet.Attributes;

namespace Specgen.Benchmarks.Runtime;

/// <summary>
/// The client benchmarks (and the streamed run) again, measured in CPU time of this process instead of wall-clock time:
/// on a shared, loaded machine the wall clock mostly measures the neighbours, while the CPU this
/// process spends per call (the client, HttpClient, the socket calls; the server runs in another
/// process) stays comparable. Rounds interleave the three clients so that drift hits all alike.
/// </summary>
internal static class ClientCpuTime
{
    private const int WarmupCalls = 300;
    private const int Rounds = 15;
    private const int CallsPerRound = 300;

    /// <param name="filters">Substrings of the rows to measure (operations, or <c>StreamedRun</c>); all when none.</param>
    public static async Task<int> RunAsync(string[]? filters = null)
    {
        filters ??= [];
        Console.WriteLine($"CPU time of the benchmark process per call (median of {Rounds} rounds, clients interleaved)");
        Console.WriteLine();
        Console.WriteLine("| Operation | Floor | Specgen | Specgen / Floor | OpenAI SDK | SDK / Floor |");
        Console.WriteLine("| --- | ---: | ---: | ---: | ---: | ---: |");

        var calls = new ClientBenchmarks();
        calls.Setup();
        try
        {
            await MeasureAsync(calls, CallsPerRound, WarmupCalls, filters);
        }
        finally
        {
            calls.Cleanup();
        }

        // A streamed run is a thousand events: a fifteenth of the calls (20 runs per round).
        var streaming = new StreamingBenchmarks();
        streaming.Setup();
        try
        {
            await MeasureAsync(streaming, CallsPerRound / 15, WarmupCalls / 10, filters, $"StreamedRun ({streaming.Events:N0} events)");
        }
        finally
        {
            streaming.Cleanup();
        }

        return 0;
    }

    /// <param name="category">The name of the row when the benchmarks have no categories.</param>
    private static async Task MeasureAsync(object benchmarks, int callsPerRound, int warmupCalls, string[] filters, string? category = null)
    {
        var byCategory = benchmarks.GetType().GetMethods()
            .Select(m => (Method: m, Benchmark: m.GetCustomAttribute<BenchmarkAttribute>(), Category: category ?? m.GetCustomAttribute<BenchmarkCategoryAttribute>()?.Categories[0]))
            .Where(x => x.Benchmark is not null && x.Category is not null)
            .Where(x => filters.Length == 0 || filters.Any(f => x.Category!.Contains(f, StringComparison.OrdinalIgnoreCase)))
            .GroupBy(x => x.Category!, StringComparer.Ordinal)
            .OrderBy(g => g.Key, StringComparer.Ordinal)
            .Select(g => (Name: g.Key, Clients: g.OrderBy(x => x.Benchmark!.Baseline ? 0 : x.Benchmark.Description == "Specgen" ? 1 : 2)
                .Select(x => (Name: x.Benchmark!.Description!, Call: (Func<Task>)(() => (Task)x.Method.Invoke(benchmarks, null)!)))
                .ToArray()))
            .ToArray();

        // Every call of every client first, so that tiered JIT and the connection pools have
        // settled before the first category is measured (JIT threads count as process CPU).
        foreach (var group in byCategory)
        {
            foreach (var client in group.Clients)
            {
                for (int i = 0; i < warmupCalls; i++)
                {
                    await client.Call();
                }
            }
        }

        foreach (var group in byCategory)
        {
            var clients = group.Clients;
            var samples = clients.ToDictionary(c => c.Name, _ => new List<double>());
            for (int round = 0; round < Rounds; round++)
            {
                foreach (var client in clients)
                {
                    TimeSpan before = Process.GetCurrentProcess().TotalProcessorTime;
                    for (int i = 0; i < callsPerRound; i++)
                    {
                        await client.Call();
                    }

                    samples[client.Name].Add((Process.GetCurrentProcess().TotalProcessorTime - before).TotalMicroseconds / callsPerRound);
                }
            }

            double floor = Median(samples[clients[0].Name]);
            double specgen = Median(samples[clients[1].Name]);
            double sdk = Median(samples[clients[2].Name]);
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"| {group.Name} | {floor:0.0} us | {specgen:0.0} us | {specgen / floor:0.00} | {sdk:0.0} us | {sdk / floor:0.00} |"));
        }
    }

    private static double Median(List<double> values)
    {
        values.Sort();
        return values[values.Count / 2];
    }
}
