using System;
using System.Collections.Generic;
using System.Globalization;
using System.Text.Json;

namespace Specgen.Runtime;

/// <summary>Small helpers the generated JSON converters share, so each converter stays short.</summary>
/// <remarks>Not meant to be called by hand; the signatures follow what the generator emits.</remarks>
public static class JsonSupport
{
    // RFC 3339's full-date, read as DateOnly or (on older frameworks) DateTime.
    private const string FullDate = "yyyy-MM-dd";

    [ThreadStatic]
    private static int t_requestDepth;

    /// <summary>
    /// Whether the JSON being written on this thread is part of a request (a body, a parameter):
    /// generated writers then leave out <c>readOnly</c> members, which only the server sets.
    /// </summary>
    public static bool IsWritingRequest => t_requestDepth > 0;

    /// <summary>Marks the writes on this thread until the scope ends as a request's.</summary>
    internal static RequestScope BeginRequest()
    {
        t_requestDepth++;
        return default;
    }

    /// <summary>The extent of <see cref="BeginRequest"/>.</summary>
    internal readonly struct RequestScope : IDisposable
    {
        public void Dispose() => t_requestDepth--;
    }

    /// <summary>Throws unless the reader is on <paramref name="expected"/>.</summary>
    public static void Expect(ref Utf8JsonReader reader, JsonTokenType expected, string typeName)
    {
        if (reader.TokenType != expected)
        {
            throw new JsonException($"Expected {expected} for {typeName} but found {reader.TokenType}.");
        }
    }

    /// <summary>Moves to the next token, throwing when the input ends (a truncated body).</summary>
    public static void Next(ref Utf8JsonReader reader)
    {
        if (!reader.Read())
        {
            throw new JsonException("The JSON ended early.");
        }
    }

    /// <summary>The exception for a required member the JSON did not contain.</summary>
    public static JsonException MissingRequired(string typeName, string jsonName) =>
        new($"The JSON for {typeName} has no '{jsonName}', which the spec requires.");

    /// <summary>
    /// Reads a member whose value the spec fixes (OpenAI's <c>object</c> and <c>type</c>): the
    /// <paramref name="constant"/> itself when the JSON holds it (no new string per object), null
    /// for a JSON null, and any other string as it is.
    /// </summary>
    public static string? ReadConstant(ref Utf8JsonReader reader, ReadOnlySpan<byte> utf8, string constant) =>
        reader.TokenType == JsonTokenType.String && reader.ValueTextEquals(utf8) ? constant
        : reader.TokenType == JsonTokenType.Null ? null
        : ReadString(ref reader);

    /// <summary>
    /// The error for the first required member a JSON object lacked, where bit <c>i</c> of
    /// <paramref name="seen"/> says whether the <c>i</c>-th of <paramref name="jsonNames"/> was read.
    /// </summary>
    public static JsonException MissingRequired(string typeName, ulong seen, params string[] jsonNames)
    {
        for (int i = 0; i < jsonNames.Length && i < 64; i++)
        {
            if ((seen & (1UL << i)) == 0)
            {
                return MissingRequired(typeName, jsonNames[i]);
            }
        }

        return new JsonException($"The JSON for {typeName} lacks a member the spec requires.");
    }

    /// <summary>Reads a string, rejecting other tokens.</summary>
    public static string ReadString(ref Utf8JsonReader reader) =>
        reader.TokenType == JsonTokenType.String ? reader.GetString()! : throw new JsonException($"Expected a string but found {reader.TokenType}.");

    /// <summary>Reads Unix seconds as a <see cref="DateTimeOffset"/> in UTC.</summary>
    public static DateTimeOffset ReadUnixTime(ref Utf8JsonReader reader)
    {
        long seconds = reader.GetInt64();
        if (seconds < MinUnixSeconds || seconds > MaxUnixSeconds)
        {
            throw new JsonException($"The timestamp {seconds} is outside the range of DateTimeOffset (years 1 to 9999).");
        }

        return DateTimeOffset.FromUnixTimeSeconds(seconds);
    }

    /// <summary>Reads an RFC 3339 <c>date-time</c>, its offset kept; the error names <paramref name="what"/>.</summary>
    public static DateTimeOffset ReadDateTime(ref Utf8JsonReader reader, string what) =>
        reader.TokenType == JsonTokenType.String && reader.TryGetDateTimeOffset(out DateTimeOffset value)
            ? value
            : throw FormatError(ref reader, what, "an RFC 3339 date-time");

#if NET
    /// <summary>Reads an RFC 3339 <c>full-date</c> (<c>yyyy-MM-dd</c>); the error names <paramref name="what"/>.</summary>
    public static DateOnly ReadDate(ref Utf8JsonReader reader, string what) =>
        reader.TokenType == JsonTokenType.String
        && DateOnly.TryParseExact(reader.GetString(), FullDate, CultureInfo.InvariantCulture, DateTimeStyles.None, out DateOnly value)
            ? value
            : throw FormatError(ref reader, what, "a date (" + FullDate + ")");

    /// <summary>Writes a <see cref="DateOnly"/> as <c>yyyy-MM-dd</c>.</summary>
    public static void WriteDate(Utf8JsonWriter writer, DateOnly value) =>
        writer.WriteStringValue(value.ToString(FullDate, CultureInfo.InvariantCulture));
#endif

    /// <summary>
    /// Reads an RFC 3339 <c>full-date</c> (<c>yyyy-MM-dd</c>) as midnight of that day, of unspecified kind:
    /// <c>format: date</c> where the framework has no <c>DateOnly</c> (.NET Framework, .NET Standard).
    /// </summary>
    public static DateTime ReadDateAsDateTime(ref Utf8JsonReader reader, string what) =>
        reader.TokenType == JsonTokenType.String
        && DateTime.TryParseExact(reader.GetString(), FullDate, CultureInfo.InvariantCulture, DateTimeStyles.None, out DateTime value)
            ? value
            : throw FormatError(ref reader, what, "a date (" + FullDate + ")");

    /// <summary>Writes the date of a <see cref="DateTime"/> as <c>yyyy-MM-dd</c> (the time of day is not sent).</summary>
    public static void WriteDateAsDateTime(Utf8JsonWriter writer, DateTime value) =>
        writer.WriteStringValue(value.ToString(FullDate, CultureInfo.InvariantCulture));

    /// <summary>Reads a <c>uuid</c> (with or without braces and hyphens, any case); the error names <paramref name="what"/>.</summary>
    public static Guid ReadUuid(ref Utf8JsonReader reader, string what) =>
        reader.TokenType == JsonTokenType.String && Guid.TryParse(reader.GetString(), out Guid value)
            ? value
            : throw FormatError(ref reader, what, "a UUID");

    /// <summary>Reads base64 text (<c>format: byte</c>) as its bytes; the error names <paramref name="what"/>.</summary>
    public static byte[] ReadBase64(ref Utf8JsonReader reader, string what) =>
        reader.TokenType == JsonTokenType.String && reader.TryGetBytesFromBase64(out byte[]? value)
            ? value
            : throw FormatError(ref reader, what, "base64 text");

    // Names the member and the format, and quotes a short value: enough to see what the server sent.
    private static JsonException FormatError(ref Utf8JsonReader reader, string what, string format)
    {
        if (reader.TokenType != JsonTokenType.String)
        {
            return new JsonException($"{what} should be {format} but is a JSON {reader.TokenType}.");
        }

        string text = reader.GetString()!;
        string shown = text.Length <= 40 ? text : text.Substring(0, 40) + "…";
        return new JsonException($"{what} should be {format} but is \"{shown}\".");
    }

    private static readonly long MinUnixSeconds = DateTimeOffset.MinValue.ToUnixTimeSeconds();

    private static readonly long MaxUnixSeconds = DateTimeOffset.MaxValue.ToUnixTimeSeconds();

    /// <summary>Writes a <see cref="DateTimeOffset"/> as Unix seconds.</summary>
    public static void WriteUnixTime(Utf8JsonWriter writer, DateTimeOffset value) =>
        writer.WriteNumberValue(value.ToUnixTimeSeconds());

    /// <summary>Keeps a member the spec does not declare so that it can be written back unchanged.</summary>
    public static void CaptureUnknown(ref Utf8JsonReader reader, string name, ref Dictionary<string, JsonElement>? unknown)
    {
        unknown ??= new Dictionary<string, JsonElement>(StringComparer.Ordinal);
        unknown[name] = JsonElement.ParseValue(ref reader);
    }

    /// <summary>Writes members kept by <see cref="CaptureUnknown"/>.</summary>
    public static void WriteUnknown(Utf8JsonWriter writer, IDictionary<string, JsonElement>? unknown)
    {
        if (unknown is null)
        {
            return;
        }

        foreach (KeyValuePair<string, JsonElement> member in unknown)
        {
            writer.WritePropertyName(member.Key);
            member.Value.WriteTo(writer);
        }
    }

    /// <summary>
    /// Finds the string value of a top-level member without moving <paramref name="reader"/>
    /// (it reads a copy), to choose the variant of a discriminated union.
    /// </summary>
    public static string? PeekDiscriminator(Utf8JsonReader reader, string propertyName)
    {
        if (reader.TokenType != JsonTokenType.StartObject)
        {
            return null;
        }

        int depth = reader.CurrentDepth;
        while (reader.Read())
        {
            if (reader.TokenType == JsonTokenType.EndObject && reader.CurrentDepth == depth)
            {
                return null;
            }

            if (reader.TokenType == JsonTokenType.PropertyName && reader.CurrentDepth == depth + 1)
            {
                bool match = reader.ValueTextEquals(propertyName);
                reader.Read();
                if (match)
                {
                    return reader.TokenType == JsonTokenType.String ? reader.GetString() : null;
                }

                reader.Skip();
            }
        }

        return null;
    }
}
