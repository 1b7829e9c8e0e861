using System;
using System.Collections.Generic;
using System.Globalization;
using System.Text.RegularExpressions;

namespace Specgen.Runtime;

/// <summary>
/// Checks of the spec's constraint keywords, called by generated code before a request leaves so
/// that an invalid value fails fast with the field and the limit named, and nothing is sent.
/// </summary>
public static class Validate
{
    /// <summary><c>maxLength</c> of a string.</summary>
    public static void MaxLength(string? value, int limit, string field)
    {
        if (value is not null && value.Length > limit)
        {
            throw Fail(field, $"is {value.Length} characters long; the spec allows at most {limit} (maxLength)");
        }
    }

    /// <summary><c>minLength</c> of a string.</summary>
    public static void MinLength(string? value, int limit, string field)
    {
        if (value is not null && value.Length < limit)
        {
            throw Fail(field, $"is {value.Length} characters long; the spec requires at least {limit} (minLength)");
        }
    }

    /// <summary><c>pattern</c> of a string.</summary>
    public static void Pattern(string? value, Regex pattern, string field)
    {
        if (value is not null && !pattern.IsMatch(value))
        {
            throw Fail(field, $"does not match the pattern '{pattern}'");
        }
    }

    /// <summary><c>maxItems</c> of an array.</summary>
    public static void MaxItems<T>(ICollection<T>? value, int limit, string field)
    {
        if (value is not null && value.Count > limit)
        {
            throw Fail(field, $"has {value.Count} items; the spec allows at most {limit} (maxItems)");
        }
    }

    /// <summary><c>minItems</c> of an array.</summary>
    public static void MinItems<T>(ICollection<T>? value, int limit, string field)
    {
        if (value is not null && value.Count < limit)
        {
            throw Fail(field, $"has {value.Count} items; the spec requires at least {limit} (minItems)");
        }
    }

    /// <summary><c>maxProperties</c> of a map.</summary>
    public static void MaxProperties<T>(IDictionary<string, T>? value, int limit, string field)
    {
        if (value is not null && value.Count > limit)
        {
            throw Fail(field, $"has {value.Count} entries; the spec allows at most {limit} (maxProperties)");
        }
    }

    /// <summary><c>minProperties</c> of a map.</summary>
    public static void MinProperties<T>(IDictionary<string, T>? value, int limit, string field)
    {
        if (value is not null && value.Count < limit)
        {
            throw Fail(field, $"has {value.Count} entries; the spec requires at least {limit} (minProperties)");
        }
    }

    /// <summary><c>propertyNames: {maxLength}</c> of a map.</summary>
    public static void MaxKeyLength<T>(IDictionary<string, T>? value, int limit, string field)
    {
        if (value is null)
        {
            return;
        }

        foreach (string key in value.Keys)
        {
            if (key.Length > limit)
            {
                throw Fail(field, $"has the key '{Shorten(key)}' of {key.Length} characters; the spec allows keys of at most {limit} (propertyNames.maxLength)");
            }
        }
    }

    /// <summary><c>minimum</c> of a number.</summary>
    public static void Minimum(double? value, double limit, string field)
    {
        if (value is not null && value.Value < limit)
        {
            throw Fail(field, $"is {value.Value.ToString(CultureInfo.InvariantCulture)}; the spec requires at least {limit.ToString(CultureInfo.InvariantCulture)} (minimum)");
        }
    }

    /// <summary><c>maximum</c> of a number.</summary>
    public static void Maximum(double? value, double limit, string field)
    {
        if (value is not null && value.Value > limit)
        {
            throw Fail(field, $"is {value.Value.ToString(CultureInfo.InvariantCulture)}; the spec allows at most {limit.ToString(CultureInfo.InvariantCulture)} (maximum)");
        }
    }

    /// <summary>A required reference the caller left <see langword="null"/>.</summary>
    public static void NotNull(object? value, string field)
    {
        if (value is null)
        {
            throw Fail(field, "is required by the spec but is null");
        }
    }

    /// <summary>The path of a member: <c>metadata</c>, or <c>messages[0].metadata</c> below a parent.</summary>
    public static string Member(string path, string name) => path.Length == 0 ? name : path + "." + name;

    /// <summary>The path of an array item: <c>messages[2]</c>.</summary>
    public static string Item(string path, int index) => path + "[" + index.ToString(CultureInfo.InvariantCulture) + "]";

    /// <summary>The path of a map entry: <c>metadata["key"]</c>.</summary>
    public static string Entry(string path, string key) => path + "[\"" + key + "\"]";

    private static ArgumentException Fail(string field, string problem) => new($"'{field}' {problem}.", field);

    private static string Shorten(string text) => text.Length <= 20 ? text : text.Substring(0, 20) + "...";
}
