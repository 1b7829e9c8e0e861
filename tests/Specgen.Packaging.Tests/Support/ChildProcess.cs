using System;
using System.Collections.Generic;
using System.Diagnostics;
using System.Linq;
using System.Text;
using System.Threading;
using System.Threading.Tasks;

namespace Specgen.Packaging.Tests.Support;

/// <summary>What a finished child process printed and how it ended.</summary>
internal sealed record ProcessResult(string CommandLine, string WorkingDirectory, int ExitCode, string Output, TimeSpan Elapsed)
{
    /// <summary>The command, its exit code and the tail of its output, for an assertion message.</summary>
    public string Describe(int tailLines = 120)
    {
        string[] lines = Output.Split('\n');
        string tail = string.Join("\n", lines.Skip(Math.Max(0, lines.Length - tailLines)));
        return $"`{CommandLine}` in {WorkingDirectory} exited with {ExitCode} after {Elapsed.TotalSeconds:0.0} s. " +
            $"Output{(lines.Length > tailLines ? $" (last {tailLines} of {lines.Length} lines)" : string.Empty)}:\n{tail}";
    }
}

/// <summary>
/// Runs a child process (dotnet pack, build, publish, the built app) with a hard timeout: on expiry
/// its whole process tree is killed and the test fails with what it printed so far. Output is
/// drained asynchronously so that a chatty child can never block on a full pipe.
/// </summary>
internal static class ChildProcess
{
    /// <summary>
    /// Settings for every dotnet child: no telemetry or banners, and no build server or MSBuild
    /// node that would outlive the command (and keep its output pipe open after it exits).
    /// </summary>
    private static readonly Dictionary<string, string?> DotnetEnvironment = new()
    {
        ["DOTNET_CLI_TELEMETRY_OPTOUT"] = "1",
        ["DOTNET_NOLOGO"] = "1",
        ["DOTNET_SKIP_FIRST_TIME_EXPERIENCE"] = "1",
        ["DOTNET_GENERATE_ASPNET_CERTIFICATE"] = "false",
        ["DOTNET_CLI_UI_LANGUAGE"] = "en",
        ["MSBUILDDISABLENODEREUSE"] = "1",
        ["DOTNET_CLI_USE_MSBUILD_SERVER"] = "0",
        ["UseSharedCompilation"] = "false",
        // The test host's own settings must not leak into the builds it starts.
        ["MSBuildExtensionsPath"] = null,
        ["MSBuildSDKsPath"] = null,
        ["MSBUILD_EXE_PATH"] = null,
        ["DOTNET_HOST_PATH"] = null,
        ["VSTEST_HOST_DEBUG"] = null,
    };

    /// <summary>The dotnet executable that runs this test host, so that children use the same SDK.</summary>
    public static string DotnetExecutable { get; } =
        Environment.GetEnvironmentVariable("DOTNET_HOST_PATH") is { Length: > 0 } host ? host
        : Process.GetCurrentProcess().MainModule?.FileName is { } self && System.IO.Path.GetFileNameWithoutExtension(self) == "dotnet" ? self
        : "dotnet";

    /// <summary>Runs <c>dotnet</c> with <paramref name="arguments"/>.</summary>
    public static Task<ProcessResult> DotnetAsync(string workingDirectory, TimeSpan timeout, IReadOnlyDictionary<string, string?>? environment, params string[] arguments)
    {
        var merged = new Dictionary<string, string?>(DotnetEnvironment);
        foreach (KeyValuePair<string, string?> pair in environment ?? new Dictionary<string, string?>())
        {
            merged[pair.Key] = pair.Value;
        }

        return RunAsync(DotnetExecutable, arguments, workingDirectory, timeout, merged);
    }

    /// <summary>Runs <paramref name="fileName"/>; <see langword="null"/> values in <paramref name="environment"/> remove a variable.</summary>
    public static async Task<ProcessResult> RunAsync(string fileName, IEnumerable<string> arguments, string workingDirectory, TimeSpan timeout, IReadOnlyDictionary<string, string?>? environment = null)
    {
        var startInfo = new ProcessStartInfo(fileName)
        {
            WorkingDirectory = workingDirectory,
            UseShellExecute = false,
            RedirectStandardInput = true,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            CreateNoWindow = true,
        };
        foreach (string argument in arguments)
        {
            startInfo.ArgumentList.Add(argument);
        }

        foreach (KeyValuePair<string, string?> pair in environment ?? new Dictionary<string, string?>())
        {
            if (pair.Value is null)
            {
                startInfo.Environment.Remove(pair.Key);
            }
            else
            {
                startInfo.Environment[pair.Key] = pair.Value;
            }
        }

        string commandLine = fileName + " " + string.Join(" ", startInfo.ArgumentList);
        var output = new StringBuilder();
        using var process = new Process { StartInfo = startInfo };
        process.OutputDataReceived += (_, e) => Append(output, e.Data);
        process.ErrorDataReceived += (_, e) => Append(output, e.Data);
        var stopwatch = Stopwatch.StartNew();
        process.Start();
        process.StandardInput.Close();
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();

        using (var cancellation = new CancellationTokenSource(timeout))
        {
            try
            {
                await process.WaitForExitAsync(cancellation.Token);
            }
            catch (OperationCanceledException)
            {
                KillTree(process);
                throw new TimeoutException(
                    new ProcessResult(commandLine, workingDirectory, -1, Snapshot(output), stopwatch.Elapsed).Describe()
                    + $"\nKilled with its process tree: no exit within {timeout.TotalSeconds:0} s.");
            }
        }

        // WaitForExitAsync returns after the output streams closed; a grandchild that kept them open
        // would have been caught by the timeout above. The tree is gone either way.
        KillTree(process);
        return new ProcessResult(commandLine, workingDirectory, process.ExitCode, Snapshot(output), stopwatch.Elapsed);
    }

    private static void KillTree(Process process)
    {
        try
        {
            if (!process.HasExited)
            {
                process.Kill(entireProcessTree: true);
                process.WaitForExit(TimeSpan.FromSeconds(10));
            }
        }
        catch (InvalidOperationException)
        {
            // It exited between the check and the kill.
        }
    }

    private static void Append(StringBuilder output, string? line)
    {
        if (line is null)
        {
            return;
        }

        lock (output)
        {
            output.Append(line).Append('\n');
        }
    }

    private static string Snapshot(StringBuilder output)
    {
        lock (output)
        {
            return output.ToString();
        }
    }
}
