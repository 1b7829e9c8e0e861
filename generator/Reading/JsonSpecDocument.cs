using System.Collections.Generic;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace Specgen.Generator.Reading;

/// <summary>A spec written as JSON. Positions are found on demand by scanning the text again.</summary>
internal sealed class JsonSpecDocument : SpecDocument
{
    private static readonly JsonDocumentOptions Options = new() { CommentHandling = JsonCommentHandling.Skip, AllowTrailingCommas = true, MaxDepth = 256 };

    private readonly string _text;
    private Dictionary<string, (int Line, int Column)>? _positions;

    private JsonSpecDocument(string path, JsonNode root, string text)
        : base(path, root) => _text = text;

    public static JsonSpecDocument Parse(string path, string text)
    {
        try
        {
            JsonNode? root = JsonNode.Parse(text, nodeOptions: null, documentOptions: Options);
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
        var reader = new Utf8JsonReader(utf8, new JsonReaderOptions { CommentHandling = JsonCommentHandling.Skip, AllowTrailingCommas = true, MaxDepth = 256 });

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
