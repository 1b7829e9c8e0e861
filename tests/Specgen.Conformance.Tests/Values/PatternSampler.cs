using System;
using System.Collections.Generic;
using System.Linq;
using System.Text;
using System.Text.RegularExpressions;

namespace Specgen.Conformance.Tests.Values;

/// <summary>
/// Writes a string that a <c>pattern</c> of the corpus matches: literals, escapes (<c>\d \w \s \S</c>),
/// classes with ranges and negation, groups with alternatives, quantifiers, anchors and back
/// references; the shortest string the first alternatives give, or longer ones when asked. Every
/// result is checked with the pattern itself, so an unsupported construct gives null, never a
/// wrong value.
/// </summary>
internal static class PatternSampler
{
    private static readonly TimeSpan MatchTimeout = TimeSpan.FromSeconds(1);

    /// <summary>A string of at least <paramref name="minLength"/> characters that matches <paramref name="pattern"/>, or null.</summary>
    public static string? Sample(string pattern, int minLength = 0, int? maxLength = null)
    {
        Regex regex;
        try
        {
            regex = new Regex(pattern, RegexOptions.CultureInvariant, MatchTimeout);
        }
        catch (ArgumentException)
        {
            return null;
        }

        // Unbounded and ranged quantifiers repeat `extra` times more than their minimum, until the
        // text is long enough.
        for (int extra = 0; extra <= 64; extra++)
        {
            string? text;
            try
            {
                var writer = new Writer(pattern, extra);
                text = writer.Write();
            }
            catch (FormatException)
            {
                return null;
            }

            if (text.Length > maxLength)
            {
                return null;
            }

            if (text.Length >= minLength)
            {
                return regex.IsMatch(text) ? text : null;
            }
        }

        return null;
    }

    /// <summary>A recursive-descent pass over the pattern that writes as it parses.</summary>
    private sealed class Writer(string pattern, int extra)
    {
        // Candidates for a negated class or a wildcard, in order of preference.
        private const string Ordinary = "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789_- ";

        private readonly Dictionary<int, string> _groups = new();
        private int _position;
        private int _groupCount;

        public string Write()
        {
            string text = Alternatives();
            if (_position != pattern.Length)
            {
                throw new FormatException($"Unexpected '{pattern[_position]}' at {_position}.");
            }

            return text;
        }

        // The first alternative is written; the others are parsed and dropped.
        private string Alternatives()
        {
            string first = Sequence();
            while (Peek() == '|')
            {
                _position++;
                Sequence();
            }

            return first;
        }

        private string Sequence()
        {
            var text = new StringBuilder();
            while (_position < pattern.Length && Peek() is not ('|' or ')'))
            {
                Func<string> atom = Atom();
                (int min, int? max) = Quantifier();
                int count = max is { } upper ? Math.Min(upper, min + extra) : min + extra;
                for (int i = 0; i < count; i++)
                {
                    text.Append(atom());
                }
            }

            return text.ToString();
        }

        /// <summary>Parses one atom and returns how to write it (a group may be written several times).</summary>
        private Func<string> Atom()
        {
            char c = pattern[_position++];
            switch (c)
            {
                case '^':
                case '$':
                    return () => string.Empty;
                case '.':
                    return () => "a";
                case '[':
                    string member = Class();
                    return () => member;
                case '(':
                {
                    bool capturing = true;
                    if (Peek() == '?')
                    {
                        if (pattern.Length <= _position + 1 || pattern[_position + 1] != ':')
                        {
                            throw new FormatException("Only (?: ) groups are supported.");
                        }

                        _position += 2;
                        capturing = false;
                    }

                    int index = capturing ? ++_groupCount : 0;
                    int start = _position;
                    Alternatives();
                    Expect(')');
                    int end = _position - 1;
                    return () =>
                    {
                        // Written afresh each time, so a back reference sees the last repetition.
                        var inner = new Writer(pattern.Substring(start, end - start), extra);
                        string text = inner.Write();
                        if (capturing)
                        {
                            _groups[index] = text;
                        }

                        return text;
                    };
                }

                case '\\':
                    return Escape();
                case '*' or '+' or '?' or '{' or ')' or '|':
                    throw new FormatException($"Unexpected '{c}'.");
                default:
                    return () => c.ToString();
            }
        }

        private Func<string> Escape()
        {
            char c = pattern[_position++];
            if (char.IsDigit(c))
            {
                int group = c - '0';
                return () => _groups.TryGetValue(group, out string? text) ? text : string.Empty;
            }

            string? written = ClassEscape(c) is { } set ? set[0].ToString() : null;
            return () => written ?? c.ToString();
        }

        /// <summary>The characters of <c>\d \w \s</c> and their negations, or null for an escaped literal.</summary>
        private static string? ClassEscape(char c) => c switch
        {
            'd' => "0123456789",
            'D' => "abcdefghijklmnopqrstuvwxyz",
            'w' => "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789_",
            'W' => "-",
            's' => " ",
            'S' => "a",
            _ => null,
        };

        /// <summary>Parses a class after its <c>[</c> and returns the character written for it.</summary>
        private string Class()
        {
            bool negated = Peek() == '^';
            if (negated)
            {
                _position++;
            }

            var members = new HashSet<char>();
            char? first = null;
            bool start = true;
            while (_position < pattern.Length && (pattern[_position] != ']' || start))
            {
                start = false;
                char c = pattern[_position++];
                string singles;
                if (c == '\\')
                {
                    char escaped = pattern[_position++];
                    singles = ClassEscape(escaped) ?? escaped.ToString();
                }
                else if (Peek() == '-' && _position + 1 < pattern.Length && pattern[_position + 1] != ']')
                {
                    char last = pattern[_position + 1];
                    _position += 2;
                    singles = new string(Enumerable.Range(c, last - c + 1).Select(x => (char)x).ToArray());
                }
                else
                {
                    singles = c.ToString();
                }

                first ??= singles.Length > 0 ? singles[0] : null;
                members.UnionWith(singles);
            }

            Expect(']');
            if (!negated)
            {
                return first?.ToString() ?? throw new FormatException("An empty class.");
            }

            char? outside = Ordinary.Cast<char?>().FirstOrDefault(x => !members.Contains(x!.Value));
            return outside?.ToString() ?? throw new FormatException("A negated class that excludes every ordinary character.");
        }

        private (int Min, int? Max) Quantifier()
        {
            (int, int?) bounds;
            switch (Peek())
            {
                case '*':
                    _position++;
                    bounds = (0, null);
                    break;
                case '+':
                    _position++;
                    bounds = (1, null);
                    break;
                case '?':
                    _position++;
                    bounds = (0, 1);
                    break;
                case '{':
                    int close = pattern.IndexOf('}', _position);
                    string[] parts = pattern.Substring(_position + 1, close - _position - 1).Split(',');
                    _position = close + 1;
                    int min = int.Parse(parts[0], System.Globalization.CultureInfo.InvariantCulture);
                    bounds = parts.Length == 1 ? (min, min) : (min, parts[1].Length == 0 ? null : int.Parse(parts[1], System.Globalization.CultureInfo.InvariantCulture));
                    break;
                default:
                    return (1, 1);
            }

            // A lazy quantifier matches the same strings.
            if (Peek() == '?')
            {
                _position++;
            }

            return bounds;
        }

        private char? Peek() => _position < pattern.Length ? pattern[_position] : null;

        private void Expect(char c)
        {
            if (Peek() != c)
            {
                throw new FormatException($"Expected '{c}' at {_position}.");
            }

            _position++;
        }
    }
}
