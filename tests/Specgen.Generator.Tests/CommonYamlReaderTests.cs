using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using System.Text.Json.Nodes;
using Specgen.Generator.Reading;

namespace Specgen.Generator.Tests;

/// <summary>
/// <see cref="CommonYamlReader"/> reads without YamlDotNet; whatever it accepts must be read
/// exactly as YamlDotNet and the builder read it, and whatever YamlDotNet rejects it must decline
/// (YamlDotNet then reports the error).
/// </summary>
public class CommonYamlReaderTests
{
    public static IEnumerable<object[]> Constructs() => new[]
    {
        "a: 1\nb: two words\nc: -3\nd: 1.5e3\ne: true\nf: ~\ng:\nh: null\ni: 0x1F\nj: 1.0.0\nk: 123456789012345678901234567890\n",
        "---\n# comment\na: 1 # trailing\nb: 'it''s' # quoted\nc: \"x # y\"\nd: a#b\n",
        "\"quoted key\": 1\n'single': 2\n\"200\": ok\nx:y: z\nurl: http://example.com:80/a\n",
        "list:\n- a\n- b: 1\n  c: 2\n-\n  - nested\n- \"q\"\n- [1, 2]\nnext: 1\n",
        "outer:\n  list:\n    - name: x\n      in: query\n    - name: y\n  after: 1\n",
        "plain: first line\n  second line\n\n  after an empty line\n  `code` and -dash and [x] {y} \"q\" 'r' *s &t !u |v >w %x @y ,z\nnext: 1\n",
        "lit: |\n  one\n    two\n\n  three\nclip: |\n  x\n\n\nstrip: |-\n  x\n\nkeep: |+\n  x\n\n\nend: 1\n",
        "fold: >\n  one\n  two\n\n  three\n    indented\n  four\n\n    deeper\n\n  five\nafter: >-\n  a\n  b\nlast: >+\n  c\n\n",
        "lead: |\n\n  after a leading empty line\nspaces: |\n  a\n     \n  b\nblank: |+\n    \nnone: |\nz: 1\n",
        "dq: \"tab\\tnew\\nline \\\"q\\\" \\\\ \\/ \\x41 \\u00e9 \\U0001F600 \\0 \\a \\b \\e \\f \\r \\v \\N \\_ \\L \\P \\ end\"\n",
        "folded: \"one\n  two   \n\n  three\"\nsingle: 'a\n  b'\nescaped: \"a \\\n  b\\\n\n  c\"\n",
        "flow: {a: 1, \"b\": [x, 'y', {c: d}], e: , f: null}\nempty: []\nemptymap: {}\nmulti: [\n    1,\n    2 ]\njsonish: {\"k\":1}\n",
        "crlf: 1\r\nnested:\r\n  x: |\r\n    a\r\n    b\r\n  y: >\r\n    c\r\n    d\r\n  z: \"e\r\n    f\"\r\n",
        "unicode: héllo wörld ✓ 😀\nkey ü: 1\n",
        "deep:\n  a:\n    b:\n      c:\n        - d:\n            e: [1, {f: [2]}]\n",
        "given: |2\n    indented by two more\n  base\nstrip: |-1\n  x\nfold: >2\n\n    spaced\n  text\n  more\nx: 1\n",
        "nested:\n- - a\n  - b\n- - - c\n- d\n",
        "plain: one - two\n  - three\n  ? four\n  [five]\nlist:\n- 'quoted\n  over lines'\n- \"and \\\"this\\\"\n  too\"\n",
    }.Select(yaml => new object[] { yaml });

    [Theory]
    [MemberData(nameof(Constructs))]
    public void What_it_reads_it_reads_as_YamlDotNet_does(string yaml)
    {
        JsonNode? common = CommonYamlReader.TryRead(yaml);

        Assert.NotNull(common);
        AssertSameTree(YamlSpecDocument.ParseWithYamlDotNet("/specs/api.yaml", yaml).Root, common);
    }

    [Theory]
    [InlineData("a: &x 1\nb: *x\n")] // anchors and aliases
    [InlineData("a: !!str 1\n")] // tags
    [InlineData("base: {x: 1}\nb:\n  <<: {y: 2}\n")] // merge keys
    [InlineData("? complex\n: value\n")] // explicit keys
    [InlineData("%YAML 1.2\n---\na: 1\n")] // directives
    [InlineData("a:\n\tb: 1\n")] // tabs as indentation
    [InlineData("a:\n- |2\n   x\n")] // an indentation indicator in a sequence
    [InlineData("a: |2\n x\n")] // content indented less than its indicator says
    [InlineData("a: 1\na: 2\n")] // a duplicate key: YamlDotNet's builder reports it
    [InlineData("a: 1\n---\nb: 2\n")] // a second document
    [InlineData("a: 1\n...\n")] // a document end
    [InlineData("a: {b, c: 1}\n")] // a flow entry without a value
    [InlineData("a: [x,\n  y\n  ]\n")] // a flow plain scalar going on to the next line
    [InlineData("a: b: c\n")] // not YAML
    [InlineData("a: 'unclosed\n")]
    [InlineData("a: [1, 2\n")]
    [InlineData("a:\n  b: 1\n c: 2\n")] // bad indentation
    [InlineData("- a\n- b\n")] // not a mapping at the top
    [InlineData("a: \"\\q\"\n")] // an escape YAML does not have
    [InlineData("a: x\u0085y\n")] // NEL, a line break in YAML 1.1
    [InlineData("")]
    [InlineData("# only a comment\n")]
    public void It_declines_what_it_does_not_read(string yaml)
    {
        Assert.Null(CommonYamlReader.TryRead(yaml));
    }

    [Fact]
    public void Every_YAML_file_of_the_repository_it_reads_is_read_as_YamlDotNet_reads_it()
    {
        int read = 0;
        foreach (string file in RepositoryYamlFiles())
        {
            string text = File.ReadAllText(file);
            if (CommonYamlReader.TryRead(text) is not { } common)
            {
                continue;
            }

            read++;
            AssertSameTree(YamlSpecDocument.ParseWithYamlDotNet(file, text).Root, common, file);
        }

        // The bundled Threads fragment and most scenarios are read; the broken specs are declined.
        Assert.True(read >= 30, $"only {read} files were read");
        Assert.NotNull(CommonYamlReader.TryRead(File.ReadAllText(Path.Combine(RepoPaths.RepoRoot, "spec", "openai-threads.yaml"))));
    }

    [Fact]
    public void A_mutated_text_it_reads_is_read_as_YamlDotNet_reads_it()
    {
        // Random edits of YAML's own characters into small real specs: most make texts it declines,
        // many make texts that are still YAML, and some make texts YamlDotNet rejects. Whatever it
        // accepts must be what YamlDotNet reads.
        const string characters = ":- \n\"'|>[]{},#&*!?%@`\\\t0aZ.";
        string[] pieces = { ": ", "- ", "\n", "\n  ", "  ", "|\n", ">-\n", "|+\n", "\n\n", "\r\n", "---\n", "...", " #", "\\\n", "''", "\\x4" };
        var random = new Random(20261207);
        var files = RepositoryYamlFiles().Where(f => new FileInfo(f).Length < 40_000).ToList();
        int accepted = 0;
        var mismatches = new List<string>();
        foreach (string file in files)
        {
            string original = File.ReadAllText(file);
            for (int round = 0; round < 150; round++)
            {
                string text = original;
                for (int edit = 1 + random.Next(3); edit > 0; edit--)
                {
                    int at = random.Next(text.Length + 1);
                    text = random.Next(4) switch
                    {
                        0 when at < text.Length => text.Remove(at, Math.Min(1 + random.Next(4), text.Length - at)),
                        1 => text.Insert(at, characters[random.Next(characters.Length)].ToString()),
                        2 => text.Insert(at, pieces[random.Next(pieces.Length)]),
                        3 when at < text.Length => text.Remove(at, 1).Insert(at, characters[random.Next(characters.Length)].ToString()),
                        _ => text,
                    };
                }

                if (ScanDisagreement(text) is { } disagreement)
                {
                    mismatches.Add($"{Path.GetFileName(file)}, round {round}: {disagreement}");
                }

                if (CommonYamlReader.TryRead(text) is not { } common)
                {
                    continue;
                }

                accepted++;
                JsonNode? expected;
                try
                {
                    expected = YamlSpecDocument.ParseWithYamlDotNet(file, text).Root;
                }
                catch (SpecReadException ex)
                {
                    mismatches.Add($"{Path.GetFileName(file)}, round {round}: YamlDotNet rejects it ({ex.Message})");
                    continue;
                }

                if (!JsonNode.DeepEquals(expected, common))
                {
                    mismatches.Add($"{Path.GetFileName(file)}, round {round}: another tree");
                }
            }
        }

        Assert.True(accepted > 1000, $"only {accepted} mutated texts were read");
        Assert.Empty(mismatches);
    }

    [SharedCorpusFact]
    public void Every_YAML_document_of_the_corpus_is_read_as_YamlDotNet_reads_it()
    {
        string[] documents = Directory.GetFiles(CorpusDocuments.Root, "*.y*ml", SearchOption.AllDirectories);
        Assert.NotEmpty(documents);
        foreach (string file in documents)
        {
            string text = File.ReadAllText(file);
            JsonNode? common = CommonYamlReader.TryRead(text);
            Assert.True(common is not null, $"{file} was declined");
            AssertSameTree(YamlSpecDocument.ParseWithYamlDotNet(file, text).Root, common, file);
            Assert.Null(ScanDisagreement(text));
        }
    }

    [Theory]
    [InlineData("a: 1\na: 2\n")]
    [InlineData("a:\n  b: 1\n  b: 2\n")]
    [InlineData("a: {b: 1, b: 2}\n")]
    [InlineData("a:\n  - b: 1\n    b: 2\n")]
    public void A_scan_declines_a_duplicate_key_as_a_read_does(string yaml)
    {
        Assert.Null(CommonYamlReader.TryRead(yaml));
        Assert.False(CommonYamlReader.TryScan(yaml, new Prose(yaml)));
    }

    [Fact]
    public void A_scan_takes_the_same_prose_out_as_a_read()
    {
        // Keys repeat in sibling mappings at one depth, which share the scan's set of keys.
        string yaml = "a:\n  description: first\n  b: {description: data}\nc:\n  description: |\n    second\n  d:\n    - description: third\n      summary: 4\n";
        Assert.True(CommonYamlReader.TryScan(yaml, new Prose(yaml)));
        Assert.Null(ScanDisagreement(yaml));
    }

    /// <summary>
    /// How a scan of <paramref name="text"/> differs from a read that builds the tree (accepting it,
    /// the skeleton, the words taken out), or null when it does not: a scan is a read without the tree.
    /// </summary>
    private static string? ScanDisagreement(string text)
    {
        var read = new Prose(text);
        bool accepted = CommonYamlReader.TryRead(text, read) is not null;
        var scanned = new Prose(text);
        if (CommonYamlReader.TryScan(text, scanned) != accepted)
        {
            return accepted ? "the scan declines what a read accepts" : "the scan accepts what a read declines";
        }

        return accepted && (read.Skeleton() != scanned.Skeleton() || !read.Texts.Equals(scanned.Texts)) ? "the scan takes out other prose" : null;
    }

    [Fact]
    public void A_document_it_read_finds_places_with_a_second_read_that_rewrites_its_blank_block_scalars()
    {
        // The second read is YamlDotNet's, which needs the blank block scalar rewritten (it throws on
        // one); they are looked for only then.
        string yaml = "a:\n  example: |+\n    \n  list:\n    - x\n    - y: 2\nflow: {k: [1]}\n";
        Assert.NotNull(CommonYamlReader.TryRead(yaml));
        var document = YamlSpecDocument.Parse("/specs/api.yaml", yaml);

        document.UseMarks();

        Assert.Equal((6, 6), (document.Locate("/flow").Line, document.Locate("/flow").Column));
        Assert.Equal((5, 6), (document.Locate("/a/list/1").Line, document.Locate("/a/list/1").Column));
        Assert.Equal("\n", document.Root["a"]!["example"]!.GetValue<string>());
    }

    private static IEnumerable<string> RepositoryYamlFiles() =>
        new[] { "spec", "tests", "samples" }
            .Select(folder => Path.Combine(RepoPaths.RepoRoot, folder))
            .SelectMany(folder => Directory.EnumerateFiles(folder, "*.y*ml", SearchOption.AllDirectories))
            .Where(file => !file.Contains($"{Path.DirectorySeparatorChar}bin{Path.DirectorySeparatorChar}", StringComparison.Ordinal)
                && !file.Contains($"{Path.DirectorySeparatorChar}obj{Path.DirectorySeparatorChar}", StringComparison.Ordinal))
            .OrderBy(file => file, StringComparer.Ordinal);

    private static void AssertSameTree(JsonNode? expected, JsonNode? actual, string? file = null)
    {
        if (!JsonNode.DeepEquals(expected, actual))
        {
            Assert.Fail($"{file ?? "the text"} reads differently:\nYamlDotNet: {Shorten(expected?.ToJsonString())}\ncommon reader: {Shorten(actual?.ToJsonString())}");
        }
    }

    private static string? Shorten(string? json) => json is { Length: > 2000 } ? json.Substring(0, 2000) + "…" : json;
}
