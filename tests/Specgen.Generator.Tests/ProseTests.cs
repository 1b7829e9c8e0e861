using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using System.Threading;
using Specgen.Generator.Mapping;
using Specgen.Generator.Model;
using Specgen.Generator.Reading;

namespace Specgen.Generator.Tests;

/// <summary>
/// A YAML document is parsed as its skeleton, with its descriptions and summaries as tokens, which
/// are put back after the Parse step (<see cref="Prose"/>, <see cref="ProseFill"/>), so that editing
/// prose leaves the parse cached. The model and diagnostics must be exactly those of the document
/// read as written.
/// </summary>
public class ProseTests
{
    public static IEnumerable<object[]> RepositorySpecs() =>
        Directory.GetFiles(Path.Combine(RepoPaths.RepoRoot, "tests", "Specgen.Generator.Tests", "Scenarios"), "*.yaml")
            .Append(Path.Combine(RepoPaths.RepoRoot, "spec", "openai-threads.yaml"))
            .OrderBy(f => f, StringComparer.Ordinal)
            .Select(f => new object[] { Path.GetRelativePath(RepoPaths.RepoRoot, f) });

    [Theory]
    [MemberData(nameof(RepositorySpecs))]
    public void A_spec_of_the_repository_maps_the_same_with_its_prose_taken_out(string relative)
    {
        AssertSameWithProseTakenOut(Path.Combine(RepoPaths.RepoRoot, relative), expectSplit: !relative.EndsWith("Enum.yaml", StringComparison.Ordinal));
    }

    [SharedCorpusFact]
    public void Every_YAML_document_of_the_corpus_maps_the_same_with_its_prose_taken_out()
    {
        foreach (CorpusDocument document in CorpusDocuments.All.Where(d => d.Name.EndsWith(".yaml", StringComparison.Ordinal) || d.Name.EndsWith(".yml", StringComparison.Ordinal)))
        {
            AssertSameWithProseTakenOut(document.FullPath(document.Name), expectSplit: true);
        }
    }

    [Fact]
    public void The_skeleton_keeps_every_line_and_leaves_out_only_the_words()
    {
        string before = "openapi: 3.1.0\ninfo:\n  title: T\n  version: '1'\n  description: |\n    First words.\n    More words.\npaths: {}\n";
        string reworded = before.Replace("First words.", "Other words, longer ones.", StringComparison.Ordinal);
        string longer = before.Replace("More words.\n", "More words.\n    A line more.\n", StringComparison.Ordinal);
        string retitled = before.Replace("title: T", "title: U", StringComparison.Ordinal);

        ProseSplit split = Split(before);

        Assert.Equal(new[] { "First words.\nMore words." }, split.Texts.Items);
        Assert.Equal(split.ForParse(), Split(reworded).ForParse());
        Assert.NotEqual(split.ForParse(), Split(longer).ForParse());
        Assert.NotEqual(split.ForParse(), Split(retitled).ForParse());
        Assert.DoesNotContain("words", split.Skeleton, StringComparison.Ordinal);
        Assert.EndsWith("\npaths: {}\n", split.Skeleton, StringComparison.Ordinal);
        Assert.Equal(before.Split('\n').Length, split.Skeleton!.Split('\n').Length);
        Assert.Equal("\uE0000\uE001\n", YamlSpecDocument.Parse("/specs/api.yaml", split.Skeleton).Root["info"]!["description"]!.GetValue<string>());
    }

    [Theory]
    [InlineData("x-note:\n  description: data\n")]
    [InlineData("components:\n  schemas:\n    A:\n      type: object\n      example:\n        description: data\n")]
    [InlineData("components:\n  schemas:\n    A:\n      oneOf: [{$ref: '#/components/schemas/B'}]\n      discriminator:\n        propertyName: kind\n        mapping:\n          description: '#/components/schemas/B'\n    B: {type: object}\n")]
    [InlineData("info:\n  description: \"   \"\n")]
    public void Strings_that_are_data_or_blank_stay_as_written(string yaml)
    {
        ProseSplit split = Split("openapi: 3.1.0\n" + yaml);

        Assert.NotNull(split.Skeleton);
        Assert.Empty(split.Texts.Items);
    }

    [Fact]
    public void JSON_and_text_YamlDotNet_reads_keep_their_prose()
    {
        Assert.Null(Split("{\"openapi\": \"3.1.0\", \"info\": {\"description\": \"words\"}}").Skeleton);
        Assert.Null(Split("openapi: 3.1.0\ninfo: &i\n  description: words\nx: *i\n").Skeleton);
    }

    [Fact]
    public void A_text_that_uses_the_token_characters_keeps_its_prose_and_filling_never_throws()
    {
        Assert.Null(Split("openapi: 3.1.0\ninfo:\n  description: odd \uE000 words\n").Skeleton);
        var texts = new[] { "words" }.ToEquatableArray();
        Assert.Equal("a \uE0009\uE001 b words \uE000", Prose.Fill("a \uE0009\uE001 b \uE0000\uE001 \uE000", texts));
    }

    private static ProseSplit Split(string text) => ProseSplit.Of(new SpecInput("/specs/api.yaml", text, "Api", "ApiClient"));

    private static void AssertSameWithProseTakenOut(string path, bool expectSplit)
    {
        var input = new SpecInput(path, File.ReadAllText(path), "Api", "ApiClient");
        Func<string, string?> readFile = other => File.Exists(other) ? File.ReadAllText(other) : null;
        ProseSplit split = ProseSplit.Of(input);
        Assert.True((split.Skeleton is not null) == expectSplit, $"{path}: prose {(expectSplit ? "not " : string.Empty)}taken out");

        ParseResult asWritten = SpecParser.Parse(input, readFile, CancellationToken.None);
        ParseResult filled = ProseFill.Fill(SpecParser.Parse(split.ForParse(), readFile, CancellationToken.None), split.Texts);

        Assert.True(asWritten.Model is not null, $"{path} did not map: {string.Join("; ", asWritten.Diagnostics.Select(d => d.Detail))}");
        Assert.True(asWritten.Diagnostics.Equals(filled.Diagnostics), $"{path}: diagnostics differ:\n{string.Join("\n", asWritten.Diagnostics.Except(filled.Diagnostics))}\nagainst\n{string.Join("\n", filled.Diagnostics.Except(asWritten.Diagnostics))}");
        if (!asWritten.Model!.Equals(filled.Model))
        {
            Assert.Fail($"{path}: {FirstDifference(asWritten.Model, filled.Model!)}");
        }
    }

    private static string FirstDifference(ApiModel expected, ApiModel actual)
    {
        for (int i = 0; i < Math.Min(expected.Types.Count, actual.Types.Count); i++)
        {
            if (!expected.Types[i].Equals(actual.Types[i]))
            {
                return $"type {expected.Types[i].Name} differs:\n{expected.Types[i]}\n{actual.Types[i]}";
            }
        }

        return expected.Types.Count != actual.Types.Count
            ? $"{expected.Types.Count} types against {actual.Types.Count}"
            : $"the client differs:\n{expected.Client}\n{actual.Client}";
    }
}
