using System;
using System.IO;
using System.Linq;
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
    /// <param name="pinned">
    /// Dependencies to install exactly once, at the given version, wherever Prism's packages ask for
    /// them (npm <c>overrides</c>); an install where one of them is missing, at another version, or
    /// present twice is not reused. See <see cref="OneJsonSchemaFaker"/> for why.
    /// </param>
    /// <exception cref="InvalidOperationException">npm is not available, or the install failed.</exception>
    public static async Task<string> EnsureInstalledAsync(string installDirectory, string? searchPath = null, params (string Package, string Version)[] pinned)
    {
        Directory.CreateDirectory(installDirectory);
        using FileStream installLock = await AcquireLockAsync(installDirectory + ".lock", InstallTimeout);

        if (InstalledEntryPoint(installDirectory, pinned) is { } existing)
        {
            return existing;
        }

        if (pinned.Length > 0)
        {
            // npm reads overrides only from the package.json of the prefix it installs into.
            var manifest = new System.Text.Json.Nodes.JsonObject { ["private"] = true, ["overrides"] = new System.Text.Json.Nodes.JsonObject() };
            foreach ((string package, string version) in pinned)
            {
                manifest["overrides"]![package] = version;
            }

            await File.WriteAllTextAsync(Path.Combine(installDirectory, "package.json"), manifest.ToJsonString());
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

        return InstalledEntryPoint(installDirectory, pinned)
            ?? throw new InvalidOperationException(
                $"npm reported success, but {PackageName}@{PackageVersion} is not in {installDirectory}. npm's output:{Environment.NewLine}{install.Tail()}");
    }

    /// <summary>
    /// json-schema-faker pinned for the whole install. Prism 5.16.0's CLI depends on
    /// json-schema-faker 0.5.9 and its mock generator (@stoplight/prism-http) on 0.5.8, so npm
    /// installs both: the CLI then applies a document's <c>x-json-schema-faker</c> options to a copy
    /// the generator never uses, and they have no effect. With one copy (the generator's version)
    /// they apply.
    /// </summary>
    public static readonly (string Package, string Version) OneJsonSchemaFaker = ("json-schema-faker", "0.5.8");

    /// <summary>The entry script of a complete install of the pinned version (with each pinned dependency exactly once), or null.</summary>
    private static string? InstalledEntryPoint(string installDirectory, (string Package, string Version)[] pinned)
    {
        string modules = Path.Combine(installDirectory, "node_modules");
        string package = Path.Combine(modules, "@stoplight", "prism-cli");
        string entry = Path.Combine(package, "dist", "index.js");
        if (!File.Exists(entry) || VersionOf(package) != PackageVersion)
        {
            return null;
        }

        foreach ((string dependency, string version) in pinned)
        {
            bool nested = Directory.EnumerateDirectories(modules, "node_modules", SearchOption.AllDirectories)
                .Any(folder => Directory.Exists(Path.Combine(folder, dependency)));
            if (nested || VersionOf(Path.Combine(modules, dependency)) != version)
            {
                return null;
            }
        }

        return entry;
    }

    private static string? VersionOf(string packageFolder)
    {
        string manifest = Path.Combine(packageFolder, "package.json");
        if (!File.Exists(manifest))
        {
            return null;
        }

        using JsonDocument document = JsonDocument.Parse(File.ReadAllBytes(manifest));
        return document.RootElement.TryGetProperty("version", out JsonElement version) ? version.GetString() : null;
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
