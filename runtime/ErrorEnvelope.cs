using System;
using System.Text.Json;

namespace Specgen.Runtime;

/// <summary>Reads the <c>{"error": {...}}</c> envelope without throwing on anything else.</summary>
internal static class ErrorEnvelope
{
    public static ApiError? TryParse(ReadOnlyMemory<byte> body)
    {
        if (body.Length == 0)
        {
            return null;
        }

        try
        {
            using JsonDocument document = JsonDocument.Parse(body);
            if (document.RootElement.ValueKind != JsonValueKind.Object
                || !document.RootElement.TryGetProperty("error", out JsonElement error)
                || error.ValueKind != JsonValueKind.Object)
            {
                return null;
            }

            return new ApiError(Text(error, "message"), Text(error, "type"), Text(error, "param"), Text(error, "code"));
        }
        catch (JsonException)
        {
            return null;
        }
    }

    // Codes are strings for OpenAI but numbers for some APIs; keep either as text.
    private static string? Text(JsonElement error, string name) =>
        error.TryGetProperty(name, out JsonElement value) ? value.ValueKind switch
        {
            JsonValueKind.String => value.GetString(),
            JsonValueKind.Number or JsonValueKind.True or JsonValueKind.False => value.GetRawText(),
            _ => null,
        } : null;
}
