using System;
using System.Text;

namespace Specgen.Generator.Emitting;

/// <summary>
/// Builds C# text with indentation: <see cref="OpenBlock"/> / <see cref="CloseBlock"/> for braces,
/// and multi-line strings re-indented line by line. Always <c>\n</c> line endings.
/// </summary>
internal sealed class SourceWriter
{
    private const int IndentSize = 4;
    private readonly StringBuilder _text = new();
    private int _indent;

    public SourceWriter Line(string line = "")
    {
        if (line.IndexOf('\n') >= 0)
        {
            foreach (string part in line.Split('\n'))
            {
                Line(part.TrimEnd('\r'));
            }

            return this;
        }

        if (line.Length > 0)
        {
            _text.Append(' ', _indent * IndentSize).Append(line);
        }

        _text.Append('\n');
        return this;
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

        return Line("}" + suffix);
    }

    /// <summary>
    /// Writes <c>/// &lt;summary&gt;</c> docs: the spec's <paramref name="text"/> XML-escaped, or
    /// when there is none our own <paramref name="fallbackXml"/> as it is.
    /// </summary>
    public SourceWriter Summary(string? text, string fallbackXml)
    {
        Line("/// <summary>");
        foreach (string line in text is null ? fallbackXml.Split('\n') : Docs.Lines(text))
        {
            Line("/// " + line);
        }

        return Line("/// </summary>");
    }

    public override string ToString() => _text.ToString();
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
