using System.Collections.Generic;
using System.Globalization;
using System.Text;

namespace Specgen.Generator.Reading;

/// <summary>
/// A JSON pointer built one segment at a time and written out only when asked: a walk over a
/// large document visits hundreds of thousands of nodes and needs the pointer of a few.
/// </summary>
internal sealed class PointerPath
{
    private readonly PointerPath? _parent;
    private readonly string? _key;
    private readonly int _index;

    private PointerPath(PointerPath? parent, string? key, int index)
    {
        _parent = parent;
        _key = key;
        _index = index;
    }

    /// <summary>The pointer <paramref name="pointer"/> itself (<c>""</c> for the root).</summary>
    public static PointerPath Of(string pointer) => new(null, pointer, -1);

    public PointerPath Member(string key) => new(this, key, -1);

    public PointerPath Item(int index) => new(this, null, index);

    public override string ToString()
    {
        var segments = new Stack<PointerPath>();
        PointerPath current = this;
        while (current._parent is { } parent)
        {
            segments.Push(current);
            current = parent;
        }

        var pointer = new StringBuilder(current._key);
        while (segments.Count > 0)
        {
            PointerPath segment = segments.Pop();
            pointer.Append('/');
            if (segment._key is { } key)
            {
                pointer.Append(key.Replace("~", "~0").Replace("/", "~1"));
            }
            else
            {
                pointer.Append(segment._index.ToString(CultureInfo.InvariantCulture));
            }
        }

        return pointer.ToString();
    }
}
