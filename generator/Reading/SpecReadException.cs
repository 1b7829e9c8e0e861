using System;

namespace Specgen.Generator.Reading;

/// <summary>The text is not valid YAML or JSON; carries the place of the first error (zero-based).</summary>
internal class SpecReadException(string message, int line, int column) : Exception(message)
{
    public int Line { get; } = line;

    public int Column { get; } = column;
}

/// <summary>
/// The text may be valid, but it exceeds one of <see cref="SpecLimits"/>: reading further would
/// cost the compiler (and the IDE) more than any real document needs.
/// </summary>
internal sealed class SpecLimitException(string message, int line, int column) : SpecReadException(message, line, column);
