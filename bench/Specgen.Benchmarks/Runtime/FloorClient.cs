using System;
using System.Collections.Generic;
using System.IO;
using System.Net.Http;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Net.ServerSentEvents;
using System.Runtime.CompilerServices;
using System.Text.Json;
using System.Text.Json.Serialization;
using System.Text.Json.Serialization.Metadata;
using System.Threading;
using System.Threading.Tasks;

namespace Specgen.Benchmarks.Runtime;

/// <summary>
/// The floor: what a careful developer writes by hand for the same calls, with HttpClient and
/// System.Text.Json's source generator. No validation, no typed errors, no retries, no extension
/// data: the least work that still sends the same requests and reads the same responses.
/// </summary>
internal sealed class FloorClient(HttpClient http, Uri baseAddress, string apiKey)
{
    private readonly string _root = baseAddress.ToString().TrimEnd('/');
    private readonly AuthenticationHeaderValue _authorization = new("Bearer", apiKey);

    public Task<FloorThread> CreateThreadAsync(FloorCreateThread body, CancellationToken ct = default) =>
        SendAsync(HttpMethod.Post, "/threads", body, FloorJson.Default.FloorCreateThread, FloorJson.Default.FloorThread, ct);

    public Task<FloorThread> GetThreadAsync(string threadId, CancellationToken ct = default) =>
        SendAsync<object, FloorThread>(HttpMethod.Get, "/threads/" + Uri.EscapeDataString(threadId), null, null, FloorJson.Default.FloorThread, ct);

    public Task<FloorThread> ModifyThreadAsync(string threadId, FloorModify body, CancellationToken ct = default) =>
        SendAsync(HttpMethod.Post, "/threads/" + Uri.EscapeDataString(threadId), body, FloorJson.Default.FloorModify, FloorJson.Default.FloorThread, ct);

    public Task<FloorDeleted> DeleteThreadAsync(string threadId, CancellationToken ct = default) =>
        SendAsync<object, FloorDeleted>(HttpMethod.Delete, "/threads/" + Uri.EscapeDataString(threadId), null, null, FloorJson.Default.FloorDeleted, ct);

    public Task<FloorMessage> CreateMessageAsync(string threadId, FloorCreateMessage body, CancellationToken ct = default) =>
        SendAsync(HttpMethod.Post, $"/threads/{Uri.EscapeDataString(threadId)}/messages", body, FloorJson.Default.FloorCreateMessage, FloorJson.Default.FloorMessage, ct);

    public Task<FloorMessage> GetMessageAsync(string threadId, string messageId, CancellationToken ct = default) =>
        SendAsync<object, FloorMessage>(HttpMethod.Get, $"/threads/{Uri.EscapeDataString(threadId)}/messages/{Uri.EscapeDataString(messageId)}", null, null, FloorJson.Default.FloorMessage, ct);

    public Task<FloorMessage> ModifyMessageAsync(string threadId, string messageId, FloorModify body, CancellationToken ct = default) =>
        SendAsync(HttpMethod.Post, $"/threads/{Uri.EscapeDataString(threadId)}/messages/{Uri.EscapeDataString(messageId)}", body, FloorJson.Default.FloorModify, FloorJson.Default.FloorMessage, ct);

    public Task<FloorDeleted> DeleteMessageAsync(string threadId, string messageId, CancellationToken ct = default) =>
        SendAsync<object, FloorDeleted>(HttpMethod.Delete, $"/threads/{Uri.EscapeDataString(threadId)}/messages/{Uri.EscapeDataString(messageId)}", null, null, FloorJson.Default.FloorDeleted, ct);

    public Task<FloorMessageList> ListMessagesAsync(string threadId, int? limit = null, string? after = null, CancellationToken ct = default)
    {
        string query = (limit, after) switch
        {
            (null, null) => string.Empty,
            (_, null) => $"?limit={limit}",
            (null, _) => $"?after={Uri.EscapeDataString(after)}",
            _ => $"?limit={limit}&after={Uri.EscapeDataString(after)}",
        };
        return SendAsync<object, FloorMessageList>(HttpMethod.Get, $"/threads/{Uri.EscapeDataString(threadId)}/messages{query}", null, null, FloorJson.Default.FloorMessageList, ct);
    }

    public async IAsyncEnumerable<FloorMessage> ListAllMessagesAsync(string threadId, int? limit = null, [EnumeratorCancellation] CancellationToken ct = default)
    {
        string? after = null;
        while (true)
        {
            FloorMessageList page = await ListMessagesAsync(threadId, limit, after, ct).ConfigureAwait(false);
            foreach (FloorMessage message in page.Data)
            {
                yield return message;
            }

            if (!page.HasMore || page.LastId is null)
            {
                yield break;
            }

            after = page.LastId;
        }
    }

    /// <summary>
    /// A streamed run: each event's data read by System.Text.Json straight from the parser's bytes
    /// (<see cref="FloorRun"/>, <see cref="FloorRunStep"/>, <see cref="FloorMessage"/> or
    /// <see cref="FloorMessageDelta"/> by the event's name); the enumeration ends at <c>done</c>.
    /// </summary>
    public async IAsyncEnumerable<object> StreamRunAsync(string threadId, FloorCreateRun body, [EnumeratorCancellation] CancellationToken ct = default)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, $"{_root}/threads/{Uri.EscapeDataString(threadId)}/runs");
        request.Headers.Authorization = _authorization;
        request.Headers.TryAddWithoutValidation("OpenAI-Beta", "assistants=v2");
        request.Headers.TryAddWithoutValidation("Accept", "text/event-stream");
        request.Content = JsonContent.Create(body, FloorJson.Default.FloorCreateRun);
        using HttpResponseMessage response = await http.SendAsync(request, HttpCompletionOption.ResponseHeadersRead, ct).ConfigureAwait(false);
        response.EnsureSuccessStatusCode();
        await using var stream = await response.Content.ReadAsStreamAsync(ct).ConfigureAwait(false);
        await foreach (SseItem<object?> item in SseParser.Create(stream, ParseEvent).EnumerateAsync(ct).ConfigureAwait(false))
        {
            if (item.Data is null)
            {
                yield break;
            }

            yield return item.Data;
        }
    }

    private static readonly object UnknownEvent = new();

    private static object? ParseEvent(string eventType, ReadOnlySpan<byte> data) => eventType switch
    {
        "done" => null,
        "thread.message.delta" => JsonSerializer.Deserialize(data, FloorJson.Default.FloorMessageDelta),
        _ when eventType.StartsWith("thread.run.step.", StringComparison.Ordinal) => JsonSerializer.Deserialize(data, FloorJson.Default.FloorRunStep),
        _ when eventType.StartsWith("thread.run.", StringComparison.Ordinal) => JsonSerializer.Deserialize(data, FloorJson.Default.FloorRun),
        _ when eventType.StartsWith("thread.message.", StringComparison.Ordinal) => JsonSerializer.Deserialize(data, FloorJson.Default.FloorMessage),
        _ => UnknownEvent,
    };

    /// <summary>
    /// <c>POST /files</c>: the file streamed from <paramref name="file"/> (disposed with the request)
    /// in a <c>multipart/form-data</c> body, as the documentation of <see cref="MultipartFormDataContent"/> shows.
    /// </summary>
    public Task<FloorFile> UploadFileAsync(Stream file, string fileName, string purpose, CancellationToken ct = default)
    {
        var content = new MultipartFormDataContent();
        var fileContent = new StreamContent(file);
        fileContent.Headers.ContentType = new MediaTypeHeaderValue("application/octet-stream");
        content.Add(fileContent, "file", fileName);
        content.Add(new StringContent(purpose), "purpose");
        return SendAsync(HttpMethod.Post, "/files", content, FloorJson.Default.FloorFile, ct);
    }

    private Task<TResponse> SendAsync<TRequest, TResponse>(HttpMethod method, string path, TRequest? body, JsonTypeInfo<TRequest>? requestInfo, JsonTypeInfo<TResponse> responseInfo, CancellationToken ct) =>
        SendAsync(method, path, body is not null && requestInfo is not null ? JsonContent.Create(body, requestInfo) : null, responseInfo, ct);

    private async Task<TResponse> SendAsync<TResponse>(HttpMethod method, string path, HttpContent? content, JsonTypeInfo<TResponse> responseInfo, CancellationToken ct)
    {
        using var request = new HttpRequestMessage(method, _root + path);
        request.Headers.Authorization = _authorization;
        request.Headers.TryAddWithoutValidation("OpenAI-Beta", "assistants=v2");
        request.Content = content;

        using HttpResponseMessage response = await http.SendAsync(request, HttpCompletionOption.ResponseHeadersRead, ct).ConfigureAwait(false);
        response.EnsureSuccessStatusCode();
        await using var stream = await response.Content.ReadAsStreamAsync(ct).ConfigureAwait(false);
        return await JsonSerializer.DeserializeAsync(stream, responseInfo, ct).ConfigureAwait(false)
            ?? throw new JsonException("The response body is null.");
    }
}

public sealed class FloorThread
{
    [JsonPropertyName("id")] public required string Id { get; set; }
    [JsonPropertyName("object")] public string Object { get; set; } = "thread";
    [JsonPropertyName("created_at")] public long CreatedAt { get; set; }
    [JsonPropertyName("metadata")] public Dictionary<string, string>? Metadata { get; set; }
    [JsonPropertyName("tool_resources")] public JsonElement? ToolResources { get; set; }
}

public sealed class FloorMessage
{
    [JsonPropertyName("id")] public required string Id { get; set; }
    [JsonPropertyName("object")] public string Object { get; set; } = "thread.message";
    [JsonPropertyName("created_at")] public long CreatedAt { get; set; }
    [JsonPropertyName("assistant_id")] public string? AssistantId { get; set; }
    [JsonPropertyName("thread_id")] public required string ThreadId { get; set; }
    [JsonPropertyName("run_id")] public string? RunId { get; set; }
    [JsonPropertyName("status")] public string? Status { get; set; }
    [JsonPropertyName("incomplete_details")] public JsonElement? IncompleteDetails { get; set; }
    [JsonPropertyName("completed_at")] public long? CompletedAt { get; set; }
    [JsonPropertyName("incomplete_at")] public long? IncompleteAt { get; set; }
    [JsonPropertyName("role")] public required string Role { get; set; }
    [JsonPropertyName("content")] public required List<FloorContent> Content { get; set; }
    [JsonPropertyName("attachments")] public List<JsonElement>? Attachments { get; set; }
    [JsonPropertyName("metadata")] public Dictionary<string, string>? Metadata { get; set; }
}

public sealed class FloorContent
{
    [JsonPropertyName("type")] public required string Type { get; set; }
    [JsonPropertyName("text")] public FloorText? Text { get; set; }
}

public sealed class FloorText
{
    [JsonPropertyName("value")] public required string Value { get; set; }
    [JsonPropertyName("annotations")] public List<JsonElement>? Annotations { get; set; }
}

public sealed class FloorMessageList
{
    [JsonPropertyName("object")] public string Object { get; set; } = "list";
    [JsonPropertyName("data")] public required List<FloorMessage> Data { get; set; }
    [JsonPropertyName("first_id")] public string? FirstId { get; set; }
    [JsonPropertyName("last_id")] public string? LastId { get; set; }
    [JsonPropertyName("has_more")] public bool HasMore { get; set; }
}

public sealed class FloorDeleted
{
    [JsonPropertyName("id")] public required string Id { get; set; }
    [JsonPropertyName("object")] public required string Object { get; set; }
    [JsonPropertyName("deleted")] public bool Deleted { get; set; }
}

public sealed class FloorFile
{
    [JsonPropertyName("id")] public required string Id { get; set; }
    [JsonPropertyName("object")] public string Object { get; set; } = "file";
    [JsonPropertyName("bytes")] public long Bytes { get; set; }
    [JsonPropertyName("created_at")] public long CreatedAt { get; set; }
    [JsonPropertyName("filename")] public required string FileName { get; set; }
    [JsonPropertyName("purpose")] public required string Purpose { get; set; }
    [JsonPropertyName("status")] public string? Status { get; set; }
}

public sealed class FloorCreateThread
{
    [JsonPropertyName("messages")] public List<FloorCreateMessage>? Messages { get; set; }
    [JsonPropertyName("metadata")] public Dictionary<string, string>? Metadata { get; set; }
}

public sealed class FloorCreateMessage
{
    [JsonPropertyName("role")] public required string Role { get; set; }
    [JsonPropertyName("content")] public required string Content { get; set; }
}

public sealed class FloorModify
{
    [JsonPropertyName("metadata")] public Dictionary<string, string>? Metadata { get; set; }
}

public sealed class FloorCreateRun
{
    [JsonPropertyName("assistant_id")] public required string AssistantId { get; set; }
    [JsonPropertyName("stream")] public bool Stream { get; set; }
}

public sealed class FloorRun
{
    [JsonPropertyName("id")] public required string Id { get; set; }
    [JsonPropertyName("object")] public string Object { get; set; } = "thread.run";
    [JsonPropertyName("created_at")] public long CreatedAt { get; set; }
    [JsonPropertyName("assistant_id")] public required string AssistantId { get; set; }
    [JsonPropertyName("thread_id")] public required string ThreadId { get; set; }
    [JsonPropertyName("status")] public required string Status { get; set; }
    [JsonPropertyName("started_at")] public long? StartedAt { get; set; }
    [JsonPropertyName("expires_at")] public long? ExpiresAt { get; set; }
    [JsonPropertyName("completed_at")] public long? CompletedAt { get; set; }
    [JsonPropertyName("model")] public required string Model { get; set; }
    [JsonPropertyName("instructions")] public string? Instructions { get; set; }
    [JsonPropertyName("tools")] public List<JsonElement>? Tools { get; set; }
    [JsonPropertyName("metadata")] public Dictionary<string, string>? Metadata { get; set; }
    [JsonPropertyName("temperature")] public double? Temperature { get; set; }
    [JsonPropertyName("top_p")] public double? TopP { get; set; }
    [JsonPropertyName("truncation_strategy")] public JsonElement? TruncationStrategy { get; set; }
    [JsonPropertyName("response_format")] public JsonElement? ResponseFormat { get; set; }
    [JsonPropertyName("tool_choice")] public JsonElement? ToolChoice { get; set; }
    [JsonPropertyName("parallel_tool_calls")] public bool ParallelToolCalls { get; set; }
}

public sealed class FloorRunStep
{
    [JsonPropertyName("id")] public required string Id { get; set; }
    [JsonPropertyName("object")] public string Object { get; set; } = "thread.run.step";
    [JsonPropertyName("created_at")] public long CreatedAt { get; set; }
    [JsonPropertyName("run_id")] public required string RunId { get; set; }
    [JsonPropertyName("type")] public required string Type { get; set; }
    [JsonPropertyName("status")] public required string Status { get; set; }
    [JsonPropertyName("step_details")] public JsonElement? StepDetails { get; set; }
}

public sealed class FloorMessageDelta
{
    [JsonPropertyName("id")] public required string Id { get; set; }
    [JsonPropertyName("object")] public string Object { get; set; } = "thread.message.delta";
    [JsonPropertyName("delta")] public required FloorDeltaBody Delta { get; set; }
}

public sealed class FloorDeltaBody
{
    [JsonPropertyName("role")] public string? Role { get; set; }
    [JsonPropertyName("content")] public List<FloorDeltaContent>? Content { get; set; }
}

public sealed class FloorDeltaContent
{
    [JsonPropertyName("index")] public int Index { get; set; }
    [JsonPropertyName("type")] public required string Type { get; set; }
    [JsonPropertyName("text")] public FloorText? Text { get; set; }
}

[JsonSourceGenerationOptions(DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull)]
[JsonSerializable(typeof(FloorThread))]
[JsonSerializable(typeof(FloorMessage))]
[JsonSerializable(typeof(FloorMessageList))]
[JsonSerializable(typeof(FloorDeleted))]
[JsonSerializable(typeof(FloorCreateThread))]
[JsonSerializable(typeof(FloorCreateMessage))]
[JsonSerializable(typeof(FloorModify))]
[JsonSerializable(typeof(FloorCreateRun))]
[JsonSerializable(typeof(FloorRun))]
[JsonSerializable(typeof(FloorRunStep))]
[JsonSerializable(typeof(FloorMessageDelta))]
[JsonSerializable(typeof(FloorFile))]
internal sealed partial class FloorJson : JsonSerializerContext;
