using System;
using System.Threading.Tasks;
using Specgen.IntegrationTests.Support;

namespace Specgen.IntegrationTests.Prism;

/// <summary>
/// One Prism per test run, shared by every class in <see cref="PrismCollection"/>: xunit creates a
/// collection fixture once, so Prism is installed (if needed) and started once. When that fails (no
/// npm, no network, Prism does not start) every contract test fails with the reason; none is skipped.
/// </summary>
public class PrismFixture : IAsyncLifetime
{
    private PrismServer? _server;

    public PrismFixture()
        : this(RepositoryPaths.PrismSpec)
    {
    }

    protected PrismFixture(string specPath)
    {
        SpecPath = specPath;
    }

    /// <summary>The spec Prism mocks: the official OpenAI document when present, else our fragment.</summary>
    public string SpecPath { get; }

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

/// <summary>
/// A second Prism that always mocks our fragment (spec/openai-threads.yaml). Prism does not check
/// the bodies of createRun and createThreadAndRun against the official document (it cannot compile
/// their schemas, which put <c>nullable</c> beside <c>anyOf</c>/<c>allOf</c>, and lets every body
/// through), so those two bodies are checked against the fragment here.
/// </summary>
public sealed class FragmentPrismFixture : PrismFixture
{
    public FragmentPrismFixture()
        : base(RepositoryPaths.ThreadsFragment)
    {
    }
}

/// <summary>The contract tests against our fragment: they share the one <see cref="FragmentPrismFixture"/>.</summary>
[CollectionDefinition(Name)]
public sealed class FragmentPrismCollection : ICollectionFixture<FragmentPrismFixture>
{
    public const string Name = "Prism (fragment)";
}
