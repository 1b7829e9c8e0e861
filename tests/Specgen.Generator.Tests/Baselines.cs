using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using System.Text;
using System.Text.RegularExpressions;

namespace Specgen.Generator.Tests;

/// <summary>
/// Golden files: <c>Baselines/&lt;Scenario&gt;/&lt;HintName&gt;.txt</c>, one per generated file.
/// The set of files and every line must match. With <c>UPDATE_BASELINES=1</c> the checked-in files
/// (in the source tree, not the copy in bin/) are rewritten and the test fails, so that a CI run
/// can never pass by rewriting its own expectations.
/// </summary>
internal static class Baselines
{
    public const string UpdateVariable = "UPDATE_BASELINES";

    public const string VersionPlaceholder = "{version}";

    private const string Extension = ".txt";

    // The version changes with every release; a baseline must not.
    private static readonly Regex GeneratedCodeVersion = new(@"(GeneratedCode\(""Specgen"", "")[^""]*(""\))", RegexOptions.CultureInvariant);

    public static bool UpdateRequested => Environment.GetEnvironmentVariable(UpdateVariable) == "1";

    /// <summary>The checked-in folder of a scenario.</summary>
    public static string FolderOf(string scenario) =>
        Path.Combine(RepoPaths.RepoRoot, "tests", "Specgen.Generator.Tests", "Baselines", scenario);

    /// <summary>Generated text as it is stored: version replaced by a placeholder, <c>\n</c> line endings.</summary>
    public static string Normalize(string text) =>
        GeneratedCodeVersion.Replace(text.Replace("\r\n", "\n"), "${1}" + VersionPlaceholder + "${2}");

    /// <summary>
    /// Compares <paramref name="files"/> (hint name to text) with the baselines of
    /// <paramref name="scenario"/>, or rewrites them when <see cref="UpdateRequested"/>.
    /// Returns null when they match, else a message that lists every difference.
    /// </summary>
    public static string? Check(string scenario, IReadOnlyDictionary<string, string> files) =>
        Check(scenario, files, FolderOf(scenario), UpdateRequested);

    /// <param name="folder">Where the baselines of the scenario are.</param>
    /// <param name="update">Rewrite them instead of comparing (and fail).</param>
    public static string? Check(string scenario, IReadOnlyDictionary<string, string> files, string folder, bool update)
    {
        if (update)
        {
            Rewrite(folder, files);
            return $"{UpdateVariable}=1: rewrote {files.Count} baseline file(s) in {folder}. Review the diff, then run again without {UpdateVariable}; this run fails on purpose.";
        }

        var expected = Directory.Exists(folder)
            ? Directory.GetFiles(folder, "*" + Extension).ToDictionary(f => Path.GetFileName(f).Substring(0, Path.GetFileName(f).Length - Extension.Length), f => f, StringComparer.Ordinal)
            : new Dictionary<string, string>(StringComparer.Ordinal);

        var problems = new List<string>();
        List<string> missing = files.Keys.Where(k => !expected.ContainsKey(k)).OrderBy(k => k, StringComparer.Ordinal).ToList();
        List<string> extra = expected.Keys.Where(k => !files.ContainsKey(k)).OrderBy(k => k, StringComparer.Ordinal).ToList();
        if (missing.Count > 0)
        {
            problems.Add("Generated but no baseline:\n  " + string.Join("\n  ", missing));
        }

        if (extra.Count > 0)
        {
            problems.Add("Baseline exists but the file is no longer generated:\n  " + string.Join("\n  ", extra));
        }

        foreach (KeyValuePair<string, string> file in files.OrderBy(f => f.Key, StringComparer.Ordinal))
        {
            if (expected.TryGetValue(file.Key, out string? baselinePath)
                && FirstDifference(File.ReadAllText(baselinePath).Replace("\r\n", "\n"), Normalize(file.Value)) is { } difference)
            {
                problems.Add($"{file.Key}: {difference}");
            }
        }

        return problems.Count == 0
            ? null
            : $"The output of scenario '{scenario}' differs from {folder}:\n\n{string.Join("\n\n", problems)}\n\nIf the change is intended, run with {UpdateVariable}=1 and review the diff.";
    }

    /// <summary>Fails unless the output matches the baselines (and always when they were rewritten).</summary>
    public static void Verify(string scenario, IReadOnlyDictionary<string, string> files)
    {
        string? failure = Check(scenario, files);
        Assert.True(failure is null, failure);
    }

    /// <summary>The first line that differs, with its 1-based number, or null when the texts are equal.</summary>
    public static string? FirstDifference(string expected, string actual)
    {
        string[] expectedLines = expected.Split('\n');
        string[] actualLines = actual.Split('\n');
        int common = Math.Min(expectedLines.Length, actualLines.Length);
        for (int i = 0; i < common; i++)
        {
            if (!string.Equals(expectedLines[i], actualLines[i], StringComparison.Ordinal))
            {
                return $"line {i + 1} differs\n  expected: {expectedLines[i]}\n  actual:   {actualLines[i]}";
            }
        }

        if (expectedLines.Length != actualLines.Length)
        {
            int line = common + 1;
            return expectedLines.Length > actualLines.Length
                ? $"line {line} is missing (the output has {actualLines.Length} lines, the baseline {expectedLines.Length})\n  expected: {expectedLines[common]}"
                : $"line {line} is extra (the output has {actualLines.Length} lines, the baseline {expectedLines.Length})\n  actual:   {actualLines[common]}";
        }

        return null;
    }

    private static void Rewrite(string folder, IReadOnlyDictionary<string, string> files)
    {
        Directory.CreateDirectory(folder);
        foreach (string stale in Directory.GetFiles(folder, "*" + Extension))
        {
            File.Delete(stale);
        }

        foreach (KeyValuePair<string, string> file in files)
        {
            File.WriteAllText(Path.Combine(folder, file.Key + Extension), Normalize(file.Value), new UTF8Encoding(encoderShouldEmitUTF8Identifier: false));
        }
    }
}
