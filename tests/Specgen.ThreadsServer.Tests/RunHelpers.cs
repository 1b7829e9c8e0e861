using System;
using System.Collections.Generic;
using System.Linq;
using System.Net;
using System.Net.Http;
using System.Text;
using System.Text.Json;
using System.Threading.Tasks;

namespace Specgen.ThreadsServer.Tests;

/// <summary>Shortcuts for the run tests, over the fixture's plain HTTP helpers.</summary>
public static class RunHelpers
{
    public const string Assistant = """{"assistant_id": "asst_test"}""";

    /// <summary>A function tool named <paramref name="name"/>, as a JSON fragment for <c>tools</c>.</summary>
    public static string FunctionTool(string name) =>
        """{"type": "function", "function": {"name": """ + "\"" + name + "\"" + """, "parameters": {"type": "object", "properties": {}}}}""";

    /// <summary>Creates a run (expecting 200) and returns it.</summary>
    public static async Task<JsonElement> CreateRunAsync(this ServerFixture server, string threadId, string body = Assistant)
    {
        var response = await server.PostAsync($"threads/{threadId}/runs", body);
        Assert.Equal(HttpStatusCode.OK, response.Status);
        return response.Json;
    }

    /// <summary>Creates a thread with one user message and returns its id.</summary>
    public static async Task<string> ThreadSayingAsync(this ServerFixture server, string text)
    {
        var threadId = await server.CreateThreadAsync();
        var response = await server.PostAsync($"threads/{threadId}/messages",
            JsonSerializer.Serialize(new Dictionary<string, string> { ["role"] = "user", ["content"] = text }));
        Assert.Equal(HttpStatusCode.OK, response.Status);
        return threadId;
    }

    public static async Task<JsonElement> GetRunAsync(this ServerFixture server, string threadId, string runId)
    {
        var response = await server.GetAsync($"threads/{threadId}/runs/{runId}");
        Assert.Equal(HttpStatusCode.OK, response.Status);
        return response.Json;
    }

    /// <summary>
    /// Calls getRun until the run reaches one of <paramref name="until"/> (at most ten times) and
    /// returns every status seen, the last being the final one.
    /// </summary>
    public static async Task<List<string>> PollAsync(this ServerFixture server, string threadId, string runId, params string[] until)
    {
        var seen = new List<string>();
        for (var i = 0; i < 10; i++)
        {
            var status = (await server.GetRunAsync(threadId, runId)).GetProperty("status").GetString()!;
            seen.Add(status);
            if (until.Contains(status))
            {
                return seen;
            }
        }

        throw new Xunit.Sdk.XunitException($"The run never reached {string.Join(" or ", until)}: {string.Join(", ", seen)}.");
    }

    /// <summary>Lists every item of a list endpoint (one page of 100, ascending).</summary>
    public static async Task<JsonElement[]> ListAllAsync(this ServerFixture server, string path)
    {
        var response = await server.GetAsync(path + (path.Contains('?') ? "&" : "?") + "limit=100&order=asc");
        Assert.Equal(HttpStatusCode.OK, response.Status);
        return response.Json.GetProperty("data").EnumerateArray().ToArray();
    }

    /// <summary>POSTs a JSON body and reads the whole response as server-sent events.</summary>
    public static async Task<SseResponse> StreamAsync(this ServerFixture server, string path, string body)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, path)
        {
            Content = new StringContent(body, Encoding.UTF8, "application/json"),
        };
        using var response = await server.Http.SendAsync(request, HttpCompletionOption.ResponseHeadersRead);
        var text = await response.Content.ReadAsStringAsync();
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        return new SseResponse(response.Content.Headers.ContentType?.ToString(), text, Sse.Parse(text));
    }

    public static string Compact(JsonElement element) => JsonSerializer.Serialize(element);
}

/// <summary>A streamed response: its content type, raw text and parsed events.</summary>
public sealed record SseResponse(string? ContentType, string Text, IReadOnlyList<SseEvent> Events)
{
    public IReadOnlyList<string> Names => Events.Select(e => e.Event).ToArray();

    public SseEvent Single(string name) => Assert.Single(Events, e => e.Event == name);

    public IEnumerable<SseEvent> All(string name) => Events.Where(e => e.Event == name);
}

/// <summary>One server-sent event.</summary>
public sealed record SseEvent(string Event, string Data)
{
    public JsonElement Json => JsonDocument.Parse(Data).RootElement.Clone();
}

/// <summary>
/// A strict parser for the streams the server writes: frames separated by a blank line, each exactly
/// <c>event: &lt;name&gt;</c> then <c>data: &lt;one line&gt;</c>, and nothing after the last frame.
/// </summary>
public static class Sse
{
    public static IReadOnlyList<SseEvent> Parse(string text)
    {
        Assert.EndsWith("\n\n", text);
        var events = new List<SseEvent>();
        foreach (var frame in text[..^2].Split("\n\n"))
        {
            var lines = frame.Split('\n');
            Assert.True(lines.Length == 2, $"A frame has {lines.Length} lines: {frame}");
            Assert.StartsWith("event: ", lines[0]);
            Assert.StartsWith("data: ", lines[1]);
            events.Add(new SseEvent(lines[0]["event: ".Length..], lines[1]["data: ".Length..]));
        }

        return events;
    }
}

/// <summary>A clock that only moves when told to.</summary>
public sealed class ManualClock : TimeProvider
{
    public DateTimeOffset Now { get; set; } = new(2026, 1, 1, 0, 0, 0, TimeSpan.Zero);

    public long UnixSeconds => Now.ToUnixTimeSeconds();

    public override DateTimeOffset GetUtcNow() => Now;

    public void Advance(int seconds) => Now = Now.AddSeconds(seconds);
}
