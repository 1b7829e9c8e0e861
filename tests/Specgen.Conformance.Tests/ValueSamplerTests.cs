using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using Specgen.Conformance.Tests.Values;
using Specgen.Generator.Tests;

namespace Specgen.Conformance.Tests;

/// <summary>The values the sweep sends come from the document: what it gives, else what its schema admits.</summary>
public sealed class ValueSamplerTests : IDisposable
{
    private readonly string _folder = Path.Combine(Path.GetTempPath(), "specgen-sampler-" + Guid.NewGuid().ToString("N"));

    public ValueSamplerTests() => Directory.CreateDirectory(_folder);

    public void Dispose() => Directory.Delete(_folder, recursive: true);

    [Fact]
    public void An_object_gets_its_required_members_and_the_optional_ones_the_document_gives_a_value_but_no_readOnly_one()
    {
        JsonNode? value = SampleOf("""
            type: object
            required: [id, name, tags]
            properties:
              id: { type: integer, readOnly: true }
              name: { type: string, minLength: 8 }
              tags: { type: array, minItems: 2, items: { type: string, enum: [a, b] } }
              nickname: { type: string, example: Rex }
              age: { type: integer }
            """);

        Assert.True(JsonNode.DeepEquals(JsonNode.Parse("""{"name":"sweepxxx","tags":["a","a"],"nickname":"Rex"}"""), value), value?.ToJsonString());
    }

    [Fact]
    public void Formats_bounds_and_patterns_give_values_the_schema_admits()
    {
        JsonNode? value = SampleOf("""
            type: object
            required: [when, day, id, email, data, count, ratio, sid, small]
            properties:
              when: { type: string, format: date-time }
              day: { type: string, format: date }
              id: { type: string, format: uuid }
              email: { type: string, format: email }
              data: { type: string, format: byte }
              count: { type: integer, minimum: 5, maximum: 9, multipleOf: 3 }
              ratio: { type: number, exclusiveMinimum: true, minimum: 1, maximum: 2 }
              sid: { type: string, pattern: '^AC[0-9a-fA-F]{32}$' }
              small: { type: integer, maximum: -4 }
            """);

        Assert.Equal("2024-01-02T03:04:05Z", value!["when"]!.GetValue<string>());
        Assert.Equal("2024-01-02", value["day"]!.GetValue<string>());
        Assert.True(Guid.TryParse(value["id"]!.GetValue<string>(), out _));
        Assert.Contains("@", value["email"]!.GetValue<string>(), StringComparison.Ordinal);
        Assert.Equal("sweep", System.Text.Encoding.UTF8.GetString(Convert.FromBase64String(value["data"]!.GetValue<string>())));
        Assert.Equal(6, value["count"]!.GetValue<long>());
        Assert.Equal(1.5, value["ratio"]!.GetValue<double>());
        Assert.Matches("^AC[0-9a-fA-F]{32}$", value["sid"]!.GetValue<string>());
        Assert.Equal(-4, value["small"]!.GetValue<long>());
    }

    [Fact]
    public void An_example_that_breaks_its_own_schema_is_not_sent()
    {
        JsonNode? value = SampleOf("""
            type: string
            format: uuid
            example: not-a-uuid
            """);

        Assert.True(Guid.TryParse(value!.GetValue<string>(), out _));
    }

    [Fact]
    public void AllOf_parts_are_merged_and_a_discriminated_oneOf_writes_its_first_variant_with_the_mapped_name()
    {
        var tree = TreeOf("""
            openapi: 3.0.0
            components:
              schemas:
                Base: { type: object, required: [kind, id], properties: { kind: { type: string }, id: { type: string } } }
                Cat: { allOf: [ { $ref: '#/components/schemas/Base' }, { type: object, required: [lives], properties: { lives: { type: integer, default: 9 } } } ] }
                Dog: { allOf: [ { $ref: '#/components/schemas/Base' } ] }
                Pet:
                  oneOf: [ { $ref: '#/components/schemas/Cat' }, { $ref: '#/components/schemas/Dog' } ]
                  discriminator: { propertyName: kind, mapping: { cat: '#/components/schemas/Cat', dog: '#/components/schemas/Dog' } }
            """);

        JsonNode? value = new ValueSampler(tree).Sample(tree.Root["components"]["schemas"]["Pet"]);

        Assert.True(JsonNode.DeepEquals(JsonNode.Parse("""{"kind":"cat","id":"sweep","lives":9}"""), value), value?.ToJsonString());
    }

    [Fact]
    public void A_reference_into_another_file_is_followed_from_the_file_that_holds_it()
    {
        Directory.CreateDirectory(Path.Combine(_folder, "common"));
        File.WriteAllText(Path.Combine(_folder, "common", "Error.json"), """{"type":"object","required":["code"],"properties":{"code":{"type":"integer","format":"int32","example":404}}}""");
        File.WriteAllText(Path.Combine(_folder, "Pet.json"), """{"type":"object","required":["error"],"properties":{"error":{"$ref":"common/Error.json"}}}""");
        string entry = Path.Combine(_folder, "swagger.json");
        File.WriteAllText(entry, """{"swagger":"2.0","definitions":{"Pet":{"$ref":"Pet.json"}}}""");
        var tree = new SpecTree(entry);

        JsonNode? value = new ValueSampler(tree).Sample(tree.Root["definitions"]["Pet"]);

        Assert.Equal("""{"error":{"code":404}}""", value?.ToJsonString());
    }

    [Fact]
    public void A_schema_that_requires_itself_has_no_value()
    {
        var tree = TreeOf("""
            openapi: 3.0.0
            components:
              schemas:
                Node: { type: object, required: [next], properties: { next: { $ref: '#/components/schemas/Node' } } }
            """);

        Assert.Throws<NoValueException>(() => new ValueSampler(tree).Sample(tree.Root["components"]["schemas"]["Node"]));
    }

    [Theory]
    [InlineData(@"^(SM|MM)[0-9a-fA-F]{32}$")]
    [InlineData(@"^[UW][A-Z0-9]{8,}$|^$")]
    [InlineData(@"^#(([0-9a-fA-F]{2}){3}|([0-9a-fA-F]){3})$")]
    [InlineData(@"([notes|assignee|subtasks])(,\1)*")]
    [InlineData(@"^\d{10}\.\d{6}$")]
    [InlineData(@"^[^/]+$")]
    [InlineData(@"(\{user_question\}[\s\S]*?\{content\}|\{content\}[\s\S]*?\{user_question\})")]
    public void A_pattern_gives_a_string_it_matches(string pattern)
    {
        string? text = PatternSampler.Sample(pattern);

        Assert.NotNull(text);
        Assert.Matches(pattern, text);
    }

    [Fact]
    public void A_pattern_gives_a_longer_string_when_minLength_asks_for_one_and_none_that_nothing_matches()
    {
        Assert.Equal(12, PatternSampler.Sample("^[a-z]+$", minLength: 12)!.Length);
        Assert.Null(PatternSampler.Sample(".^"));
    }

    [SharedCorpusFact]
    public void Every_pattern_of_the_corpus_gives_a_string_it_matches_except_the_one_nothing_matches()
    {
        var failed = new List<string>();
        foreach (string pattern in CorpusDocuments.All.SelectMany(d => d.Files).Select(f => new SpecTree(Path.Combine(CorpusDocuments.Root, f)).Root.Node).SelectMany(Patterns).Distinct())
        {
            string? text = PatternSampler.Sample(pattern);
            if (text is null || !Regex.IsMatch(text, pattern))
            {
                failed.Add(pattern);
            }
        }

        // OpenAI's document uses `.^` (a character followed by a start of line) to say "never".
        Assert.Equal([".^"], failed);
    }

    private static IEnumerable<string> Patterns(JsonNode? node) => node switch
    {
        JsonObject obj => obj.SelectMany(member => member.Key == "pattern" && member.Value is JsonValue value && value.TryGetValue(out string? pattern) ? [pattern] : Patterns(member.Value)),
        JsonArray array => array.SelectMany(Patterns),
        _ => [],
    };

    private JsonNode? SampleOf(string schemaYaml)
    {
        SpecTree tree = TreeOf(schemaYaml);
        return new ValueSampler(tree).Sample(tree.Root);
    }

    private SpecTree TreeOf(string yaml)
    {
        string path = Path.Combine(_folder, Guid.NewGuid().ToString("N") + ".yaml");
        File.WriteAllText(path, yaml);
        return new SpecTree(path);
    }
}
