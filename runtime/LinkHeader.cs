using System;

namespace Specgen.Runtime;

/// <summary>Reads an RFC 8288 <c>Link</c> header: <c>&lt;url&gt;; rel="next", &lt;url&gt;; rel="last"</c>.</summary>
internal static class LinkHeader
{
    /// <summary>
    /// The target of the first link whose <c>rel</c> names <paramref name="relation"/> (relation
    /// types are compared without case; a <c>rel</c> may list several, separated by spaces).
    /// </summary>
    public static string? Target(string header, string relation)
    {
        int position = 0;
        while (true)
        {
            int open = header.IndexOf('<', position);
            if (open < 0)
            {
                return null;
            }

            int close = header.IndexOf('>', open + 1);
            if (close < 0)
            {
                return null;
            }

            string target = header.Substring(open + 1, close - open - 1).Trim();
            position = close + 1;
            bool matches = false;
            // The parameters run to the comma that ends this link, outside quoted strings.
            while (position < header.Length && header[position] != ',')
            {
                if (header[position] != ';')
                {
                    position++;
                    continue;
                }

                (string name, string value) = Parameter(header, ref position);
                if (name.Equals("rel", StringComparison.OrdinalIgnoreCase) && NamesRelation(value, relation))
                {
                    matches = true;
                }
            }

            if (matches)
            {
                return target;
            }
        }
    }

    // Reads `; name=value` or `; name="quoted value"` from the ';' at position, leaving position after it.
    private static (string Name, string Value) Parameter(string header, ref int position)
    {
        int start = position + 1;
        int end = start;
        while (end < header.Length && header[end] != '=' && header[end] != ';' && header[end] != ',')
        {
            end++;
        }

        string name = header.Substring(start, end - start).Trim();
        if (end >= header.Length || header[end] != '=')
        {
            position = end;
            return (name, string.Empty);
        }

        int valueStart = end + 1;
        while (valueStart < header.Length && header[valueStart] == ' ')
        {
            valueStart++;
        }

        if (valueStart < header.Length && header[valueStart] == '"')
        {
            var value = new System.Text.StringBuilder();
            int i = valueStart + 1;
            for (; i < header.Length && header[i] != '"'; i++)
            {
                if (header[i] == '\\' && i + 1 < header.Length)
                {
                    i++;
                }

                value.Append(header[i]);
            }

            position = Math.Min(i + 1, header.Length);
            return (name, value.ToString());
        }

        int valueEnd = valueStart;
        while (valueEnd < header.Length && header[valueEnd] != ';' && header[valueEnd] != ',')
        {
            valueEnd++;
        }

        position = valueEnd;
        return (name, header.Substring(valueStart, valueEnd - valueStart).Trim());
    }

    private static bool NamesRelation(string relations, string relation)
    {
        foreach (string type in relations.Split(' '))
        {
            if (type.Equals(relation, StringComparison.OrdinalIgnoreCase))
            {
                return true;
            }
        }

        return false;
    }
}
