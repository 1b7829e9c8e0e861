using System;
using System.Collections.Generic;
using System.Diagnostics;
using System.IO;
using System.Linq;
using System.Threading;
using System.Threading.Tasks;

namespace Specgen.IntegrationTests.Prism;

/// <summary>
/// A child process (npm, node) whose stdout and stderr are drained asynchronously into a capped log,
/// so that it can never block on a full pipe, and whose whole process tree is killed on dispose.
/// </summary>
internal sealed class ToolProcess : IDisposable
{
    private const int MaxLogLines = 400;

    private readonly Process _process;
    private readonly Queue<string> _log = new();
    private readonly object _gate = new();
    private readonly Action<string>? _onLine;

    private ToolProcess(Process process, Action<string>? onLine)
    {
        _process = process;
        _onLine = onLine;
    }

    /// <summary>The command line, for messages.</summary>
    public string CommandLine { get; private init; } = string.Empty;

    public bool HasExited => _process.HasExited;

    public int ExitCode => _process.ExitCode;

    /// <summary>Starts <paramref name="fileName"/>; <paramref name="onLine"/> sees every output line (stdout and stderr) as it arrives.</summary>
    public static ToolProcess Start(string fileName, IEnumerable<string> arguments, string workingDirectory, Action<string>? onLine = null)
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

        // Plain text: no colour codes in the log or around the line we wait for.
        startInfo.Environment["NO_COLOR"] = "1";
        startInfo.Environment["FORCE_COLOR"] = "0";

        var process = new Process { StartInfo = startInfo, EnableRaisingEvents = true };
        var tool = new ToolProcess(process, onLine)
        {
            CommandLine = fileName + " " + string.Join(" ", startInfo.ArgumentList),
        };
        process.OutputDataReceived += (_, e) => tool.Append(e.Data);
        process.ErrorDataReceived += (_, e) => tool.Append(e.Data);
        process.Start();
        process.StandardInput.Close();
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        return tool;
    }

    /// <summary>The last <paramref name="lines"/> lines of output.</summary>
    public string Tail(int lines = 40)
    {
        lock (_gate)
        {
            return string.Join(Environment.NewLine, _log.Skip(Math.Max(0, _log.Count - lines)));
        }
    }

    /// <summary>Waits for the process to exit; kills it and throws <see cref="TimeoutException"/> after <paramref name="timeout"/>.</summary>
    public async Task<int> WaitForExitAsync(TimeSpan timeout, string what)
    {
        using var cancellation = new CancellationTokenSource(timeout);
        try
        {
            await _process.WaitForExitAsync(cancellation.Token);
        }
        catch (OperationCanceledException)
        {
            Kill();
            throw new TimeoutException($"{what} did not finish within {timeout.TotalSeconds:0} s ({CommandLine}). Its last output:{Environment.NewLine}{Tail()}");
        }

        // The exit can be observed before the last redirected lines; this waits for the streams to end.
        _process.WaitForExit();
        return _process.ExitCode;
    }

    /// <summary>A task that completes when the process exits.</summary>
    public Task ExitedAsync(CancellationToken cancellationToken) => _process.WaitForExitAsync(cancellationToken);

    /// <summary>Kills the process and every child it started; waits (boundedly) for them to go.</summary>
    public void Kill()
    {
        try
        {
            if (!_process.HasExited)
            {
                _process.Kill(entireProcessTree: true);
                _process.WaitForExit(TimeSpan.FromSeconds(10));
            }
        }
        catch (InvalidOperationException)
        {
            // It exited between the check and the kill.
        }
    }

    public void Dispose()
    {
        Kill();
        _process.Dispose();
    }

    private void Append(string? line)
    {
        if (line is null)
        {
            return;
        }

        lock (_gate)
        {
            _log.Enqueue(line);
            if (_log.Count > MaxLogLines)
            {
                _log.Dequeue();
            }
        }

        _onLine?.Invoke(line);
    }

    /// <summary>Finds an executable on <paramref name="searchPath"/> (PATH by default), with Windows' extensions where they apply.</summary>
    public static string? FindExecutable(string name, string? searchPath = null)
    {
        searchPath ??= Environment.GetEnvironmentVariable("PATH") ?? string.Empty;
        string[] extensions = OperatingSystem.IsWindows()
            ? (Environment.GetEnvironmentVariable("PATHEXT") ?? ".COM;.EXE;.BAT;.CMD").Split(';', StringSplitOptions.RemoveEmptyEntries)
            : [string.Empty];
        foreach (string directory in searchPath.Split(Path.PathSeparator, StringSplitOptions.RemoveEmptyEntries))
        {
            foreach (string extension in extensions)
            {
                string candidate = Path.Combine(directory.Trim('"'), name + extension);
                if (File.Exists(candidate))
                {
                    return candidate;
                }
            }
        }

        return null;
    }
}
