using System;
using System.Collections.Generic;
using System.Globalization;
using System.Text.RegularExpressions;

namespace Specgen.Runtime;

/// <summary>
/// Checks of the spec's constraint keywords, called by generated code before a request leaves so
/// that an invalid value fails fast with the field and the limit named, and nothing is sent.
/// </summary>
/// <remarks>
/// A field is named by its parent's <c>path</c> and its own <c>member</c> name; they are joined only
/// when a check fails, so that validating a valid request allocates nothing for the names.
/// </remarks>
public static class Validate
{
    /// <summary><c>maxLength</c> of a string.</summary>
    public static void MaxLength(string? value, int limit, string path, string member = "")
    {
        if (value is not null && value.Length > limit)
        {
            throw Fail(Member(path, member), $"is {value.Length} characters long; the spec allows at most {limit} (maxLength)");
        }
    }

    /// <summary><c>minLength</c> of a string.</summary>
    public static void MinLength(string? value, int limit, string path, string member = "")
    {
        if (value is not null && value.Length < limit)
        {
            throw Fail(Member(path, member), $"is {value.Length} characters long; the spec requires at least {limit} (minLength)");
        }
    }

    /// <summary><c>pattern</c> of a string.</summary>
    public static void Pattern(string? value, Regex pattern, string path, string member = "")
    {
        if (value is not null && !pattern.IsMatch(value))
        {
            throw Fail(Member(path, member), $"does not match the pattern '{pattern}'");
        }
    }

    /// <summary><c>maxItems</c> of an array.</summary>
    public static void MaxItems<T>(ICollection<T>? value, int limit, string path, string member = "")
    {
        if (value is not null && value.Count > limit)
        {
            throw Fail(Member(path, member), $"has {value.Count} items; the spec allows at most {limit} (maxItems)");
        }
    }

    /// <summary><c>minItems</c> of an array.</summary>
    public static void MinItems<T>(ICollection<T>? value, int limit, string path, string member = "")
    {
        if (value is not null && value.Count < limit)
        {
            throw Fail(Member(path, member), $"has {value.Count} items; the spec requires at least {limit} (minItems)");
        }
    }

    /// <summary><c>maxProperties</c> of a map.</summary>
    public static void MaxProperties<T>(IDictionary<string, T>? value, int limit, string path, string member = "")
    {
        if (value is not null && value.Count > limit)
        {
            throw Fail(Member(path, member), $"has {value.Count} entries; the spec allows at most {limit} (maxProperties)");
        }
    }

    /// <summary><c>minProperties</c> of a map.</summary>
    public static void MinProperties<T>(IDictionary<string, T>? value, int limit, string path, string member = "")
    {
        if (value is not null && value.Count < limit)
        {
            throw Fail(Member(path, member), $"has {value.Count} entries; the spec requires at least {limit} (minProperties)");
        }
    }

    /// <summary><c>propertyNames: {maxLength}</c> of a map.</summary>
    public static void MaxKeyLength<T>(IDictionary<string, T>? value, int limit, string path, string member = "")
    {
        if (value is null)
        {
            return;
        }

        foreach (string key in value.Keys)
        {
            if (key.Length > limit)
            {
                throw Fail(Member(path, member), $"has the key '{Shorten(key)}' of {key.Length} characters; the spec allows keys of at most {limit} (propertyNames.maxLength)");
            }
        }
    }

    /// <summary><c>minimum</c> of a <c>decimal</c>, compared exactly.</summary>
    public static void DecimalMinimum(decimal? value, decimal limit, string path, string member = "")
    {
        if (value is not null && value.Value < limit)
        {
            throw Fail(Member(path, member), $"is {value.Value.ToString(CultureInfo.InvariantCulture)}; the spec requires at least {limit.ToString(CultureInfo.InvariantCulture)} (minimum)");
        }
    }

    /// <summary><c>maximum</c> of a <c>decimal</c>, compared exactly.</summary>
    public static void DecimalMaximum(decimal? value, decimal limit, string path, string member = "")
    {
        if (value is not null && value.Value > limit)
        {
            throw Fail(Member(path, member), $"is {value.Value.ToString(CultureInfo.InvariantCulture)}; the spec allows at most {limit.ToString(CultureInfo.InvariantCulture)} (maximum)");
        }
    }

    /// <summary><c>minimum</c> of a number.</summary>
    public static void Minimum(double? value, double limit, string path, string member = "")
    {
        if (value is not null && value.Value < limit)
        {
            throw Fail(Member(path, member), $"is {value.Value.ToString(CultureInfo.InvariantCulture)}; the spec requires at least {limit.ToString(CultureInfo.InvariantCulture)} (minimum)");
        }
    }

    /// <summary><c>maximum</c> of a number.</summary>
    public static void Maximum(double? value, double limit, string path, string member = "")
    {
        if (value is not null && value.Value > limit)
        {
            throw Fail(Member(path, member), $"is {value.Value.ToString(CultureInfo.InvariantCulture)}; the spec allows at most {limit.ToString(CultureInfo.InvariantCulture)} (maximum)");
        }
    }

    /// <summary>A required reference the caller left <see langword="null"/>.</summary>
    public static void NotNull(object? value, string path, string member = "")
    {
        if (value is null)
        {
            throw Fail(Member(path, member), "is required by the spec but is null");
        }
    }

    /// <summary>
    /// <c>maxLength</c> / <c>minLength</c> / <c>pattern</c> of every string in an array; items must not be null
    /// unless <paramref name="allowNull"/>.
    /// </summary>
    public static void EachString(IEnumerable<string?>? items, int? maxLength, int? minLength, Regex? pattern, bool allowNull, string path, string member = "")
    {
        if (items is null)
        {
            return;
        }

        int index = 0;
        foreach (string? item in items)
        {
            CheckString(item, maxLength, minLength, pattern, allowNull, path, member, index++, null);
        }
    }

    /// <summary>
    /// <c>maxLength</c> / <c>minLength</c> / <c>pattern</c> of every value of a map (OpenAI's metadata values);
    /// values must not be null unless <paramref name="allowNull"/>.
    /// </summary>
    /// <typeparam name="TString"><see cref="string"/>, nullable or not (a generic parameter so that both convert).</typeparam>
    public static void EachString<TString>(IDictionary<string, TString>? entries, int? maxLength, int? minLength, Regex? pattern, bool allowNull, string path, string member = "")
        where TString : class?
    {
        if (entries is null)
        {
            return;
        }

        foreach (KeyValuePair<string, TString> entry in entries)
        {
            CheckString(entry.Value as string, maxLength, minLength, pattern, allowNull, path, member, -1, entry.Key);
        }
    }

    // Names the item or entry only when it fails, so a valid collection costs no allocation.
    private static void CheckString(string? value, int? maxLength, int? minLength, Regex? pattern, bool allowNull, string path, string member, int index, string? key)
    {
        bool broken = value is null ? !allowNull
            : (maxLength is { } max && value.Length > max) || (minLength is { } min && value.Length < min) || (pattern is not null && !pattern.IsMatch(value));
        if (!broken)
        {
            return;
        }

        string field = key is null ? Item(Member(path, member), index) : Entry(Member(path, member), key);
        NotNull(value, field);
        MaxLength(value, maxLength ?? int.MaxValue, field);
        MinLength(value, minLength ?? 0, field);
        if (pattern is not null)
        {
            Pattern(value, pattern, field);
        }
    }

    /// <summary>The path of a member: <c>metadata</c>, or <c>messages[0].metadata</c> below a parent.</summary>
    public static string Member(string path, string name) => name.Length == 0 ? path : path.Length == 0 ? name : path + "." + name;

    /// <summary>The path of an array item: <c>messages[2]</c>.</summary>
    public static string Item(string path, int index) => path + "[" + index.ToString(CultureInfo.InvariantCulture) + "]";

    /// <summary>The path of a map entry: <c>metadata["key"]</c>.</summary>
    public static string Entry(string path, string key) => path + "[\"" + key + "\"]";

    private static ArgumentException Fail(string field, string problem) => new($"'{field}' {problem}.", field);

    private static string Shorten(string text) => text.Length <= 20 ? text : text.Substring(0, 20) + "...";
}
