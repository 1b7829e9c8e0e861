using System;
using System.Collections;
using System.Collections.Generic;
using System.Globalization;
using System.Linq;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using Specgen.Generator.Tests;
using Specgen.Runtime;

namespace Specgen.Conformance.Tests.Values;

/// <summary>
/// Turns a JSON value into the argument a generated method takes: generated models, enums and
/// unions through the generated resolver (the converters a user's app uses); scalars, nullable
/// wrappers, lists, dictionaries, raw JSON and files by hand.
/// </summary>
internal sealed class ClrValues(GeneratedAssembly generated)
{
    /// <exception cref="NoValueException">The value does not fit the type (a <see cref="JsonException"/> from a generated converter is its inner exception).</exception>
    public object? Convert(JsonNode? value, Type type)
    {
        if (Nullable.GetUnderlyingType(type) is { } underlying)
        {
            return value is null ? null : Convert(value, underlying);
        }

        if (type == typeof(JsonElement))
        {
            return JsonSerializer.SerializeToElement(value);
        }

        if (value is null)
        {
            return type.IsValueType ? throw new NoValueException($"null for the value type {type.Name}") : null;
        }

        if (type.Assembly == generated.Assembly)
        {
            try
            {
                return JsonSerializer.Deserialize(value.ToJsonString(), type, generated.JsonOptions);
            }
            catch (JsonException ex)
            {
                throw new GeneratedTypeRefusedException(type, ex);
            }
        }

        if (type == typeof(string))
        {
            return value is JsonValue text && text.TryGetValue(out string? s) ? s : value.ToJsonString();
        }

        if (type == typeof(FileUpload))
        {
            byte[] bytes = value is JsonValue content && content.TryGetValue(out string? data) ? Encoding.UTF8.GetBytes(data) : Encoding.UTF8.GetBytes(value.ToJsonString());
            return new FileUpload(bytes, "sweep.bin");
        }

        if (Scalar(value, type) is { } scalar)
        {
            return scalar;
        }

        if (ValueOfDictionary(type) is { } entry)
        {
            if (value is not JsonObject obj)
            {
                throw new NoValueException($"{value.ToJsonString()} is not an object for {Describe(type)}");
            }

            var dictionary = (IDictionary)Activator.CreateInstance(typeof(Dictionary<,>).MakeGenericType(typeof(string), entry))!;
            foreach ((string key, JsonNode? element) in obj)
            {
                dictionary[key] = Convert(element, entry);
            }

            return dictionary;
        }

        if (ElementOf(type, typeof(IEnumerable<>)) is { } item)
        {
            if (value is not JsonArray array)
            {
                throw new NoValueException($"{value.ToJsonString()} is not a list for {Describe(type)}");
            }

            var list = (IList)Activator.CreateInstance(typeof(List<>).MakeGenericType(item))!;
            foreach (JsonNode? element in array)
            {
                list.Add(Convert(element, item));
            }

            return list;
        }

        throw new NoValueException($"the sweep has no conversion to {Describe(type)}");
    }

    public static string Describe(Type type) =>
        type.IsGenericType ? $"{type.Name.Split('`')[0]}<{string.Join(", ", type.GetGenericArguments().Select(Describe))}>" : type.Name;

    private static object? Scalar(JsonNode value, Type type)
    {
        if (value is not JsonValue scalar)
        {
            return null;
        }

        JsonValueKind kind = scalar.GetValueKind();
        string text = kind == JsonValueKind.String ? scalar.GetValue<string>() : scalar.ToJsonString();
        try
        {
            return type switch
            {
                _ when type == typeof(long) => long.Parse(text, NumberStyles.Integer, CultureInfo.InvariantCulture),
                _ when type == typeof(int) => int.Parse(text, NumberStyles.Integer, CultureInfo.InvariantCulture),
                _ when type == typeof(short) => short.Parse(text, NumberStyles.Integer, CultureInfo.InvariantCulture),
                _ when type == typeof(sbyte) => sbyte.Parse(text, NumberStyles.Integer, CultureInfo.InvariantCulture),
                _ when type == typeof(byte) => byte.Parse(text, NumberStyles.Integer, CultureInfo.InvariantCulture),
                _ when type == typeof(ushort) => ushort.Parse(text, NumberStyles.Integer, CultureInfo.InvariantCulture),
                _ when type == typeof(uint) => uint.Parse(text, NumberStyles.Integer, CultureInfo.InvariantCulture),
                _ when type == typeof(ulong) => ulong.Parse(text, NumberStyles.Integer, CultureInfo.InvariantCulture),
                _ when type == typeof(double) => double.Parse(text, NumberStyles.Float, CultureInfo.InvariantCulture),
                _ when type == typeof(float) => float.Parse(text, NumberStyles.Float, CultureInfo.InvariantCulture),
                _ when type == typeof(decimal) => decimal.Parse(text, NumberStyles.Float, CultureInfo.InvariantCulture),
                _ when type == typeof(bool) => bool.Parse(text),
                _ when type == typeof(Guid) => Guid.Parse(text),
                _ when type == typeof(DateOnly) => DateOnly.ParseExact(text, "yyyy-MM-dd", CultureInfo.InvariantCulture),
                _ when type == typeof(byte[]) => System.Convert.FromBase64String(text),
                _ when type == typeof(DateTimeOffset) => kind == JsonValueKind.Number
                    ? DateTimeOffset.FromUnixTimeSeconds(long.Parse(text, CultureInfo.InvariantCulture))
                    : DateTimeOffset.Parse(text, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal),
                _ => null,
            };
        }
        catch (Exception ex) when (ex is FormatException or OverflowException)
        {
            throw new NoValueException($"{value.ToJsonString()} is not a {type.Name}: {ex.Message}");
        }
    }

    private static Type? ElementOf(Type type, Type generic) =>
        type.IsGenericType && type.GetGenericTypeDefinition() == generic ? type.GetGenericArguments()[0]
        : type.GetInterfaces().FirstOrDefault(i => i.IsGenericType && i.GetGenericTypeDefinition() == generic)?.GetGenericArguments()[0];

    private static Type? ValueOfDictionary(Type type)
    {
        foreach (Type candidate in type.GetInterfaces().Prepend(type))
        {
            if (candidate.IsGenericType && candidate.GetGenericTypeDefinition() is var definition
                && (definition == typeof(IDictionary<,>) || definition == typeof(IReadOnlyDictionary<,>) || definition == typeof(Dictionary<,>))
                && candidate.GetGenericArguments()[0] == typeof(string))
            {
                return candidate.GetGenericArguments()[1];
            }
        }

        return null;
    }
}

/// <summary>A generated type's converter refused the value written from the document.</summary>
internal sealed class GeneratedTypeRefusedException(Type type, JsonException inner)
    : NoValueException($"the generated {type.Name} cannot be read from the document's value: {inner.Message}")
{
    public Type Type { get; } = type;
}
