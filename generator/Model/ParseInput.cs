using System;

namespace Specgen.Generator.Model;

/// <summary>
/// The Parse step's input: a spec, and the skeleton of its text when its prose was taken out
/// (<see cref="Reading.Prose"/>). Two inputs with skeletons are equal when the skeletons and
/// everything but the text are: the texts then differ only in their descriptions and summaries,
/// which the step after Parse puts in, so the parse stays cached while a user writes prose.
/// </summary>
internal sealed class ParseInput(SpecInput spec, string? skeleton) : IEquatable<ParseInput>
{
    public SpecInput Spec { get; } = spec;

    /// <summary>The text without its prose; null when the prose was not taken out (JSON, or YAML read by YamlDotNet).</summary>
    public string? Skeleton { get; } = skeleton;

    public bool Equals(ParseInput? other) =>
        other is not null
        && (Skeleton is null || other.Skeleton is null
            ? Skeleton is null && other.Skeleton is null && Spec.Equals(other.Spec)
            : Skeleton == other.Skeleton && (Spec with { Text = string.Empty }).Equals(other.Spec with { Text = string.Empty }));

    public override bool Equals(object? obj) => Equals(obj as ParseInput);

    public override int GetHashCode() => Skeleton?.GetHashCode() ?? Spec.GetHashCode();
}
