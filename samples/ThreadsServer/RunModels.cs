using System.Collections.Generic;
using System.Text.Json;

namespace ThreadsServer;

// Runs and run steps follow the same rule as threads and messages: immutable records, swapped
// whole by the store, so a snapshot read under the lock can be serialized (or streamed) after it.

/// <summary>The run statuses, spelled as on the wire.</summary>
internal static class RunStatus
{
    public const string Queued = "queued";
    public const string InProgress = "in_progress";
    public const string RequiresAction = "requires_action";
    public const string Cancelling = "cancelling";
    public const string Cancelled = "cancelled";
    public const string Failed = "failed";
    public const string Completed = "completed";
    public const string Incomplete = "incomplete";
    public const string Expired = "expired";

    /// <summary>Statuses a run never leaves.</summary>
    public static bool IsTerminal(string status) =>
        status is Cancelled or Failed or Completed or Incomplete or Expired;
}

/// <summary>Token counts of a run or run step: <c>{prompt_tokens, completion_tokens, total_tokens}</c>.</summary>
internal sealed record UsageRecord(int PromptTokens, int CompletionTokens)
{
    public static readonly UsageRecord Zero = new(0, 0);

    public int TotalTokens => PromptTokens + CompletionTokens;

    public static UsageRecord operator +(UsageRecord left, UsageRecord right) =>
        new(left.PromptTokens + right.PromptTokens, left.CompletionTokens + right.CompletionTokens);
}

/// <summary>A function call the simulated assistant makes; <c>Output</c> is null until submitted.</summary>
internal sealed record ToolCallRecord(string Id, string Name, string Arguments, string? Output);

/// <summary>
/// The settings a run was created with, already validated and normalized into response shape
/// (JSON fragments are cloned elements). Official defaults fill what the request left out.
/// </summary>
internal sealed record RunSettings(
    string AssistantId,
    string Model,
    string Instructions,
    JsonElement Tools,
    JsonElement ToolResources,
    double Temperature,
    double TopP,
    int? MaxPromptTokens,
    int? MaxCompletionTokens,
    JsonElement TruncationStrategy,
    JsonElement ToolChoice,
    bool ParallelToolCalls,
    JsonElement ResponseFormat,
    IReadOnlyDictionary<string, string> Metadata,
    ToolPolicy ToolPolicy);

/// <summary>
/// What the simulation needs to know about the tools: the function names in declaration order and
/// the tool choice (<c>none</c>, <c>auto</c>, <c>required</c>, or a forced tool type and function).
/// </summary>
internal sealed record ToolPolicy(IReadOnlyList<string> FunctionNames, string Choice, string? ForcedFunction);

/// <summary>A validated <c>CreateRunRequest</c>.</summary>
internal sealed record NewRun(RunSettings Settings, IReadOnlyList<NewMessage> AdditionalMessages, bool Stream);

/// <summary>A validated <c>CreateThreadAndRunRequest</c>.</summary>
internal sealed record NewThreadAndRun(NewThread Thread, RunSettings Settings, bool Stream);

/// <summary>A validated <c>SubmitToolOutputsRunRequest</c>.</summary>
internal sealed record ToolOutputs(IReadOnlyList<(string ToolCallId, string Output)> Outputs, bool Stream);

/// <summary>A stored run (OpenAI's <c>RunObject</c>).</summary>
internal sealed record RunRecord(
    string Id,
    long Sequence,
    long CreatedAt,
    string ThreadId,
    RunSettings Settings,
    IReadOnlyDictionary<string, string> Metadata,
    string Status,
    IReadOnlyList<ToolCallRecord>? RequiredToolCalls,
    long? ExpiresAt,
    long? StartedAt,
    long? CancelledAt,
    long? CompletedAt,
    UsageRecord? Usage);

/// <summary>The run step types, spelled as on the wire.</summary>
internal static class StepType
{
    public const string MessageCreation = "message_creation";
    public const string ToolCalls = "tool_calls";
}

/// <summary>
/// A stored run step (OpenAI's <c>RunStepObject</c>): a <c>message_creation</c> step names its
/// message, a <c>tool_calls</c> step lists its function calls.
/// </summary>
internal sealed record StepRecord(
    string Id,
    long Sequence,
    long CreatedAt,
    string RunId,
    string AssistantId,
    string ThreadId,
    string Type,
    string Status,
    long? CancelledAt,
    long? CompletedAt,
    string? MessageId,
    IReadOnlyList<ToolCallRecord>? ToolCalls,
    UsageRecord? Usage);

/// <summary>A <c>thread.message.delta</c>: one more piece of a message's first text part.</summary>
internal sealed record MessageDelta(string MessageId, string Value);

/// <summary>A <c>thread.run.step.delta</c>: the function calls of a <c>tool_calls</c> step.</summary>
internal sealed record StepDelta(string StepId, IReadOnlyList<ToolCallRecord> ToolCalls);

/// <summary>
/// Something that happened to a run, named like its server-sent event. <c>Data</c> is a snapshot:
/// a <see cref="ThreadRecord"/>, <see cref="RunRecord"/>, <see cref="StepRecord"/>,
/// <see cref="MessageRecord"/>, <see cref="MessageDelta"/> or <see cref="StepDelta"/>.
/// Polled runs produce the same events as streamed ones; only streams send them.
/// </summary>
internal sealed record RunEvent(string Name, object Data);
