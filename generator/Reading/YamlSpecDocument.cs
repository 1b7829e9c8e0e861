using System;
using System.Collections.Generic;
using System.Globalization;
using System.IO;
using System.Text.Json.Nodes;
using YamlDotNet.Core;
using YamlDotNet.Core.Events;

namespace Specgen.Generator.Reading;

/// <summary>
/// A spec written as YAML, turned into JSON nodes straight from YamlDotNet's event stream (no
/// intermediate representation model). Scalars follow the YAML 1.2 core schema: plain
/// <c>true</c>/<c>false</c>, <c>null</c>/<c>~</c>/empty and numbers become JSON literals, every
/// quoted or block scalar stays a string.
/// </summary>
internal sealed class YamlSpecDocument : SpecDocument
{
    // Positions are kept per container node (by reference, no pointer strings are built) so that
    // a diagnostic can name a line without a second parse.
    private readonly Dictionary<JsonNode, Mark> _marks;

    private YamlSpecDocument(string path, JsonNode root, Dictionary<JsonNode, Mark> marks)
        : base(path, root) => _marks = marks;

    public static YamlSpecDocument Parse(string path, string text)
    {
        try
        {
            return ParseOnce(path, text);
        }
        catch (SpecReadException) when (BlankBlockScalars.TryRewrite(text, out string rewritten))
        {
            // Only a document YamlDotNet rejected is rewritten; if the rewrite does not help, the
            // error of the original text is the one to report.
            try
            {
                return ParseOnce(path, rewritten);
            }
            catch (SpecReadException)
            {
                return ParseOnce(path, text);
            }
        }
    }

    private static YamlSpecDocument ParseOnce(string path, string text)
    {
        var marks = new Dictionary<JsonNode, Mark>(ReferenceEqualityComparer.Instance);
        var parser = new Parser(new StringReader(text));
        try
        {
            parser.Consume<StreamStart>();
            if (!parser.TryConsume<DocumentStart>(out _))
            {
                throw new SpecReadException("the file is empty", 0, 0);
            }

            var builder = new Builder(parser, marks);
            JsonNode? root = builder.ReadNode();
            if (root is null)
            {
                throw new SpecReadException("the document is empty", 0, 0);
            }

            return new YamlSpecDocument(path, root, marks);
        }
        catch (YamlException ex)
        {
            string message = ex.InnerException is null ? ex.Message : ex.Message + " " + ex.InnerException.Message;
            throw new SpecReadException(message, (int)Math.Max(0, ex.Start.Line - 1), (int)Math.Max(0, ex.Start.Column - 1));
        }
        catch (InvalidOperationException ex)
        {
            // YamlDotNet 16.3 reports some malformed input (an unclosed flow mapping) this way,
            // without a position; the parser's current event is where it gave up.
            Mark at = parser.Current?.Start ?? Mark.Empty;
            _ = ex;
            throw new SpecReadException("the YAML structure is broken near here (an unclosed { or [, or a block that ends too early)", (int)Math.Max(0, at.Line - 1), (int)Math.Max(0, at.Column - 1));
        }
    }

    protected override bool TryLocate(string pointer, out int line, out int column)
    {
        if (Find(pointer) is { } node && _marks.TryGetValue(node, out Mark mark))
        {
            (line, column) = ((int)mark.Line - 1, (int)mark.Column - 1);
            return true;
        }

        (line, column) = (0, 0);
        return false;
    }

    private sealed class Builder(IParser parser, Dictionary<JsonNode, Mark> marks)
    {
        private readonly Dictionary<string, JsonNode?> _anchors = new(StringComparer.Ordinal);

        public JsonNode? ReadNode()
        {
            if (parser.TryConsume<Scalar>(out Scalar? scalar))
            {
                JsonNode? value = Convert(scalar);
                Remember(scalar.Anchor, value);
                return value;
            }

            if (parser.TryConsume<MappingStart>(out MappingStart? mappingStart))
            {
                var obj = new JsonObject();
                marks[obj] = mappingStart.Start;
                while (!parser.TryConsume<MappingEnd>(out _))
                {
                    string key = ReadKey();
                    JsonNode? value = ReadNode();

                    // YAML allows a repeated key; like most readers, the last one wins.
                    obj[key] = value;
                }

                Remember(mappingStart.Anchor, obj);
                return obj;
            }

            if (parser.TryConsume<SequenceStart>(out SequenceStart? sequenceStart))
            {
                var array = new JsonArray();
                marks[array] = sequenceStart.Start;
                while (!parser.TryConsume<SequenceEnd>(out _))
                {
                    array.Add(ReadNode());
                }

                Remember(sequenceStart.Anchor, array);
                return array;
            }

            if (parser.TryConsume<AnchorAlias>(out AnchorAlias? alias))
            {
                if (!_anchors.TryGetValue(alias.Value.Value, out JsonNode? target))
                {
                    throw new SpecReadException($"the alias *{alias.Value} refers to no anchor", (int)alias.Start.Line - 1, (int)alias.Start.Column - 1);
                }

                // A JSON node has one parent, so every use of an anchor gets its own copy.
                return target?.DeepClone();
            }

            ParsingEvent unexpected = parser.Current!;
            throw new SpecReadException($"unexpected YAML {unexpected.GetType().Name}", (int)unexpected.Start.Line - 1, (int)unexpected.Start.Column - 1);
        }

        private string ReadKey()
        {
            if (parser.TryConsume<Scalar>(out Scalar? key))
            {
                return key.Value;
            }

            ParsingEvent complex = parser.Current!;
            throw new SpecReadException("a mapping key must be a plain value, not a mapping or a sequence", (int)complex.Start.Line - 1, (int)complex.Start.Column - 1);
        }

        private void Remember(AnchorName anchor, JsonNode? node)
        {
            if (!anchor.IsEmpty)
            {
                _anchors[anchor.Value] = node;
            }
        }

        private static JsonNode? Convert(Scalar scalar)
        {
            string text = scalar.Value;
            if (scalar.Style != ScalarStyle.Plain)
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
    }

    /// <summary>Reference equality for nodes (netstandard2.0 has no <c>ReferenceEqualityComparer</c>).</summary>
    private sealed class ReferenceEqualityComparer : IEqualityComparer<JsonNode>
    {
        public static readonly ReferenceEqualityComparer Instance = new();

        public bool Equals(JsonNode? x, JsonNode? y) => ReferenceEquals(x, y);

        public int GetHashCode(JsonNode obj) => System.Runtime.CompilerServices.RuntimeHelpers.GetHashCode(obj);
    }
}
