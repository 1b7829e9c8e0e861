using System;
using System.Buffers;
using System.Collections.Generic;
using System.Text.Encodings.Web;
using System.Text.Json;
using System.Threading.Tasks;
using Microsoft.AspNetCore.Http;

namespace ThreadsServer;

/// <summary>
/// Writes the response shapes of the official API with <see cref="Utf8JsonWriter"/>
/// (no reflection): thread, message, list envelope, deletion status and error envelope.
/// Property order follows the official examples.
/// </summary>
internal static partial class JsonShapes
{
    private static readonly JsonWriterOptions WriterOptions = new()
    {
        // Like the real API: pretty-printed, and non-ASCII text left readable.
        Indented = true,
        Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping,
    };

    /// <summary>Writes a JSON response: builds it with <paramref name="write"/>, then sends it.</summary>
    public static Task RespondAsync(HttpContext context, Action<Utf8JsonWriter> write, int statusCode = StatusCodes.Status200OK)
    {
        var buffer = new ArrayBufferWriter<byte>();
        using (var writer = new Utf8JsonWriter(buffer, WriterOptions))
        {
            write(writer);
        }

        return SendAsync(context, statusCode, buffer);
    }

    public static Task SendAsync(HttpContext context, int statusCode, ArrayBufferWriter<byte> body)
    {
        context.Response.StatusCode = statusCode;
        context.Response.ContentType = "application/json";
        context.Response.ContentLength = body.WrittenCount;
        return context.Response.Body.WriteAsync(body.WrittenMemory, context.RequestAborted).AsTask();
    }

    /// <summary><c>ThreadObject</c>: id, object, created_at, metadata, tool_resources.</summary>
    public static void WriteThread(Utf8JsonWriter writer, ThreadRecord thread)
    {
        writer.WriteStartObject();
        writer.WriteString("id", thread.Id);
        writer.WriteString("object", "thread");
        writer.WriteNumber("created_at", thread.CreatedAt);
        WriteMetadata(writer, thread.Metadata);
        writer.WritePropertyName("tool_resources");
        thread.ToolResources.WriteTo(writer);
        writer.WriteEndObject();
    }

    /// <summary><c>MessageObject</c>, with every required member (nullable ones as null).</summary>
    public static void WriteMessage(Utf8JsonWriter writer, MessageRecord message)
    {
        writer.WriteStartObject();
        writer.WriteString("id", message.Id);
        writer.WriteString("object", "thread.message");
        writer.WriteNumber("created_at", message.CreatedAt);
        WriteNullableString(writer, "assistant_id", message.AssistantId);
        writer.WriteString("thread_id", message.ThreadId);
        WriteNullableString(writer, "run_id", message.RunId);
        writer.WriteString("status", message.Status);
        if (message.IncompleteReason is null)
        {
            writer.WriteNull("incomplete_details");
        }
        else
        {
            writer.WriteStartObject("incomplete_details");
            writer.WriteString("reason", message.IncompleteReason);
            writer.WriteEndObject();
        }

        WriteNullableNumber(writer, "completed_at", message.CompletedAt);
        WriteNullableNumber(writer, "incomplete_at", message.IncompleteAt);
        writer.WriteString("role", message.Role);
        writer.WritePropertyName("content");
        message.Content.WriteTo(writer);
        writer.WritePropertyName("attachments");
        message.Attachments.WriteTo(writer);
        WriteMetadata(writer, message.Metadata);
        writer.WriteEndObject();
    }

    /// <summary>
    /// A list envelope (<c>ListMessagesResponse</c>, <c>ListRunsResponse</c>, <c>ListRunStepsResponse</c>):
    /// first_id and last_id are null for an empty page.
    /// </summary>
    public static void WriteList<T>(Utf8JsonWriter writer, Page<T> page, Action<Utf8JsonWriter, T> writeItem, Func<T, string> idOf)
    {
        writer.WriteStartObject();
        writer.WriteString("object", "list");
        writer.WriteStartArray("data");
        foreach (var item in page.Data)
        {
            writeItem(writer, item);
        }

        writer.WriteEndArray();
        WriteNullableString(writer, "first_id", page.Data.Count > 0 ? idOf(page.Data[0]) : null);
        WriteNullableString(writer, "last_id", page.Data.Count > 0 ? idOf(page.Data[^1]) : null);
        writer.WriteBoolean("has_more", page.HasMore);
        writer.WriteEndObject();
    }

    /// <summary><c>DeleteThreadResponse</c> / <c>DeleteMessageResponse</c>.</summary>
    public static void WriteDeleted(Utf8JsonWriter writer, string id, string objectType)
    {
        writer.WriteStartObject();
        writer.WriteString("id", id);
        writer.WriteString("object", objectType);
        writer.WriteBoolean("deleted", true);
        writer.WriteEndObject();
    }

    /// <summary><c>ErrorResponse</c>: <c>{"error": {"message", "type", "param", "code"}}</c>.</summary>
    public static void WriteError(Utf8JsonWriter writer, string message, string type, string? param, string? code)
    {
        writer.WriteStartObject();
        writer.WriteStartObject("error");
        writer.WriteString("message", message);
        writer.WriteString("type", type);
        WriteNullableString(writer, "param", param);
        WriteNullableString(writer, "code", code);
        writer.WriteEndObject();
        writer.WriteEndObject();
    }

    private static void WriteMetadata(Utf8JsonWriter writer, IReadOnlyDictionary<string, string> metadata)
    {
        writer.WriteStartObject("metadata");
        foreach (var (key, value) in metadata)
        {
            writer.WriteString(key, value);
        }

        writer.WriteEndObject();
    }

    private static void WriteNullableNumber(Utf8JsonWriter writer, string name, long? value)
    {
        if (value is { } number)
        {
            writer.WriteNumber(name, number);
        }
        else
        {
            writer.WriteNull(name);
        }
    }

    private static void WriteNullableString(Utf8JsonWriter writer, string name, string? value)
    {
        if (value is null)
        {
            writer.WriteNull(name);
        }
        else
        {
            writer.WriteString(name, value);
        }
    }
}
