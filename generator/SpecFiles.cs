using System;
using System.IO;
using System.Text.RegularExpressions;
using System.Threading;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.Diagnostics;
using Microsoft.CodeAnalysis.Text;
using Specgen.Generator.Mapping;
using Specgen.Generator.Model;

namespace Specgen.Generator;

/// <summary>
/// Decides which AdditionalFiles are specs and what settings apply to each, from its item
/// metadata (<c>SpecgenNamespace</c>, <c>SpecgenClientName</c>, <c>Specgen</c>) and the project's
/// <c>RootNamespace</c>.
/// </summary>
internal static class SpecFiles
{
    // `openapi: 3.1.0`, `"swagger": "2.0"`: the member name followed by a version. Minified JSON has
    // it mid-line, so the match is not anchored to a line start.
    private static readonly Regex OpenApiMarker = new(@"[""']?\b(openapi|swagger)[""']?\s*:\s*[""']?\d", RegexOptions.CultureInvariant);

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
        string? switchValue = Read(fileOptions, "build_metadata.AdditionalFiles.Specgen");
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
        string rootNamespace = Read(options.GlobalOptions, "build_property.SpecgenNamespace")
            ?? Read(options.GlobalOptions, "build_property.RootNamespace")
            ?? "Specgen.Generated";
        string ns = Read(fileOptions, "build_metadata.AdditionalFiles.SpecgenNamespace") ?? $"{rootNamespace}.{baseName}";
        string client = Read(fileOptions, "build_metadata.AdditionalFiles.SpecgenClientName") ?? baseName + "Client";
        return new SpecInput(file.Path, content, ns, client);
    }

    private static string? Read(AnalyzerConfigOptions options, string key) =>
        options.TryGetValue(key, out string? value) && !string.IsNullOrWhiteSpace(value) ? value.Trim() : null;
}
