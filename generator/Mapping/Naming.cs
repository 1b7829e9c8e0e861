using System;
using System.Collections.Generic;
using System.Globalization;
using System.Linq;
using System.Text;
using Specgen.Generator.Model;

namespace Specgen.Generator.Mapping;

/// <summary>Turns spec names (<c>thread_id</c>, <c>thread.message</c>, <c>getThread</c>) into C# identifiers.</summary>
internal static class Naming
{
    private static readonly HashSet<string> Keywords = new(StringComparer.Ordinal)
    {
        "abstract", "as", "base", "bool", "break", "byte", "case", "catch", "char", "checked", "class", "const", "continue",
        "decimal", "default", "delegate", "do", "double", "else", "enum", "event", "explicit", "extern", "false", "finally",
        "fixed", "float", "for", "foreach", "goto", "if", "implicit", "in", "int", "interface", "internal", "is", "lock",
        "long", "namespace", "new", "null", "object", "operator", "out", "override", "params", "private", "protected",
        "public", "readonly", "ref", "return", "sbyte", "sealed", "short", "sizeof", "stackalloc", "static", "string",
        "struct", "switch", "this", "throw", "true", "try", "typeof", "uint", "ulong", "unchecked", "unsafe", "ushort",
        "using", "virtual", "void", "volatile", "while",
    };

    /// <summary><c>thread_id</c> -> <c>ThreadId</c>; <c>getThread</c> -> <c>GetThread</c>; never empty, never starts with a digit.</summary>
    public static string Pascal(string name, string fallback = "Value")
    {
        var result = new StringBuilder(name.Length);
        bool upperNext = true;
        foreach (char c in name)
        {
            if (char.IsLetterOrDigit(c))
            {
                result.Append(upperNext ? char.ToUpperInvariant(c) : c);
                upperNext = false;
            }
            else
            {
                // Separators (_ - . space / ...) start a new word; other symbols vanish.
                upperNext = true;
            }
        }

        if (result.Length == 0)
        {
            return fallback;
        }

        if (char.IsDigit(result[0]))
        {
            result.Insert(0, fallback);
        }

        return result.ToString();
    }

    /// <summary><c>thread_id</c> -> <c>threadId</c>, escaped with <c>@</c> when it is a keyword.</summary>
    public static string Camel(string name)
    {
        string pascal = Pascal(name);
        string camel = char.ToLowerInvariant(pascal[0]) + pascal.Substring(1);
        return Keywords.Contains(camel) ? "@" + camel : camel;
    }

    /// <summary>
    /// The longest identifier Specgen emits (before a numeric suffix for uniqueness and
    /// <c>JsonConverter</c>). Names made by nesting inline schemas grow without bound, and
    /// metadata names (1,024 characters with the namespace) and file names (255 bytes, for the
    /// hint name) are limited; the longest names in our corpus of 25 published APIs are ~115.
    /// </summary>
    public const int MaxIdentifierLength = 128;

    /// <summary>
    /// <paramref name="name"/>, or when it is longer than <see cref="MaxIdentifierLength"/> its
    /// start and a hash of the whole (<c>…Classification_1a2b3c4d</c>): stable from build to build,
    /// and different for names that differ only after the cut.
    /// </summary>
    public static string Limit(string name)
    {
        if (name.Length <= MaxIdentifierLength)
        {
            return name;
        }

        string suffix = "_" + StableHash(name).ToString("x8", CultureInfo.InvariantCulture);
        string start = name.Substring(0, MaxIdentifierLength - suffix.Length);
        if (char.IsHighSurrogate(start[start.Length - 1]))
        {
            start = start.Substring(0, start.Length - 1);
        }

        return start + suffix;
    }

    /// <summary>FNV-1a over the UTF-16 code units: the same in every process, unlike <see cref="string.GetHashCode()"/>.</summary>
    public static uint StableHash(string text)
    {
        uint hash = 2166136261;
        foreach (char c in text)
        {
            hash = unchecked((hash ^ c) * 16777619);
        }

        return hash;
    }

    /// <summary>
    /// The members of the extensible enum <paramref name="typeName"/>: each distinct value, in order,
    /// with a unique member name: the one the document gives it (<see cref="EnumNames"/>), else one
    /// made from the value.
    /// </summary>
    public static EquatableArray<EnumValueModel> EnumValues(string typeName, IEnumerable<string> values, IReadOnlyDictionary<string, (string? Name, string? Description)>? given = null)
    {
        var members = new NameScope(MemberNaming.EnumMembers(typeName));
        var result = new List<EnumValueModel>();
        var distinct = new HashSet<string>(StringComparer.Ordinal);
        int index = 0;
        foreach (string value in values)
        {
            if (distinct.Add(value))
            {
                (string? name, string? description) = given is not null && given.TryGetValue(value, out var named) ? named : (null, null);
                string wanted = name is not null ? Pascal(name, "Value") : EnumMember(value, index);
                result.Add(new EnumValueModel(value, members.Claim(wanted)) { Description = description });
            }

            index++;
        }

        return result.ToEquatableArray();
    }

    /// <summary>A short readable name for an enum value such as <c>in_progress</c>, <c>1</c> or <c>-</c>.</summary>
    public static string EnumMember(string value, int index)
    {
        string name = Pascal(value, fallback: "Value");
        return name == "Value" && value.Length == 0 ? "Empty" : name == "Value" ? "Value" + index.ToString(CultureInfo.InvariantCulture) : name;
    }
}

/// <summary>Hands out unique names within one scope (the types of a namespace, the members of a type).</summary>
internal sealed class NameScope
{
    private readonly HashSet<string> _taken;

    /// <summary>Members every generated type inherits from <see cref="object"/>; a spec name must not hide them.</summary>
    public static readonly string[] ObjectMembers = { "Equals", "GetHashCode", "GetType", "ToString", "MemberwiseClone", "ReferenceEquals", "Finalize" };

    /// <summary>
    /// The class nested in every model and union that reads and writes it (the public
    /// <c>…JsonConverter</c> derives from it): no member may take its name (CS0102), nor a type (CS0542).
    /// </summary>
    public const string Converter = "JsonConverter";

    /// <summary>The private enum nested in every union that says which variant it holds: no union member or type may take its name.</summary>
    public const string VariantKind = "VariantKind";

    public NameScope(IEnumerable<string>? reserved = null)
    {
        _taken = new HashSet<string>(reserved ?? Array.Empty<string>(), StringComparer.Ordinal);
    }

    /// <summary>
    /// Claims a name together with the names derived from it (<c>X</c> and <c>XJsonConverter</c>),
    /// so that a schema called <c>FooJsonConverter</c> cannot collide with <c>Foo</c>'s converter.
    /// </summary>
    public string ClaimWith(string wanted, string derivedSuffix)
    {
        wanted = Naming.Limit(wanted);
        for (int i = 1; ; i++)
        {
            string candidate = i == 1 ? wanted : wanted + i.ToString(CultureInfo.InvariantCulture);
            if (!_taken.Contains(candidate) && !_taken.Contains(candidate + derivedSuffix))
            {
                _taken.Add(candidate);
                _taken.Add(candidate + derivedSuffix);
                return candidate;
            }
        }
    }

    /// <summary>
    /// Claims a name together with its <paramref name="prefix"/>ed twin (<c>X</c> and <c>IX</c>, a class
    /// and its interface), so that neither collides with a name already taken.
    /// </summary>
    public string ClaimWithPrefix(string wanted, string prefix)
    {
        wanted = Naming.Limit(wanted);
        for (int i = 1; ; i++)
        {
            string candidate = i == 1 ? wanted : wanted + i.ToString(CultureInfo.InvariantCulture);
            if (!_taken.Contains(candidate) && !_taken.Contains(prefix + candidate))
            {
                _taken.Add(candidate);
                _taken.Add(prefix + candidate);
                return candidate;
            }
        }
    }

    /// <summary>Returns <paramref name="wanted"/>, or it with the smallest numeric suffix that is still free.</summary>
    public string Claim(string wanted)
    {
        wanted = Naming.Limit(wanted);
        if (_taken.Add(wanted))
        {
            return wanted;
        }

        for (int i = 2; ; i++)
        {
            string candidate = wanted + i.ToString(CultureInfo.InvariantCulture);
            if (_taken.Add(candidate))
            {
                return candidate;
            }
        }
    }
}
