using System;
using System.Runtime.CompilerServices;
using System.Collections.Generic;
using System.Globalization;

namespace Specgen.Generator.Reading;

/// <summary>
/// Finds where a node of a YAML document starts by reading its lines again, from a JSON pointer:
/// each key is looked for at the column of its mapping, each item counted at the column of its
/// sequence, everything indented deeper skipped. Used only when a diagnostic needs a place.
/// </summary>
/// <remarks>
/// The answer is the place YamlDotNet gives the node's start event (the first key of a block
/// mapping, the first <c>-</c> of a block sequence, the bracket of a flow collection). Where the
/// lines alone cannot tell (inside a flow collection; anchors, tags and aliases; merge keys;
/// complex or escaped keys; tabs in indentation) there is no answer, and the caller parses the
/// text again instead.
/// </remarks>
internal sealed class YamlPositions
{
    private readonly string _text;
    private readonly List<int> _lineStarts;

    public YamlPositions(string text)
    {
        _text = text;
        _lineStarts = new List<int> { 0 };
        for (int i = text.IndexOf('\n'); i >= 0; i = text.IndexOf('\n', i + 1))
        {
            _lineStarts.Add(i + 1);
        }
    }

    /// <summary>
    /// The zero-based line and column where the mapping (or, when <paramref name="sequence"/>, the
    /// sequence) at <paramref name="pointer"/> starts; null when the lines alone cannot tell.
    /// </summary>
    public (int Line, int Column)? ContainerStart(string pointer, bool sequence)
    {
        if (Root() is not { } at)
        {
            return null;
        }

        // Whether the node starts on the line of its key, after the colon: only a flow
        // collection or a scalar can (an entry's node can be a block one: `- key: value`).
        bool inline = false;
        if (pointer.Length > 0)
        {
            if (pointer[0] != '/')
            {
                return null;
            }

            foreach (string raw in pointer.Substring(1).Split('/'))
            {
                if (inline)
                {
                    return null;
                }

                (int Value, bool Inline)? next = IsEntry(at)
                    ? (int.TryParse(raw, NumberStyles.None, CultureInfo.InvariantCulture, out int index) && Item(at, index) is int item ? (item, false) : null)
                    : Member(at, raw.Replace("~1", "/").Replace("~0", "~"));
                if (next is not var (value, valueInline))
                {
                    return null;
                }

                (at, inline) = (value, valueInline);
            }
        }

        char c = _text[at];
        bool matches = sequence
            ? c == '[' || (!inline && IsEntry(at))
            : c == '{' || (!inline && !IsEntry(at) && KeyEnd(at) is not null);
        if (!matches)
        {
            return null;
        }

        int line = LineOf(at);
        return (line, at - _lineStarts[line]);
    }

    /// <summary>
    /// The line and column of <paramref name="key"/> as a key of the mapping that starts at
    /// (<paramref name="fromLine"/>, <paramref name="column"/>): where a scalar member is, since
    /// scalars have no start of their own to record. Null when it is not found.
    /// </summary>
    public (int Line, int Column)? FindKey(string key, int fromLine, int column)
    {
        bool flow = LineStart(fromLine) + column < _text.Length && _text[LineStart(fromLine) + column] == '{';
        for (int line = fromLine; line < _lineStarts.Count; line++)
        {
            int start = LineStart(line);
            int end = line + 1 < _lineStarts.Count ? _lineStarts[line + 1] - 1 : _text.Length;
            string text = _text.Substring(start, end - start).TrimEnd('\r');
            if (flow)
            {
                // In a flow mapping the key is somewhere on the following lines, before its colon.
                int at = line == fromLine ? column : 0;
                foreach (string candidate in new[] { key + ":", "\"" + key + "\":", "'" + key + "':" })
                {
                    int found = text.IndexOf(candidate, Math.Min(at, text.Length), StringComparison.Ordinal);
                    if (found >= 0)
                    {
                        return (line, found);
                    }
                }

                continue;
            }

            // In a block mapping every key starts at the mapping's column; a line that starts
            // further left ends the mapping.
            string trimmed = text.TrimStart(' ');
            int indent = text.Length - trimmed.Length;
            if (trimmed.Length == 0 || trimmed[0] == '#')
            {
                continue;
            }

            if (indent < column && line > fromLine)
            {
                return null;
            }

            if (indent == column && (StartsWithKey(trimmed, key) || (line == fromLine && text.Length > column && StartsWithKey(text.Substring(column), key))))
            {
                return (line, column);
            }
        }

        return null;
    }

    private static bool StartsWithKey(string text, string key) =>
        text.StartsWith(key + ":", StringComparison.Ordinal)
        || text.StartsWith("\"" + key + "\":", StringComparison.Ordinal)
        || text.StartsWith("'" + key + "':", StringComparison.Ordinal)
        || text.StartsWith("- " + key + ":", StringComparison.Ordinal);

    /// <summary>Where the document's root node starts: the first line that is not blank, a comment or a directive.</summary>
    private int? Root()
    {
        for (int line = 0; line < _lineStarts.Count; line++)
        {
            if (FirstVisible(line) is not int at)
            {
                continue;
            }

            char c = _text[at];
            if (c == '#')
            {
                continue;
            }

            if (c == '%' || (c == '-' && _text.Length >= at + 3 && string.CompareOrdinal(_text, at, "---", 0, 3) == 0))
            {
                // A directive, or a document start marker (which may have the root on its line).
                if (c == '-' && NextVisibleOnLine(at + 3) is int inline)
                {
                    return _text[inline] is '{' or '[' ? inline : null;
                }

                continue;
            }

            return at;
        }

        return null;
    }

    /// <summary>Whether a sequence entry (<c>- </c>) starts at <paramref name="at"/>.</summary>
    private bool IsEntry(int at) => _text[at] == '-' && (at + 1 >= _text.Length || _text[at + 1] is ' ' or '\r' or '\n');

    /// <summary>The start of item <paramref name="index"/> of the block sequence whose first entry is at <paramref name="first"/>.</summary>
    [MethodImpl(JitOptions.Optimized)]
    private int? Item(int first, int index)
    {
        int firstLine = LineOf(first);
        int column = first - _lineStarts[firstLine];
        int count = 0;
        for (int line = firstLine; line < _lineStarts.Count; line++)
        {
            int at;
            if (line == firstLine)
            {
                at = first;
            }
            else
            {
                if (FirstVisible(line) is not int visible || _text[visible] == '#')
                {
                    continue;
                }

                int indent = visible - _lineStarts[line];
                if (HasTab(line, indent) || indent < column)
                {
                    return null;
                }

                if (indent > column)
                {
                    continue;
                }

                at = visible;
            }

            if (!IsEntry(at))
            {
                return null;
            }

            if (count++ == index)
            {
                return ValueStart(at + 1);
            }
        }

        return null;
    }

    /// <summary>The start of the value of <paramref name="key"/> in the block mapping whose first key is at <paramref name="first"/>.</summary>
    [MethodImpl(JitOptions.Optimized)]
    private (int Value, bool Inline)? Member(int first, string key)
    {
        int firstLine = LineOf(first);
        int column = first - _lineStarts[firstLine];
        for (int line = firstLine; line < _lineStarts.Count; line++)
        {
            int at;
            if (line == firstLine)
            {
                at = first;
            }
            else
            {
                if (FirstVisible(line) is not int visible || _text[visible] == '#')
                {
                    continue;
                }

                int indent = visible - _lineStarts[line];
                if (HasTab(line, indent) || indent < column)
                {
                    return null;
                }

                // Deeper lines belong to a value; so do the entries of a sequence written at
                // the column of its key (`key:` then `- item`).
                if (indent > column || IsEntry(visible))
                {
                    continue;
                }

                at = visible;
            }

            // Only a line that starts with the key (or a quote) can hold it; a member that is not
            // there may come from a merge key, and then the search ends with no answer.
            if (_text[at] is not ('"' or '\'') && string.CompareOrdinal(_text, at, key, 0, key.Length) != 0)
            {
                continue;
            }

            if (KeyEnd(at) is not (string found, int colon))
            {
                // Not a key the lines alone can read.
                return null;
            }

            if (found == key)
            {
                return ValueStart(colon + 1) is int value ? (value, value < LineEnd(colon)) : null;
            }
        }

        return null;
    }

    /// <summary>
    /// The key that starts at <paramref name="at"/> and the position of the colon after it, when it
    /// is a plain key or a quoted one without escapes.
    /// </summary>
    private (string Key, int Colon)? KeyEnd(int at)
    {
        int end = LineEnd(at);
        char c = _text[at];
        int close;
        string key;
        if (c == '"' || c == '\'')
        {
            close = _text.IndexOf(c, at + 1, end - at - 1);
            if (close < 0 || (c == '"' && _text.IndexOf('\\', at + 1, close - at - 1) >= 0) || (c == '\'' && close + 1 < end && _text[close + 1] == '\''))
            {
                return null;
            }

            key = _text.Substring(at + 1, close - at - 1);
            close++;
        }
        else
        {
            // Indicators that start something other than a plain key (a dash only with a space after it).
            if (c is '{' or '[' or '&' or '!' or '*' or '|' or '>' or '?' or '#' or '%' or '@' or '`' or ',' or ']' or '}' || IsEntry(at))
            {
                return null;
            }

            close = -1;
            for (int i = at; i < end; i++)
            {
                if (_text[i] == ':' && (i + 1 >= end || _text[i + 1] is ' ' or '\t' or '\r'))
                {
                    close = i;
                    break;
                }

                if (_text[i] == '#' && i > at && _text[i - 1] is ' ' or '\t')
                {
                    return null;
                }
            }

            if (close < 0)
            {
                return null;
            }

            key = _text.Substring(at, close - at).TrimEnd(' ', '\t');
        }

        if (close >= end || _text[close] != ':' || (close + 1 < end && _text[close + 1] is not (' ' or '\t' or '\r')))
        {
            return null;
        }

        return (key, close);
    }

    /// <summary>
    /// Where the value that follows an indicator (the colon after a key, or the dash of an entry)
    /// at <paramref name="after"/> - 1 starts: on the same line, or on the first line below that is
    /// not blank or a comment.
    /// </summary>
    private int? ValueStart(int after)
    {
        if (NextVisibleOnLine(after) is int inline)
        {
            return inline;
        }

        for (int line = LineOf(after) + 1; line < _lineStarts.Count; line++)
        {
            if (FirstVisible(line) is int visible && _text[visible] != '#')
            {
                return HasTab(line, visible - _lineStarts[line]) ? null : visible;
            }
        }

        return null;
    }

    /// <summary>The first character at or after <paramref name="at"/> on its line that is not a space or a tab, unless it starts a comment.</summary>
    private int? NextVisibleOnLine(int at)
    {
        int end = LineEnd(at);
        for (int i = at; i < end; i++)
        {
            char c = _text[i];
            if (c is ' ' or '\t' or '\r')
            {
                continue;
            }

            return c == '#' ? null : i;
        }

        return null;
    }

    [MethodImpl(JitOptions.Optimized)]
    private int? FirstVisible(int line)
    {
        for (int i = _lineStarts[line]; i < _text.Length; i++)
        {
            char c = _text[i];
            if (c == '\n')
            {
                return null;
            }

            if (c is not (' ' or '\t' or '\r'))
            {
                return i;
            }
        }

        return null;
    }

    private bool HasTab(int line, int indent) => _text.IndexOf('\t', _lineStarts[line], indent) >= 0;

    private int LineEnd(int at)
    {
        int end = _text.IndexOf('\n', at);
        return end < 0 ? _text.Length : end;
    }

    private int LineOf(int at)
    {
        int index = _lineStarts.BinarySearch(at);
        return index >= 0 ? index : ~index - 1;
    }

    private int LineStart(int line) => line < _lineStarts.Count ? _lineStarts[line] : _text.Length;
}
