using System;

namespace Specgen.Generator.Reading;

/// <summary>The text is not valid YAML or JSON; carries the place of the first error (zero-based).</summary>
internal sealed class SpecReadException(string message, int line, int column) : Exception(message)
{
    public int Line { get; } = line;

    public int Column { get; } = column;
}
