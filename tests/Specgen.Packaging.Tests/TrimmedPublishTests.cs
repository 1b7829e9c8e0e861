using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using System.Runtime.InteropServices;
using System.Text.RegularExpressions;
using System.Threading.Tasks;
using Specgen.Packaging.Tests.Support;
using Xunit.Abstractions;

namespace Specgen.Packaging.Tests;

/// <summary>
/// samples/ThreadsConsole published trimmed and self-contained: the trim analysis of the generated
/// client, the runtime and everything else in the app reports nothing, and the trimmed binary runs
/// the whole Threads flow against its embedded server.
/// </summary>
/// <remarks>
/// A full NativeAOT publish needs the ILCompiler runtime pack, which our package source does not
/// have; the AOT analyzer (IL3050) runs at compile time through IsAotCompatible instead.
/// </remarks>
public sealed class TrimmedPublishTests(ITestOutputHelper log)
{
    private static readonly TimeSpan PublishTimeout = TimeSpan.FromMinutes(8);
    private static readonly TimeSpan RunTimeout = TimeSpan.FromMinutes(1);

    // Trim (IL2xxx) and AOT (IL3xxx) analysis, as warnings or (through TreatWarningsAsErrors) errors.
    private static readonly Regex TrimOrAotDiagnostic = new(@"\b(warning|error)\s+IL\d{4}", RegexOptions.CultureInvariant);
    private static readonly Regex AnyWarning = new(@":\s+warning\s+[A-Z]+\d+", RegexOptions.CultureInvariant);

    [Fact]
    public async Task ThreadsConsole_publishes_trimmed_without_a_trim_or_AOT_warning_and_the_trimmed_binary_runs_the_tour()
    {
        using var temp = new TempDirectory("specgen-trimmed");
        string publish = temp.Combine("publish");

        // PublishTrimmed, TrimmerSingleWarn=false and IsAotCompatible come from the sample's project file.
        ProcessResult published = await ChildProcess.DotnetAsync(
            Repository.Root,
            PublishTimeout,
            environment: null,
            "publish", Repository.PathOf("samples", "ThreadsConsole", "ThreadsConsole.csproj"),
            "-c", "Release", "-r", RuntimeInformation.RuntimeIdentifier, "--self-contained",
            "--artifacts-path", temp.Combine("artifacts"), "-o", publish, "-nodeReuse:false");
        log.WriteLine(published.Describe(tailLines: 40));

        string[] diagnostics = published.Output.Split('\n').Where(line => TrimOrAotDiagnostic.IsMatch(line) || AnyWarning.IsMatch(line)).Distinct().ToArray();
        Assert.True(diagnostics.Length == 0, $"The trimmed publish reported:\n{string.Join("\n", diagnostics)}\n\n{published.Describe()}");
        Assert.True(published.ExitCode == 0, published.Describe());
        Assert.Contains("Optimizing assemblies for size", published.Output);

        string binary = Path.Combine(publish, OperatingSystem.IsWindows() ? "ThreadsConsole.exe" : "ThreadsConsole");
        Assert.True(File.Exists(binary), $"No {binary} in the publish folder: {string.Join(", ", Directory.GetFiles(publish).Select(Path.GetFileName))}");

        // No API key: the app starts its embedded Threads server on loopback and runs against it.
        ProcessResult run = await ChildProcess.RunAsync(binary, [], publish, RunTimeout, new Dictionary<string, string?> { ["OPENAI_API_KEY"] = null, ["OPENAI_BASE_URL"] = null });
        log.WriteLine(run.Describe());

        Assert.True(run.ExitCode == 0, "The trimmed app failed.\n" + run.Describe());
        Assert.Contains("using the local Threads server", run.Output);
        Assert.Contains("raised NotFoundException", run.Output);
    }
}
