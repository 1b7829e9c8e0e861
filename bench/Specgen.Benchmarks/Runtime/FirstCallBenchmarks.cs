using System;
using System.Diagnostics;
using System.IO;
using BenchmarkDotNet.Attributes;

namespace Specgen.Benchmarks.Runtime;

/// <summary>
/// Time from process start to the first response received: each invocation starts one of the
/// first-call apps (bench/FirstCall, published trimmed and self-contained by its publish.sh) with the
/// canned server's address, and ends when the app prints the id of the thread its one GetThread
/// call read. The app's exit is waited for after the measurement. The floor is the baseline.
/// </summary>
[Config(typeof(BenchmarkConfig.FirstCall))]
public class FirstCallBenchmarks
{
    private ServerProcess? _server;
    private string _apps = null!;
    private Process? _app;

    [GlobalSetup]
    public void Setup()
    {
        _server = ServerProcess.Start();
        string? directory = AppContext.BaseDirectory;
        while (directory is not null && !File.Exists(Path.Combine(directory, "Generators.sln")))
        {
            directory = Path.GetDirectoryName(directory);
        }

        _apps = Path.Combine(directory ?? throw new InvalidOperationException("Generators.sln not found above the benchmark."), "bench", "FirstCall", "publish");
        foreach (string client in new[] { "Floor", "Specgen", "Sdk" })
        {
            if (!File.Exists(Path.Combine(_apps, client, "FirstCall")))
            {
                throw new InvalidOperationException($"The first-call app of {client} is not published: run bench/FirstCall/publish.sh first.");
            }
        }
    }

    [GlobalCleanup]
    public void Cleanup() => _server?.Dispose();

    [IterationCleanup]
    public void WaitForExit()
    {
        _app?.WaitForExit();
        if (_app is { ExitCode: not 0 })
        {
            throw new InvalidOperationException($"A first-call app exited with {_app.ExitCode}.");
        }

        _app?.Dispose();
        _app = null;
    }

    [Benchmark(Baseline = true, Description = "Floor")]
    public string Floor() => FirstResponse("Floor");

    [Benchmark(Description = "Specgen")]
    public string Specgen() => FirstResponse("Specgen");

    [Benchmark(Description = "OpenAI SDK")]
    public string Sdk() => FirstResponse("Sdk");

    /// <summary>The client of the whole OpenAI document (2,500 types); published only where ../shared has the document.</summary>
    [Benchmark(Description = "Specgen, OpenAI document")]
    public string SpecgenOpenAIDocument() => File.Exists(Path.Combine(_apps, "SpecgenOpenAI", "FirstCall"))
        ? FirstResponse("SpecgenOpenAI")
        : throw new InvalidOperationException("The first-call app of the OpenAI document is not published: publish.sh does it where ../shared/specs/openai/openapi.yaml exists.");

    private string FirstResponse(string client)
    {
        var startInfo = new ProcessStartInfo(Path.Combine(_apps, client, "FirstCall")) { UseShellExecute = false, RedirectStandardOutput = true };
        startInfo.ArgumentList.Add(_server!.BaseAddress.ToString());
        _app = Process.Start(startInfo) ?? throw new InvalidOperationException($"The first-call app of {client} did not start.");
        return _app.StandardOutput.ReadLine() ?? throw new InvalidOperationException($"The first-call app of {client} printed nothing.");
    }
}
