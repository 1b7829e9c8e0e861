using System;
using System.Collections.Concurrent;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using System.Text.Json.Nodes;
using Microsoft.CodeAnalysis;

namespace Specgen.Generator.Tests;

/// <summary>A document of the shared corpus: its entry file, and the other files it refers to.</summary>
/// <param name="Name">The entry file, relative to <c>shared/specs/</c>.</param>
/// <param name="Referenced">Files the entry refers to with relative <c>$ref</c>s; a user adds them as AdditionalFiles too.</param>
internal sealed record CorpusDocument(string Name, params string[] Referenced)
{
    public IEnumerable<string> Files => Referenced.Prepend(Name);

    public string FullPath(string relative) => Path.GetFullPath(Path.Combine(CorpusDocuments.Root, relative));

    public CorpusRun Run(TimeSpan bound) => CorpusHarness.Run(AdditionalFiles(), ProjectOptions, bound);

    /// <summary>Every file of the document, as the AdditionalFiles items of a project (the entry file first).</summary>
    public AdditionalText[] AdditionalFiles() =>
        Files.Select(f => (AdditionalText)new InMemoryAdditionalText(FullPath(f), File.ReadAllText(FullPath(f)))).ToArray();

    /// <summary>No metadata: the defaults a user gets from <c>&lt;AdditionalFiles Include="..." /&gt;</c>.</summary>
    public static TestOptionsProvider ProjectOptions { get; } = new(
        new Dictionary<string, IReadOnlyDictionary<string, string>>(),
        new Dictionary<string, string> { ["build_property.RootNamespace"] = "CorpusProject" });

    // Reading a 3 MB document takes seconds: its facts are read once per test run.
    private static readonly ConcurrentDictionary<string, Lazy<(string Version, int Operations)>> Facts = new(StringComparer.Ordinal);

    /// <summary>The <c>swagger</c> or <c>openapi</c> version the entry file declares.</summary>
    public string Version() => FactsOf().Version;

    /// <summary>How many operations the entry file declares under <c>paths</c> (webhooks are not operations of a client).</summary>
    public int DeclaredOperations() => FactsOf().Operations;

    private (string Version, int Operations) FactsOf() =>
        Facts.GetOrAdd(Name, _ => new Lazy<(string, int)>(() =>
        {
            string[] methods = { "get", "put", "post", "delete", "options", "head", "patch", "trace" };
            JsonNode root = Reading.SpecReader.Read(Name, File.ReadAllText(FullPath(Name))).Root;
            string version = root["swagger"] is { } swagger ? "Swagger " + swagger : "OpenAPI " + root["openapi"];
            int operations = root["paths"] is JsonObject paths
                ? paths.Sum(path => path.Value is JsonObject item ? item.Count(member => methods.Contains(member.Key)) : 0)
                : 0;
            return (version, operations);
        })).Value;
}

internal static class CorpusDocuments
{
    public static string Root => Path.GetFullPath(Path.Combine(RepoPaths.RepoRoot, "..", "shared", "specs"));

    public static string? TryRootUnder(string repoRoot)
    {
        string root = Path.GetFullPath(Path.Combine(repoRoot, "..", "shared", "specs"));
        return Directory.Exists(root) ? root : null;
    }

    /// <summary>The 25 documents of SOURCES.md, in its order.</summary>
    public static readonly IReadOnlyList<CorpusDocument> All = new CorpusDocument[]
    {
        new("openai/openapi.yaml"),
        new("oai/v3.0/petstore.yaml"),
        new("oai/v3.0/petstore-expanded.yaml"),
        new("oai/v3.0/uspto.yaml"),
        new("oai/v3.0/link-example.yaml"),
        new("oai/v3.0/callback-example.yaml"),
        new("oai/v3.0/api-with-examples.yaml"),
        new("oai/v3.1/webhook-example.yaml"),
        new("oai/v3.1/tictactoe.yaml"),
        new("oai/v2.0/petstore.json"),
        new(
            "oai/v2.0/petstore-separate/spec/swagger.json",
            "oai/v2.0/petstore-separate/spec/Pet.json",
            "oai/v2.0/petstore-separate/spec/NewPet.json",
            "oai/v2.0/petstore-separate/spec/parameters.json",
            "oai/v2.0/petstore-separate/common/Error.json"),
        new("redocly/museum-openapi.yaml"),
        new("swagger-api/petstore3-openapi.yaml"),
        new("twilio/twilio_api_v2010.json"),
        new("twilio/twilio_chat_v3.yaml"),
        new("box/openapi.json"),
        new("spotify/fixed-spotify-open-api.yml"),
        new("slack/slack_web_openapi_v2.json"),
        new("discord/openapi.json"),
        new("adyen/CheckoutService-v71.json"),
        new("adyen/TokenizationNotification-v1.json"),
        new("xero/xero_accounting.yaml"),
        new("netlify/swagger.yml"),
        new("nytimes/books_api.yaml"),
        new("asana/asana_oas.yaml"),
    };
}

/// <summary>A <c>[Fact]</c> that needs <c>../shared/specs/</c>: skipped, with the reason, in a clone without it.</summary>
public sealed class SharedCorpusFactAttribute : FactAttribute
{
    public SharedCorpusFactAttribute() => Skip = SharedCorpus.SkipReason();
}

/// <summary>A <c>[Theory]</c> that needs <c>../shared/specs/</c>: skipped, with the reason, in a clone without it.</summary>
public sealed class SharedCorpusTheoryAttribute : TheoryAttribute
{
    public SharedCorpusTheoryAttribute() => Skip = SharedCorpus.SkipReason();
}

internal static class SharedCorpus
{
    public const string MissingMessage =
        "../shared/specs/ (the real-world corpus, see SOURCES.md there) is not present next to the repository (a user's clone); the corpus tests need it";

    // Decided at discovery time, like SharedSpecFactAttribute: xunit 2 cannot skip from inside a
    // running test. With no repository root found the test stays enabled and fails with RepoPaths' reason.
    public static string? SkipReason()
    {
        string? root = RepoPaths.TryFindRepoRoot();
        return root is not null && CorpusDocuments.TryRootUnder(root) is null ? MissingMessage : null;
    }
}
