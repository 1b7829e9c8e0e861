using System.Linq;
using Microsoft.CodeAnalysis;

namespace Specgen.Generator.Model;

/// <summary>
/// What the project's framework has that the generated code depends on: the only facts the
/// generator takes from the compilation, as bools, so that every edit of the project's code leaves
/// this value equal and the steps after it cached.
/// </summary>
/// <param name="HasDateOnly">
/// <c>format: date</c> is a <c>DateOnly</c>, read and written by Specgen.Runtime's <c>JsonSupport.ReadDate</c>
/// (.NET 6 and later, and the runtime's net8.0 build); without it, a <c>DateTime</c>.
/// </param>
/// <param name="HasRequiredMemberAttribute">C# 11's <c>required</c> needs it (.NET 7 and later); otherwise the generator adds an internal one.</param>
/// <param name="HasCompilerFeatureRequiredAttribute">The same, for the second attribute <c>required</c> needs.</param>
internal sealed record TargetFeatures(bool HasDateOnly, bool HasRequiredMemberAttribute, bool HasCompilerFeatureRequiredAttribute)
{
    /// <summary>
    /// <c>HttpMethod.Patch</c> exists (.NET Core 2.1 and later); .NET Framework and .NET Standard 2.0
    /// have no such member, so a PATCH request makes its own <c>HttpMethod</c> there.
    /// </summary>
    public bool HasHttpMethodPatch { get; init; } = true;

    public const string RequiredMemberAttribute = "System.Runtime.CompilerServices.RequiredMemberAttribute";
    public const string CompilerFeatureRequiredAttribute = "System.Runtime.CompilerServices.CompilerFeatureRequiredAttribute";

    /// <summary>A current .NET: everything built in (the default before the compilation is asked).</summary>
    public static TargetFeatures Modern { get; } = new(true, true, true);

    public bool NeedsPolyfills => !HasRequiredMemberAttribute || !HasCompilerFeatureRequiredAttribute;

    public static TargetFeatures Of(Compilation compilation)
    {
        // The runtime the project compiles against decides: its netstandard2.0 build has no DateOnly
        // reader, even where the framework (.NET 6 and 7) has the type.
        INamedTypeSymbol? support = compilation.GetTypeByMetadataName("Specgen.Runtime.JsonSupport");
        bool dateOnly = support is null ? Has(compilation, "System.DateOnly") : !support.GetMembers("ReadDate").IsEmpty;
        INamedTypeSymbol? httpMethod = compilation.GetTypeByMetadataName("System.Net.Http.HttpMethod");
        return new TargetFeatures(dateOnly, Has(compilation, RequiredMemberAttribute), Has(compilation, CompilerFeatureRequiredAttribute))
        {
            HasHttpMethodPatch = httpMethod is null || !httpMethod.GetMembers("Patch").IsEmpty,
        };
    }

    // Any copy the project can see counts (the framework's, a polyfill of its own or one a referenced
    // assembly shares with it); an internal one of another assembly does not.
    private static bool Has(Compilation compilation, string metadataName) =>
        compilation.GetTypesByMetadataName(metadataName).Any(type => compilation.IsSymbolAccessibleWithin(type, compilation.Assembly));
}
