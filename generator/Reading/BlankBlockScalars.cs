using System.Text;
using System.Text.RegularExpressions;

namespace Specgen.Generator.Reading;

/// <summary>
/// Works around a YamlDotNet 16.3.0 bug (aaubry/YamlDotNet#523): a block scalar (<c>|</c>,
/// <c>|+</c>, <c>&gt;-</c> …) whose only content lines are whitespace is valid YAML, but the parser
/// throws "found extra spaces in first line". OpenAI's document has one (<c>example: |+</c>).
/// </summary>
/// <remarks>
/// Such a scalar is rewritten to the quoted scalar with the same value (<c>""</c>, or one
/// <c>\n</c> per line when the chomping indicator keeps line breaks) and its whitespace lines are
/// emptied, so every other line keeps its number and positions in diagnostics stay right.
/// Used only after the parser has failed, so well-formed documents never pay for it.
/// </remarks>
internal static class BlankBlockScalars
{
    // A block scalar header at the end of a line: `key: |+`, `- >-`, with an optional indentation
    // digit and comment.
    private static readonly Regex Header = new(@"^(?<lead>.*?(?::|-))(?<space>[ \t]+)(?<style>[|>])(?<chomp>[+-]?)[1-9]?[ \t]*(?:#.*)?$", RegexOptions.CultureInvariant);

    public static bool TryRewrite(string text, out string rewritten)
    {
        string[] lines = text.Split('\n');
        bool changed = false;
        for (int i = 0; i < lines.Length; i++)
        {
            Match header = Header.Match(lines[i].TrimEnd('\r'));
            if (!header.Success)
            {
                continue;
            }

            // The scalar's content is every following line indented deeper than the header's line,
            // plus blank lines; it is "blank" when none of those lines has a visible character.
            int headerIndent = Indent(lines[i]);
            int end = i + 1;
            bool sawWhitespaceOnly = false;
            while (end < lines.Length)
            {
                string line = lines[end].TrimEnd('\r');
                if (line.Trim().Length == 0)
                {
                    sawWhitespaceOnly |= line.Length > 0;
                    end++;
                    continue;
                }

                if (Indent(line) > headerIndent)
                {
                    break;
                }

                end = -end;
                break;
            }

            // end > 0 here means real content follows (or the file ended inside blank lines).
            int last = end < 0 ? -end : end;
            bool contentFollows = end > 0 && end < lines.Length;
            if (contentFollows || !sawWhitespaceOnly)
            {
                continue;
            }

            int blankCount = last - (i + 1);
            string value = header.Groups["chomp"].Value == "+" ? Repeat("\\n", blankCount) : string.Empty;
            lines[i] = header.Groups["lead"].Value + header.Groups["space"].Value + "\"" + value + "\"";
            for (int j = i + 1; j < last; j++)
            {
                lines[j] = string.Empty;
            }

            changed = true;
            i = last - 1;
        }

        rewritten = changed ? string.Join("\n", lines) : text;
        return changed;
    }

    private static int Indent(string line)
    {
        int count = 0;
        while (count < line.Length && line[count] == ' ')
        {
            count++;
        }

        return count;
    }

    private static string Repeat(string text, int count)
    {
        var builder = new StringBuilder(text.Length * count);
        for (int i = 0; i < count; i++)
        {
            builder.Append(text);
        }

        return builder.ToString();
    }
}
