using System;
using System.Collections.Generic;

namespace Specgen.Generator.Reading;

/// <summary>
/// Paths of the files of a multi-file spec, computed as strings (the generator never touches the
/// disk): the separator of the referencing file is kept, <c>.</c> and <c>..</c> are folded.
/// </summary>
internal static class FilePaths
{
    /// <summary>The file that <paramref name="relative"/> (a <c>$ref</c>'s file part) names, seen from the file <paramref name="from"/>.</summary>
    public static string Combine(string from, string relative)
    {
        char separator = from.IndexOf('\\') >= 0 && from.IndexOf('/') < 0 ? '\\' : '/';
        string unescaped = Uri.UnescapeDataString(relative);
        bool rooted = unescaped.StartsWith("/", StringComparison.Ordinal) || (unescaped.Length > 2 && unescaped[1] == ':');
        string joined = rooted ? unescaped : Directory(from) + separator + unescaped;
        return Normalize(joined, separator);
    }

    /// <summary><paramref name="path"/> relative to the folder of <paramref name="entry"/>, with '/', for messages.</summary>
    public static string Relative(string entry, string path)
    {
        string[] from = Split(Directory(entry));
        string[] to = Split(path);
        int common = 0;
        while (common < from.Length && common < to.Length - 1 && string.Equals(from[common], to[common], StringComparison.Ordinal))
        {
            common++;
        }

        var parts = new List<string>();
        for (int i = common; i < from.Length; i++)
        {
            parts.Add("..");
        }

        for (int i = common; i < to.Length; i++)
        {
            parts.Add(to[i]);
        }

        return string.Join("/", parts);
    }

    /// <summary>The file name without its folder and extension (<c>../common/Error.json</c> -> <c>Error</c>).</summary>
    public static string Stem(string path)
    {
        string name = path.Substring(Math.Max(path.LastIndexOf('/'), path.LastIndexOf('\\')) + 1);
        int dot = name.LastIndexOf('.');
        return dot > 0 ? name.Substring(0, dot) : name;
    }

    private static string Directory(string path)
    {
        int slash = Math.Max(path.LastIndexOf('/'), path.LastIndexOf('\\'));
        return slash < 0 ? string.Empty : path.Substring(0, slash);
    }

    private static string[] Split(string path) => path.Split(new[] { '/', '\\' }, StringSplitOptions.RemoveEmptyEntries);

    private static string Normalize(string path, char separator)
    {
        bool leadingSeparator = path.StartsWith("/", StringComparison.Ordinal) || path.StartsWith("\\", StringComparison.Ordinal);
        var parts = new List<string>();
        foreach (string part in Split(path))
        {
            if (part == ".")
            {
                continue;
            }

            if (part == ".." && parts.Count > 0 && parts[parts.Count - 1] != "..")
            {
                parts.RemoveAt(parts.Count - 1);
                continue;
            }

            parts.Add(part);
        }

        return (leadingSeparator ? separator.ToString() : string.Empty) + string.Join(separator.ToString(), parts);
    }
}
