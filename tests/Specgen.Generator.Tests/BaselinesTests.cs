using System;
using System.Collections.Generic;
using System.IO;

namespace Specgen.Generator.Tests;

/// <summary>The golden-file comparison itself: a comparer that saw nothing would pass every snapshot test.</summary>
public sealed class BaselinesTests : IDisposable
{
    private readonly string _folder = Path.Combine(Path.GetTempPath(), "specgen-baselines-" + Guid.NewGuid().ToString("N"));

    public BaselinesTests()
    {
        Directory.CreateDirectory(_folder);
    }

    public void Dispose() => Directory.Delete(_folder, recursive: true);

    [Fact]
    public void The_generator_version_is_replaced_by_a_placeholder()
    {
        string normalized = Baselines.Normalize("[global::System.CodeDom.Compiler.GeneratedCode(\"Specgen\", \"1.2.3\")]\r\n");

        Assert.Equal("[global::System.CodeDom.Compiler.GeneratedCode(\"Specgen\", \"{version}\")]\n", normalized);
    }

    [Fact]
    public void Matching_files_pass()
    {
        Write("A.g.cs", "line 1\n[GeneratedCode(\"Specgen\", \"{version}\")]\n");

        Assert.Null(Baselines.Check("Sample", Files(("A.g.cs", "line 1\n[GeneratedCode(\"Specgen\", \"9.9.9\")]\n")), _folder, update: false));
    }

    [Fact]
    public void A_missing_and_an_extra_file_are_both_listed_by_name()
    {
        Write("Old.g.cs", "x\n");

        string? failure = Baselines.Check("Sample", Files(("New.g.cs", "x\n")), _folder, update: false);

        Assert.NotNull(failure);
        Assert.Contains("Generated but no baseline:\n  New.g.cs", failure);
        Assert.Contains("no longer generated:\n  Old.g.cs", failure);
    }

    [Fact]
    public void The_first_differing_line_is_shown_with_its_number()
    {
        Write("A.g.cs", "one\ntwo\nthree\nfour\n");

        string? failure = Baselines.Check("Sample", Files(("A.g.cs", "one\ntwo\nTHREE\nFOUR\n")), _folder, update: false);

        Assert.NotNull(failure);
        Assert.Contains("A.g.cs: line 3 differs\n  expected: three\n  actual:   THREE", failure);
        Assert.DoesNotContain("FOUR", failure);
    }

    [Fact]
    public void A_shorter_output_names_the_first_missing_line()
    {
        Assert.Equal(
            "line 3 is missing (the output has 2 lines, the baseline 3)\n  expected: c",
            Baselines.FirstDifference("a\nb\nc", "a\nb"));
    }

    [Fact]
    public void Baselines_checked_out_with_CRLF_line_endings_still_match()
    {
        Write("A.g.cs", "one\r\ntwo\r\n");

        Assert.Null(Baselines.Check("Sample", Files(("A.g.cs", "one\ntwo\n")), _folder, update: false));
    }

    [Fact]
    public void Rewriting_replaces_every_file_and_still_fails()
    {
        Write("Old.g.cs", "stale\n");

        string? failure = Baselines.Check("Sample", Files(("New.g.cs", "[GeneratedCode(\"Specgen\", \"1.0.0\")]\n")), _folder, update: true);

        Assert.NotNull(failure);
        Assert.Contains("UPDATE_BASELINES=1", failure);
        Assert.Equal(new[] { "New.g.cs.txt" }, Array.ConvertAll(Directory.GetFiles(_folder), Path.GetFileName));
        Assert.Equal("[GeneratedCode(\"Specgen\", \"{version}\")]\n", File.ReadAllText(Path.Combine(_folder, "New.g.cs.txt")));
    }

    private void Write(string hintName, string text) => File.WriteAllText(Path.Combine(_folder, hintName + ".txt"), text);

    private static Dictionary<string, string> Files(params (string HintName, string Text)[] files)
    {
        var result = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach ((string hintName, string text) in files)
        {
            result[hintName] = text;
        }

        return result;
    }
}
