using System;
using System.Collections.Generic;
using System.Collections.Immutable;
using System.IO;
using System.Linq;
using System.Text.RegularExpressions;
using System.Threading;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.Diagnostics;
using Microsoft.CodeAnalysis.Text;
using Specgen.Generator.Mapping;
using Specgen.Generator.Model;

namespace Specgen.Generator;

/// <summary>
/// Decides which AdditionalFiles are specs and what settings apply to each: its item metadata
/// (<c>Specgen</c>, <c>SpecgenNamespace</c>, <c>SpecgenClientName</c>, <c>SpecgenClientGrouping</c>,
/// <c>SpecgenInclude</c>, <c>SpecgenExclude</c>, <c>SpecgenModels</c>, <c>SpecgenVisibility</c>),
/// else the project property of the same name, else the default. README.md documents each.
/// </summary>
internal static class SpecFiles
{
    private const string Metadata = "build_metadata.AdditionalFiles.";
    private const string Property = "build_property.";

    // `openapi: 3.1.0`, `"swagger": "2.0"`: the member name followed by a version. Minified JSON has
    // it mid-line, so the match is not anchored to a line start.
    private static readonly Regex OpenApiMarker = new(@"[""']?\b(openapi|swagger)[""']?\s*:\s*[""']?\d", RegexOptions.CultureInvariant);

    private static readonly string[] PatternKinds = { "tag:", "op:", "path:" };

    // `$ref: Pet.json`, `"$ref": "../common/Error.json#/Error"`: the file part of a reference that
    // leaves the document (a local one starts with '#', and captures nothing).
    private static readonly Regex FileReference = new(@"\$ref[""']?\s*:\s*[""']?(?<file>[^""'#\s,}\]]+)", RegexOptions.CultureInvariant);

    public static bool HasSpecExtension(string path)
    {
        string extension = Path.GetExtension(path);
        return extension.Equals(".yaml", StringComparison.OrdinalIgnoreCase)
            || extension.Equals(".yml", StringComparison.OrdinalIgnoreCase)
            || extension.Equals(".json", StringComparison.OrdinalIgnoreCase);
    }

    /// <summary>
    /// The input for one file, or null when it is not a spec: <c>Specgen="false"</c> turns a file
    /// off, <c>Specgen="true"</c> turns it on, and otherwise a top-level <c>openapi:</c> or
    /// <c>swagger:</c> member decides (so that an appsettings.json is never mistaken for a spec).
    /// </summary>
    public static SpecInput? ToInput(AdditionalText file, AnalyzerConfigOptionsProvider options, CancellationToken cancellationToken)
    {
        AnalyzerConfigOptions fileOptions = options.GetOptions(file);
        string? switchValue = Read(fileOptions, Metadata + "Specgen");
        if (string.Equals(switchValue, "false", StringComparison.OrdinalIgnoreCase))
        {
            return null;
        }

        SourceText? text = file.GetText(cancellationToken);
        string content = text?.ToString() ?? string.Empty;
        bool forced = string.Equals(switchValue, "true", StringComparison.OrdinalIgnoreCase);
        // The whole text is searched: JSON writers may put the version member last (Twilio's does).
        if (!forced && !OpenApiMarker.IsMatch(content))
        {
            return null;
        }

        string baseName = Naming.Pascal(Path.GetFileNameWithoutExtension(file.Path), "Api");
        string rootNamespace = RootNamespace(options);
        string? ns = Read(fileOptions, Metadata + "SpecgenNamespace");
        string client = Read(fileOptions, Metadata + "SpecgenClientName") ?? baseName + "Client";
        return new SpecInput(file.Path, content, ns ?? $"{rootNamespace}.{baseName}", client)
        {
            DefaultNamespace = ns is null,
            Settings = ReadSettings(name => Read(fileOptions, Metadata + name) ?? Read(options.GlobalOptions, Property + name)),
            References = FileReferences(file.Path, content).ToEquatableArray(),
        };
    }

    /// <summary>An AdditionalFiles item that a spec may refer to: any file with a spec's extension, with its text.</summary>
    public static SpecFile ToFile(AdditionalText file, CancellationToken cancellationToken) =>
        new(file.Path, file.GetText(cancellationToken)?.ToString() ?? string.Empty);

    /// <summary>The full paths of the files that the <c>$ref</c>s in <paramref name="text"/> name (URLs left out: Specgen never downloads).</summary>
    public static IEnumerable<string> FileReferences(string path, string text)
    {
        if (text.IndexOf("$ref", StringComparison.Ordinal) < 0)
        {
            return Enumerable.Empty<string>();
        }

        var found = new List<string>();
        foreach (Match match in FileReference.Matches(text))
        {
            string file = match.Groups["file"].Value;
            if (file.IndexOf("://", StringComparison.Ordinal) < 0 && !file.StartsWith("urn:", StringComparison.OrdinalIgnoreCase))
            {
                string full = Reading.FilePaths.Combine(path, file);
                if (!found.Any(f => SpecFile.SamePath(f, full)))
                {
                    found.Add(full);
                }
            }
        }

        return found;
    }

    /// <summary>
    /// Makes the specs of one project safe together: two specs whose default namespaces are the
    /// same (<c>billing/api.yaml</c> and <c>shipping/api.yaml</c>) get their folder in it, and specs
    /// that still share a namespace (because the user gave them the same one) get hint names that
    /// also hold their file name, so that no hint name is added twice. Each spec also gets the
    /// text of the other files its <c>$ref</c>s name (<paramref name="files"/>: every AdditionalFiles
    /// item with a spec's extension).
    /// </summary>
    public static ImmutableArray<SpecInput> InProject(ImmutableArray<SpecInput> specs, ImmutableArray<SpecFile> files, CancellationToken cancellationToken) =>
        Unique(specs).Select(spec => WithOtherFiles(spec, files, cancellationToken)).ToImmutableArray();

    /// <summary>The spec with the files it refers to, directly or through each other.</summary>
    private static SpecInput WithOtherFiles(SpecInput spec, ImmutableArray<SpecFile> files, CancellationToken cancellationToken)
    {
        if (spec.References.Count == 0)
        {
            return spec;
        }

        var attached = new List<SpecFile>();
        var pending = new Queue<string>(spec.References);
        while (pending.Count > 0)
        {
            cancellationToken.ThrowIfCancellationRequested();
            string path = pending.Dequeue();
            if (SpecFile.SamePath(path, spec.Path) || attached.Any(f => SpecFile.SamePath(f.Path, path)))
            {
                continue;
            }

            SpecFile? file = files.FirstOrDefault(f => SpecFile.SamePath(f.Path, path));
            if (file is null)
            {
                continue;
            }

            attached.Add(file);
            foreach (string next in FileReferences(file.Path, file.Text))
            {
                pending.Enqueue(next);
            }
        }

        return attached.Count == 0 ? spec : spec with { OtherFiles = attached.OrderBy(f => f.Path, StringComparer.Ordinal).ToEquatableArray() };
    }

    private static ImmutableArray<SpecInput> Unique(ImmutableArray<SpecInput> specs)
    {
        if (specs.Length < 2)
        {
            return specs;
        }

        var result = specs.OrderBy(s => s.Path, StringComparer.Ordinal).ToList();

        // The default is <root>.<FileName>; the folder goes in between, and the folder above it
        // while two are still equal (3.0/yaml/petstore.yaml and 3.1/yaml/petstore.yaml).
        var folders = new int[result.Count];
        for (bool changed = true; changed;)
        {
            changed = false;
            foreach (IGrouping<string, int> shared in Shared(result))
            {
                foreach (int i in shared.Where(i => result[i].DefaultNamespace))
                {
                    if (FolderAbove(result[i].Path, folders[i]) is not { } folder)
                    {
                        continue;
                    }

                    var parts = result[i].Namespace.Split('.').ToList();
                    parts.Insert(Math.Max(0, parts.Count - folders[i] - 1), folder);
                    folders[i]++;
                    result[i] = result[i] with { Namespace = string.Join(".", parts) };
                    changed = true;
                }
            }
        }

        foreach (IGrouping<string, int> shared in Shared(result))
        {
            var prefixes = new NameScope();
            foreach (int i in shared)
            {
                string stem = Naming.Pascal(Path.GetFileNameWithoutExtension(result[i].Path), "Api");
                result[i] = result[i] with { HintPrefix = result[i].Namespace + "." + prefixes.Claim(stem) };
            }
        }

        // Back in the order the compiler gave, so that the values that follow keep their positions.
        var byPath = result.ToDictionary(s => s.Path, StringComparer.Ordinal);
        return specs.Select(s => byPath.TryGetValue(s.Path, out SpecInput? settled) ? settled : s).ToImmutableArray();
    }

    /// <summary>The name of the folder <paramref name="up"/> levels above the one <paramref name="path"/> is in, as a namespace part; null above the top.</summary>
    private static string? FolderAbove(string path, int up)
    {
        string? folder = Path.GetDirectoryName(path);
        for (int i = 0; i < up && !string.IsNullOrEmpty(folder); i++)
        {
            folder = Path.GetDirectoryName(folder);
        }

        string name = string.IsNullOrEmpty(folder) ? string.Empty : Path.GetFileName(folder);
        return name.Length == 0 ? null : Naming.Pascal(name, "Specs");
    }

    /// <summary>The root namespace: the project's <c>SpecgenNamespace</c>, else its <c>RootNamespace</c>.</summary>
    public static string RootNamespace(AnalyzerConfigOptionsProvider options) =>
        Read(options.GlobalOptions, Property + "SpecgenNamespace")
        ?? Read(options.GlobalOptions, Property + "RootNamespace")
        ?? "Specgen.Generated";

    // Hint names are compared without case (they become file names), so namespaces are too.
    private static IEnumerable<IGrouping<string, int>> Shared(List<SpecInput> specs) =>
        Enumerable.Range(0, specs.Count).GroupBy(i => specs[i].Namespace, StringComparer.OrdinalIgnoreCase).Where(g => g.Count() > 1).ToList();

    /// <summary>Reads every setting through <paramref name="read"/> (a name to its value or null); what cannot be understood becomes a problem.</summary>
    public static SpecSettings ReadSettings(Func<string, string?> read)
    {
        var problems = new List<string>();
        string? groupingValue = read("SpecgenClientGrouping");
        ClientGrouping grouping = groupingValue?.ToLowerInvariant() switch
        {
            null or "single" or "none" => ClientGrouping.Single,
            "tags" or "tag" => ClientGrouping.Tags,
            _ => Problem(problems, $"SpecgenClientGrouping '{groupingValue}' is not 'single' or 'tags'; it is ignored", ClientGrouping.Single),
        };
        EquatableArray<string> include = Patterns(read("SpecgenInclude"), "SpecgenInclude", problems);
        EquatableArray<string> exclude = Patterns(read("SpecgenExclude"), "SpecgenExclude", problems);
        ModelSelection filteredDefault = include.Count > 0 || exclude.Count > 0 ? ModelSelection.Used : ModelSelection.All;
        string? modelsValue = read("SpecgenModels");
        ModelSelection models = modelsValue?.ToLowerInvariant() switch
        {
            null => filteredDefault,
            "all" => ModelSelection.All,
            "used" => ModelSelection.Used,
            _ => Problem(problems, $"SpecgenModels '{modelsValue}' is not 'all' or 'used'; it is ignored", filteredDefault),
        };
        string? visibilityValue = read("SpecgenVisibility");
        bool isInternal = visibilityValue?.ToLowerInvariant() switch
        {
            null or "public" => false,
            "internal" => true,
            _ => Problem(problems, $"SpecgenVisibility '{visibilityValue}' is not 'public' or 'internal'; it is ignored", false),
        };
        return new SpecSettings(grouping, include, exclude, models, isInternal, problems.ToEquatableArray());
    }

    /// <summary><c>tag:Assistants,op:createThread,path:/threads/*</c> as its entries; an entry of no known kind is a problem.</summary>
    private static EquatableArray<string> Patterns(string? value, string setting, List<string> problems)
    {
        if (value is null)
        {
            return EquatableArray<string>.Empty;
        }

        var patterns = new List<string>();
        // Commas, because Specgen.props turns MSBuild's semicolons into commas (the compiler's
        // .editorconfig would read a ';' as the start of a comment); semicolons for a direct caller.
        foreach (string entry in value.Split(',', ';').Select(e => e.Trim()).Where(e => e.Length > 0))
        {
            string? kind = PatternKinds.FirstOrDefault(k => entry.StartsWith(k, StringComparison.OrdinalIgnoreCase));
            if (kind is null || entry.Length == kind.Length)
            {
                problems.Add($"{setting} entry '{entry}' is not tag:<tag>, op:<operationId> or path:<path template> (each may use *); it is ignored");
                continue;
            }

            patterns.Add(kind + entry.Substring(kind.Length).Trim());
        }

        return patterns.ToEquatableArray();
    }

    private static T Problem<T>(List<string> problems, string problem, T fallback)
    {
        problems.Add(problem);
        return fallback;
    }

    private static string? Read(AnalyzerConfigOptions options, string key) =>
        options.TryGetValue(key, out string? value) && !string.IsNullOrWhiteSpace(value) ? value.Trim() : null;
}
