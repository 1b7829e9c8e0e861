using System;
using System.Buffers;
using System.Collections.Generic;
using System.Text.Encodings.Web;
using System.Text.Json;

namespace ThreadsServer;

/// <summary>
/// The run shapes: <c>RunObject</c>, <c>RunStepObject</c>, <c>MessageDeltaObject</c>,
/// <c>RunStepDeltaObject</c>, and the server-sent event frames that carry them.
/// Property order follows the official streaming examples.
/// </summary>
internal static partial class JsonShapes
{
    // Event data must fit on one "data:" line: not indented (strings escape their line breaks).
    private static readonly JsonWriterOptions EventWriterOptions = new()
    {
        Indented = false,
        Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping,
    };

    /// <summary><c>RunObject</c>, with every required member, plus <c>tool_resources</c> like the API's examples.</summary>
    public static void WriteRun(Utf8JsonWriter writer, RunRecord run)
    {
        var settings = run.Settings;
        writer.WriteStartObject();
        writer.WriteString("id", run.Id);
        writer.WriteString("object", "thread.run");
        writer.WriteNumber("created_at", run.CreatedAt);
        writer.WriteString("assistant_id", settings.AssistantId);
        writer.WriteString("thread_id", run.ThreadId);
        writer.WriteString("status", run.Status);
        WriteNullableNumber(writer, "started_at", run.StartedAt);
        WriteNullableNumber(writer, "expires_at", run.ExpiresAt);
        WriteNullableNumber(writer, "cancelled_at", run.CancelledAt);
        writer.WriteNull("failed_at");
        WriteNullableNumber(writer, "completed_at", run.CompletedAt);
        if (run.RequiredToolCalls is { } calls)
        {
            writer.WriteStartObject("required_action");
            writer.WriteString("type", "submit_tool_outputs");
            writer.WriteStartObject("submit_tool_outputs");
            writer.WriteStartArray("tool_calls");
            foreach (var call in calls)
            {
                writer.WriteStartObject();
                writer.WriteString("id", call.Id);
                writer.WriteString("type", "function");
                writer.WriteStartObject("function");
                writer.WriteString("name", call.Name);
                writer.WriteString("arguments", call.Arguments);
                writer.WriteEndObject();
                writer.WriteEndObject();
            }

            writer.WriteEndArray();
            writer.WriteEndObject();
            writer.WriteEndObject();
        }
        else
        {
            writer.WriteNull("required_action");
        }

        writer.WriteNull("last_error");
        writer.WriteString("model", settings.Model);
        writer.WriteString("instructions", settings.Instructions);
        writer.WritePropertyName("tools");
        settings.Tools.WriteTo(writer);
        writer.WritePropertyName("tool_resources");
        settings.ToolResources.WriteTo(writer);
        WriteMetadata(writer, run.Metadata);
        writer.WriteNumber("temperature", settings.Temperature);
        writer.WriteNumber("top_p", settings.TopP);
        WriteNullableNumber(writer, "max_completion_tokens", settings.MaxCompletionTokens);
        WriteNullableNumber(writer, "max_prompt_tokens", settings.MaxPromptTokens);
        writer.WritePropertyName("truncation_strategy");
        settings.TruncationStrategy.WriteTo(writer);
        writer.WriteNull("incomplete_details");
        WriteUsage(writer, run.Usage);
        writer.WritePropertyName("response_format");
        settings.ResponseFormat.WriteTo(writer);
        writer.WritePropertyName("tool_choice");
        settings.ToolChoice.WriteTo(writer);
        writer.WriteBoolean("parallel_tool_calls", settings.ParallelToolCalls);
        writer.WriteEndObject();
    }

    /// <summary><c>RunStepObject</c>, with <c>message_creation</c> or <c>tool_calls</c> details.</summary>
    public static void WriteStep(Utf8JsonWriter writer, StepRecord step)
    {
        writer.WriteStartObject();
        writer.WriteString("id", step.Id);
        writer.WriteString("object", "thread.run.step");
        writer.WriteNumber("created_at", step.CreatedAt);
        writer.WriteString("run_id", step.RunId);
        writer.WriteString("assistant_id", step.AssistantId);
        writer.WriteString("thread_id", step.ThreadId);
        writer.WriteString("type", step.Type);
        writer.WriteString("status", step.Status);
        WriteNullableNumber(writer, "cancelled_at", step.CancelledAt);
        WriteNullableNumber(writer, "completed_at", step.CompletedAt);
        writer.WriteNull("expired_at");
        writer.WriteNull("failed_at");
        writer.WriteNull("last_error");
        writer.WriteStartObject("step_details");
        writer.WriteString("type", step.Type);
        if (step.Type == StepType.MessageCreation)
        {
            writer.WriteStartObject("message_creation");
            writer.WriteString("message_id", step.MessageId);
            writer.WriteEndObject();
        }
        else
        {
            WriteToolCalls(writer, step.ToolCalls ?? [], withIndex: false);
        }

        writer.WriteEndObject();
        WriteMetadata(writer, new Dictionary<string, string>());
        WriteUsage(writer, step.Usage);
        writer.WriteEndObject();
    }

    /// <summary><c>MessageDeltaObject</c>: one piece of the first text part.</summary>
    public static void WriteMessageDelta(Utf8JsonWriter writer, MessageDelta delta)
    {
        writer.WriteStartObject();
        writer.WriteString("id", delta.MessageId);
        writer.WriteString("object", "thread.message.delta");
        writer.WriteStartObject("delta");
        writer.WriteStartArray("content");
        writer.WriteStartObject();
        writer.WriteNumber("index", 0);
        writer.WriteString("type", "text");
        writer.WriteStartObject("text");
        writer.WriteString("value", delta.Value);
        writer.WriteStartArray("annotations");
        writer.WriteEndArray();
        writer.WriteEndObject();
        writer.WriteEndObject();
        writer.WriteEndArray();
        writer.WriteEndObject();
        writer.WriteEndObject();
    }

    /// <summary><c>RunStepDeltaObject</c> with the function calls of a <c>tool_calls</c> step.</summary>
    public static void WriteStepDelta(Utf8JsonWriter writer, StepDelta delta)
    {
        writer.WriteStartObject();
        writer.WriteString("id", delta.StepId);
        writer.WriteString("object", "thread.run.step.delta");
        writer.WriteStartObject("delta");
        writer.WriteStartObject("step_details");
        writer.WriteString("type", StepType.ToolCalls);
        WriteToolCalls(writer, delta.ToolCalls, withIndex: true);
        writer.WriteEndObject();
        writer.WriteEndObject();
        writer.WriteEndObject();
    }

    /// <summary>
    /// One server-sent event, <c>event: &lt;name&gt;\ndata: &lt;json&gt;\n\n</c>, written into
    /// <paramref name="buffer"/>.
    /// </summary>
    public static void WriteEvent(ArrayBufferWriter<byte> buffer, RunEvent runEvent)
    {
        Append(buffer, "event: " + runEvent.Name + "\ndata: ");
        using (var writer = new Utf8JsonWriter(buffer, EventWriterOptions))
        {
            switch (runEvent.Data)
            {
                case ThreadRecord thread:
                    WriteThread(writer, thread);
                    break;
                case RunRecord run:
                    WriteRun(writer, run);
                    break;
                case StepRecord step:
                    WriteStep(writer, step);
                    break;
                case MessageRecord message:
                    WriteMessage(writer, message);
                    break;
                case MessageDelta messageDelta:
                    WriteMessageDelta(writer, messageDelta);
                    break;
                case StepDelta stepDelta:
                    WriteStepDelta(writer, stepDelta);
                    break;
                case ApiException error:
                    // ErrorEvent: the data is the Error object itself, not the envelope.
                    writer.WriteStartObject();
                    writer.WriteString("message", error.Message);
                    writer.WriteString("type", error.Type);
                    WriteNullableString(writer, "param", error.Param);
                    writer.WriteNull("code");
                    writer.WriteEndObject();
                    break;
                default:
                    throw new InvalidOperationException($"No shape for {runEvent.Data.GetType().Name}.");
            }
        }

        Append(buffer, "\n\n");
    }

    /// <summary>The last event of every stream: <c>event: done\ndata: [DONE]\n\n</c>.</summary>
    public static void WriteDone(ArrayBufferWriter<byte> buffer) => Append(buffer, "event: done\ndata: [DONE]\n\n");

    private static void WriteToolCalls(Utf8JsonWriter writer, IReadOnlyList<ToolCallRecord> calls, bool withIndex)
    {
        writer.WriteStartArray("tool_calls");
        for (var i = 0; i < calls.Count; i++)
        {
            var call = calls[i];
            writer.WriteStartObject();
            if (withIndex)
            {
                writer.WriteNumber("index", i);
            }

            writer.WriteString("id", call.Id);
            writer.WriteString("type", "function");
            writer.WriteStartObject("function");
            writer.WriteString("name", call.Name);
            writer.WriteString("arguments", call.Arguments);
            WriteNullableString(writer, "output", call.Output);
            writer.WriteEndObject();
            writer.WriteEndObject();
        }

        writer.WriteEndArray();
    }

    private static void WriteUsage(Utf8JsonWriter writer, UsageRecord? usage)
    {
        if (usage is null)
        {
            writer.WriteNull("usage");
            return;
        }

        writer.WriteStartObject("usage");
        writer.WriteNumber("prompt_tokens", usage.PromptTokens);
        writer.WriteNumber("completion_tokens", usage.CompletionTokens);
        writer.WriteNumber("total_tokens", usage.TotalTokens);
        writer.WriteEndObject();
    }

    private static void Append(ArrayBufferWriter<byte> buffer, string text)
    {
        var span = buffer.GetSpan(System.Text.Encoding.UTF8.GetMaxByteCount(text.Length));
        buffer.Advance(System.Text.Encoding.UTF8.GetBytes(text, span));
    }
}
