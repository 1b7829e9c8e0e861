using System;
using System.Runtime.CompilerServices;
using System.Collections.Generic;
using System.Globalization;
using System.Linq;
using System.Text.Json.Nodes;
using YamlDotNet.Core;
using YamlDotNet.Core.Events;

namespace Specgen.Generator.Reading;

/// <summary>
/// A spec written as YAML, turned into JSON nodes by <see cref="CommonYamlReader"/> or, for what it
/// declines, straight from YamlDotNet's event stream (no intermediate representation model).
/// Scalars follow the YAML 1.2 core schema: plain <c>true</c>/<c>false</c>, <c>null</c>/<c>~</c>/empty
/// and numbers become JSON literals, every quoted or block scalar stays a string.
/// </summary>
internal sealed class YamlSpecDocument : SpecDocument
{
    // A search of the text reads up to the whole text; past this many, a document with many
    // diagnostics is cheaper to parse again with marks.
    private const int MaxSearches = 64;

    // The text as written, and the rewrites of its blank block scalars made as it is parsed
    // (which leave every line and every position of a node where it was). Positions are
    // not recorded while reading: a mark per mapping and sequence cost a dictionary entry for
    // every container of every document, for the few that a diagnostic names. They are found in
    // the text on demand (YamlPositions); only where the lines alone cannot tell, or when many
    // places are asked for, is the text parsed again with marks.
    private readonly string _text;
    private List<BlankBlockScalars.Rewrite>? _rewrites;
    private bool _rewritesFound;
    private YamlPositions? _positions;
    private Dictionary<JsonNode, Mark>? _marks;
    private int _searches;

    private YamlSpecDocument(string path, JsonNode root, string text, List<BlankBlockScalars.Rewrite>? rewrites)
        : base(path, root)
    {
        _text = text;
        _rewrites = rewrites;
        _rewritesFound = true;
    }

    public static YamlSpecDocument Parse(string path, string text)
    {
        if (CommonYamlReader.TryRead(text) is { } common)
        {
            // Read without YamlDotNet; its blank block scalars are looked for only if the text is
            // ever parsed again with marks.
            return new YamlSpecDocument(path, common, text, null) { _rewritesFound = false };
        }

        return ParseWithYamlDotNet(path, text);
    }

    /// <summary>Reads the text with YamlDotNet: every text <see cref="CommonYamlReader"/> declines, and every error.</summary>
    internal static YamlSpecDocument ParseWithYamlDotNet(string path, string text)
    {
        if (BlankBlockScalars.Find(text) is not { } rewrites)
        {
            return new YamlSpecDocument(path, ReadRoot(text, null), text, null);
        }

        try
        {
            return new YamlSpecDocument(path, ReadRoot(text, rewrites), text, rewrites);
        }
        catch (MisplacedRewriteException)
        {
            // Something that looked like a blank block scalar was not one: the text as written is
            // the one to read.
            return new YamlSpecDocument(path, ReadRoot(text, null), text, null);
        }
        catch (SpecReadException ex) when (ex is not SpecLimitException)
        {
            // An error elsewhere in the document, most likely; the text as written fails too
            // (YamlDotNet's complaint about the blank block scalar is no help), unless a rewrite
            // in the wrong place made the error.
            try
            {
                return new YamlSpecDocument(path, ReadRoot(text, null), text, null);
            }
            catch (SpecReadException original) when (original is not SpecLimitException)
            {
                throw new SpecReadException(ex.Message, ex.Line, ex.Column);
            }
        }
    }

    /// <summary>
    /// Parses the text again with marks now, as <see cref="TryLocate"/> does after
    /// <see cref="MaxSearches"/> searches, so that a test can compare the two ways of finding a place.
    /// </summary>
    internal void UseMarks() => _marks ??= RecordMarks();

    /// <param name="rewrites">What <see cref="BlankBlockScalars"/> found to rewrite in <paramref name="text"/> (null when nothing).</param>
    private static JsonNode ReadRoot(string text, List<BlankBlockScalars.Rewrite>? rewrites)
    {
        try
        {
            return ReadRoot(text, null, rewrites);
        }
        catch (MarksNeededException)
        {
            // Only an error message needs a position the first pass did not record.
            return ReadRoot(text, new Dictionary<JsonNode, Mark>(ReferenceEqualityComparer.Instance), rewrites);
        }
    }

    /// <param name="marks">Where to record the start of every mapping and sequence, or null.</param>
    private static JsonNode ReadRoot(string text, Dictionary<JsonNode, Mark>? marks, List<BlankBlockScalars.Rewrite>? rewrites)
    {
        var parser = new Parser(BlankBlockScalars.Reader(text, rewrites));
        try
        {
            parser.Consume<StreamStart>();
            if (!parser.TryConsume<DocumentStart>(out _))
            {
                throw new SpecReadException("the file is empty", 0, 0);
            }

            var builder = new Builder(parser, marks, rewrites);
            JsonNode? root = builder.ReadNode();
            if (root is null)
            {
                throw new SpecReadException("the document is empty", 0, 0);
            }

            // A second document in the stream would be silently ignored; which one is the spec?
            parser.Consume<DocumentEnd>();
            if (parser.Current is DocumentStart second)
            {
                throw new SpecReadException("the file holds more than one YAML document (a second '---'); a spec is one document", (int)second.Start.Line - 1, (int)second.Start.Column - 1);
            }

            if (!builder.AllRewritesRead)
            {
                throw new MisplacedRewriteException();
            }

            return root;
        }
        catch (YamlException ex)
        {
            string message = ex.InnerException is null ? ex.Message : ex.Message + " " + ex.InnerException.Message;

            // Some scanner errors carry no place at all (a tab used as indentation): then the place
            // is after the last event the parser produced, at the first line indented with a tab.
            Mark at = ex.Start.Index > 0 ? ex.Start : ex.End.Index > 0 ? ex.End : parser.Current?.End ?? Mark.Empty;
            int line = (int)Math.Max(0, at.Line - 1);
            int column = (int)Math.Max(0, at.Column - 1);
            if (ex.Start.Index == 0 && ex.End.Index == 0 && FirstTabIndentedLine(BlankBlockScalars.Apply(text, rewrites), line) is int tabLine)
            {
                (line, column) = (tabLine, 0);
            }

            throw new SpecReadException(message, line, column);
        }
        catch (InvalidOperationException ex)
        {
            // YamlDotNet 16.3 reports some malformed input (an unclosed flow mapping) this way,
            // without a position; the parser's current event is where it gave up.
            Mark at = parser.Current?.Start ?? Mark.Empty;
            _ = ex;
            throw new SpecReadException("the YAML structure is broken near here (an unclosed { or [, or a block that ends too early)", (int)Math.Max(0, at.Line - 1), (int)Math.Max(0, at.Column - 1));
        }
        catch (Exception ex) when (ex is not SpecReadException and not OperationCanceledException and not MisplacedRewriteException and not MarksNeededException)
        {
            // Any other failure of YamlDotNet on malformed input is still a syntax error of the
            // document, to be reported where the parser stopped rather than as a crash.
            Mark at = parser.Current?.Start ?? Mark.Empty;
            throw new SpecReadException($"the YAML reader failed here ({ex.GetType().Name}: {ex.Message})", (int)Math.Max(0, at.Line - 1), (int)Math.Max(0, at.Column - 1));
        }
    }

    private static int? FirstTabIndentedLine(string text, int fromLine)
    {
        string[] lines = text.Split('\n');
        for (int i = fromLine; i < lines.Length; i++)
        {
            string indentation = lines[i].Substring(0, lines[i].Length - lines[i].TrimStart(' ', '\t').Length);
            if (indentation.IndexOf('\t') >= 0)
            {
                return i;
            }
        }

        return null;
    }

    protected override bool TryLocate(string pointer, out int line, out int column)
    {
        if (_marks is null && ++_searches <= MaxSearches && TryLocateInText(pointer, out line, out column) is bool found)
        {
            return found;
        }

        _marks ??= RecordMarks();
        if (Find(pointer) is { } node && _marks.TryGetValue(node, out Mark mark))
        {
            (line, column) = ((int)mark.Line - 1, (int)mark.Column - 1);
            return true;
        }

        // Scalars carry no mark (a mark per scalar would double the memory of a large document);
        // a scalar member is found on demand, as its key below the start of its mapping.
        int slash = pointer.LastIndexOf('/');
        if (slash >= 0 && Find(pointer.Substring(0, slash)) is JsonObject parent && _marks.TryGetValue(parent, out Mark start))
        {
            string key = pointer.Substring(slash + 1).Replace("~1", "/").Replace("~0", "~");
            if (Positions.FindKey(key, (int)start.Line - 1, (int)start.Column - 1) is (int keyLine, int keyColumn))
            {
                (line, column) = (keyLine, keyColumn);
                return true;
            }
        }

        (line, column) = (0, 0);
        return false;
    }

    private YamlPositions Positions => _positions ??= new YamlPositions(_text);

    /// <summary>
    /// <see cref="TryLocate"/> from the text alone, with the answer the marks would give: the start
    /// of a mapping or sequence, or the key of a scalar member. Null when the text alone cannot tell.
    /// </summary>
    private bool? TryLocateInText(string pointer, out int line, out int column)
    {
        (line, column) = (0, 0);
        JsonNode? node = Find(pointer);
        if (node is JsonObject or JsonArray)
        {
            if (Positions.ContainerStart(pointer, node is JsonArray) is not (int startLine, int startColumn))
            {
                return null;
            }

            (line, column) = (startLine, startColumn);
            return true;
        }

        int slash = pointer.LastIndexOf('/');
        if (slash < 0 || Find(pointer.Substring(0, slash)) is not JsonObject)
        {
            return false;
        }

        if (Positions.ContainerStart(pointer.Substring(0, slash), sequence: false) is not (int parentLine, int parentColumn))
        {
            return null;
        }

        string key = pointer.Substring(slash + 1).Replace("~1", "/").Replace("~0", "~");
        if (Positions.FindKey(key, parentLine, parentColumn) is not (int keyLine, int keyColumn))
        {
            return false;
        }

        (line, column) = (keyLine, keyColumn);
        return true;
    }

    /// <summary>
    /// The start of every mapping and sequence of <see cref="SpecDocument.Root"/>, from a second
    /// parse of the text whose tree is walked beside it. Called before the tree first changes
    /// (and otherwise when it has not changed), so the two trees have one shape.
    /// </summary>
    private Dictionary<JsonNode, Mark> RecordMarks()
    {
        var fresh = new Dictionary<JsonNode, Mark>(ReferenceEqualityComparer.Instance);
        JsonNode root;
        if (!_rewritesFound)
        {
            _rewrites = BlankBlockScalars.Find(_text);
            _rewritesFound = true;
        }

        try
        {
            root = ReadRoot(_text, fresh, _rewrites);
        }
        catch (MisplacedRewriteException)
        {
            _rewrites = null;
            root = ReadRoot(_text, fresh, null);
        }

        var marks = new Dictionary<JsonNode, Mark>(fresh.Count, ReferenceEqualityComparer.Instance);
        var pending = new Stack<(JsonNode? Fresh, JsonNode? Live)>();
        pending.Push((root, Root));
        while (pending.Count > 0)
        {
            (JsonNode? copy, JsonNode? live) = pending.Pop();
            if (copy is null || live is null)
            {
                continue;
            }

            if (fresh.TryGetValue(copy, out Mark mark))
            {
                marks[live] = mark;
            }

            if (copy is JsonObject copyObject && live is JsonObject liveObject)
            {
                foreach (KeyValuePair<string, JsonNode?> member in copyObject)
                {
                    if (liveObject.TryGetPropertyValue(member.Key, out JsonNode? value))
                    {
                        pending.Push((member.Value, value));
                    }
                }
            }
            else if (copy is JsonArray copyArray && live is JsonArray liveArray && copyArray.Count == liveArray.Count)
            {
                for (int i = 0; i < copyArray.Count; i++)
                {
                    pending.Push((copyArray[i], liveArray[i]));
                }
            }
        }

        return marks;
    }

    private sealed class Builder(IParser parser, Dictionary<JsonNode, Mark>? marks, List<BlankBlockScalars.Rewrite>? rewrites)
    {
        private readonly Dictionary<string, (JsonNode? Node, int Size)> _anchors = new(StringComparer.Ordinal);
        private readonly HashSet<(int Line, int Column)>? _rewrites = rewrites is null ? null : new(rewrites.Select(rewrite => (rewrite.Line, rewrite.Column)));
        private int _rewritesRead;

        /// <summary>Whether every place <see cref="BlankBlockScalars"/> rewrote was read as the quoted scalar it put there.</summary>
        public bool AllRewritesRead => _rewritesRead == (_rewrites?.Count ?? 0);
        private int _depth;
        private int _aliasNodes;

        public JsonNode? ReadNode() => ReadNode(out _);

        /// <summary>Reads one node and everything under it; <paramref name="size"/> is how many nodes that is (for the alias budget).</summary>
        [MethodImpl(JitOptions.Optimized)]
        private JsonNode? ReadNode(out int size)
        {
            if (parser.TryConsume<Scalar>(out Scalar? scalar))
            {
                if (_rewrites is not null && scalar.Style == ScalarStyle.DoubleQuoted && _rewrites.Contains(((int)scalar.Start.Line - 1, (int)scalar.Start.Column - 1)))
                {
                    _rewritesRead++;
                }

                JsonNode? value = Convert(scalar);
                size = 1;
                Remember(scalar.Anchor, value, size);
                return value;
            }

            if (parser.TryConsume<MappingStart>(out MappingStart? mappingStart))
            {
                Enter(mappingStart);
                var obj = new JsonObject();
                if (marks is not null)
                {
                    marks[obj] = mappingStart.Start;
                }

                size = 1;

                List<(JsonNode? Value, Mark At)>? merges = null;
                while (!parser.TryConsume<MappingEnd>(out _))
                {
                    (string key, Mark at, bool plain) = ReadKey();
                    if (plain && key == "<<")
                    {
                        // A merge key (YAML 1.1, common in hand-written specs): its mappings'
                        // members are added below, after the mapping's own, which win.
                        (merges ??= new()).Add((ReadNode(out int mergedSize), at));
                        size += mergedSize;
                        continue;
                    }

                    if (obj.TryGetPropertyValue(key, out JsonNode? first))
                    {
                        // YAML requires unique keys; readers that let the last one win silently
                        // drop the first definition, usually a copy-paste mistake worth seeing.
                        if (marks is null && first is JsonObject or JsonArray)
                        {
                            throw new MarksNeededException();
                        }

                        string where = first is not null && marks is not null && marks.TryGetValue(first, out Mark firstMark) ? $" (the first one's value is on line {firstMark.Line})" : string.Empty;
                        throw new SpecReadException($"the key '{key}' appears twice in the same mapping{where}", (int)at.Line - 1, (int)at.Column - 1);
                    }

                    obj[key] = ReadNode(out int valueSize);
                    size += valueSize;
                }

                if (merges is not null)
                {
                    Merge(obj, merges);
                }

                _depth--;
                Remember(mappingStart.Anchor, obj, size);
                return obj;
            }

            if (parser.TryConsume<SequenceStart>(out SequenceStart? sequenceStart))
            {
                Enter(sequenceStart);
                var array = new JsonArray();
                if (marks is not null)
                {
                    marks[array] = sequenceStart.Start;
                }

                size = 1;
                while (!parser.TryConsume<SequenceEnd>(out _))
                {
                    array.Add(ReadNode(out int itemSize));
                    size += itemSize;
                }

                _depth--;
                Remember(sequenceStart.Anchor, array, size);
                return array;
            }

            if (parser.TryConsume<AnchorAlias>(out AnchorAlias? alias))
            {
                if (!_anchors.TryGetValue(alias.Value.Value, out (JsonNode? Node, int Size) target))
                {
                    throw new SpecReadException($"the alias *{alias.Value} refers to no anchor", (int)alias.Start.Line - 1, (int)alias.Start.Column - 1);
                }

                // A JSON node has one parent, so every use of an anchor gets its own copy: the
                // copies are what the budget counts.
                _aliasNodes += target.Size;
                if (_aliasNodes > SpecLimits.MaxAliasNodes)
                {
                    throw new SpecLimitException(SpecLimits.TooManyAliasNodes(), (int)alias.Start.Line - 1, (int)alias.Start.Column - 1);
                }

                size = target.Size;
                return target.Node?.DeepClone();
            }

            ParsingEvent unexpected = parser.Current!;
            throw new SpecReadException($"unexpected YAML {unexpected.GetType().Name}", (int)unexpected.Start.Line - 1, (int)unexpected.Start.Column - 1);
        }

        private void Enter(ParsingEvent start)
        {
            if (++_depth > SpecLimits.MaxDepth)
            {
                throw new SpecLimitException(SpecLimits.TooDeep(), (int)start.Start.Line - 1, (int)start.Start.Column - 1);
            }
        }

        /// <summary>Adds the members of the merged mappings that <paramref name="target"/> does not have; of two merged mappings, the first wins.</summary>
        private static void Merge(JsonObject target, List<(JsonNode? Value, Mark At)> merges)
        {
            foreach ((JsonNode? value, Mark at) in merges)
            {
                IEnumerable<JsonNode?> sources = value is JsonArray list ? list : new[] { value };
                foreach (JsonNode? source in sources)
                {
                    if (source is not JsonObject mapping)
                    {
                        throw new SpecReadException("the merge key << takes a mapping or a list of mappings (usually an alias, <<: *name)", (int)at.Line - 1, (int)at.Column - 1);
                    }

                    foreach (KeyValuePair<string, JsonNode?> member in mapping)
                    {
                        if (!target.ContainsKey(member.Key))
                        {
                            target[member.Key] = member.Value?.DeepClone();
                        }
                    }
                }
            }
        }

        [MethodImpl(JitOptions.Optimized)]
        private (string Key, Mark At, bool Plain) ReadKey()
        {
            if (parser.TryConsume<Scalar>(out Scalar? key))
            {
                return (key.Value, key.Start, key.Style == ScalarStyle.Plain);
            }

            ParsingEvent complex = parser.Current!;
            throw new SpecReadException("a mapping key must be a plain value, not a mapping or a sequence", (int)complex.Start.Line - 1, (int)complex.Start.Column - 1);
        }

        private void Remember(AnchorName anchor, JsonNode? node, int size)
        {
            if (!anchor.IsEmpty)
            {
                _anchors[anchor.Value] = (node, size);
            }
        }

        private static JsonNode? Convert(Scalar scalar) => ScalarNode(scalar.Value, scalar.Style == ScalarStyle.Plain);
    }

    /// <summary>A scalar's node under the core schema: a quoted or block scalar is a string, a plain one may be null, a bool or a number.</summary>
    [MethodImpl(JitOptions.Optimized)]
    internal static JsonNode? ScalarNode(string text, bool plain)
    {
        if (!plain)
        {
            return JsonValue.Create(text);
        }

        switch (text)
        {
            case "":
            case "~":
            case "null":
            case "Null":
            case "NULL":
                return null;
            case "true":
            case "True":
            case "TRUE":
                return JsonValue.Create(true);
            case "false":
            case "False":
            case "FALSE":
                return JsonValue.Create(false);
        }

        if (LooksNumeric(text))
        {
            if (long.TryParse(text, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out long integer))
            {
                return JsonValue.Create(integer);
            }

            if (IsPlainInteger(text))
            {
                // Beyond long: keep every digit, as a JSON number parsed from the text itself.
                return JsonNode.Parse(text.TrimStart('+'));
            }

            if (double.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out double number) && !double.IsInfinity(number))
            {
                return JsonValue.Create(number);
            }
        }

        return JsonValue.Create(text);
    }

    [MethodImpl(JitOptions.Optimized)]
    private static bool IsPlainInteger(string text)
    {
        for (int i = text[0] == '-' || text[0] == '+' ? 1 : 0; i < text.Length; i++)
        {
            if (text[i] < '0' || text[i] > '9')
            {
                return false;
            }
        }

        return true;
    }

    // The core schema's number forms start with a digit, a sign or a dot followed by a digit;
    // anything else ("Infinity", "1.0.0", "0x1F") stays a string.
    [MethodImpl(JitOptions.Optimized)]
    private static bool LooksNumeric(string text)
    {
        int i = text.Length > 0 && (text[0] == '-' || text[0] == '+') ? 1 : 0;
        if (i >= text.Length)
        {
            return false;
        }

        bool sawDigit = false;
        bool sawDot = false;
        bool sawExponent = false;
        for (; i < text.Length; i++)
        {
            char c = text[i];
            if (c >= '0' && c <= '9')
            {
                sawDigit = true;
            }
            else if (c == '.' && !sawDot && !sawExponent)
            {
                sawDot = true;
            }
            else if ((c == 'e' || c == 'E') && sawDigit && !sawExponent && i + 1 < text.Length)
            {
                sawExponent = true;
                if (text[i + 1] == '-' || text[i + 1] == '+')
                {
                    i++;
                }
            }
            else
            {
                return false;
            }
        }

        return sawDigit;
    }

    /// <summary>An error message needs the position of a node that was read without marks.</summary>
    private sealed class MarksNeededException : Exception
    {
    }

    /// <summary>A place <see cref="BlankBlockScalars"/> rewrote was not where a scalar starts.</summary>
    private sealed class MisplacedRewriteException : Exception
    {
    }

    /// <summary>Reference equality for nodes (netstandard2.0 has no <c>ReferenceEqualityComparer</c>).</summary>
    private sealed class ReferenceEqualityComparer : IEqualityComparer<JsonNode>
    {
        public static readonly ReferenceEqualityComparer Instance = new();

        public bool Equals(JsonNode? x, JsonNode? y) => ReferenceEquals(x, y);

        public int GetHashCode(JsonNode obj) => System.Runtime.CompilerServices.RuntimeHelpers.GetHashCode(obj);
    }
}
