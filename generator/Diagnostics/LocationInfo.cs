using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.Text;

namespace Specgen.Generator.Diagnostics;

/// <summary>An equatable stand-in for <see cref="Location"/>: a place in a spec file (lines and columns are zero-based).</summary>
internal sealed record LocationInfo(string FilePath, int Line, int Column)
{
    public Location ToLocation()
    {
        var position = new LinePosition(Line, Column);
        return Location.Create(FilePath, new TextSpan(0, 0), new LinePositionSpan(position, position));
    }
}
