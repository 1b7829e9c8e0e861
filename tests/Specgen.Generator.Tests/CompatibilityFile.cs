using System;
using System.IO;
using System.Text;

namespace Specgen.Generator.Tests;

/// <summary>
/// docs/compatibility.md has two writers: CorpusTests (does each document generate and compile?)
/// and the conformance sweep in tests/Specgen.Conformance.Tests (does each generated operation
/// work against a mock of its document?). The sweep owns the text between <see cref="SweepBegin"/>
/// and <see cref="SweepEnd"/>, at the end of the page; CorpusTests owns the rest. Each writer keeps
/// the other's part as it finds it, so either test can be run, and its part rewritten, alone.
/// </summary>
internal static class CompatibilityFile
{
    /// <summary><c>UPDATE_COMPATIBILITY=1</c> makes both writers rewrite their part, and fail the run on purpose.</summary>
    public const string UpdateVariable = "UPDATE_COMPATIBILITY";

    public const string SweepBegin = "<!-- BEGIN conformance sweep: written by tests/Specgen.Conformance.Tests, kept as it is by CorpusTests -->";

    public const string SweepEnd = "<!-- END conformance sweep -->";

    public static string Path => System.IO.Path.Combine(RepoPaths.RepoRoot, "docs", "compatibility.md");

    public static bool UpdateRequested => Environment.GetEnvironmentVariable(UpdateVariable) == "1";

    /// <summary>The page as it is checked in, with <c>\n</c> line endings; empty when it does not exist.</summary>
    public static string ReadCheckedIn() => File.Exists(Path) ? File.ReadAllText(Path).Replace("\r\n", "\n") : string.Empty;

    public static void Write(string page) => File.WriteAllText(Path, page, new UTF8Encoding(encoderShouldEmitUTF8Identifier: false));

    /// <summary>The sweep's region of <paramref name="page"/>, markers included, or null when it has none.</summary>
    public static string? SweepRegion(string page)
    {
        int begin = page.IndexOf(SweepBegin, StringComparison.Ordinal);
        int end = page.IndexOf(SweepEnd, StringComparison.Ordinal);
        return begin >= 0 && end > begin ? page.Substring(begin, end + SweepEnd.Length - begin) : null;
    }

    /// <summary>The corpus part of <paramref name="page"/>: everything before the sweep's region.</summary>
    public static string CorpusPart(string page)
    {
        int begin = page.IndexOf(SweepBegin, StringComparison.Ordinal);
        return begin < 0 ? page : page.Substring(0, begin).TrimEnd('\n') + "\n";
    }

    /// <summary>The whole page: the corpus part, then (separated by a blank line) the sweep's region when there is one.</summary>
    public static string Compose(string corpusPart, string? sweepRegion) =>
        sweepRegion is null ? corpusPart : corpusPart.TrimEnd('\n') + "\n\n" + sweepRegion + "\n";
}
