using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using System.Text;
using Microsoft.CodeAnalysis.Text;
using Xunit.Abstractions;

namespace Specgen.Generator.Tests;

/// <summary>
/// The broken corpus: documents that are not valid YAML or JSON, not OpenAPI, wrong in their
/// keywords or references, or built to exhaust a reader (BrokenSpecs/, plus a few generated here
/// because they are large). Every one, marked as a spec with <c>Specgen="true"</c> as a user
/// forcing it would, must end with SPEC diagnostics at a line of the file, in bounded time,
/// with no exception escaping the generator and no SPEC005 (a crash caught by Specgen); whatever
/// is still generated must compile.
/// </summary>
public sealed class BrokenSpecTests(ITestOutputHelper output)
{
    /// <summary>A hang bound: every case but the 50 MB one takes well under a second.</summary>
    private static readonly TimeSpan BoundPerCase = TimeSpan.FromSeconds(60);

    public static IEnumerable<object[]> CaseNames => BrokenSpecCases.All.Select(c => new object[] { c.Name });

    [Theory]
    [MemberData(nameof(CaseNames))]
    public void Each_broken_document_ends_with_a_located_SPEC_diagnostic_and_no_crash(string name)
    {
        BrokenSpecCase broken = BrokenSpecCases.All.Single(c => c.Name == name);

        CorpusRun run = CorpusHarness.Run(broken.Path, broken.Text(), BoundPerCase);
        output.WriteLine($"{name}: {run.Elapsed.TotalMilliseconds:0} ms, {run.GeneratedFiles} files generated");
        output.WriteLine(run.DescribeDiagnostics());

        Assert.True(run.Failure is null, run.Failure);
        Assert.NotEmpty(run.Diagnostics);
        Assert.All(run.Diagnostics, d => Assert.StartsWith("SPEC", d.Id));
        Assert.DoesNotContain(run.Diagnostics, d => d.Id == "SPEC005");
        Assert.All(run.Diagnostics, d => Assert.True(d.File == broken.Path && d.Line > 0, $"Not located in the file: {d}"));
        Assert.True(
            run.Diagnostics.Any(d => d.Id == broken.ExpectedId && (broken.ExpectedLine == 0 || d.Line == broken.ExpectedLine)),
            $"Expected {broken.ExpectedId}{(broken.ExpectedLine == 0 ? string.Empty : " on line " + broken.ExpectedLine)}; got:\n{run.DescribeDiagnostics()}");
        Assert.True(run.CompileDiagnostics.Count == 0, $"What was generated does not compile cleanly:\n{string.Join("\n", run.CompileDiagnostics.Take(20))}");
    }

    [Fact]
    public void Schemas_nested_as_deep_as_the_reader_allows_generate_and_compile()
    {
        // 120 levels of schemas are 240 levels of YAML under components/schemas: just inside
        // SpecLimits.MaxDepth, so every recursive step after reading must survive them.
        CorpusRun run = CorpusHarness.Run("/project/specs/deep.yaml", BrokenSpecCases.NestedYamlBlock(120), BoundPerCase);

        Assert.True(run.Failure is null, run.Failure);
        Assert.True(run.Diagnostics.Count == 0, run.DescribeDiagnostics());
        Assert.Equal(120, run.Models);
        Assert.Empty(run.CompileDiagnostics);
    }

    [Fact]
    public void Names_of_thousands_of_characters_in_JSON_generate_code_that_compiles_and_emits()
    {
        // YAML limits a plain key to 1,024 characters (a broken case above); JSON has no limit, and
        // metadata names have one (1,024 UTF-8 bytes), which only emitting the assembly checks.
        string name = string.Concat(Enumerable.Repeat("VeryLongName", 300));
        string spec = "{\"openapi\": \"3.1.0\", \"info\": {\"title\": \"Long\", \"version\": \"1\"},\n"
            + $"\"paths\": {{\"/{name}\": {{\"get\": {{\"operationId\": \"{name}\", \"responses\": {{\"200\": {{\"description\": \"ok\",\n"
            + $"\"content\": {{\"application/json\": {{\"schema\": {{\"$ref\": \"#/components/schemas/{name}\"}}}}}}}}}}}}}}}},\n"
            + $"\"components\": {{\"schemas\": {{\"{name}\": {{\"type\": \"object\", \"properties\": {{\"{name.ToLowerInvariant()}\": {{\"type\": \"string\", \"enum\": [\"{name}\", \"short\"]}}}}}}}}}}}}";

        GenerationResult result = GeneratorHarness.Run(spec, "/project/specs/long.json", CorpusHarness.ForceSpec("/project/specs/long.json"));

        result.AssertCleanAndCompiles();
        Microsoft.CodeAnalysis.Emit.EmitResult emitted = result.Compilation.Emit(new MemoryStream());
        Assert.True(emitted.Success, string.Join("\n", emitted.Diagnostics));
    }

    [Fact]
    public void The_broken_corpus_has_at_least_30_cases_and_lists_every_file_of_BrokenSpecs()
    {
        string[] files = Directory.GetFiles(BrokenSpecCases.Folder).Select(Path.GetFileName).OrderBy(f => f, StringComparer.Ordinal).ToArray()!;
        string[] listed = BrokenSpecCases.All.Where(c => c.File is not null).Select(c => c.File!).OrderBy(f => f, StringComparer.Ordinal).ToArray();

        Assert.Equal(files, listed);
        Assert.True(BrokenSpecCases.All.Count >= 30, $"{BrokenSpecCases.All.Count} cases");
    }
}

/// <summary>One broken document and the diagnostic it must end with.</summary>
/// <param name="ExpectedLine">1-based; 0 when the diagnostic may be on any line (the first, for a file that is broken as a whole).</param>
internal sealed record BrokenSpecCase(string Name, string ExpectedId, int ExpectedLine, string? File, Func<string>? Generate)
{
    /// <summary>The path the generator sees (a generated case's name is a file name too).</summary>
    public string Path => "/project/specs/" + Name;

    /// <summary>
    /// The text the generator gets. A checked-in file is decoded by Roslyn's <see cref="SourceText"/>
    /// from its bytes, as a compiler decodes an AdditionalFiles item, so that invalid UTF-8, NUL
    /// bytes and binary junk reach the generator as they would in a build.
    /// </summary>
    public string Text()
    {
        if (Generate is not null)
        {
            return Generate();
        }

        using FileStream stream = System.IO.File.OpenRead(System.IO.Path.Combine(BrokenSpecCases.Folder, File!));
        return SourceText.From(stream).ToString();
    }
}

internal static class BrokenSpecCases
{
    public static string Folder => System.IO.Path.Combine(AppContext.BaseDirectory, "BrokenSpecs");

    private const string Header = "openapi: 3.1.0\ninfo:\n  title: Broken\n  version: 1.0.0\n";

    public static readonly IReadOnlyList<BrokenSpecCase> All = new[]
    {
        // Not YAML.
        OnFile("yaml-bad-indentation.yaml", "SPEC001", 4),
        OnFile("yaml-tab-indentation.yaml", "SPEC001", 7),
        OnFile("yaml-unclosed-flow-mapping.yaml", "SPEC001", 0),
        OnFile("yaml-unclosed-flow-sequence.yaml", "SPEC001", 0),
        OnFile("yaml-unclosed-quote.yaml", "SPEC001", 0),
        OnFile("yaml-duplicate-key.yaml", "SPEC001", 13),
        OnFile("yaml-alias-without-anchor.yaml", "SPEC001", 8),
        OnFile("yaml-complex-key.yaml", "SPEC001", 8),
        OnFile("yaml-two-documents.yaml", "SPEC001", 6),
        OnFile("yaml-empty.yaml", "SPEC001", 1),
        OnFile("yaml-only-comments.yaml", "SPEC001", 1),
        OnFile("yaml-null-document.yaml", "SPEC001", 1),
        OnFile("yaml-only-document-markers.yaml", "SPEC001", 1),

        // Not JSON.
        OnFile("json-missing-comma.json", "SPEC001", 4),
        OnFile("json-unclosed-object.json", "SPEC001", 0),
        OnFile("json-trailing-garbage.json", "SPEC001", 6),
        OnFile("json-single-quotes.json", "SPEC001", 2),
        OnFile("json-duplicate-key.json", "SPEC001", 8),
        OnFile("json-unterminated-string.json", "SPEC001", 0),

        // Not text.
        OnFile("binary-junk.yaml", "SPEC001", 0),
        OnFile("gzip-file.yaml", "SPEC001", 0),
        OnFile("nul-bytes.yaml", "SPEC001", 3),
        OnFile("invalid-utf8.yaml", "SPEC004", 0),
        OnFile("utf16-without-bom.json", "SPEC001", 1),

        // Not OpenAPI.
        OnFile("yaml-only-scalar.yaml", "SPEC006", 1),
        OnFile("yaml-only-list.yaml", "SPEC006", 1),
        OnFile("json-only-array.json", "SPEC006", 1),
        OnFile("json-null.json", "SPEC001", 1),
        OnFile("json-number-root.json", "SPEC006", 1),

        // OpenAPI, with wrong keywords or references.
        OnFile("ref-dangling.yaml", "SPEC002", 12),
        OnFile("ref-cycle.yaml", "SPEC002", 11),
        OnFile("ref-self.yaml", "SPEC002", 9),
        OnFile("ref-into-missing-file.yaml", "SPEC002", 12),
        OnFile("ref-url.yaml", "SPEC002", 9),
        OnFile("ref-parameter-dangling.yaml", "SPEC002", 10),
        OnFile("swagger2-whole-file-ref.json", "SPEC002", 11),
        OnFile("wrong-type-paths.yaml", "SPEC004", 0),
        OnFile("wrong-type-info.yaml", "SPEC004", 0),
        OnFile("wrong-type-properties.yaml", "SPEC004", 0),
        OnFile("wrong-type-required.yaml", "SPEC004", 0),
        OnFile("wrong-type-parameters.yaml", "SPEC004", 0),
        OnFile("wrong-type-responses.yaml", "SPEC004", 0),
        OnFile("wrong-type-schema-type.yaml", "SPEC004", 10),
        OnFile("wrong-type-component-schema.yaml", "SPEC004", 13),
        OnFile("null-values.yaml", "SPEC004", 6),
        OnFile("wrong-type-components.yaml", "SPEC004", 0),
        OnFile("unknown-openapi-version.yaml", "SPEC004", 0),
        OnFile("swagger-version-wrong.yaml", "SPEC004", 0),
        OnFile("path-parameter-undeclared.yaml", "SPEC003", 0),

        // Built to exhaust a reader.
        OnFile("yaml-billion-laughs.yaml", "SPEC008", 0),
        Generated("generated-2000-nested-yaml-mappings.yaml", "SPEC008", 0, () => NestedYamlBlock(2000)),
        Generated("generated-2000-nested-yaml-flow-sequences.yaml", "SPEC008", 6, () => Header + "paths: {}\nx-deep: " + new string('[', 2000) + new string(']', 2000) + "\n"),
        Generated("generated-2000-nested-json-schemas.json", "SPEC008", 0, () => NestedJsonSchemas(2000)),
        Generated("generated-50-mb.yaml", "SPEC008", 1, () => Large(50 * 1024 * 1024)),
        Generated("generated-yaml-key-of-3600-characters.yaml", "SPEC001", 8, () => Header + "paths: {}\ncomponents:\n  schemas:\n    " + string.Concat(Enumerable.Repeat("VeryLongName", 300)) + ":\n      type: object\n"),
    };

    private static BrokenSpecCase OnFile(string file, string id, int line) => new(file, id, line, file, null);

    private static BrokenSpecCase Generated(string name, string id, int line, Func<string> generate) => new(name, id, line, null, generate);

    /// <summary>A schema whose property holds a schema whose property holds ... <paramref name="depth"/> levels down, in block YAML.</summary>
    public static string NestedYamlBlock(int depth)
    {
        var text = new StringBuilder(Header + "paths: {}\ncomponents:\n  schemas:\n    Deep:\n");
        for (int i = 0; i < depth; i++)
        {
            text.Append(' ', 6 + (4 * i)).Append("type: object\n");
            text.Append(' ', 6 + (4 * i)).Append("properties:\n");
            text.Append(' ', 8 + (4 * i)).Append("next:\n");
        }

        text.Append(' ', 8 + (4 * depth)).Append("type: string\n");
        return text.ToString();
    }

    private static string NestedJsonSchemas(int depth)
    {
        var text = new StringBuilder("{\"openapi\":\"3.1.0\",\"info\":{\"title\":\"Broken\",\"version\":\"1.0.0\"},\"paths\":{},\"components\":{\"schemas\":{\"Deep\":");
        for (int i = 0; i < depth; i++)
        {
            text.Append("{\"type\":\"object\",\"properties\":{\"next\":\n");
        }

        text.Append("{\"type\":\"string\"}");
        for (int i = 0; i < depth; i++)
        {
            text.Append("}}");
        }

        return text.Append("}}}\n").ToString();
    }

    /// <summary>A valid-looking document of <paramref name="size"/> characters: many schemas, each with a long description.</summary>
    private static string Large(int size)
    {
        var text = new StringBuilder(size + 4096);
        text.Append(Header).Append("paths: {}\ncomponents:\n  schemas:\n");
        string description = new('x', 1000);
        for (int i = 0; text.Length < size; i++)
        {
            text.Append("    Schema").Append(i).Append(":\n      type: object\n      description: ").Append(description).Append('\n');
        }

        return text.ToString();
    }
}
