using System;
using System.Collections.Generic;
using System.Globalization;
using System.Linq;
using System.Text;
using Specgen.Generator.Model;

namespace Specgen.Generator.Reading;

/// <summary>
/// The descriptions and summaries of a YAML document, taken out of it so that editing them does not
/// map the document again. While <see cref="CommonYamlReader"/> reads, the words of each one go to
/// <see cref="Texts"/> in document order, and <see cref="Skeleton"/> is the text with each of them
/// replaced by a token: a quoted scalar of the value's leading whitespace, the token and its
/// trailing whitespace (so that trimming it trims the same), followed by as many line breaks as the
/// value took. The skeleton is YAML with every other node on the same line and column; texts that
/// differ only in their prose have one skeleton, and the Parse step reads the skeleton, so its
/// result (model and diagnostics, with tokens) holds for all of them once <see cref="Fill"/> has
/// put the words back.
/// </summary>
/// <remarks>
/// Prose is the string value of a <c>description</c> or <c>summary</c> key written in block style,
/// unless it is under a key whose values are data (examples, defaults, enums, constants, a
/// discriminator's mapping, OAuth scopes, any <c>x-</c> extension). A whitespace-only value stays
/// as written.
/// </remarks>
internal sealed class Prose
{
    private const char TokenStart = '\uE000';
    private const char TokenEnd = '\uE001';

    private readonly string _text;
    private readonly StringBuilder _skeleton;
    private readonly List<string> _texts = new();
    private int _copied;

    public Prose(string text)
    {
        _text = text;
        _skeleton = new StringBuilder(text.Length);
    }

    /// <summary>The words of each description and summary, by token number.</summary>
    public EquatableArray<string> Texts => _texts.ToEquatableArray();

    /// <summary>Whether a text may have its prose taken out: it does not use the characters tokens are made of.</summary>
    public static bool CanSplit(string text) => text.IndexOf(TokenStart) < 0 && text.IndexOf(TokenEnd) < 0;

    /// <summary>The keys whose string values are prose.</summary>
    public static readonly string[] Keys = { "description", "summary" };

    public static bool IsProseKey(string key) => key is "description" or "summary";

    /// <summary>Whether the strings under <paramref name="key"/> are data, even where a key is named description.</summary>
    public static bool HoldsData(string key) =>
        key is "example" or "examples" or "default" or "enum" or "const" or "mapping" or "scopes"
        || key.StartsWith("x-", StringComparison.Ordinal);

    /// <summary>The text with each description and summary replaced by its token.</summary>
    public string Skeleton() => _skeleton.Append(_text, _copied, _text.Length - _copied).ToString();

    /// <summary>
    /// Takes <paramref name="words"/> out, read from <c>[start, end)</c> of the text: from after its
    /// key's colon to the start of the line after the value.
    /// </summary>
    public void Take(string words, int start, int end)
    {
        int first = 0;
        while (first < words.Length && char.IsWhiteSpace(words[first]))
        {
            first++;
        }

        if (first == words.Length)
        {
            return;
        }

        int last = words.Length;
        while (char.IsWhiteSpace(words[last - 1]))
        {
            last--;
        }

        string lead = words.Substring(0, first);
        string trail = words.Substring(last);
        int lines = 0;
        for (int i = start; i < end; i++)
        {
            lines += _text[i] == '\n' ? 1 : 0;
        }

        _skeleton.Append(_text, _copied, start - _copied).Append(" \"");
        AppendEscaped(lead);
        _skeleton.Append(TokenStart).Append(_texts.Count.ToString(CultureInfo.InvariantCulture)).Append(TokenEnd);
        AppendEscaped(trail);
        _skeleton.Append('"').Append('\n', lines);
        _copied = end;
        _texts.Add(words.Substring(first, last - first));
    }

    /// <summary>Whitespace inside a double-quoted scalar: a space as itself, anything else escaped.</summary>
    private void AppendEscaped(string whitespace)
    {
        foreach (char c in whitespace)
        {
            if (c == ' ')
            {
                _skeleton.Append(' ');
            }
            else
            {
                _skeleton.Append("\\u").Append(((int)c).ToString("X4", CultureInfo.InvariantCulture));
            }
        }
    }

    /// <summary><paramref name="value"/> with every token replaced by its words.</summary>
    public static string? Fill(string? value, EquatableArray<string> texts)
    {
        if (value is null || value.IndexOf(TokenStart) < 0)
        {
            return value;
        }

        var filled = new StringBuilder(value.Length);
        int at = 0;
        for (int start; (start = value.IndexOf(TokenStart, at)) >= 0;)
        {
            int end = value.IndexOf(TokenEnd, start);
            if (end < 0)
            {
                break;
            }

            // Only tokens are made of these characters (CanSplit); anything else stays as it is.
            filled.Append(value, at, start - at);
            bool token = int.TryParse(value.Substring(start + 1, end - start - 1), NumberStyles.None, CultureInfo.InvariantCulture, out int index) && index < texts.Count;
            filled.Append(token ? texts[index] : value.Substring(start, end - start + 1));
            at = end + 1;
        }

        return filled.Append(value, at, value.Length - at).ToString();
    }
}

/// <summary>
/// A spec before the Parse step: its prose taken out when its text is YAML that
/// <see cref="CommonYamlReader"/> reads (else <see cref="Skeleton"/> is null and the Parse step reads the text as written).
/// </summary>
internal sealed record ProseSplit(SpecInput Spec, string? Skeleton, EquatableArray<string> Texts)
{
    public static ProseSplit Of(SpecInput spec)
    {
        string text = spec.Text;
        // A text (or a file its $refs copy parts of) that uses the tokens' characters keeps its prose.
        if (text.Length > SpecLimits.MaxLength || !SpecReader.IsYaml(text) || !Prose.CanSplit(text) || spec.OtherFiles.Any(file => !Prose.CanSplit(file.Text)))
        {
            return new ProseSplit(spec, null, EquatableArray<string>.Empty);
        }

        var prose = new Prose(text);
        return CommonYamlReader.TryScan(text, prose)
            ? new ProseSplit(spec, prose.Skeleton(), prose.Texts)
            : new ProseSplit(spec, null, EquatableArray<string>.Empty);
    }

    /// <summary>What the Parse step reads: the skeleton in place of the text, when there is one.</summary>
    public SpecInput ForParse() => Skeleton is null ? Spec : Spec with { Text = Skeleton };
}
