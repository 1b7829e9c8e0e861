using System;
using System.Linq;
using System.Threading.Tasks;
using BenchmarkDotNet.Running;
using Specgen.Benchmarks.Runtime;

namespace Specgen.Benchmarks;

/// <summary>
/// <c>dotnet run -c Release --project bench/Specgen.Benchmarks</c> runs every benchmark; BenchmarkDotNet's
/// arguments (<c>--filter '*Client*'</c>, <c>--list flat</c>...) choose fewer. <c>cpu</c> compares the
/// clients' CPU time per call (see <see cref="ClientCpuTime"/>; <c>cpu StreamedRun</c> only the rows named so); with no argument it runs after the
/// benchmarks. <c>alloc</c> prints the clients' bytes per call quickly (see <see cref="ClientAllocations"/>). <c>serve</c> runs the canned Threads server the client benchmarks start in a process of its own
/// (<c>serve --deltas N</c>: streamed runs of N deltas).
/// </summary>
public static class Program
{
    public static async Task<int> Main(string[] args)
    {
        if (args is ["serve"])
        {
            return await CannedThreadsServer.ServeAsync();
        }

        if (args is ["serve", "--deltas", var deltas])
        {
            return await CannedThreadsServer.ServeAsync(int.Parse(deltas, System.Globalization.CultureInfo.InvariantCulture));
        }

        if (args is ["cpu", .. var cpuArguments])
        {
            return await ClientCpuTime.RunAsync(cpuArguments);
        }

        if (args is ["latency", .. var latencyArguments])
        {
            return await ClientLatency.RunAsync(latencyArguments);
        }

        if (args is ["peak"])
        {
            return await ClientPeakMemory.RunAsync();
        }

        if (args is ["peak-one", var peakCase, var peakClient, var address, var largeFile, var smallFile])
        {
            return await ClientPeakMemory.RunOneAsync(peakCase, peakClient, new Uri(address), largeFile, smallFile);
        }

        if (args is ["alloc", .. var allocArguments])
        {
            return await ClientAllocations.RunAsync(allocArguments);
        }

        string[] arguments = args.Length == 0 ? ["--filter", "*"] : args;
        var summaries = BenchmarkSwitcher.FromAssembly(typeof(Program).Assembly).Run(arguments);
        bool failed = summaries.Any(s => s.HasCriticalValidationErrors || s.Reports.Any(r => !r.Success));
        if (args.Length == 0)
        {
            failed |= await ClientCpuTime.RunAsync() != 0;
        }

        return failed ? 1 : 0;
    }
}
