using System;
using System.Runtime.CompilerServices;
using System.Collections.Generic;
using System.IO;
using System.Text;

namespace Specgen.Generator.Reading;

/// <summary>
/// Works around a YamlDotNet 16.3.0 bug (aaubry/YamlDotNet#523): a block scalar (<c>|</c>,
/// <c>|+</c>, <c>&gt;-</c> …) whose only content lines are whitespace is valid YAML, but the parser
/// throws "found extra spaces in first line". OpenAI's document has one (<c>example: |+</c>).
/// </summary>
/// <remarks>
/// <para>
/// Such a scalar is read as the quoted scalar with the same value (<c>""</c>, or one <c>\n</c>
/// per line break when the chomping indicator keeps them) with its whitespace lines emptied, so
/// every line keeps its number and every other line its columns: positions in diagnostics stay
/// right.
/// </para>
/// <para>
/// <see cref="Find"/> runs before the parser, in one pass over the text (the parser used to fail
/// after most of a large document, and the text was then split, rewritten and parsed again), and
/// the rewrites are made by <see cref="Reader"/> as the parser reads, without a copy of the text.
/// The scan follows only what it needs of YAML: a header line ends with the indicator, and the
/// content of a block scalar is every following line that is blank or indented deeper than the
/// header's line, so a header-like line inside a description is never taken for one. What it
/// cannot see (a header inside a multi-line quoted scalar) the reader checks: every rewritten
/// place must then read as a quoted scalar that starts exactly there (<see cref="YamlSpecDocument"/>).
/// </para>
/// </remarks>
internal static class BlankBlockScalars
{
    private static readonly char[] Indicators = { '|', '>' };

    /// <summary>The rewrites of every blank block scalar of <paramref name="text"/>, in order, or null when it has none.</summary>
    [MethodImpl(JitOptions.Optimized)]
    public static List<Rewrite>? Find(string text)
    {
        List<Rewrite>? rewrites = null;

        // The indentation of the header of the block scalar whose content is being skipped, or -1.
        int blockIndent = -1;
        int line = 0;
        for (int start = 0; start < text.Length; line++)
        {
            int end = LineEnd(text, start);
            int next = end < text.Length ? end + 1 : end;
            int indent = Indent(text, start, end);
            bool blank = IsBlank(text, start + indent, end);
            if (blockIndent >= 0 && (blank || indent > blockIndent))
            {
                start = next;
                continue;
            }

            blockIndent = -1;
            if (blank || Header(text, start + indent, ContentEnd(text, start, end)) is not var (indicator, keep))
            {
                start = next;
                continue;
            }

            // Its content: blank lines up to the first line with a visible character.
            int lineBreaks = 0;
            bool whitespace = false;
            int contentLine = line + 1;
            int at = next;
            while (at < text.Length)
            {
                int atEnd = LineEnd(text, at);
                if (!IsBlank(text, at, atEnd))
                {
                    break;
                }

                whitespace |= ContentEnd(text, at, atEnd) > at;
                lineBreaks += atEnd < text.Length ? 1 : 0;
                at = atEnd < text.Length ? atEnd + 1 : atEnd;
                contentLine++;
            }

            bool contentFollows = at < text.Length && Indent(text, at, LineEnd(text, at)) > indent;
            if (contentFollows || !whitespace)
            {
                // A block scalar YamlDotNet reads: its content is no place for a header.
                blockIndent = indent;
                start = next;
                continue;
            }

            // From the indicator to the first line with a visible character, only the line breaks
            // (\r\n kept as they are) stay.
            var replacement = new StringBuilder("\"");
            for (int i = 0; keep && i < lineBreaks; i++)
            {
                replacement.Append("\\n");
            }

            replacement.Append('"');
            for (int i = indicator; i < at; i++)
            {
                if (text[i] == '\n')
                {
                    replacement.Append(i > indicator && text[i - 1] == '\r' ? "\r\n" : "\n");
                }
            }

            (rewrites ??= new()).Add(new Rewrite(indicator, at, replacement.ToString(), line, indicator - start));
            line = contentLine - 1;
            start = at;
        }

        return rewrites;
    }

    /// <summary>A reader of <paramref name="text"/> with <paramref name="rewrites"/> made as it is read (no copy of the text).</summary>
    public static TextReader Reader(string text, List<Rewrite>? rewrites) =>
        rewrites is null ? new StringReader(text) : new RewritingReader(text, rewrites);

    /// <summary><paramref name="text"/> with <paramref name="rewrites"/> made.</summary>
    public static string Apply(string text, List<Rewrite>? rewrites) => Reader(text, rewrites).ReadToEnd();

    /// <summary>
    /// The indicator of a block scalar header that ends the line from <paramref name="start"/>
    /// (after its indentation) to <paramref name="end"/>: <c>key: |+</c>, <c>- &gt;-</c>,
    /// <c>- 'a key': |2</c>, with optional chomping and indentation indicators and a comment.
    /// </summary>
    [MethodImpl(JitOptions.Optimized)]
    private static (int Indicator, bool Keep)? Header(string text, int start, int end)
    {
        int at = start;
        while (at + 1 < end && text[at] == '-' && IsSpace(text[at + 1]))
        {
            at = SkipSpaces(text, at + 1, end);
        }

        if (at >= end || text[at] == '#')
        {
            return null;
        }

        if (text[at] != '|' && text[at] != '>')
        {
            if (at == start && text.IndexOfAny(Indicators, at, end - at) < 0)
            {
                return null;
            }

            // A key, up to the colon and the space that end it.
            int colon = KeyEnd(text, at, end);
            if (colon < 0 || colon + 1 >= end || !IsSpace(text[colon + 1]))
            {
                return null;
            }

            at = SkipSpaces(text, colon + 1, end);
            if (at >= end || (text[at] != '|' && text[at] != '>'))
            {
                return null;
            }
        }
        else if (at == start)
        {
            return null;
        }

        int indicator = at++;
        bool chomping = false;
        bool indentation = false;
        bool keep = false;
        for (int i = 0; i < 2 && at < end; i++)
        {
            if ((text[at] == '+' || text[at] == '-') && !chomping)
            {
                chomping = true;
                keep = text[at++] == '+';
            }
            else if (text[at] >= '1' && text[at] <= '9' && !indentation)
            {
                indentation = true;
                at++;
            }
        }

        at = SkipSpaces(text, at, end);
        return at == end || (text[at] == '#' && IsSpace(text[at - 1])) ? (indicator, keep) : null;
    }

    /// <summary>The colon that ends the key starting at <paramref name="at"/>, or -1.</summary>
    [MethodImpl(JitOptions.Optimized)]
    private static int KeyEnd(string text, int at, int end)
    {
        if (text[at] == '"' || text[at] == '\'')
        {
            char quote = text[at];
            for (int i = at + 1; i < end; i++)
            {
                if (quote == '"' && text[i] == '\\')
                {
                    i++;
                }
                else if (text[i] == quote)
                {
                    if (quote == '\'' && i + 1 < end && text[i + 1] == '\'')
                    {
                        i++;
                        continue;
                    }

                    int colon = SkipSpaces(text, i + 1, end);
                    return colon < end && text[colon] == ':' ? colon : -1;
                }
            }

            return -1;
        }

        for (int i = at; i < end; i++)
        {
            if (text[i] == '#' && i > at && IsSpace(text[i - 1]))
            {
                return -1;
            }

            if (text[i] == ':' && i + 1 < end && IsSpace(text[i + 1]))
            {
                return i;
            }
        }

        return -1;
    }

    private static bool IsSpace(char c) => c == ' ' || c == '\t';

    private static int SkipSpaces(string text, int at, int end)
    {
        while (at < end && IsSpace(text[at]))
        {
            at++;
        }

        return at;
    }

    /// <summary>Characters <see cref="Start"/> to <see cref="End"/> of the text read as <see cref="Text"/>, a quoted scalar that starts at <see cref="Line"/> and <see cref="Column"/> (zero-based).</summary>
    internal sealed class Rewrite(int start, int end, string text, int line, int column)
    {
        public int Start { get; } = start;

        public int End { get; } = end;

        public string Text { get; } = text;

        public int Line { get; } = line;

        public int Column { get; } = column;
    }

    private sealed class RewritingReader(string text, List<Rewrite> rewrites) : TextReader
    {
        private int _position;
        private int _next;
        private string? _inserting;
        private int _inserted;

        public override int Peek()
        {
            if (_inserting is not null)
            {
                return _inserting[_inserted];
            }

            if (_next < rewrites.Count && _position == rewrites[_next].Start)
            {
                return rewrites[_next].Text[0];
            }

            return _position < text.Length ? text[_position] : -1;
        }

        public override int Read()
        {
            int c = Peek();
            if (c >= 0)
            {
                Advance(1);
            }

            return c;
        }

        public override int Read(char[] buffer, int index, int count)
        {
            int written = 0;
            while (written < count)
            {
                if (_inserting is null && _next < rewrites.Count && _position == rewrites[_next].Start)
                {
                    _inserting = rewrites[_next].Text;
                    _inserted = 0;
                    _position = rewrites[_next].End;
                    _next++;
                }

                int length;
                if (_inserting is not null)
                {
                    length = Math.Min(count - written, _inserting.Length - _inserted);
                    _inserting.CopyTo(_inserted, buffer, index + written, length);
                }
                else
                {
                    int stop = _next < rewrites.Count ? rewrites[_next].Start : text.Length;
                    length = Math.Min(count - written, stop - _position);
                    if (length == 0)
                    {
                        break;
                    }

                    text.CopyTo(_position, buffer, index + written, length);
                }

                Advance(length);
                written += length;
            }

            return written;
        }

        private void Advance(int length)
        {
            if (_inserting is not null)
            {
                _inserted += length;
                if (_inserted == _inserting.Length)
                {
                    _inserting = null;
                }

                return;
            }

            if (_next < rewrites.Count && _position == rewrites[_next].Start)
            {
                // Read() of the first character of a rewrite.
                _inserting = rewrites[_next].Text;
                _inserted = 0;
                _position = rewrites[_next].End;
                _next++;
                Advance(length);
                return;
            }

            _position += length;
        }
    }

    [MethodImpl(JitOptions.Optimized)]
    private static int LineEnd(string text, int start)
    {
        int end = text.IndexOf('\n', start);
        return end < 0 ? text.Length : end;
    }

    /// <summary>The end of the line without a trailing <c>\r</c>.</summary>
    private static int ContentEnd(string text, int start, int end) => end > start && text[end - 1] == '\r' ? end - 1 : end;

    [MethodImpl(JitOptions.Optimized)]
    private static int Indent(string text, int start, int end)
    {
        int at = start;
        while (at < end && text[at] == ' ')
        {
            at++;
        }

        return at - start;
    }

    [MethodImpl(JitOptions.Optimized)]
    private static bool IsBlank(string text, int from, int end)
    {
        for (int at = from; at < end; at++)
        {
            if (text[at] != ' ' && text[at] != '\t' && text[at] != '\r')
            {
                return false;
            }
        }

        return true;
    }
}
