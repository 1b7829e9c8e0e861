using System;
using System.Collections.Generic;
using System.Diagnostics.Tracing;
using System.Globalization;
using System.Linq;
using System.Reflection;
using System.Threading.Tasks;
using BenchmarkDotNet.Attributes;

namespace Specgen.Benchmarks.Runtime;

/// <summary>
/// A quick look at the client benchmarks' allocations, for working on them: bytes per call of each
/// benchmark method of <see cref="ClientBenchmarks"/> and <see cref="StreamingBenchmarks"/> (those
/// named <c>Streaming_…</c>, also per event), whole process, after a warm-up; and with <c>--types</c> which types those bytes
/// are, sampled from the runtime's allocation events (one sample per ~100 KB allocated). Each call is
/// started and waited for from the program's own thread, as BenchmarkDotNet does; the figures come
/// within a few percent of its <c>Allocated</c> column (reported figures come from BenchmarkDotNet).
/// </summary>
/// <remarks>
/// How calls are made matters for the generated client: its inner async steps take their state
/// machine boxes from the runtime's per-thread caches, which a call started on one thread and
/// finished on a pool thread (as here) misses, and a loop awaiting on the pool mostly hits.
/// </remarks>
internal static class ClientAllocations
{
    private const int WarmupCalls = 500;
    private const int MeasuredCalls = 4000;
    private const int SampledCalls = 40000;

    /// <param name="arguments">Substrings of method names to measure (all when none); <c>--types</c> adds the sampled types.</param>
    public static async Task<int> RunAsync(string[] arguments)
    {
        bool types = arguments.Contains("--types", StringComparer.Ordinal);
        string[] filters = arguments.Where(a => !a.StartsWith("--", StringComparison.Ordinal)).ToArray();
        var calls = new ClientBenchmarks();
        await MeasureAsync(calls, calls.Setup, calls.Cleanup, filters, types, callsScale: 1, eventsPerCall: null);

        // Named Streaming_Floor and so on; a streamed run is a thousand events, so a fortieth of the calls.
        var streaming = new StreamingBenchmarks();
        await MeasureAsync(streaming, streaming.Setup, streaming.Cleanup, filters, types, callsScale: 40, eventsPerCall: streaming.Events, prefix: "Streaming_");
        return 0;
    }

    private static async Task MeasureAsync(object benchmarks, Action setup, Action cleanup, string[] filters, bool types, int callsScale, int? eventsPerCall, string prefix = "")
    {
        var methods = benchmarks.GetType().GetMethods()
            .Where(m => m.GetCustomAttribute<BenchmarkAttribute>() is not null)
            .Where(m => filters.Length == 0 || filters.Any(f => (prefix + m.Name).Contains(f, StringComparison.OrdinalIgnoreCase)))
            .OrderBy(m => m.Name, StringComparer.Ordinal)
            .ToArray();
        if (methods.Length == 0)
        {
            return;
        }

        setup();
        try
        {
            foreach (MethodInfo method in methods)
            {
                // As BenchmarkDotNet calls them: started and waited for from one thread of its own
                // (the continuations run on the thread pool), not awaited in a loop on the pool.
                Func<Task> invoke = () => (Task)method.Invoke(benchmarks, null)!;
                Func<Task> call = () =>
                {
                    invoke().GetAwaiter().GetResult();
                    return Task.CompletedTask;
                };
                for (int i = 0; i < Math.Max(WarmupCalls / callsScale, 1); i++)
                {
                    await call();
                }

                using AllocationSampler? sampler = types ? new AllocationSampler() : null;
                int count = (types ? SampledCalls : MeasuredCalls) / callsScale;
                long before = GC.GetTotalAllocatedBytes(precise: true);
                for (int i = 0; i < count; i++)
                {
                    await call();
                }

                long bytes = GC.GetTotalAllocatedBytes(precise: true) - before;
                string perEvent = eventsPerCall is int events
                    ? string.Create(CultureInfo.InvariantCulture, $" {bytes / (double)count / events,9:0} B/event")
                    : string.Empty;
                Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"{prefix + method.Name,-28} {bytes / (double)count,9:0} B/call{perEvent}"));
                if (sampler is not null)
                {
                    foreach ((string type, long sampled) in sampler.Snapshot().OrderByDescending(t => t.Value).Take(40))
                    {
                        Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"    {sampled / (double)count,8:0.0} B/call  {type}"));
                    }
                }
            }
        }
        finally
        {
            cleanup();
        }
    }

    // GCAllocationTick: every ~100 KB allocated, the type of the object that crossed the line and
    // the bytes since the last tick; summed per type, an unbiased estimate of bytes per type.
    private sealed class AllocationSampler : EventListener
    {
        private readonly Dictionary<string, long> _bytes = new(StringComparer.Ordinal);
        private bool _ready;

        public AllocationSampler()
        {
            _ready = true;
            foreach (EventSource source in EventSource.GetSources())
            {
                OnEventSourceCreated(source);
            }
        }

        public Dictionary<string, long> Snapshot()
        {
            lock (_bytes)
            {
                return new Dictionary<string, long>(_bytes, StringComparer.Ordinal);
            }
        }

        protected override void OnEventSourceCreated(EventSource eventSource)
        {
            if (_ready && eventSource.Name == "Microsoft-Windows-DotNETRuntime")
            {
                EnableEvents(eventSource, EventLevel.Verbose, (EventKeywords)0x1 /* GC */);
            }
        }

        protected override void OnEventWritten(EventWrittenEventArgs e)
        {
            if (e.EventName != "GCAllocationTick_V4" || e.Payload is null)
            {
                return;
            }

            int amountIndex = e.PayloadNames!.IndexOf("AllocationAmount64");
            int typeIndex = e.PayloadNames.IndexOf("TypeName");
            long amount = Convert.ToInt64(e.Payload[amountIndex], CultureInfo.InvariantCulture);
            string type = e.Payload[typeIndex] as string ?? "?";
            lock (_bytes)
            {
                _bytes[type] = _bytes.GetValueOrDefault(type) + amount;
            }
        }
    }
}
