namespace Specgen.Generator.Reading;

/// <summary>Chooses the syntax of a spec by its content: a document that starts with <c>{</c> is JSON.</summary>
internal static class SpecReader
{
    public static SpecDocument Read(string path, string text)
    {
        foreach (char c in text)
        {
            if (char.IsWhiteSpace(c) || c == '\uFEFF')
            {
                continue;
            }

            return c == '{' ? JsonSpecDocument.Parse(path, text) : YamlSpecDocument.Parse(path, text);
        }

        throw new SpecReadException("the file is empty", 0, 0);
    }
}
