using System.Text.Json.Nodes;
using Specgen.Generator.Diagnostics;
using Specgen.Generator.Reading;

namespace Specgen.Generator.Tests;

public class YamlReadingTests
{
    private static JsonNode Read(string yaml) => YamlSpecDocument.Parse("/specs/api.yaml", yaml.Replace("\r\n", "\n")).Root;

    [Theory]
    [InlineData("|+", "\"\\n\"")]
    [InlineData("|", "\"\"")]
    [InlineData("|-", "\"\"")]
    [InlineData(">+", "\"\\n\"")]
    public void A_block_scalar_whose_only_line_is_whitespace_reads_as_its_YAML_value(string header, string expectedJson)
    {
        // YamlDotNet 16.3.0 throws on these although they are valid YAML (OpenAI's document has one).
        string yaml = $"a:\n  example: {header}\n    \n  after: 1\n";

        JsonNode root = Read(yaml);

        Assert.Equal(expectedJson, root["a"]!["example"]!.ToJsonString());
        Assert.Equal(1, root["a"]!["after"]!.GetValue<long>());
    }

    [Fact]
    public void A_block_scalar_with_content_is_read_unchanged_next_to_a_blank_one()
    {
        string yaml = "a: |\n  line one\n    indented\nb: |+\n   \nc: >-\n  folded\n  text\n";

        JsonNode root = Read(yaml);

        Assert.Equal("line one\n  indented\n", root["a"]!.GetValue<string>());
        Assert.Equal("\n", root["b"]!.GetValue<string>());
        Assert.Equal("folded text", root["c"]!.GetValue<string>());
    }

    [Fact]
    public void A_real_syntax_error_after_a_blank_block_scalar_is_still_reported_at_its_own_line()
    {
        string yaml = "a: |+\n   \nb: [unclosed\nc: 1\n";

        SpecReadException error = Assert.Throws<SpecReadException>(() => Read(yaml));

        Assert.True(error.Line >= 2, $"reported at line {error.Line + 1}");
    }

    [Fact]
    public void A_header_inside_a_block_scalar_is_text_even_next_to_a_blank_block_scalar()
    {
        string yaml = "a: |\n  key: |\n    \n  end\nb: |+\n   \nc: 1\n";

        JsonNode root = Read(yaml);

        Assert.Equal("key: |\n  \nend\n", root["a"]!.GetValue<string>());
        Assert.Equal("\n", root["b"]!.GetValue<string>());
        Assert.Equal(1, root["c"]!.GetValue<long>());
    }

    [Fact]
    public void A_blank_block_scalar_keeps_one_line_break_per_line_at_the_end_of_the_file_and_with_CRLF()
    {
        Assert.Equal("\n", Read("a: 1\nb: |+\n   \n")["b"]!.GetValue<string>());
        Assert.Equal("\n\n", YamlSpecDocument.Parse("/specs/api.yaml", "a: |+\r\n   \r\n\r\nb: 1\r\n").Root["a"]!.GetValue<string>());
    }

    [Fact]
    public void Lines_after_a_blank_block_scalar_keep_their_numbers_in_errors()
    {
        SpecReadException error = Assert.Throws<SpecReadException>(() => Read("a: |+\n   \n\n   \nb: 1\nb: 2\n"));

        Assert.Equal((5, 0), (error.Line, error.Column));
    }

    [Theory]
    [InlineData("/a", 1, 3)] // at the anchor, where YamlDotNet starts the mapping
    [InlineData("/a/b", 1, 3)] // a key below an anchored mapping's start is not searched for
    [InlineData("/a/list", 5, 4)]
    [InlineData("/a/list/1", 6, 6)]
    [InlineData("/a/list/1/y", 6, 6)]
    [InlineData("/a/list/1/z", 7, 6)]
    [InlineData("/flow", 8, 6)]
    [InlineData("/flow/k", 8, 10)]
    [InlineData("/flow/k/0", 8, 10)]
    [InlineData("/alias/b", 9, 0)]
    [InlineData("/after", 10, 7)]
    public void Places_found_in_the_text_are_those_a_second_read_with_marks_gives(string pointer, int line, int column)
    {
        // Block mappings and sequences are found from the lines alone; anchors, aliases and flow
        // collections need the second read. Zero-based lines and columns.
        string yaml = "# comment\na: &base\n  b: 1\n  # another\n  list:\n    - x\n    - y: 2\n      z: 3\nflow: {k: [1, 2]}\nalias: *base\nafter: [1]\n";
        var fromText = YamlSpecDocument.Parse("/specs/api.yaml", yaml);
        var withMarks = YamlSpecDocument.Parse("/specs/api.yaml", yaml);
        withMarks.UseMarks();

        LocationInfo found = fromText.Locate(pointer);

        Assert.Equal((line, column), (found.Line, found.Column));
        Assert.Equal(withMarks.Locate(pointer), found);
    }

    [Fact]
    public void A_merge_key_adds_the_members_the_mapping_does_not_have_itself()
    {
        string yaml = "base: &base\n  type: object\n  description: from base\nextra: &extra\n  readOnly: true\n  description: from extra\n"
            + "one:\n  <<: *base\n  description: own\nboth:\n  <<: [*extra, *base]\nquoted:\n  '<<': *base\n";

        JsonNode root = Read(yaml);

        Assert.Equal("""{"description":"own","type":"object"}""", root["one"]!.ToJsonString());
        Assert.Equal("""{"readOnly":true,"description":"from extra","type":"object"}""", root["both"]!.ToJsonString());
        Assert.Equal("object", root["quoted"]!["<<"]!["type"]!.GetValue<string>());
    }

    [Fact]
    public void A_merge_key_of_a_scalar_is_a_syntax_error_on_its_line()
    {
        SpecReadException error = Assert.Throws<SpecReadException>(() => Read("a:\n  b: 1\n  <<: 5\n"));

        Assert.Equal(2, error.Line);
    }

    [Fact]
    public void Plain_scalars_follow_the_core_schema_and_quoted_ones_stay_strings()
    {
        JsonNode root = Read("n: 12\nf: 1.5\nt: true\nz: ~\nv: 1.0.0\nq: '12'\nbig: 123456789012345678901234567890\n");

        Assert.Equal(12, root["n"]!.GetValue<long>());
        Assert.Equal(1.5, root["f"]!.GetValue<double>());
        Assert.True(root["t"]!.GetValue<bool>());
        Assert.Null(root["z"]);
        Assert.Equal("1.0.0", root["v"]!.GetValue<string>());
        Assert.Equal("12", root["q"]!.GetValue<string>());
        Assert.Equal("123456789012345678901234567890", root["big"]!.ToJsonString());
    }
}
