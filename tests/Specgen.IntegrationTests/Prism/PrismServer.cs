using System;
using System.IO;
using System.Net;
using System.Net.Sockets;
using System.Threading;
using System.Threading.Tasks;

namespace Specgen.IntegrationTests.Prism;

/// <summary>
/// A running <c>prism mock</c> on 127.0.0.1: an independent mock server that answers from a spec's
/// examples and schemas and rejects any request that does not match the spec (422).
/// </summary>
internal sealed class PrismServer : IDisposable
{
    public static readonly TimeSpan StartTimeout = TimeSpan.FromSeconds(120);

    private const string ReadyLine = "Prism is listening";
    private const int Attempts = 3;

    private readonly ToolProcess _process;

    private PrismServer(ToolProcess process, Uri baseAddress)
    {
        _process = process;
        BaseAddress = baseAddress;
    }

    /// <summary>The root Prism serves the spec's paths under (no <c>/v1</c>): <c>http://127.0.0.1:{port}</c>.</summary>
    public Uri BaseAddress { get; }

    /// <summary>Whether Prism has stopped (it crashed, or it was stopped).</summary>
    public bool HasExited => _process.HasExited;

    /// <summary>Starts Prism on a free port and returns once it says it is listening.</summary>
    /// <param name="entryPoint">Prism's entry script (see <see cref="PrismInstaller"/>).</param>
    /// <param name="specPath">The OpenAPI document to mock.</param>
    /// <param name="mockOptions">More options of <c>prism mock</c>, such as <c>--dynamic</c>.</param>
    public static async Task<PrismServer> StartAsync(string entryPoint, string specPath, params string[] mockOptions)
    {
        string node = ToolProcess.FindExecutable("node")
            ?? throw new InvalidOperationException("node is needed to run Prism for the contract tests, but it is not on the PATH. Install Node.js.");

        // The free port is found by binding and releasing it, so another process can take it
        // before Prism does; Prism then exits at once and the next attempt uses another port.
        string failures = string.Empty;
        for (int attempt = 1; attempt <= Attempts; attempt++)
        {
            int port = FreeLoopbackPort();
            var ready = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
            ToolProcess process = ToolProcess.Start(
                node,
                [entryPoint, "mock", .. mockOptions, "-h", "127.0.0.1", "-p", port.ToString(System.Globalization.CultureInfo.InvariantCulture), specPath],
                Path.GetDirectoryName(specPath)!,
                line =>
                {
                    if (line.Contains(ReadyLine, StringComparison.Ordinal))
                    {
                        ready.TrySetResult();
                    }
                });

            using var timeout = new CancellationTokenSource(StartTimeout);
            Task exited = process.ExitedAsync(timeout.Token);
            Task first = await Task.WhenAny(ready.Task, exited);
            if (first == ready.Task)
            {
                return new PrismServer(process, new Uri($"http://127.0.0.1:{port}"));
            }

            using (process)
            {
                if (!process.HasExited)
                {
                    process.Kill();
                    throw new TimeoutException(
                        $"Prism did not print '{ReadyLine}' within {StartTimeout.TotalSeconds:0} s ({process.CommandLine}). Its last output:{Environment.NewLine}{process.Tail()}");
                }

                int exitCode = await process.WaitForExitAsync(TimeSpan.FromSeconds(10), "Prism");
                failures += $"{Environment.NewLine}Attempt {attempt} on port {port} exited with {exitCode}:{Environment.NewLine}{process.Tail()}";
            }
        }

        throw new InvalidOperationException($"Prism exited before it was listening, {Attempts} times.{failures}");
    }

    /// <summary>The last lines Prism printed (it logs every request and its validation).</summary>
    public string Tail(int lines = 40) => _process.Tail(lines);

    /// <summary>Stops Prism and anything it started.</summary>
    public void Dispose() => _process.Dispose();

    private static int FreeLoopbackPort()
    {
        var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        try
        {
            return ((IPEndPoint)listener.LocalEndpoint).Port;
        }
        finally
        {
            listener.Stop();
        }
    }
}
