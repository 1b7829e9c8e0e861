using System;
using System.IO;
using System.Threading.Tasks;

namespace Specgen.IntegrationTests.Prism;

/// <summary>How the contract suite gets Prism, checked without the network.</summary>
public sealed class PrismInstallerTests : IDisposable
{
    private readonly string _directory = Path.Combine(Path.GetTempPath(), "specgen-prism-" + Guid.NewGuid().ToString("N"));

    public void Dispose()
    {
        if (Directory.Exists(_directory))
        {
            Directory.Delete(_directory, recursive: true);
        }

        File.Delete(_directory + ".lock");
    }

    [Fact]
    public async Task Without_npm_the_install_fails_with_a_message_that_npm_is_needed_to_install_Prism()
    {
        InvalidOperationException error = await Assert.ThrowsAsync<InvalidOperationException>(
            () => PrismInstaller.EnsureInstalledAsync(_directory, searchPath: Path.Combine(_directory, "empty-bin")));

        Assert.StartsWith("npm is needed to install Prism (@stoplight/prism-cli@5.16.0)", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task An_existing_install_of_the_pinned_version_is_reused_without_npm()
    {
        string package = Path.Combine(_directory, "node_modules", "@stoplight", "prism-cli");
        Directory.CreateDirectory(Path.Combine(package, "dist"));
        await File.WriteAllTextAsync(Path.Combine(package, "package.json"), """{"name": "@stoplight/prism-cli", "version": "5.16.0"}""");
        await File.WriteAllTextAsync(Path.Combine(package, "dist", "index.js"), "// entry");

        string entry = await PrismInstaller.EnsureInstalledAsync(_directory, searchPath: string.Empty);

        Assert.Equal(Path.Combine(package, "dist", "index.js"), entry);
    }

    [Fact]
    public async Task An_install_of_another_version_is_not_reused()
    {
        string package = Path.Combine(_directory, "node_modules", "@stoplight", "prism-cli");
        Directory.CreateDirectory(Path.Combine(package, "dist"));
        await File.WriteAllTextAsync(Path.Combine(package, "package.json"), """{"name": "@stoplight/prism-cli", "version": "5.15.0"}""");
        await File.WriteAllTextAsync(Path.Combine(package, "dist", "index.js"), "// entry");

        InvalidOperationException error = await Assert.ThrowsAsync<InvalidOperationException>(
            () => PrismInstaller.EnsureInstalledAsync(_directory, searchPath: string.Empty));

        Assert.Contains("npm is needed", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task An_install_with_the_pinned_json_schema_faker_once_is_reused_without_npm()
    {
        string entry = await FakeInstallAsync();
        await FakePackageAsync(Path.Combine(_directory, "node_modules", "json-schema-faker"), "0.5.8");

        Assert.Equal(entry, await PrismInstaller.EnsureInstalledAsync(_directory, searchPath: string.Empty, PrismInstaller.OneJsonSchemaFaker));
    }

    [Fact]
    public async Task An_install_with_a_second_json_schema_faker_under_prism_http_is_not_reused_when_one_is_pinned()
    {
        await FakeInstallAsync();
        await FakePackageAsync(Path.Combine(_directory, "node_modules", "json-schema-faker"), "0.5.9");
        await FakePackageAsync(Path.Combine(_directory, "node_modules", "@stoplight", "prism-http", "node_modules", "json-schema-faker"), "0.5.8");

        // Reused as it is when nothing is pinned (the contract tests' install looks like this).
        await PrismInstaller.EnsureInstalledAsync(_directory, searchPath: string.Empty);
        InvalidOperationException error = await Assert.ThrowsAsync<InvalidOperationException>(
            () => PrismInstaller.EnsureInstalledAsync(_directory, searchPath: string.Empty, PrismInstaller.OneJsonSchemaFaker));

        Assert.Contains("npm is needed", error.Message, StringComparison.Ordinal);
    }

    private async Task<string> FakeInstallAsync()
    {
        string package = Path.Combine(_directory, "node_modules", "@stoplight", "prism-cli");
        await FakePackageAsync(package, PrismInstaller.PackageVersion);
        Directory.CreateDirectory(Path.Combine(package, "dist"));
        await File.WriteAllTextAsync(Path.Combine(package, "dist", "index.js"), "// entry");
        return Path.Combine(package, "dist", "index.js");
    }

    private static async Task FakePackageAsync(string folder, string version)
    {
        Directory.CreateDirectory(folder);
        await File.WriteAllTextAsync(Path.Combine(folder, "package.json"), $$"""{"version": "{{version}}"}""");
    }
}
