using System.Collections.Generic;
using System.Text;

namespace Specgen.Benchmarks.Runtime;

/// <summary>
/// The bytes of one streamed run, as the Assistants API sends them for a short text reply: the run,
/// step and message lifecycle events around <c>deltas</c> <c>thread.message.delta</c> events of one
/// word each, then <c>done</c>. Built once per server process; the shapes are the official ones
/// (every required member present), so all three clients read every event as a known one.
/// </summary>
internal sealed class CannedRunStream
{
    /// <summary>The events around the deltas: 7 before, 4 after (<c>done</c> included).</summary>
    public const int LifecycleEvents = 11;

    private const string Reply = "Stay near the old town, where the streets are quiet at night and the markets open early.";

    private CannedRunStream(byte[] bytes, int[] eventEnds)
    {
        Bytes = bytes;
        EventEnds = eventEnds;
    }

    /// <summary>The whole stream, UTF-8.</summary>
    public byte[] Bytes { get; }

    /// <summary>Where each event ends in <see cref="Bytes"/> (its blank line included), in order.</summary>
    public int[] EventEnds { get; }

    /// <summary>The text the deltas of a stream of <paramref name="deltas"/> add up to.</summary>
    public static string ReplyText(int deltas)
    {
        string[] words = Reply.Split(' ');
        var text = new StringBuilder();
        for (int i = 0; i < deltas; i++)
        {
            text.Append(i == 0 ? string.Empty : " ").Append(words[i % words.Length]);
        }

        return text.ToString();
    }

    public static CannedRunStream Create(int deltas)
    {
        string[] words = Reply.Split(' ');
        var text = new StringBuilder();
        var ends = new List<int>();
        void Event(string name, string data)
        {
            text.Append("event: ").Append(name).Append("\ndata: ").Append(data).Append("\n\n");
            // ASCII only, so a character is a byte.
            ends.Add(text.Length);
        }

        Event("thread.run.created", Run("queued"));
        Event("thread.run.queued", Run("queued"));
        Event("thread.run.in_progress", Run("in_progress"));
        Event("thread.run.step.created", Step("in_progress"));
        Event("thread.run.step.in_progress", Step("in_progress"));
        Event("thread.message.created", Message("in_progress", string.Empty));
        Event("thread.message.in_progress", Message("in_progress", string.Empty));
        for (int i = 0; i < deltas; i++)
        {
            string value = (i == 0 ? string.Empty : " ") + words[i % words.Length];
            Event("thread.message.delta", $$$"""{"id":"msg_abc123","object":"thread.message.delta","delta":{"content":[{"index":0,"type":"text","text":{"value":"{{{value}}}","annotations":[]}}]}}""");
        }

        Event("thread.message.completed", Message("completed", ReplyText(deltas)));
        Event("thread.run.step.completed", Step("completed"));
        Event("thread.run.completed", Run("completed"));
        Event("done", "[DONE]");
        return new CannedRunStream(Encoding.UTF8.GetBytes(text.ToString()), ends.ToArray());
    }

    private static string Run(string status) =>
        $$$"""{"id":"run_abc123","object":"thread.run","created_at":1699063290,"assistant_id":"asst_abc123","thread_id":"thread_abc123","status":"{{{status}}}","started_at":1699063291,"expires_at":1699063890,"cancelled_at":null,"failed_at":null,"completed_at":{{{(status == "completed" ? "1699063295" : "null")}}},"required_action":null,"last_error":null,"model":"gpt-4o","instructions":"You are a travel guide.","tools":[],"tool_resources":{},"metadata":{},"temperature":1.0,"top_p":1.0,"max_completion_tokens":null,"max_prompt_tokens":null,"truncation_strategy":{"type":"auto","last_messages":null},"incomplete_details":null,"usage":null,"response_format":"auto","tool_choice":"auto","parallel_tool_calls":true}""";

    private static string Step(string status) =>
        $$$"""{"id":"step_abc123","object":"thread.run.step","created_at":1699063291,"run_id":"run_abc123","assistant_id":"asst_abc123","thread_id":"thread_abc123","type":"message_creation","status":"{{{status}}}","cancelled_at":null,"completed_at":{{{(status == "completed" ? "1699063295" : "null")}}},"expired_at":null,"failed_at":null,"last_error":null,"step_details":{"type":"message_creation","message_creation":{"message_id":"msg_abc123"}},"metadata":{},"usage":null}""";

    private static string Message(string status, string text)
    {
        string content = text.Length == 0 ? string.Empty : $$$"""{"type":"text","text":{"value":"{{{text}}}","annotations":[]}}""";
        return $$$"""{"id":"msg_abc123","object":"thread.message","created_at":1699063291,"assistant_id":"asst_abc123","thread_id":"thread_abc123","run_id":"run_abc123","status":"{{{status}}}","incomplete_details":null,"completed_at":{{{(status == "completed" ? "1699063295" : "null")}}},"incomplete_at":null,"role":"assistant","content":[{{{content}}}],"attachments":[],"metadata":{}}""";
    }
}
