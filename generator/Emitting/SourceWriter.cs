using System;
using System.Collections.Generic;
using System.Globalization;
using System.Runtime.CompilerServices;
using System.Text;

namespace Specgen.Generator.Emitting;

/// <summary>
/// Builds C# text with indentation: <see cref="OpenBlock"/> / <see cref="CloseBlock"/> for braces,
/// and multi-line strings re-indented line by line. Always <c>\n</c> line endings.
/// </summary>
/// <remarks>
/// A writer makes one text: <see cref="ToString"/> ends it. Its builder is then kept for the next
/// writer on the thread, since a large document is thousands of files and a builder per file
/// allocated each text twice (the builder's chunks, then the string).
/// </remarks>
internal sealed class SourceWriter
{
    private const int IndentSize = 4;

    /// <summary>
    /// The longest line <see cref="Wrapped"/> and <see cref="Arrow"/> keep whole. Other lines may
    /// be longer: text from the spec, and names that no break would shorten.
    /// </summary>
    public const int MaxLineLength = 160;

    // Large enough for most model files; a builder that grew beyond the largest we keep is let go.
    private const int InitialCapacity = 16 * 1024;
    private const int MaxKeptCapacity = 1024 * 1024;

    [ThreadStatic]
    private static StringBuilder? t_kept;

    private StringBuilder? _text;
    private string? _result;
    private int _indent;

    public SourceWriter()
    {
        _text = t_kept ?? new StringBuilder(InitialCapacity);
        t_kept = null;
    }

    private StringBuilder Text => _text ?? throw new InvalidOperationException("The text of this writer was already taken with ToString().");

    [MethodImpl(JitOptions.Optimized)]
    public SourceWriter Line(string line = "")
    {
        int newline = line.IndexOf('\n');
        if (newline < 0)
        {
            return Line(line, 0, line.Length);
        }

        // Each line of a multi-line string is indented by itself, without a trailing \r.
        for (int start = 0; ; newline = line.IndexOf('\n', start))
        {
            int end = newline < 0 ? line.Length : newline;
            while (end > start && line[end - 1] == '\r')
            {
                end--;
            }

            Line(line, start, end - start);
            if (newline < 0)
            {
                return this;
            }

            start = newline + 1;
        }
    }

    /// <summary>
    /// <see cref="Line(string)"/> for an interpolated string, written straight into the text
    /// (emitting a large document builds hundreds of thousands of them).
    /// </summary>
    public SourceWriter Line([InterpolatedStringHandlerArgument("")] ref LineHandler line)
    {
        line.End();
        return this;
    }

    /// <summary><see cref="OpenBlock(string)"/> for an interpolated header, written straight into the text.</summary>
    public SourceWriter OpenBlock([InterpolatedStringHandlerArgument("")] ref LineHandler header)
    {
        header.End();
        return OpenBlock();
    }

    /// <summary>Opens a block under a method header whose parameters are <see cref="Wrapped"/> when long.</summary>
    public SourceWriter OpenBlock(string head, IReadOnlyList<string> parameters)
    {
        Wrapped(head, parameters);
        return OpenBlock();
    }

    public SourceWriter OpenBlock(string? header = null)
    {
        if (header is not null)
        {
            Line(header);
        }

        Line("{");
        _indent++;
        return this;
    }

    public SourceWriter CloseBlock(string suffix = "")
    {
        _indent--;
        if (_indent < 0)
        {
            throw new InvalidOperationException("More blocks closed than opened.");
        }

        return suffix.Length == 0 ? Line("}") : Line("}" + suffix);
    }

    /// <summary>
    /// Whether a line of <paramref name="length"/> characters fits at the current indentation
    /// within <see cref="MaxLineLength"/>.
    /// </summary>
    public bool Fits(int length) => (_indent * IndentSize) + length <= MaxLineLength;

    /// <summary>
    /// <c>{head}({items}){tail}</c>: on one line when it fits, else with each item on a line of
    /// its own (or several, for an item with line breaks), one level deeper, and
    /// <paramref name="tail"/> after the last. For parameter and argument lists.
    /// </summary>
    public SourceWriter Wrapped(string head, IReadOnlyList<string> items, string tail = "")
    {
        // On one line: head(a, b)tail.
        int length = head.Length + 2 + tail.Length + (2 * (items.Count - 1));
        bool multiLine = false;
        foreach (string item in items)
        {
            length += item.Length;
            multiLine |= item.IndexOf('\n') >= 0;
        }

        if (items.Count == 0 || (!multiLine && Fits(length)))
        {
            return Line(head + "(" + string.Join(", ", items) + ")" + tail);
        }

        Line(head + "(");
        _indent++;
        for (int i = 0; i < items.Count; i++)
        {
            Line(i < items.Count - 1 ? items[i] + "," : items[i] + ")" + tail);
        }

        _indent--;
        return this;
    }

    /// <summary>
    /// <c>{head} => {body}</c>: on one line when it fits, else with the arrow and the body on the
    /// next line, one level deeper. For expression-bodied members.
    /// </summary>
    public SourceWriter Arrow(string head, string body)
    {
        if (Fits(head.Length + 4 + body.Length))
        {
            return Line(head + " => " + body);
        }

        Line(head);
        _indent++;
        Line("=> " + body);
        _indent--;
        return this;
    }

    /// <summary><see cref="Arrow(string, string)"/> for a member with parameters, which are <see cref="Wrapped"/> when even the head is too long.</summary>
    public SourceWriter Arrow(string head, IReadOnlyList<string> parameters, string body)
    {
        string signature = head + "(" + string.Join(", ", parameters) + ")";
        if (Fits(signature.Length))
        {
            return Arrow(signature, body);
        }

        Wrapped(head, parameters);
        _indent++;
        Line("=> " + body);
        _indent--;
        return this;
    }

    /// <summary>
    /// A doc element such as <c>&lt;remarks&gt;</c>: <c>/// {open}{xml}{close}</c> on one line when it
    /// fits and <paramref name="xml"/> has no line break, else the tags on lines of their own and
    /// each line of <paramref name="xml"/> between them.
    /// </summary>
    public SourceWriter DocElement(string open, string xml, string close)
    {
        if (xml.IndexOf('\n') < 0 && Fits(4 + open.Length + xml.Length + close.Length))
        {
            return Line("/// " + open + xml + close);
        }

        Line("/// " + open);
        foreach (string line in xml.Split('\n'))
        {
            Line("/// " + line);
        }

        return Line("/// " + close);
    }

    /// <summary>
    /// Writes <c>/// &lt;summary&gt;</c> docs: the spec's <paramref name="text"/> XML-escaped, or
    /// when there is none our own <paramref name="fallbackXml"/> as it is.
    /// </summary>
    [MethodImpl(JitOptions.Optimized)]
    public SourceWriter Summary(string? text, string fallbackXml)
    {
        Line("/// <summary>");
        string lines = text is null ? fallbackXml : Docs.Escape(text.Trim()).Replace("\r\n", "\n");
        for (int start = 0; ;)
        {
            int newline = lines.IndexOf('\n', start);
            int end = newline < 0 ? lines.Length : newline;
            StringBuilder builder = Text;
            builder.Append(' ', _indent * IndentSize).Append("/// ").Append(lines, start, end - start).Append('\n');
            if (newline < 0)
            {
                break;
            }

            start = newline + 1;
        }

        return Line("/// </summary>");
    }

    /// <summary>The text written; the writer is done with it.</summary>
    public override string ToString()
    {
        if (_result is null)
        {
            StringBuilder builder = Text;
            _result = builder.ToString();
            _text = null;
            if (builder.Capacity <= MaxKeptCapacity)
            {
                builder.Clear();
                t_kept = builder;
            }
        }

        return _result;
    }

    /// <summary>
    /// Writes the parts of an interpolated line after the indentation as they come; a line that
    /// turns out empty or to hold line breaks is then written again as <see cref="Line(string)"/>
    /// would, so the text is the same either way.
    /// </summary>
    [InterpolatedStringHandler]
    public ref struct LineHandler
    {
        private readonly SourceWriter _writer;
        private readonly StringBuilder _text;
        private readonly int _start;
        private readonly int _content;

        [MethodImpl(JitOptions.Optimized)]
        public LineHandler(int literalLength, int formattedCount, SourceWriter writer)
        {
            _ = literalLength;
            _ = formattedCount;
            _writer = writer;
            _text = writer.Text;
            _start = _text.Length;
            _text.Append(' ', writer._indent * IndentSize);
            _content = _text.Length;
        }

        [MethodImpl(JitOptions.Optimized)]
        public void AppendLiteral(string value) => _text.Append(value);

        [MethodImpl(JitOptions.Optimized)]
        public void AppendFormatted(string? value) => _text.Append(value);

        [MethodImpl(JitOptions.Optimized)]
        // Invariant culture: generated code must not depend on the culture of the machine that built it.
        public void AppendFormatted<T>(T value) => _text.Append(value is IFormattable formattable ? formattable.ToString(null, CultureInfo.InvariantCulture) : value?.ToString());

        [MethodImpl(JitOptions.Optimized)]
        public void AppendFormatted<T>(T value, string? format) => _text.Append(value is IFormattable formattable ? formattable.ToString(format, CultureInfo.InvariantCulture) : value?.ToString());

        [MethodImpl(JitOptions.Optimized)]
        internal void End()
        {
            bool breaks = false;
            for (int i = _content; i < _text.Length && !breaks; i++)
            {
                breaks = _text[i] == '\n';
            }

            if (!breaks && _text.Length > _content)
            {
                _text.Append('\n');
                return;
            }

            string line = _text.ToString(_content, _text.Length - _content);
            _text.Length = _start;
            _writer.Line(line);
        }
    }

    [MethodImpl(JitOptions.Optimized)]
    private SourceWriter Line(string text, int start, int length)
    {
        StringBuilder builder = Text;
        if (length > 0)
        {
            builder.Append(' ', _indent * IndentSize).Append(text, start, length);
        }

        builder.Append('\n');
        return this;
    }
}

/// <summary>Turns spec descriptions into XML doc text and C# literals.</summary>
internal static class Docs
{
    public static string[] Lines(string text)
    {
        string escaped = Escape(text.Trim()).Replace("\r\n", "\n");
        return escaped.Split('\n');
    }

    public static string Escape(string text) => text.Replace("&", "&amp;").Replace("<", "&lt;").Replace(">", "&gt;");

    /// <summary>A C# string literal with every character that needs it escaped.</summary>
    public static string Literal(string value)
    {
        var text = new StringBuilder(value.Length + 2).Append('"');
        foreach (char c in value)
        {
            switch (c)
            {
                case '"': text.Append("\\\""); break;
                case '\\': text.Append("\\\\"); break;
                case '\n': text.Append("\\n"); break;
                case '\r': text.Append("\\r"); break;
                case '\t': text.Append("\\t"); break;
                case '\0': text.Append("\\0"); break;
                default:
                    if (char.IsControl(c) || c == '\u2028' || c == '\u2029')
                    {
                        text.Append("\\u").Append(((int)c).ToString("x4", System.Globalization.CultureInfo.InvariantCulture));
                    }
                    else
                    {
                        text.Append(c);
                    }

                    break;
            }
        }

        return text.Append('"').ToString();
    }
}
