using System;
using System.Collections.Generic;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using Microsoft.OpenApi;
using Microsoft.OpenApi.Reader;
using Specgen.Generator.Diagnostics;
using Specgen.Generator.Mapping;

namespace Specgen.Generator.Reading;

/// <summary>
/// The normalized document -> Microsoft.OpenApi's object model, with the reader's complaints
/// reported where they are, except those about constructs the document's version allows.
/// </summary>
internal static class OpenApiReading
{
    // The one default validation rule whose findings are all warnings (see ReaderSettings).
    private const string WarningOnlyRule = "OpenApiDocumentReferencesAreValid";

    // Microsoft.OpenApi 3.11 names some places only inside its message ("... at #/paths/~1a/get/parameters").
    private static readonly Regex PointerInMessage = new(@" at #(?<pointer>/[^\s]*)$", RegexOptions.CultureInvariant);

    // Keywords that Swagger 2.0 allows on a non-body parameter (and on its items) but that the 2.0
    // reader of Microsoft.OpenApi 3.11 rejects as "not a valid property". The document is right;
    // the reader drops the keyword, and the client does not check these ones anyway.
    private static readonly HashSet<string> ValidSwagger2ParameterKeywords = new(StringComparer.Ordinal)
    {
        "exclusiveMaximum", "exclusiveMinimum", "maxItems", "minItems", "uniqueItems", "multipleOf", "collectionFormat",
    };

    private static readonly Regex NotAValidProperty = new(@"^(?<keyword>\S+) is not a valid property at #(?<pointer>/\S*)$", RegexOptions.CultureInvariant);

    /// <summary>The OpenAPI reader's view of the document, with its complaints reported where they are; null when it gave none.</summary>
    public static OpenApiDocument? Read(NormalizedDocument document, bool swagger2, List<DiagnosticInfo> diagnostics)
    {
        ReadResult read;
        try
        {
            read = new OpenApiJsonReader().Read(document.Root, new Uri("file:///" + document.Path.Replace('\\', '/').TrimStart('/')), ReaderSettings());
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            // The reader is not ours: when it gives up on a document, that is a problem to show
            // with the document (SPEC004), though without a place, since the reader gives none.
            string pointer = ex is OpenApiUnsupportedSpecVersionException ? (swagger2 ? "/swagger" : "/openapi") : string.Empty;
            diagnostics.Add(Problem(document, $"the reader failed on this document ({ex.GetType().Name}: {ex.Message}); nothing is generated", pointer));
            return null;
        }

        if (read.Diagnostic?.Errors is { } errors)
        {
            foreach (OpenApiError error in errors)
            {
                string message = error.Message ?? string.Empty;
                if ((swagger2 && (IsValidSwagger2Keyword(document, message) || IsOperationSchemes(message)))
                    || (!swagger2 && IsAbsentResponsesOf31(document, error, message)))
                {
                    continue;
                }

                diagnostics.Add(Problem(document, message, PointerOf(error, document)));
            }
        }

        return read.Document;
    }

    /// <summary>
    /// The reader's settings, with every default validation rule but one. Microsoft.OpenApi 3.11's
    /// OpenApiDocumentReferencesAreValid reports only warnings, which Specgen does not show (a
    /// dangling reference is reported by ExternalReferences and the mappers, where it matters),
    /// yet resolves every schema reference of the document once more: a third of the reading
    /// time of the OpenAI document and 9 of its 31 MB. Settings hold mutable state (their readers,
    /// an HttpClient), so each read gets its own; building them costs microseconds.
    /// </summary>
    internal static OpenApiReaderSettings ReaderSettings()
    {
        var rules = new ValidationRuleSet(ValidationRuleSet.GetDefaultRuleSet());
        rules.Remove(WarningOnlyRule);
        return new OpenApiReaderSettings { RuleSet = rules };
    }

    /// <summary>Whether the reader's complaint is about a keyword that Swagger 2.0 allows where it is.</summary>
    private static bool IsValidSwagger2Keyword(NormalizedDocument document, string message)
    {
        Match match = NotAValidProperty.Match(message);
        if (!match.Success || !ValidSwagger2ParameterKeywords.Contains(match.Groups["keyword"].Value))
        {
            return false;
        }

        // The place is a parameter list or a parameter's items; a keyword of the same name
        // elsewhere (a header, the document) stays reported.
        string pointer = match.Groups["pointer"].Value;
        return pointer.EndsWith("/parameters", StringComparison.Ordinal) || pointer.EndsWith("/items", StringComparison.Ordinal);
    }

    // Swagger 2.0 lets an operation list its own `schemes`; the 2.0 reader of Microsoft.OpenApi 3.11
    // calls them invalid there.
    private static readonly Regex OperationSchemes = new(@"^schemes is not a valid property at #/paths/[^/]+/(get|put|post|delete|options|head|patch)$", RegexOptions.CultureInvariant);

    private static bool IsOperationSchemes(string message) => OperationSchemes.IsMatch(message);

    /// <summary>
    /// OpenAPI 3.1 made an operation's <c>responses</c> optional; the reader still demands at least
    /// one. Only an absent member is excused: a <c>responses</c> that is there but empty is still an error.
    /// </summary>
    private static bool IsAbsentResponsesOf31(NormalizedDocument document, OpenApiError error, string message)
    {
        if (!message.StartsWith("Responses must contain at least one response", StringComparison.Ordinal)
            || document.Root is not JsonObject root
            || !root.TryGetPropertyValue("openapi", out JsonNode? version)
            || version is not JsonValue value
            || !value.TryGetValue(out string? text)
            || text.StartsWith("3.0", StringComparison.Ordinal))
        {
            return false;
        }

        string pointer = (error.Pointer ?? string.Empty).TrimStart('#');
        return pointer.EndsWith("/responses", StringComparison.Ordinal) && document.Find(pointer) is null;
    }

    // The reader reports pointers as "#/paths/..."; ours have no '#'. Some of its errors have no
    // pointer but end with " at #/..." instead, and "X is not a valid property at #/a" names the
    // object, not the member X itself.
    private static string PointerOf(OpenApiError error, NormalizedDocument document)
    {
        string? pointer = error.Pointer;
        string message = error.Message ?? string.Empty;
        if (string.IsNullOrEmpty(pointer) && PointerInMessage.Match(message) is { Success: true } match)
        {
            pointer = match.Groups["pointer"].Value;
        }

        pointer = pointer is null ? string.Empty : pointer.StartsWith("#", StringComparison.Ordinal) ? pointer.Substring(1) : pointer;
        pointer = pointer.TrimEnd('/');
        if (NotAValidProperty.Match(message) is { Success: true } invalid)
        {
            string member = pointer + "/" + MappingContext.Escape(invalid.Groups["keyword"].Value);
            if (document.Find(member) is not null)
            {
                return member;
            }
        }

        return pointer;
    }

    private static DiagnosticInfo Problem(NormalizedDocument document, string message, string pointer) =>
        new(DiagnosticDescriptors.ReaderProblem.Id, message, pointer, document.Locate(pointer));
}
