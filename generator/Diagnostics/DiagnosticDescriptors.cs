using System.Collections.Generic;
using Microsoft.CodeAnalysis;

namespace Specgen.Generator.Diagnostics;

/// <summary>
/// Every diagnostic Specgen reports. Ids are stable: one id per kind of problem, so that users can
/// suppress or escalate one kind. Every message ends with the JSON pointer of the construct.
/// </summary>
internal static class DiagnosticDescriptors
{
    private const string Category = "Specgen";

    /// <summary>The file is not valid YAML or JSON. Nothing is generated from it.</summary>
    public static readonly DiagnosticDescriptor SyntaxError = Create("SPEC001", "Spec is not valid YAML or JSON",
        "The spec cannot be read: {0} (at {1})", DiagnosticSeverity.Error);

    /// <summary>A <c>$ref</c> points nowhere. The referencing member is generated as raw JSON.</summary>
    public static readonly DiagnosticDescriptor UnresolvedReference = Create("SPEC002", "Unresolved $ref",
        "{0}; the value is kept as raw JSON (at {1})", DiagnosticSeverity.Warning);

    /// <summary>A construct Specgen does not support yet; that part is skipped and the rest generates.</summary>
    public static readonly DiagnosticDescriptor Unsupported = Create("SPEC003", "Unsupported construct",
        "{0} (at {1})", DiagnosticSeverity.Warning);

    /// <summary>The OpenAPI reader reported a problem with the document.</summary>
    public static readonly DiagnosticDescriptor ReaderProblem = Create("SPEC004", "OpenAPI reader problem",
        "The OpenAPI reader reports: {0} (at {1})", DiagnosticSeverity.Warning);

    /// <summary>A bug in Specgen: reported instead of crashing the compiler.</summary>
    public static readonly DiagnosticDescriptor InternalError = Create("SPEC005", "Specgen failed on this spec",
        "Specgen could not generate code for this spec: {0}; please report it (at {1})", DiagnosticSeverity.Error);

    /// <summary>The file is not an OpenAPI document (no <c>openapi</c> or <c>swagger</c> member).</summary>
    public static readonly DiagnosticDescriptor NotOpenApi = Create("SPEC006", "Not an OpenAPI document",
        "{0} (at {1})", DiagnosticSeverity.Error);

    /// <summary>One of our <c>x-specgen-*</c> extensions or settings is malformed, or a filter matches nothing; it is ignored.</summary>
    public static readonly DiagnosticDescriptor InvalidExtension = Create("SPEC007", "Invalid Specgen extension or setting",
        "{0} (at {1})", DiagnosticSeverity.Warning);

    /// <summary>
    /// The spec exceeds a limit of <c>Reading.SpecLimits</c> (size, nesting depth, alias
    /// expansion), which only a generated or hostile document reaches. Nothing is generated from it.
    /// </summary>
    public static readonly DiagnosticDescriptor LimitExceeded = Create("SPEC008", "Spec exceeds what Specgen reads",
        "The spec is not read: {0} (at {1})", DiagnosticSeverity.Error);

    /// <summary>
    /// Header parameters that OpenAPI says to ignore (<c>Accept</c>, <c>Content-Type</c>,
    /// <c>Authorization</c>) are not method parameters; one note per spec says which, and what of
    /// them is still used.
    /// </summary>
    public static readonly DiagnosticDescriptor HeaderParametersSetAside = Create("SPEC009", "Header parameters set aside",
        "{0} (at {1})", DiagnosticSeverity.Info);

    /// <summary>
    /// The project's C# version cannot compile the generated code; nothing is generated, so that the
    /// project gets this one error instead of one per generated line.
    /// </summary>
    public static readonly DiagnosticDescriptor LanguageVersionTooLow = Create("SPEC010", "C# version too low for the generated code",
        "{0} (at {1})", DiagnosticSeverity.Error);

    private static readonly Dictionary<string, DiagnosticDescriptor> All = new()
    {
        [LanguageVersionTooLow.Id] = LanguageVersionTooLow,
        [HeaderParametersSetAside.Id] = HeaderParametersSetAside,
        [InvalidExtension.Id] = InvalidExtension,
        [SyntaxError.Id] = SyntaxError,
        [UnresolvedReference.Id] = UnresolvedReference,
        [Unsupported.Id] = Unsupported,
        [ReaderProblem.Id] = ReaderProblem,
        [InternalError.Id] = InternalError,
        [NotOpenApi.Id] = NotOpenApi,
        [LimitExceeded.Id] = LimitExceeded,
    };

    private static readonly Dictionary<string, DiagnosticDescriptor> Plain = new();

    public static DiagnosticDescriptor ById(string id) => All[id];

    /// <summary>The descriptor of <paramref name="id"/> with the message "{detail} (at {pointer})", for a detail that says everything itself.</summary>
    public static DiagnosticDescriptor WithPlainMessage(string id)
    {
        lock (Plain)
        {
            if (!Plain.TryGetValue(id, out DiagnosticDescriptor? plain))
            {
                DiagnosticDescriptor original = All[id];
                plain = new DiagnosticDescriptor(original.Id, original.Title, "{0} (at {1})", original.Category, original.DefaultSeverity, original.IsEnabledByDefault);
                Plain[id] = plain;
            }

            return plain;
        }
    }

    private static DiagnosticDescriptor Create(string id, string title, string message, DiagnosticSeverity severity) =>
        new(id, title, message, Category, severity, isEnabledByDefault: true);
}
