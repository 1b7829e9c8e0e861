using System;
using System.IO;

namespace Specgen.Generator.Tests;

/// <summary>
/// A <c>[Fact]</c> for tests that need the official OpenAI OpenAPI document, which lives
/// next to the repository (<c>../shared/specs/openai/openapi.yaml</c>) in our workspace but
/// not in a user's clone. xunit 2 has no way to skip from inside a running test, so the
/// decision is made here, at discovery time, by setting <see cref="FactAttribute.Skip"/>.
/// </summary>
public sealed class SharedSpecFactAttribute : FactAttribute
{
    public const string MissingDocumentMessage =
        "../shared/specs/openai/openapi.yaml is not present (a user's clone); the conformance test needs the official document";

    public SharedSpecFactAttribute()
    {
        // Attribute constructors run during discovery, where an exception would hide the test
        // instead of failing it. If the repository root cannot be found, leave the test enabled:
        // it then fails with the explanation from RepoPaths.RepoRoot.
        string? root = RepoPaths.TryFindRepoRoot();
        if (root is not null && !File.Exists(RepoPaths.OfficialOpenAiDocumentUnder(root)))
        {
            Skip = MissingDocumentMessage;
        }
    }
}

/// <summary>Where the tests find the repository and the documents around it.</summary>
internal static class RepoPaths
{
    private const string SolutionFileName = "Generators.sln";

    /// <summary>The folder that holds Generators.sln, found by walking up from the test binaries.</summary>
    public static string RepoRoot =>
        TryFindRepoRoot()
        ?? throw new InvalidOperationException(
            $"No folder above {AppContext.BaseDirectory} contains {SolutionFileName}; the tests must run from inside the repository.");

    /// <summary>spec/openai-threads.yaml, the OpenAPI fragment that we write and maintain.</summary>
    public static string ThreadsFragment => Path.Combine(RepoRoot, "spec", "openai-threads.yaml");

    /// <summary>The official OpenAI document, outside the repository.</summary>
    public static string OfficialOpenAiDocument => OfficialOpenAiDocumentUnder(RepoRoot);

    public static string OfficialOpenAiDocumentUnder(string repoRoot) =>
        Path.GetFullPath(Path.Combine(repoRoot, "..", "shared", "specs", "openai", "openapi.yaml"));

    public static string? TryFindRepoRoot()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            if (File.Exists(Path.Combine(dir.FullName, SolutionFileName)))
            {
                return dir.FullName;
            }
        }

        return null;
    }
}
