using System.Globalization;

namespace Specgen.Generator.Reading;

/// <summary>
/// What Specgen reads at most. The generator runs inside the compiler and the IDE, on every edit:
/// a document beyond these limits is reported (SPEC008) instead of being allowed to exhaust the
/// stack, the memory or the user's patience. Each limit is far above what published documents need.
/// </summary>
internal static class SpecLimits
{
    /// <summary>
    /// Characters of spec text. The largest documents we know (OpenAI's, Asana's) are about 3 MB,
    /// and GitHub's REST description about 11 MB.
    /// </summary>
    public const int MaxLength = 32 * 1024 * 1024;

    /// <summary>
    /// Nested mappings and sequences (objects and arrays). Published documents stay below 40; the
    /// readers and mappers recurse once or more per level, so an unbounded depth would be a stack
    /// overflow, which no catch can turn into a diagnostic.
    /// </summary>
    public const int MaxDepth = 256;

    /// <summary>
    /// Nodes that YAML aliases may add by repeating their anchors (each use is a copy). A few
    /// levels of aliases of aliases (the "billion laughs" document) would otherwise grow
    /// exponentially from a few hundred bytes.
    /// </summary>
    public const int MaxAliasNodes = 1_000_000;

    public static string TooLong(int length) => string.Format(
        CultureInfo.InvariantCulture,
        "the spec is {0:0.0} MB of text, more than the {1} MB Specgen reads (a published API description is rarely above 10 MB); split it or remove what the client does not need",
        length / (1024.0 * 1024.0),
        MaxLength / (1024 * 1024));

    public static string TooDeep() => string.Format(
        CultureInfo.InvariantCulture,
        "the spec nests objects or arrays more than {0} levels deep here, deeper than Specgen reads",
        MaxDepth);

    public static string TooManyAliasNodes() => string.Format(
        CultureInfo.InvariantCulture,
        "YAML aliases here expand the document by more than {0:N0} nodes (aliases of aliases multiply); write the repeated parts once, with $ref",
        MaxAliasNodes);
}
