using System;
using System.Threading.Tasks;
using Specgen.IntegrationTests.Support;

namespace Specgen.IntegrationTests.Prism;

/// <summary>
/// One Prism per test run, shared by every class in <see cref="PrismCollection"/>: xunit creates a
/// collection fixture once, so Prism is installed (if needed) and started once. When that fails (no
/// npm, no network, Prism does not start) every contract test fails with the reason; none is skipped.
/// </summary>
public sealed class PrismFixture : IAsyncLifetime
{
    private PrismServer? _server;

    /// <summary>The spec Prism mocks: the official OpenAI document when present, else our fragment.</summary>
    public string SpecPath { get; } = RepositoryPaths.PrismSpec;

    /// <summary>Prism's root address (the spec's paths without <c>/v1</c>).</summary>
    public Uri BaseAddress => Server.BaseAddress;

    private PrismServer Server => _server ?? throw new InvalidOperationException("Prism has not started.");

    public async Task InitializeAsync()
    {
        string entryPoint = await PrismInstaller.EnsureInstalledAsync(RepositoryPaths.PrismInstallDirectory);
        _server = await PrismServer.StartAsync(entryPoint, SpecPath);
    }

    /// <summary>The last lines Prism printed, to explain a failed contract test.</summary>
    public string Tail(int lines = 40) => Server.Tail(lines);

    public Task DisposeAsync()
    {
        _server?.Dispose();
        return Task.CompletedTask;
    }
}

/// <summary>The contract tests: they share the one <see cref="PrismFixture"/>.</summary>
[CollectionDefinition(Name)]
public sealed class PrismCollection : ICollectionFixture<PrismFixture>
{
    public const string Name = "Prism";
}
