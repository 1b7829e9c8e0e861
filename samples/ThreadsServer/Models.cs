using System.Collections.Generic;
using System.Text.Json;

namespace ThreadsServer;

// The server's state is a set of immutable records: the store swaps whole records on
// modification, so a record read under the store's lock can be serialized after it.
// JSON fragments (content parts, attachments, tool resources) are kept as cloned,
// already-normalized JsonElements, which are safe to read from several threads.

/// <summary>A stored thread (OpenAI's <c>ThreadObject</c>).</summary>
internal sealed record ThreadRecord(
    string Id,
    long CreatedAt,
    JsonElement ToolResources,
    IReadOnlyDictionary<string, string> Metadata);

/// <summary>
/// A stored message (OpenAI's <c>MessageObject</c>). <c>Sequence</c> is the creation order across
/// the whole server: it orders messages created in the same second.
/// </summary>
internal sealed record MessageRecord(
    string Id,
    long Sequence,
    long CreatedAt,
    string ThreadId,
    string Role,
    JsonElement Content,
    JsonElement Attachments,
    IReadOnlyDictionary<string, string> Metadata,
    string? AssistantId,
    string? RunId);

/// <summary>A validated <c>CreateMessageRequest</c>, already in response shape.</summary>
internal sealed record NewMessage(
    string Role,
    JsonElement Content,
    JsonElement Attachments,
    IReadOnlyDictionary<string, string> Metadata);

/// <summary>A validated <c>CreateThreadRequest</c>.</summary>
internal sealed record NewThread(
    IReadOnlyList<NewMessage> Messages,
    JsonElement ToolResources,
    IReadOnlyDictionary<string, string> Metadata);

/// <summary>A validated <c>ModifyThreadRequest</c>; a null member was absent and is left unchanged.</summary>
internal sealed record ThreadChanges(
    JsonElement? ToolResources,
    IReadOnlyDictionary<string, string>? Metadata);

/// <summary>Validated <c>listMessages</c> query parameters.</summary>
internal sealed record MessageListQuery(
    int Limit,
    bool Descending,
    string? After,
    string? Before,
    string? RunId);

/// <summary>One page of <c>listMessages</c>, in the requested order.</summary>
internal sealed record MessagePage(IReadOnlyList<MessageRecord> Data, bool HasMore);
