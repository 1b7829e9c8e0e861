using System;
using System.Collections.Generic;
using System.Linq;
using System.Text;
using System.Text.Json;

namespace ThreadsServer;

/// <summary>
/// The deterministic stand-in for a model. Everything a run "decides" is here, so the rules the
/// samples and tests rely on are in one place:
/// <list type="bullet">
/// <item>The reply is <c>You said: &lt;text&gt;</c>, where the text is that of the thread's last
/// user message (its text parts joined by a space), or <c>You said nothing.</c> when there is none.
/// After tool outputs, each call adds a line <c>&lt;name&gt; returned: &lt;output&gt;</c>.</item>
/// <item>Function calls: with tool choice <c>auto</c>, every function tool whose name occurs in the
/// last user message's text (ignoring case) is called, in the order of the run's tools; with
/// <c>required</c>, the same, or the first function tool when none is mentioned; a forced
/// <c>{"type": "function", ...}</c> calls that function; <c>none</c> and forced non-function tools
/// call nothing. With <c>parallel_tool_calls: false</c> only the first call is made. Arguments are
/// always <c>{}</c>.</item>
/// <item>Usage counts words (whitespace-separated): a step's prompt tokens are the words of the
/// run's instructions, of the thread's messages and of the tool outputs submitted so far; its
/// completion tokens are the words of the reply, or two per function call (name and arguments).
/// A run's usage is the sum of its steps'.</item>
/// <item>Streamed replies are split at each space into <c>thread.message.delta</c> events (a piece
/// starts with its space, like the API's): <c>You</c>, <c> said:</c>, ... — always three or more.</item>
/// </list>
/// </summary>
internal static class Simulation
{
    /// <summary>The text the assistant answers to: the last user message's text parts, joined by a space.</summary>
    public static string? LastUserText(IEnumerable<MessageRecord> messages)
    {
        var last = messages.LastOrDefault(m => m.Role == "user");
        if (last is null)
        {
            return null;
        }

        var text = string.Join(" ", TextParts(last));
        return text.Length == 0 ? null : text;
    }

    /// <summary>The function calls a run makes before it replies (see the class summary).</summary>
    public static IReadOnlyList<ToolCallRecord> PlanToolCalls(ToolPolicy policy, bool parallelToolCalls, string? lastUserText)
    {
        IEnumerable<string> names = policy.Choice switch
        {
            "auto" => Mentioned(policy.FunctionNames, lastUserText),
            "required" => Mentioned(policy.FunctionNames, lastUserText) is { Count: > 0 } mentioned
                ? mentioned
                : policy.FunctionNames.Take(1).ToList(),
            "function" => [policy.ForcedFunction!],
            _ => [],
        };

        if (!parallelToolCalls)
        {
            names = names.Take(1);
        }

        return names.Select(name => new ToolCallRecord(Ids.New("call_"), name, "{}", null)).ToArray();
    }

    /// <summary>The assistant's reply (see the class summary).</summary>
    public static string Reply(string? lastUserText, IReadOnlyList<ToolCallRecord> toolCalls)
    {
        var reply = new StringBuilder(lastUserText is null ? "You said nothing." : "You said: " + lastUserText);
        foreach (var call in toolCalls)
        {
            reply.Append('\n').Append(call.Name).Append(" returned: ").Append(call.Output);
        }

        return reply.ToString();
    }

    /// <summary>
    /// Splits a reply into the pieces streamed as deltas: a new piece starts at every space that
    /// follows a non-space. The pieces concatenate back to the reply exactly.
    /// </summary>
    public static IReadOnlyList<string> Chunk(string text)
    {
        var chunks = new List<string>();
        var start = 0;
        for (var i = 1; i < text.Length; i++)
        {
            if (text[i] == ' ' && text[i - 1] != ' ')
            {
                chunks.Add(text[start..i]);
                start = i;
            }
        }

        if (start < text.Length)
        {
            chunks.Add(text[start..]);
        }

        return chunks;
    }

    /// <summary>Prompt tokens: words of the instructions, the messages' text and the tool outputs.</summary>
    public static int PromptTokens(string instructions, IEnumerable<MessageRecord> messages, IEnumerable<ToolCallRecord> toolCalls) =>
        Words(instructions)
        + messages.Sum(m => TextParts(m).Sum(Words))
        + toolCalls.Sum(c => Words(c.Output));

    /// <summary>The number of whitespace-separated words.</summary>
    public static int Words(string? text) =>
        text is null ? 0 : text.Split((char[]?)null, StringSplitOptions.RemoveEmptyEntries).Length;

    private static List<string> Mentioned(IReadOnlyList<string> functionNames, string? text) =>
        text is null
            ? []
            : functionNames.Where(name => text.Contains(name, StringComparison.OrdinalIgnoreCase)).ToList();

    private static IEnumerable<string> TextParts(MessageRecord message)
    {
        foreach (var part in message.Content.EnumerateArray())
        {
            if (part.TryGetProperty("type", out var type) && type.ValueEquals("text")
                && part.TryGetProperty("text", out var text) && text.ValueKind == JsonValueKind.Object
                && text.TryGetProperty("value", out var value) && value.ValueKind == JsonValueKind.String)
            {
                yield return value.GetString()!;
            }
        }
    }
}
