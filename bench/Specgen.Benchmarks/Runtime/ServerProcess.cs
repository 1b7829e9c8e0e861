using System;
using System.Diagnostics;
using System.IO;

namespace Specgen.Benchmarks.Runtime;

/// <summary>
/// The canned server in a child process (this same program with the argument <c>serve</c>), so
/// that the benchmark process measures the clients' time and allocations and nothing of Kestrel's.
/// </summary>
internal sealed class ServerProcess : IDisposable
{
    private readonly Process _process;

    private ServerProcess(Process process, Uri baseAddress)
    {
        _process = process;
        BaseAddress = baseAddress;
    }

    public Uri BaseAddress { get; }

    /// <param name="deltas">How many <c>thread.message.delta</c> events a streamed run sends.</param>
    public static ServerProcess Start(int deltas = CannedThreadsServer.DefaultDeltas)
    {
        string program = typeof(ServerProcess).Assembly.Location;
        var startInfo = new ProcessStartInfo(Environment.ProcessPath ?? "dotnet")
        {
            UseShellExecute = false,
            RedirectStandardInput = true,
            RedirectStandardOutput = true,
            RedirectStandardError = false,
        };
        // Under `dotnet Specgen.Benchmarks.dll` the process is dotnet itself; as an apphost it is the program.
        if (Path.GetFileNameWithoutExtension(startInfo.FileName) == "dotnet")
        {
            startInfo.ArgumentList.Add(program);
        }

        startInfo.ArgumentList.Add("serve");
        startInfo.ArgumentList.Add("--deltas");
        startInfo.ArgumentList.Add(deltas.ToString(System.Globalization.CultureInfo.InvariantCulture));
        Process process = Process.Start(startInfo) ?? throw new InvalidOperationException("The server process did not start.");
        string? line = process.StandardOutput.ReadLine();
        if (line is null || !Uri.TryCreate(line.Trim(), UriKind.Absolute, out Uri? address))
        {
            process.Kill(entireProcessTree: true);
            throw new InvalidOperationException($"The server process printed '{line}' instead of its address.");
        }

        return new ServerProcess(process, address);
    }

    public void Dispose()
    {
        try
        {
            _process.StandardInput.Close();
            if (!_process.WaitForExit(TimeSpan.FromSeconds(10)))
            {
                _process.Kill(entireProcessTree: true);
            }
        }
        finally
        {
            _process.Dispose();
        }
    }
}
