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
/// the whole server: it orders messages created in the same second. Messages created through the
/// API are <c>completed</c> from the start (with a null <c>completed_at</c>, like the real API's);
/// an assistant's reply written by a run is <c>in_progress</c> until the run finishes it.
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
    string? RunId,
    string Status = "completed",
    long? CompletedAt = null,
    long? IncompleteAt = null,
    string? IncompleteReason = null);

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

/// <summary>Validated query parameters of the list operations (<c>run_id</c> is <c>listMessages</c>' only).</summary>
internal sealed record ListQuery(
    int Limit,
    bool Descending,
    string? After,
    string? Before,
    string? RunId);

/// <summary>One page of a list operation, in the requested order.</summary>
internal sealed record Page<T>(IReadOnlyList<T> Data, bool HasMore);
