using System;
using System.IO;
using System.Text.Json;
using System.Threading;
using System.Threading.Tasks;

namespace Specgen.IntegrationTests.Prism;

/// <summary>
/// Installs the pinned Prism CLI from npm into a folder (the repository's gitignored <c>.tools/prism</c>),
/// or reuses an install that is already there. A file lock next to the folder makes concurrent test
/// runs install it once.
/// </summary>
internal static class PrismInstaller
{
    public const string PackageName = "@stoplight/prism-cli";
    public const string PackageVersion = "5.16.0";

    public static readonly TimeSpan InstallTimeout = TimeSpan.FromMinutes(5);

    /// <summary>
    /// Returns the path of Prism's entry script (run it with node), installing Prism first when
    /// <paramref name="installDirectory"/> does not hold version <see cref="PackageVersion"/>.
    /// </summary>
    /// <param name="installDirectory">The npm prefix to install into.</param>
    /// <param name="searchPath">Where to look for npm; PATH when null.</param>
    /// <exception cref="InvalidOperationException">npm is not available, or the install failed.</exception>
    public static async Task<string> EnsureInstalledAsync(string installDirectory, string? searchPath = null)
    {
        Directory.CreateDirectory(installDirectory);
        using FileStream installLock = await AcquireLockAsync(installDirectory + ".lock", InstallTimeout);

        if (InstalledEntryPoint(installDirectory) is { } existing)
        {
            return existing;
        }

        string npm = ToolProcess.FindExecutable("npm", searchPath)
            ?? throw new InvalidOperationException(
                $"npm is needed to install Prism ({PackageName}@{PackageVersion}) for the contract tests, but it is not on the PATH. "
                + $"Install Node.js (which brings npm), or install Prism yourself with: npm install --prefix \"{installDirectory}\" {PackageName}@{PackageVersion}");

        using ToolProcess install = ToolProcess.Start(
            npm,
            ["install", "--prefix", installDirectory, $"{PackageName}@{PackageVersion}", "--no-audit", "--no-fund", "--loglevel=warn"],
            installDirectory);
        int exitCode = await install.WaitForExitAsync(InstallTimeout, "Installing Prism with npm");
        if (exitCode != 0)
        {
            throw new InvalidOperationException(
                $"Installing Prism failed: '{install.CommandLine}' exited with {exitCode}. Its last output:{Environment.NewLine}{install.Tail()}");
        }

        return InstalledEntryPoint(installDirectory)
            ?? throw new InvalidOperationException(
                $"npm reported success, but {PackageName}@{PackageVersion} is not in {installDirectory}. npm's output:{Environment.NewLine}{install.Tail()}");
    }

    /// <summary>The entry script of a complete install of the pinned version, or null.</summary>
    private static string? InstalledEntryPoint(string installDirectory)
    {
        string package = Path.Combine(installDirectory, "node_modules", "@stoplight", "prism-cli");
        string manifest = Path.Combine(package, "package.json");
        string entry = Path.Combine(package, "dist", "index.js");
        if (!File.Exists(manifest) || !File.Exists(entry))
        {
            return null;
        }

        using JsonDocument document = JsonDocument.Parse(File.ReadAllBytes(manifest));
        return document.RootElement.TryGetProperty("version", out JsonElement version) && version.GetString() == PackageVersion ? entry : null;
    }

    /// <summary>An exclusive lock on a file, across processes; waits for another holder up to <paramref name="timeout"/>.</summary>
    private static async Task<FileStream> AcquireLockAsync(string path, TimeSpan timeout)
    {
        using var cancellation = new CancellationTokenSource(timeout);
        while (true)
        {
            try
            {
                return new FileStream(path, FileMode.OpenOrCreate, FileAccess.ReadWrite, FileShare.None);
            }
            catch (IOException) when (!cancellation.IsCancellationRequested)
            {
                await Task.Delay(TimeSpan.FromMilliseconds(250));
            }
            catch (IOException error)
            {
                throw new TimeoutException($"Another process held {path} for more than {timeout.TotalSeconds:0} s.", error);
            }
        }
    }
}
