using System;
using System.Collections.Generic;
using System.Runtime.CompilerServices;
using System.Text;
using System.Text.Json.Nodes;

namespace Specgen.Generator.Reading;

/// <summary>
/// Reads the YAML that specs are written in, without YamlDotNet: block mappings and sequences,
/// plain, quoted, literal and folded scalars, and flow collections. It declines (returns null)
/// anything else (anchors, aliases, tags, merge keys, explicit keys, directives, tabs used as
/// indentation, indentation indicators, a nested sequence on one line, a folded scalar with
/// more-indented lines, a duplicate key) and every text that is not valid YAML; YamlDotNet then
/// reads the text as before, and it is the one that locates an error.
/// </summary>
/// <remarks>
/// Why a second reader: in a compiler's first run YamlDotNet's scanner runs as unoptimized tier-0
/// code, and reading the OpenAI document took about six times as long as in a warm process (336
/// against 51 ms for the parse alone). This reader's loops are compiled fully optimized at once.
/// What it accepts it must read exactly as YamlDotNet and <see cref="YamlSpecDocument"/>'s builder
/// do; the tests compare the two trees on every YAML document of the corpus and on thousands of
/// mutated texts.
/// </remarks>
internal sealed class CommonYamlReader
{
    private readonly string _text;

    // The start of the first line not read yet.
    private int _next;
    private int _depth;

    // Where prose is taken out of the text (null: nowhere), and how many of the
    // mappings being read are values of a key whose strings are data rather than prose.
    private readonly Prose? _prose;
    private int _notProse;

    // Whether the tree is built. Taking the prose out needs only the reading (what it accepts and
    // declines, and the strings of descriptions), not the tree: a scan builds no mapping or
    // sequence and checks keys for duplicates in one reused set per depth instead.
    private readonly bool _build;
    private readonly List<HashSet<string>> _keys = new();

    private CommonYamlReader(string text, Prose? prose, bool build)
    {
        _text = text;
        _prose = prose;
        _build = build;
    }

    /// <summary>
    /// The document's tree, or null when the text is outside what this reader reads. With
    /// <paramref name="prose"/>, each description and summary is also taken out of the text (see <see cref="Prose"/>).
    /// </summary>
    public static JsonNode? TryRead(string text, Prose? prose = null) => Read(text, prose, build: true, out JsonNode? root) ? root : null;

    /// <summary>
    /// Whether the text is inside what this reader reads (exactly when <see cref="TryRead"/> gives
    /// a tree), taking each description and summary out of it into <paramref name="prose"/>, without building the tree.
    /// </summary>
    public static bool TryScan(string text, Prose prose) => Read(text, prose, build: false, out _);

    private static bool Read(string text, Prose? prose, bool build, out JsonNode? root)
    {
        root = null;
        if (!HasOnlyPlainCharacters(text))
        {
            return false;
        }

        try
        {
            root = new CommonYamlReader(text, prose, build).ReadDocument();
            return true;
        }
        catch (Exception ex) when (ex is DeclinedException or IndexOutOfRangeException or ArgumentOutOfRangeException)
        {
            // Out of range: the text ended inside something it opened.
            return false;
        }
    }

    /// <summary>No control character but tab and line breaks, no lone CR, no NEL, LS or PS (line breaks in YAML 1.1), no lone surrogate.</summary>
    [MethodImpl(JitOptions.Optimized)]
    private static bool HasOnlyPlainCharacters(string text)
    {
        for (int i = 0; i < text.Length; i++)
        {
            char c = text[i];
            if (c >= ' ' && c < '\u007F')
            {
                continue;
            }

            switch (c)
            {
                case '\n':
                case '\t':
                    continue;
                case '\r' when i + 1 < text.Length && text[i + 1] == '\n':
                    continue;
                case >= '\uD800' and <= '\uDBFF' when i + 1 < text.Length && char.IsLowSurrogate(text[i + 1]):
                    i++;
                    continue;
            }

            if (c < '\u00A0' || c is '\u2028' or '\u2029' or '\uFEFF' or '\uFFFE' or '\uFFFF' || char.IsSurrogate(c))
            {
                return false;
            }
        }

        return true;
    }

    private JsonNode? ReadDocument()
    {
        int line = SkipBlankLines(0, markers: true);
        if (line < _text.Length && StartsMarker(line, '-'))
        {
            int after = line + 3;
            if (!IsRestBlank(after, ContentEnd(line)))
            {
                throw Decline();
            }

            line = SkipBlankLines(NextLine(line));
        }

        if (line >= _text.Length || Indent(line) != 0)
        {
            throw Decline();
        }

        JsonObject? root = ReadMapping(0, line);
        if (SkipBlankLines(_next) < _text.Length)
        {
            throw Decline();
        }

        return root;
    }

    /// <summary>A block mapping whose first key starts at <paramref name="keyAt"/>, in column <paramref name="indent"/>.</summary>
    [MethodImpl(JitOptions.Optimized)]
    private JsonObject? ReadMapping(int indent, int keyAt)
    {
        Enter();
        JsonObject? mapping = _build ? new JsonObject() : null;
        HashSet<string>? keys = _build ? null : KeysAtDepth();
        while (true)
        {
            int lineStart = LineStart(keyAt);
            int end = ContentEnd(lineStart);
            if (ReadKey(keyAt, end, out int afterColon) is not { } key || key == "<<" || (mapping is not null ? mapping.ContainsKey(key) : !keys!.Add(key)))
            {
                throw Decline();
            }

            bool data = _prose is not null && Prose.HoldsData(key);
            _notProse += data ? 1 : 0;
            JsonNode? value = ReadValue(afterColon, end, indent, inMapping: true);
            _notProse -= data ? 1 : 0;
            if (_prose is not null && _notProse == 0 && Prose.IsProseKey(key) && value is JsonValue text && text.TryGetValue(out string? words))
            {
                _prose.Take(words, afterColon, _next);
            }

            mapping?.Add(key, value);
            int line = SkipBlankLines(_next);
            _next = line;
            if (line >= _text.Length)
            {
                break;
            }

            int lineIndent = Indent(line);
            if (lineIndent < indent)
            {
                break;
            }

            if (lineIndent > indent)
            {
                throw Decline();
            }

            keyAt = line + lineIndent;
        }

        _depth--;
        return mapping;
    }

    /// <summary>A block sequence whose entries start in column <paramref name="indent"/>, the first on the line at <paramref name="line"/>.</summary>
    [MethodImpl(JitOptions.Optimized)]
    private JsonArray? ReadSequence(int indent, int line)
    {
        Enter();
        JsonArray? sequence = _build ? new JsonArray() : null;
        while (true)
        {
            int end = ContentEnd(line);
            int at = line + indent + 1;
            if (IsRestBlank(at, end))
            {
                JsonNode? below = ReadNodeBelow(NextLine(line), indent, inMapping: false);
                sequence?.Add(below);
            }
            else
            {
                int content = SkipSpaces(at, end);
                JsonNode? entry = IsSequenceEntry(content, end)
                    ? ReadSequence(content - line, line)
                    : ReadKey(content, end, out _) is not null
                    ? ReadMapping(content - line, content)
                    : ReadValue(at, end, indent, inMapping: false);
                sequence?.Add(entry);
            }

            line = SkipBlankLines(_next);
            _next = line;
            if (line >= _text.Length)
            {
                break;
            }

            int lineIndent = Indent(line);
            if (lineIndent < indent || (lineIndent == indent && !IsSequenceEntry(line + indent, ContentEnd(line))))
            {
                break;
            }

            if (lineIndent > indent)
            {
                throw Decline();
            }
        }

        _depth--;
        return sequence;
    }

    /// <summary>
    /// The value after a key's colon or a sequence entry's dash, at <paramref name="from"/> on a line
    /// ending at <paramref name="end"/>, in a collection indented by <paramref name="indent"/>.
    /// </summary>
    [MethodImpl(JitOptions.Optimized)]
    private JsonNode? ReadValue(int from, int end, int indent, bool inMapping)
    {
        int at = SkipSpaces(from, end);
        if (at >= end || (_text[at] == '#' && at > from))
        {
            return ReadNodeBelow(NextLine(LineStart(from)), indent, inMapping);
        }

        return ReadScalarOrFlow(at, end, indent, inMapping);
    }

    /// <summary>A node that starts on its own line at or after <paramref name="line"/>, or null when the value is empty.</summary>
    private JsonNode? ReadNodeBelow(int line, int indent, bool inMapping)
    {
        line = SkipBlankLines(line);
        _next = line;
        if (line >= _text.Length)
        {
            return null;
        }

        int lineIndent = Indent(line);
        int end = ContentEnd(line);
        int at = line + lineIndent;
        if (lineIndent == indent && inMapping && IsSequenceEntry(at, end))
        {
            // A sequence may sit at its key's own indentation.
            return ReadSequence(indent, line);
        }

        if (lineIndent <= indent)
        {
            return null;
        }

        if (IsSequenceEntry(at, end))
        {
            return ReadSequence(lineIndent, line);
        }

        if (ReadKey(at, end, out _) is not null)
        {
            return ReadMapping(lineIndent, at);
        }

        if (_text[at] is '|' or '>')
        {
            throw Decline();
        }

        return ReadScalarOrFlow(at, end, indent, inMapping: false);
    }

    [MethodImpl(JitOptions.Optimized)]
    private JsonNode? ReadScalarOrFlow(int at, int end, int indent, bool inMapping)
    {
        char first = _text[at];
        switch (first)
        {
            case '|':
            case '>':
                return JsonValue.Create(ReadBlockScalar(at, end, indent, inMapping));
            case '"':
            case '\'':
            {
                string value = ReadQuoted(ref at, indent);
                EndOfValueLine(at);
                return JsonValue.Create(value);
            }

            case '[':
            case '{':
            {
                JsonNode? flow = ReadFlowNode(ref at, indent);
                EndOfValueLine(at);
                return flow;
            }
        }

        if (!CanStartPlain(at, end))
        {
            throw Decline();
        }

        return YamlSpecDocument.ScalarNode(ReadPlain(at, end, indent), plain: true);
    }

    /// <summary>After a quoted scalar or a flow collection: nothing but a comment may follow on its line.</summary>
    private void EndOfValueLine(int at)
    {
        int lineStart = LineStart(at);
        int end = ContentEnd(lineStart);
        int rest = SkipSpaces(at, end);
        if (rest < end && !(_text[rest] == '#' && rest > at))
        {
            throw Decline();
        }

        _next = NextLine(lineStart);
    }

    /// <summary>
    /// The key of a mapping entry at <paramref name="at"/> (plain, or quoted on one line) and the
    /// place after its colon, or null when the line is not a mapping entry.
    /// </summary>
    [MethodImpl(JitOptions.Optimized)]
    private string? ReadKey(int at, int end, out int afterColon)
    {
        afterColon = -1;
        if (at >= end)
        {
            return null;
        }

        char first = _text[at];
        if (first is '"' or '\'')
        {
            if (!ClosesOnItsLine(at, end))
            {
                return null;
            }

            int close = at;
            string key = ReadQuoted(ref close, int.MaxValue - 1);
            int colon = SkipSpaces(close, end);
            if (close > end || colon >= end || _text[colon] != ':' || !(colon + 1 >= end || _text[colon + 1] == ' '))
            {
                return null;
            }

            afterColon = colon + 1;
            return key;
        }

        if (!CanStartPlain(at, end))
        {
            return null;
        }

        for (int i = at; i < end; i++)
        {
            char c = _text[i];
            if (c == ':' && (i + 1 >= end || _text[i + 1] == ' '))
            {
                int last = i;
                while (last > at && _text[last - 1] == ' ')
                {
                    last--;
                }

                if (last - at > 1024)
                {
                    throw Decline();
                }

                afterColon = i + 1;
                return _text.Substring(at, last - at);
            }

            if (c == '\t' || (c == '#' && _text[i - 1] == ' '))
            {
                return null;
            }
        }

        return null;
    }

    /// <summary>Whether the quoted scalar starting at <paramref name="at"/> ends before <paramref name="end"/>, the end of its line.</summary>
    private bool ClosesOnItsLine(int at, int end)
    {
        char quote = _text[at];
        for (int i = at + 1; i < end; i++)
        {
            if (_text[i] == '\\' && quote == '"')
            {
                i++;
            }
            else if (_text[i] == quote)
            {
                if (quote == '\'' && i + 1 < end && _text[i + 1] == '\'')
                {
                    i++;
                    continue;
                }

                return true;
            }
        }

        return false;
    }

    /// <summary>A plain scalar in a block collection, with its continuation lines folded.</summary>
    [MethodImpl(JitOptions.Optimized)]
    private string ReadPlain(int at, int end, int indent)
    {
        int valueEnd = PlainLineEnd(at, end, out bool comment);
        string first = _text.Substring(at, valueEnd - at);
        _next = NextLine(LineStart(at));
        if (comment)
        {
            return first;
        }

        StringBuilder? folded = null;
        int line = _next;
        int emptyLines = 0;
        while (line < _text.Length)
        {
            int lineEnd = ContentEnd(line);
            int lineIndent = Indent(line);
            int content = line + lineIndent;
            if (content >= lineEnd)
            {
                emptyLines++;
                line = NextLine(line);
                continue;
            }

            if (lineIndent <= indent || _text[content] is '#' or ':')
            {
                // A comment ends the scalar; a colon would be a mapping's, which YAML does not allow here.
                break;
            }

            int contentEnd = PlainLineEnd(content, lineEnd, out comment);
            folded ??= new StringBuilder(first);
            if (emptyLines == 0)
            {
                folded.Append(' ');
            }
            else
            {
                folded.Append('\n', emptyLines);
            }

            folded.Append(_text, content, contentEnd - content);
            emptyLines = 0;
            line = NextLine(line);
            _next = line;
            if (comment)
            {
                break;
            }
        }

        return folded?.ToString() ?? first;
    }

    /// <summary>Where a line of a plain scalar ends (trailing spaces and a comment left out); declines a colon that would start a mapping.</summary>
    [MethodImpl(JitOptions.Optimized)]
    private int PlainLineEnd(int at, int end, out bool comment)
    {
        comment = false;
        int last = at;
        for (int i = at; i < end; i++)
        {
            char c = _text[i];
            if (c == ' ')
            {
                continue;
            }

            if (c == '\t')
            {
                throw Decline();
            }

            if (c == '#' && i > at && _text[i - 1] == ' ')
            {
                comment = true;
                break;
            }

            if (c == ':' && (i + 1 >= end || _text[i + 1] == ' '))
            {
                throw Decline();
            }

            last = i + 1;
        }

        return last;
    }

    /// <summary>
    /// A literal or folded block scalar whose header is at <paramref name="at"/>, in a collection
    /// indented by <paramref name="indent"/>: a mapping's, when <paramref name="inMapping"/>, which an
    /// indentation indicator counts from.
    /// </summary>
    [MethodImpl(JitOptions.Optimized)]
    private string ReadBlockScalar(int at, int end, int indent, bool inMapping)
    {
        bool literal = _text[at] == '|';
        char chomping = ' ';
        int given = 0;
        int i = at + 1;
        for (int indicators = 0; indicators < 2 && i < end; indicators++, i++)
        {
            if (_text[i] is '+' or '-' && chomping == ' ')
            {
                chomping = _text[i];
            }
            else if (_text[i] is >= '1' and <= '9' && given == 0 && inMapping)
            {
                given = _text[i] - '0';
            }
            else
            {
                break;
            }
        }

        if (i < end && _text[i] != ' ')
        {
            // Anything else glued to the header (an indentation indicator in a sequence, too).
            throw Decline();
        }

        int headerLine = LineStart(at);
        if (!IsRestBlank(i, end) || ContentEnd(headerLine) >= _text.Length)
        {
            throw Decline();
        }

        // Leading empty lines, then the first content line sets the indentation.
        int line = NextLine(headerLine);
        int leadingEmpty = 0;
        int widestEmpty = 0;
        int contentIndent = -1;
        while (line < _text.Length)
        {
            int lineIndent = Indent(line);
            if (line + lineIndent < ContentEnd(line))
            {
                if (given > 0 && lineIndent > indent && lineIndent < indent + given)
                {
                    throw Decline();
                }

                contentIndent = lineIndent <= indent ? -1 : given > 0 ? indent + given : lineIndent;
                break;
            }

            widestEmpty = Math.Max(widestEmpty, ContentEnd(line) - line);
            leadingEmpty++;
            line = NextLine(line);
        }

        if (contentIndent < 0)
        {
            // No content: only line breaks, which the chomping keeps or drops.
            _next = line;
            return chomping == '+' ? new string('\n', leadingEmpty) : string.Empty;
        }

        if (widestEmpty > contentIndent)
        {
            throw Decline();
        }

        var value = new StringBuilder();
        value.Append('\n', leadingEmpty);
        int emptyLines = 0;
        bool anyContent = false;
        bool previousSpaced = false;
        while (line < _text.Length)
        {
            int lineEnd = ContentEnd(line);
            int lineIndent = Indent(line);
            if (line + lineIndent >= lineEnd && lineEnd - line <= contentIndent)
            {
                // Spaces beyond the indentation on an otherwise empty line would be content.
                emptyLines++;
                line = NextLine(line);
                continue;
            }

            if (lineIndent < contentIndent)
            {
                if (lineIndent > indent)
                {
                    throw Decline();
                }

                break;
            }

            if (lineEnd >= _text.Length || _text.IndexOf('\t', line, contentIndent) >= 0)
            {
                throw Decline();
            }

            // A folded scalar folds the line break between two lines that do not start with a
            // space into a space (or drops it before empty lines); every other break is kept.
            bool spaced = lineIndent > contentIndent;
            if (anyContent)
            {
                if (literal || spaced || previousSpaced)
                {
                    value.Append('\n', emptyLines + 1);
                }
                else if (emptyLines > 0)
                {
                    value.Append('\n', emptyLines);
                }
                else
                {
                    value.Append(' ');
                }
            }

            value.Append(_text, line + contentIndent, lineEnd - line - contentIndent);
            anyContent = true;
            previousSpaced = spaced;
            emptyLines = 0;
            line = NextLine(line);
        }

        _next = line;
        if (chomping != '-')
        {
            value.Append('\n');
        }

        if (chomping == '+')
        {
            value.Append('\n', emptyLines);
        }

        return value.ToString();
    }

    /// <summary>A single- or double-quoted scalar starting at <paramref name="at"/>; <paramref name="at"/> ends after its closing quote.</summary>
    [MethodImpl(JitOptions.Optimized)]
    private string ReadQuoted(ref int at, int indent)
    {
        char quote = _text[at];
        var value = new StringBuilder();
        int kept = 0;
        int i = at + 1;
        while (true)
        {
            if (i >= _text.Length)
            {
                throw Decline();
            }

            char c = _text[i];
            if (c == quote)
            {
                if (quote == '\'' && i + 1 < _text.Length && _text[i + 1] == '\'')
                {
                    value.Append('\'');
                    kept = value.Length;
                    i += 2;
                    continue;
                }

                at = i + 1;
                return value.ToString();
            }

            if (c is '\n' or '\r')
            {
                // Folding: trailing spaces go, a line break is a space, each empty line a line break.
                value.Length = kept;
                i = FoldLines(i, indent, value, escaped: false);
                kept = value.Length;
                continue;
            }

            if (c == '\\' && quote == '"')
            {
                if (i + 1 < _text.Length && _text[i + 1] is '\n' or '\r')
                {
                    // An escaped line break joins the lines without a space; empty lines still count.
                    kept = value.Length;
                    i = FoldLines(i + 1, indent, value, escaped: true);
                    kept = value.Length;
                    continue;
                }

                i = ReadEscape(i + 1, value);
                kept = value.Length;
                continue;
            }

            value.Append(c);
            if (c is not (' ' or '\t'))
            {
                kept = value.Length;
            }

            i++;
        }
    }

    /// <summary>
    /// The line break at <paramref name="at"/> inside a quoted scalar, the empty lines after it and
    /// the next line's indentation (which must be deeper than <paramref name="indent"/>): a space, or
    /// a line break per empty line; nothing for the break itself when a backslash escaped it.
    /// Returns where the next line's content starts.
    /// </summary>
    [MethodImpl(JitOptions.Optimized)]
    private int FoldLines(int at, int indent, StringBuilder value, bool escaped)
    {
        int emptyLines = 0;
        int line = NextLine(LineStart(at));
        while (true)
        {
            if (line >= _text.Length)
            {
                throw Decline();
            }

            int lineIndent = Indent(line);
            if (line + lineIndent < ContentEnd(line))
            {
                if (lineIndent <= indent || StartsMarker(line, '-') || StartsMarker(line, '.'))
                {
                    throw Decline();
                }

                if (emptyLines > 0)
                {
                    value.Append('\n', emptyLines);
                }
                else if (!escaped)
                {
                    value.Append(' ');
                }

                return line + lineIndent;
            }

            emptyLines++;
            line = NextLine(line);
        }
    }

    /// <summary>The escape after a backslash at <paramref name="at"/>; where reading goes on.</summary>
    private int ReadEscape(int at, StringBuilder value)
    {
        if (at >= _text.Length)
        {
            throw Decline();
        }

        char c = _text[at];
        switch (c)
        {
            case '0': value.Append('\0'); return at + 1;
            case 'a': value.Append('\a'); return at + 1;
            case 'b': value.Append('\b'); return at + 1;
            case 't': value.Append('\t'); return at + 1;
            case '\t': value.Append('\t'); return at + 1;
            case 'n': value.Append('\n'); return at + 1;
            case 'v': value.Append('\v'); return at + 1;
            case 'f': value.Append('\f'); return at + 1;
            case 'r': value.Append('\r'); return at + 1;
            case 'e': value.Append('\u001B'); return at + 1;
            case ' ': value.Append(' '); return at + 1;
            case '"': value.Append('"'); return at + 1;
            case '/': value.Append('/'); return at + 1;
            case '\\': value.Append('\\'); return at + 1;
            case 'N': value.Append('\u0085'); return at + 1;
            case '_': value.Append('\u00A0'); return at + 1;
            case 'L': value.Append('\u2028'); return at + 1;
            case 'P': value.Append('\u2029'); return at + 1;
            case 'x': return AppendCodePoint(at + 1, 2, value);
            case 'u': return AppendCodePoint(at + 1, 4, value);
            case 'U': return AppendCodePoint(at + 1, 8, value);
            default:
                // An escaped line break, or an escape YAML does not have.
                throw Decline();
        }
    }

    private int AppendCodePoint(int at, int digits, StringBuilder value)
    {
        if (at + digits > _text.Length)
        {
            throw Decline();
        }

        int code = 0;
        for (int i = at; i < at + digits; i++)
        {
            char c = _text[i];
            int digit = c >= '0' && c <= '9' ? c - '0' : c >= 'a' && c <= 'f' ? c - 'a' + 10 : c >= 'A' && c <= 'F' ? c - 'A' + 10 : -1;
            if (digit < 0)
            {
                throw Decline();
            }

            code = (code * 16) + digit;
        }

        if (code > 0x10FFFF || (code >= 0xD800 && code <= 0xDFFF))
        {
            throw Decline();
        }

        value.Append(char.ConvertFromUtf32(code));
        return at + digits;
    }

    /// <summary>A node inside a flow collection (or the collection itself) at <paramref name="at"/>; <paramref name="at"/> ends after it.</summary>
    [MethodImpl(JitOptions.Optimized)]
    private JsonNode? ReadFlowNode(ref int at, int indent)
    {
        char c = _text[at];
        if (c == '[')
        {
            JsonArray? sequence = _build ? new JsonArray() : null;
            for (bool more = OpenFlow(ref at, indent, ']'); more; more = NextFlowEntry(ref at, indent, ']'))
            {
                JsonNode? entry = ReadFlowNode(ref at, indent);
                sequence?.Add(entry);
            }

            return sequence;
        }

        if (c == '{')
        {
            JsonObject? mapping = _build ? new JsonObject() : null;

            // Flow mappings are few and small: a scan gives each its own set.
            HashSet<string>? keys = _build ? null : new(StringComparer.Ordinal);
            for (bool more = OpenFlow(ref at, indent, '}'); more; more = NextFlowEntry(ref at, indent, '}'))
            {
                bool quotedKey = _text[at] is '"' or '\'';
                string key = quotedKey ? ReadQuoted(ref at, indent) : ReadFlowPlain(ref at, inMapping: true);
                if (key == "<<" || (mapping is not null ? mapping.ContainsKey(key) : !keys!.Add(key)))
                {
                    throw Decline();
                }

                at = SkipFlowSpace(at, indent);
                if (_text[at] != ':' || !(quotedKey || _text[at + 1] is ' ' or '\n' or '\r'))
                {
                    throw Decline();
                }

                at = SkipFlowSpace(at + 1, indent);
                JsonNode? value = _text[at] is ',' or '}' ? null : ReadFlowNode(ref at, indent);
                mapping?.Add(key, value);
            }

            return mapping;
        }

        if (c is '"' or '\'')
        {
            return JsonValue.Create(ReadQuoted(ref at, indent));
        }

        return YamlSpecDocument.ScalarNode(ReadFlowPlain(ref at, inMapping: false), plain: true);
    }

    /// <summary>After the opening bracket at <paramref name="at"/>: whether an entry follows (else the collection is empty and closed).</summary>
    private bool OpenFlow(ref int at, int indent, char close)
    {
        Enter();
        at = SkipFlowSpace(at + 1, indent);
        return !CloseFlow(ref at, close);
    }

    /// <summary>After an entry: whether another follows a comma (else the collection is closed).</summary>
    private bool NextFlowEntry(ref int at, int indent, char close)
    {
        at = SkipFlowSpace(at, indent);
        if (CloseFlow(ref at, close))
        {
            return false;
        }

        if (_text[at] != ',')
        {
            throw Decline();
        }

        at = SkipFlowSpace(at + 1, indent);
        if (_text[at] == close || _text[at] == ',')
        {
            // An empty entry, or a trailing comma: valid YAML, not read here.
            throw Decline();
        }

        return true;
    }

    private bool CloseFlow(ref int at, char close)
    {
        if (_text[at] != close)
        {
            return false;
        }

        at++;
        _depth--;
        return true;
    }

    /// <summary>A plain scalar inside a flow collection, on one line.</summary>
    [MethodImpl(JitOptions.Optimized)]
    private string ReadFlowPlain(ref int at, bool inMapping)
    {
        int start = at;
        int end = ContentEnd(LineStart(at));
        if (start >= end || IsIndicator(_text[start]))
        {
            throw Decline();
        }

        int last = start;
        int i = start;
        for (; i < end; i++)
        {
            char c = _text[i];
            if (c is ',' or '[' or ']' or '{' or '}')
            {
                break;
            }

            if (c == ':' && (i + 1 >= end || _text[i + 1] is ' ' or ',' or '[' or ']' or '{' or '}'))
            {
                if (!inMapping)
                {
                    throw Decline();
                }

                break;
            }

            if (c == '\t' || (c == '#' && _text[i - 1] == ' '))
            {
                throw Decline();
            }

            if (c != ' ')
            {
                last = i + 1;
            }
        }

        // A plain scalar that goes on to the next line would be folded: not read here.
        if (i >= end)
        {
            int after = SkipFlowSpace(i, int.MaxValue - 1);
            if (_text[after] is not (',' or ']' or '}' or ':'))
            {
                throw Decline();
            }
        }

        at = last;
        return _text.Substring(start, last - start);
    }

    /// <summary>Spaces and line breaks inside a flow collection; a following line must be indented deeper than <paramref name="indent"/>.</summary>
    [MethodImpl(JitOptions.Optimized)]
    private int SkipFlowSpace(int at, int indent)
    {
        while (true)
        {
            if (at >= _text.Length)
            {
                throw Decline();
            }

            char c = _text[at];
            if (c == ' ')
            {
                at++;
                continue;
            }

            if (c is '\n' or '\r')
            {
                int line = NextLine(LineStart(at));
                if (line >= _text.Length)
                {
                    throw Decline();
                }

                int lineIndent = Indent(line);
                if (line + lineIndent < ContentEnd(line) && lineIndent <= indent)
                {
                    throw Decline();
                }

                at = line + lineIndent;
                continue;
            }

            if (c is '#' or '\t')
            {
                throw Decline();
            }

            return at;
        }
    }

    private static bool IsIndicator(char c) =>
        c is '-' or '?' or ':' or ',' or '[' or ']' or '{' or '}' or '#' or '&' or '*' or '!' or '|' or '>' or '\'' or '"' or '%' or '@' or '`';

    /// <summary>Whether a plain scalar may start at <paramref name="at"/>: no indicator, except <c>-</c> before a character that is not a space (<c>-1</c>).</summary>
    private bool CanStartPlain(int at, int end)
    {
        char c = _text[at];
        if (!IsIndicator(c))
        {
            return c != '\t';
        }

        return c == '-' && at + 1 < end && _text[at + 1] is not (' ' or '-');
    }

    private bool IsSequenceEntry(int at, int end) => at < end && _text[at] == '-' && (at + 1 >= end || _text[at + 1] == ' ');

    /// <summary>Whether the line at <paramref name="line"/> starts with <c>---</c> or <c>...</c> (per <paramref name="c"/>) as a document marker.</summary>
    private bool StartsMarker(int line, char c)
    {
        int end = ContentEnd(line);
        return line + 3 <= end && _text[line] == c && _text[line + 1] == c && _text[line + 2] == c && (line + 3 == end || _text[line + 3] == ' ');
    }

    /// <summary>The set a scan checks the keys of the block mapping at the current depth in, emptied.</summary>
    private HashSet<string> KeysAtDepth()
    {
        while (_keys.Count <= _depth)
        {
            _keys.Add(new HashSet<string>(StringComparer.Ordinal));
        }

        HashSet<string> keys = _keys[_depth];
        keys.Clear();
        return keys;
    }

    private void Enter()
    {
        if (++_depth > SpecLimits.MaxDepth)
        {
            throw Decline();
        }
    }

    /// <summary>The first line at or after <paramref name="line"/> that is neither empty nor a comment (the text's length when none).</summary>
    /// <remarks>A document marker (<c>---</c>, <c>...</c>) declines the text, unless <paramref name="markers"/> lets the caller look at it.</remarks>
    [MethodImpl(JitOptions.Optimized)]
    private int SkipBlankLines(int line, bool markers = false)
    {
        while (line < _text.Length)
        {
            int end = ContentEnd(line);
            int content = line + Indent(line);
            if (content < end && _text[content] != '#')
            {
                if (!markers && content == line && (StartsMarker(line, '-') || StartsMarker(line, '.')))
                {
                    throw Decline();
                }

                return line;
            }

            line = NextLine(line);
        }

        return _text.Length;
    }

    /// <summary>Whether only spaces and a comment follow <paramref name="at"/> on its line.</summary>
    private bool IsRestBlank(int at, int end)
    {
        int rest = SkipSpaces(at, end);
        return rest >= end || (_text[rest] == '#' && rest > at);
    }

    private int SkipSpaces(int at, int end)
    {
        while (at < end && _text[at] == ' ')
        {
            at++;
        }

        if (at < end && _text[at] == '\t')
        {
            throw Decline();
        }

        return at;
    }

    /// <summary>The spaces a line starts with; a tab in them declines the text.</summary>
    [MethodImpl(JitOptions.Optimized)]
    private int Indent(int line)
    {
        int i = line;
        while (i < _text.Length && _text[i] == ' ')
        {
            i++;
        }

        if (i < _text.Length && _text[i] == '\t')
        {
            throw Decline();
        }

        return i - line;
    }

    private int LineStart(int at) => at == 0 ? 0 : _text.LastIndexOf('\n', at - 1) + 1;

    /// <summary>Where the content of the line at <paramref name="line"/> ends: at its line break (a CR LF's CR).</summary>
    private int ContentEnd(int line)
    {
        int end = _text.IndexOf('\n', line);
        if (end < 0)
        {
            return _text.Length;
        }

        return end > line && _text[end - 1] == '\r' ? end - 1 : end;
    }

    private int NextLine(int line)
    {
        int end = _text.IndexOf('\n', line);
        return end < 0 ? _text.Length : end + 1;
    }

    private static DeclinedException Decline() => new();

    /// <summary>The text is outside what this reader reads.</summary>
    private sealed class DeclinedException : Exception
    {
    }
}
