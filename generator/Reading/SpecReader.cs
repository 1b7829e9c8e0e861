namespace Specgen.Generator.Reading;

/// <summary>Chooses the syntax of a spec by its content: a document that starts with <c>{</c> is JSON.</summary>
internal static class SpecReader
{
    /// <exception cref="SpecReadException">The text is not valid YAML or JSON, or (<see cref="SpecLimitException"/>) exceeds <see cref="SpecLimits"/>.</exception>
    public static SpecDocument Read(string path, string text)
    {
        if (text.Length > SpecLimits.MaxLength)
        {
            throw new SpecLimitException(SpecLimits.TooLong(text.Length), 0, 0);
        }

        // SourceText drops a byte order mark, but a string from elsewhere may still start with one.
        if (text.Length > 0 && text[0] == '\uFEFF')
        {
            text = text.Substring(1);
        }

        foreach (char c in text)
        {
            if (char.IsWhiteSpace(c))
            {
                continue;
            }

            return c == '{' ? JsonSpecDocument.Parse(path, text) : YamlSpecDocument.Parse(path, text);
        }

        throw new SpecReadException("the file is empty", 0, 0);
    }

    /// <summary>Whether <see cref="Read"/> reads <paramref name="text"/> as YAML, as written (no byte order mark).</summary>
    public static bool IsYaml(string text)
    {
        foreach (char c in text)
        {
            if (!char.IsWhiteSpace(c))
            {
                return c is not ('{' or '\uFEFF');
            }
        }

        return false;
    }
}
