using System;
using System.Collections.Generic;
using System.Diagnostics;
using System.Globalization;
using System.IO;
using System.Linq;
using System.Threading;
using System.Threading.Tasks;

namespace Specgen.Benchmarks.Runtime;

/// <summary>
/// Peak memory of a large call (<see cref="LargeBodyBenchmarks"/>), which needs a process per
/// client: each client runs in a fresh child process (<c>peak-one</c>), three times, against one
/// canned server. The child makes the same call with a small body three times (JIT, connection),
/// collects all garbage, resets Linux's peak resident set (<c>/proc/self/clear_refs</c>), and then
/// makes <see cref="Calls"/> large calls one after another while a thread samples
/// <see cref="GC.GetTotalMemory(bool)"/> every millisecond. It reports the peak resident set
/// (<c>VmHWM</c>) and the sampled peak of the managed heap, each above its value before the first
/// large call. The median of the three processes is printed.
/// </summary>
internal static class ClientPeakMemory
{
    private const int Calls = 3;
    private const int Processes = 3;
    private static readonly string[] Cases = ["Upload", "List"];
    private static readonly string[] Clients = ["Floor", "Specgen", "Sdk"];

    public static async Task<int> RunAsync()
    {
        using ServerProcess server = ServerProcess.Start();
        string large = LargeBodyBenchmarks.CreateFile(LargeBodyBenchmarks.FileBytes);
        string small = LargeBodyBenchmarks.CreateFile(4096);
        try
        {
            Console.WriteLine($"Peak memory of {Calls} large calls above the process's state before them (median of {Processes} fresh processes per client)");
            Console.WriteLine();
            Console.WriteLine("| Case | Floor: peak RSS, peak heap | Specgen: peak RSS, peak heap | Ratio | OpenAI SDK: peak RSS, peak heap | Ratio |");
            Console.WriteLine("| --- | ---: | ---: | ---: | ---: | ---: |");
            foreach (string @case in Cases)
            {
                var peaks = new List<(double Rss, double Heap)>();
                foreach (string client in Clients)
                {
                    var runs = new List<(double Rss, double Heap)>();
                    for (int i = 0; i < Processes; i++)
                    {
                        runs.Add(await RunChildAsync(@case, client, server.BaseAddress, large, small));
                    }

                    peaks.Add((Median(runs.Select(r => r.Rss)), Median(runs.Select(r => r.Heap))));
                }

                Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                    $"| {@case} | {Mb(peaks[0])} | {Mb(peaks[1])} | {peaks[1].Rss / peaks[0].Rss:0.00}, {peaks[1].Heap / peaks[0].Heap:0.00} | {Mb(peaks[2])} | {peaks[2].Rss / peaks[0].Rss:0.00}, {peaks[2].Heap / peaks[0].Heap:0.00} |"));
            }
        }
        finally
        {
            File.Delete(large);
            File.Delete(small);
        }

        return 0;

        static string Mb((double Rss, double Heap) peak) => string.Create(CultureInfo.InvariantCulture, $"{peak.Rss / 1048576:0.0} MB, {peak.Heap / 1048576:0.0} MB");
    }

    /// <summary>The child: <c>peak-one case client address largeFile smallFile</c>; prints the two peaks in bytes.</summary>
    public static async Task<int> RunOneAsync(string @case, string client, Uri address, string largeFile, string smallFile)
    {
        using var clients = new BenchClients(address);
        Func<LargeBodyBenchmarks, Task> call = (@case, client) switch
        {
            ("Upload", "Floor") => b => b.Upload_Floor(),
            ("Upload", "Specgen") => b => b.Upload_Specgen(),
            ("Upload", "Sdk") => b => b.Upload_Sdk(),
            ("List", "Floor") => b => b.List_Floor(),
            ("List", "Specgen") => b => b.List_Specgen(),
            ("List", "Sdk") => b => b.List_Sdk(),
            _ => throw new ArgumentException($"No case '{@case}' for client '{client}'."),
        };

        LargeBodyBenchmarks warm = LargeBodyBenchmarks.Attach(clients, smallFile, smallList: true);
        for (int i = 0; i < 3; i++)
        {
            await call(warm);
        }

        GC.Collect(2, GCCollectionMode.Forced, blocking: true, compacting: true);
        GC.WaitForPendingFinalizers();
        GC.Collect(2, GCCollectionMode.Forced, blocking: true, compacting: true);
        File.WriteAllText("/proc/self/clear_refs", "5");
        long rssBefore = Status("VmRSS");
        long heapBefore = GC.GetTotalMemory(forceFullCollection: false);
        long heapPeak = heapBefore;
        using var stop = new CancellationTokenSource();
        var sampler = new Thread(() =>
        {
            while (!stop.IsCancellationRequested)
            {
                long heap = GC.GetTotalMemory(forceFullCollection: false);
                if (heap > Volatile.Read(ref heapPeak))
                {
                    Volatile.Write(ref heapPeak, heap);
                }

                Thread.Sleep(1);
            }
        }) { IsBackground = true };
        sampler.Start();

        LargeBodyBenchmarks large = LargeBodyBenchmarks.Attach(clients, largeFile, smallList: false);
        for (int i = 0; i < Calls; i++)
        {
            await call(large);
        }

        stop.Cancel();
        sampler.Join();
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"{Status("VmHWM") - rssBefore} {heapPeak - heapBefore}"));
        return 0;
    }

    private static async Task<(double Rss, double Heap)> RunChildAsync(string @case, string client, Uri address, string large, string small)
    {
        var startInfo = new ProcessStartInfo(Environment.ProcessPath ?? "dotnet") { UseShellExecute = false, RedirectStandardOutput = true };
        if (Path.GetFileNameWithoutExtension(startInfo.FileName) == "dotnet")
        {
            startInfo.ArgumentList.Add(typeof(ClientPeakMemory).Assembly.Location);
        }

        foreach (string argument in new[] { "peak-one", @case, client, address.ToString(), large, small })
        {
            startInfo.ArgumentList.Add(argument);
        }

        using Process process = Process.Start(startInfo) ?? throw new InvalidOperationException("The child did not start.");
        string output = await process.StandardOutput.ReadToEndAsync();
        await process.WaitForExitAsync();
        string[] parts = output.Trim().Split(' ');
        if (process.ExitCode != 0 || parts.Length != 2)
        {
            throw new InvalidOperationException($"The {client} child for {@case} exited with {process.ExitCode}: {output}");
        }

        return (double.Parse(parts[0], CultureInfo.InvariantCulture), double.Parse(parts[1], CultureInfo.InvariantCulture));
    }

    // A line of /proc/self/status in bytes ("VmRSS:     123456 kB").
    private static long Status(string field) =>
        File.ReadLines("/proc/self/status").Where(l => l.StartsWith(field + ":", StringComparison.Ordinal))
            .Select(l => long.Parse(l.AsSpan(field.Length + 1).Trim().TrimEnd("kB").Trim(), CultureInfo.InvariantCulture) * 1024).First();

    private static double Median(IEnumerable<double> values)
    {
        double[] sorted = values.Order().ToArray();
        return sorted[sorted.Length / 2];
    }
}
