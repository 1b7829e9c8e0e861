using System.Collections.Generic;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace Specgen.Generator.Reading;

/// <summary>A spec written as JSON. Positions are found on demand by scanning the text again.</summary>
internal sealed class JsonSpecDocument : SpecDocument
{
    // The check below has already enforced SpecLimits.MaxDepth; the parser's own limit is one above it so that it never fires first.
    private static readonly JsonDocumentOptions Options = new() { CommentHandling = JsonCommentHandling.Skip, AllowTrailingCommas = true, MaxDepth = SpecLimits.MaxDepth + 1 };

    private readonly string _text;
    private Dictionary<string, (int Line, int Column)>? _positions;

    private JsonSpecDocument(string path, JsonNode root, string text)
        : base(path, root) => _text = text;

    public static JsonSpecDocument Parse(string path, string text)
    {
        byte[] utf8 = Encoding.UTF8.GetBytes(text);
        Check(utf8);
        try
        {
            JsonNode? root = JsonNode.Parse(utf8, nodeOptions: null, documentOptions: Options);
            if (root is null)
            {
                throw new SpecReadException("the document is the JSON literal null", 0, 0);
            }

            return new JsonSpecDocument(path, root, text);
        }
        catch (JsonException ex)
        {
            throw new SpecReadException(ex.Message, (int)(ex.LineNumber ?? 0), (int)(ex.BytePositionInLine ?? 0));
        }
    }

    /// <summary>
    /// One pass of the reader over the whole text, before any node is built: the syntax, the
    /// nesting depth, and member names that repeat within one object. JSON leaves a repeated name
    /// to the reader's taste (RFC 8259 says names SHOULD be unique); one of the two members would
    /// be silently lost, or System.Text.Json would throw later, depending on its version.
    /// </summary>
    private static void Check(byte[] utf8)
    {
        var reader = new Utf8JsonReader(utf8, new JsonReaderOptions { CommentHandling = JsonCommentHandling.Skip, AllowTrailingCommas = true, MaxDepth = SpecLimits.MaxDepth + 1 });

        // One set of member names per open object (null for arrays), allocated on first use.
        var names = new Stack<HashSet<string>?>();
        try
        {
            while (reader.Read())
            {
                switch (reader.TokenType)
                {
                    case JsonTokenType.StartObject:
                    case JsonTokenType.StartArray:
                        if (reader.CurrentDepth >= SpecLimits.MaxDepth)
                        {
                            throw new SpecLimitException(SpecLimits.TooDeep(), LineOf(utf8, reader.TokenStartIndex), ColumnOf(utf8, reader.TokenStartIndex));
                        }

                        names.Push(reader.TokenType == JsonTokenType.StartObject ? new HashSet<string>(System.StringComparer.Ordinal) : null);
                        break;
                    case JsonTokenType.EndObject:
                    case JsonTokenType.EndArray:
                        names.Pop();
                        break;
                    case JsonTokenType.PropertyName:
                        string name = reader.GetString()!;
                        if (!names.Peek()!.Add(name))
                        {
                            throw new SpecReadException($"the member \"{name}\" appears twice in the same object", LineOf(utf8, reader.TokenStartIndex), ColumnOf(utf8, reader.TokenStartIndex));
                        }

                        break;
                }
            }
        }
        catch (JsonException ex)
        {
            throw new SpecReadException(ex.Message, (int)(ex.LineNumber ?? 0), (int)(ex.BytePositionInLine ?? 0));
        }
    }

    private static int LineOf(byte[] utf8, long offset)
    {
        int line = 0;
        for (long i = 0; i < offset; i++)
        {
            if (utf8[i] == (byte)'\n')
            {
                line++;
            }
        }

        return line;
    }

    private static int ColumnOf(byte[] utf8, long offset)
    {
        long start = offset;
        while (start > 0 && utf8[start - 1] != (byte)'\n')
        {
            start--;
        }

        return Encoding.UTF8.GetCharCount(utf8, (int)start, (int)(offset - start));
    }

    protected override bool TryLocate(string pointer, out int line, out int column)
    {
        _positions ??= IndexPositions(_text);
        bool found = _positions.TryGetValue(pointer, out (int Line, int Column) position);
        (line, column) = position;
        return found;
    }

    // Diagnostics are rare, so the pointer index is built only when the first one needs it.
    private static Dictionary<string, (int, int)> IndexPositions(string text)
    {
        byte[] utf8 = Encoding.UTF8.GetBytes(text);
        var lineStarts = new List<int> { 0 };
        for (int i = 0; i < utf8.Length; i++)
        {
            if (utf8[i] == (byte)'\n')
            {
                lineStarts.Add(i + 1);
            }
        }

        var positions = new Dictionary<string, (int, int)>();
        var reader = new Utf8JsonReader(utf8, new JsonReaderOptions { CommentHandling = JsonCommentHandling.Skip, AllowTrailingCommas = true, MaxDepth = SpecLimits.MaxDepth + 1 });

        // One frame per open object or array: the pointer of the container and, for arrays, the
        // index the next item will have.
        var frames = new Stack<(string Pointer, int NextIndex)>();
        string? pendingName = null;
        while (reader.Read())
        {
            if (reader.TokenType == JsonTokenType.PropertyName)
            {
                pendingName = reader.GetString();
                continue;
            }

            if (reader.TokenType is JsonTokenType.EndObject or JsonTokenType.EndArray)
            {
                frames.Pop();
                continue;
            }

            string pointer;
            if (frames.Count == 0)
            {
                pointer = string.Empty;
            }
            else if (pendingName is not null)
            {
                pointer = frames.Peek().Pointer + "/" + Escape(pendingName);
            }
            else
            {
                (string parent, int index) = frames.Pop();
                frames.Push((parent, index + 1));
                pointer = parent + "/" + index.ToString(System.Globalization.CultureInfo.InvariantCulture);
            }

            pendingName = null;
            int offset = (int)reader.TokenStartIndex;
            int line = FindLine(lineStarts, offset);
            positions[pointer] = (line, offset - lineStarts[line]);
            if (reader.TokenType is JsonTokenType.StartObject or JsonTokenType.StartArray)
            {
                frames.Push((pointer, 0));
            }
        }

        return positions;
    }

    private static string Escape(string segment) => segment.Replace("~", "~0").Replace("/", "~1");

    private static int FindLine(List<int> lineStarts, int offset)
    {
        int index = lineStarts.BinarySearch(offset);
        return index >= 0 ? index : ~index - 1;
    }
}
