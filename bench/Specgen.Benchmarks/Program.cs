using System;
using System.Linq;
using System.Threading.Tasks;
using BenchmarkDotNet.Running;
using Specgen.Benchmarks.Runtime;

namespace Specgen.Benchmarks;

/// <summary>
/// <c>dotnet run -c Release --project bench/Specgen.Benchmarks</c> runs every benchmark; BenchmarkDotNet's
/// arguments (<c>--filter '*Client*'</c>, <c>--list flat</c>...) choose fewer. <c>serve</c> runs the
/// canned Threads server the client benchmarks start in a process of its own.
/// </summary>
public static class Program
{
    public static async Task<int> Main(string[] args)
    {
        if (args is ["serve"])
        {
            return await CannedThreadsServer.ServeAsync();
        }

        string[] arguments = args.Length == 0 ? ["--filter", "*"] : args;
        var summaries = BenchmarkSwitcher.FromAssembly(typeof(Program).Assembly).Run(arguments);
        return summaries.Any(s => s.HasCriticalValidationErrors || s.Reports.Any(r => !r.Success)) ? 1 : 0;
    }
}
