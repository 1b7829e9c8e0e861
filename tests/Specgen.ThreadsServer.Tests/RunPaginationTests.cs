using System.Collections.Generic;
using System.Linq;
using System.Net;
using System.Text.Json;
using System.Threading.Tasks;
using static Specgen.ThreadsServer.Tests.RunHelpers;

namespace Specgen.ThreadsServer.Tests;

public sealed class RunPaginationTests : IClassFixture<ServerFixture>
{
    private readonly ServerFixture _server;

    public RunPaginationTests(ServerFixture server)
    {
        _server = server;
    }

    [Fact]
    public async Task Runs_are_listed_newest_first_by_default_with_the_list_envelope()
    {
        var (threadId, ids) = await ThreadWithRunsAsync(3);

        var page = await _server.GetAsync($"threads/{threadId}/runs");

        Assert.Equal(HttpStatusCode.OK, page.Status);
        Assert.Equal(["data", "first_id", "has_more", "last_id", "object"], ApiResponse.Keys(page.Json));
        Assert.Equal("list", page.String("object"));
        Assert.Equal(ids.AsEnumerable().Reverse(), page.DataIds());
        Assert.Equal(ids[2], page.String("first_id"));
        Assert.Equal(ids[0], page.String("last_id"));
        Assert.False(page.Json.GetProperty("has_more").GetBoolean());
        Assert.All(page.Json.GetProperty("data").EnumerateArray(), run =>
        {
            Assert.Equal("thread.run", run.GetProperty("object").GetString());
            Assert.Equal("completed", run.GetProperty("status").GetString());
        });
    }

    [Theory]
    [InlineData("asc")]
    [InlineData("desc")]
    public async Task Five_runs_two_at_a_time_take_three_pages(string order)
    {
        var (threadId, ids) = await ThreadWithRunsAsync(5);
        var expected = order == "asc" ? ids : ids.AsEnumerable().Reverse().ToList();

        var pages = new List<(IReadOnlyList<string> Ids, bool HasMore)>();
        string? after = null;
        do
        {
            var page = await _server.GetAsync($"threads/{threadId}/runs?limit=2&order={order}" + (after is null ? "" : $"&after={after}"));
            var hasMore = page.Json.GetProperty("has_more").GetBoolean();
            pages.Add((page.DataIds(), hasMore));
            after = hasMore ? page.String("last_id") : null;
        }
        while (after is not null && pages.Count < 10);

        Assert.Equal([true, true, false], pages.Select(p => p.HasMore));
        Assert.Equal(expected, pages.SelectMany(p => p.Ids));
        Assert.Equal([2, 2, 1], pages.Select(p => p.Ids.Count));
    }

    [Fact]
    public async Task Before_returns_the_previous_page_of_runs()
    {
        var (threadId, ids) = await ThreadWithRunsAsync(5);

        var page = await _server.GetAsync($"threads/{threadId}/runs?limit=2&order=asc&before={ids[3]}");
        var between = await _server.GetAsync($"threads/{threadId}/runs?order=asc&after={ids[0]}&before={ids[4]}");

        Assert.Equal([ids[1], ids[2]], page.DataIds());
        Assert.True(page.Json.GetProperty("has_more").GetBoolean());
        Assert.Equal([ids[1], ids[2], ids[3]], between.DataIds());
    }

    [Fact]
    public async Task A_thread_without_runs_lists_an_empty_page_with_null_ids()
    {
        var threadId = await _server.CreateThreadAsync();

        var page = await _server.GetAsync($"threads/{threadId}/runs");

        Assert.Empty(page.DataIds());
        Assert.Equal(JsonValueKind.Null, page.Json.GetProperty("first_id").ValueKind);
        Assert.Equal(JsonValueKind.Null, page.Json.GetProperty("last_id").ValueKind);
        Assert.False(page.Json.GetProperty("has_more").GetBoolean());
    }

    [Fact]
    public async Task Runs_are_listed_per_thread()
    {
        var (threadId, ids) = await ThreadWithRunsAsync(2);
        var (otherThreadId, otherIds) = await ThreadWithRunsAsync(1);

        Assert.Equal(ids.AsEnumerable().Reverse(), (await _server.GetAsync($"threads/{threadId}/runs")).DataIds());
        Assert.Equal(otherIds, (await _server.GetAsync($"threads/{otherThreadId}/runs")).DataIds());
    }

    [Fact]
    public async Task The_steps_of_a_tool_run_page_one_at_a_time_in_both_orders()
    {
        var threadId = await _server.ThreadSayingAsync("get_weather");
        var stream = await _server.StreamAsync($"threads/{threadId}/runs",
            $$"""{"assistant_id": "asst_1", "stream": true, "tools": [{{FunctionTool("get_weather")}}]}""");
        var waiting = stream.Single("thread.run.requires_action").Json;
        var runId = waiting.GetProperty("id").GetString()!;
        var callId = waiting.GetProperty("required_action").GetProperty("submit_tool_outputs").GetProperty("tool_calls")[0].GetProperty("id").GetString();
        var rest = await _server.StreamAsync($"threads/{threadId}/runs/{runId}/submit_tool_outputs",
            $$"""{"tool_outputs": [{"tool_call_id": "{{callId}}", "output": "fine"}], "stream": true}""");
        var toolStep = stream.Single("thread.run.step.created").Json.GetProperty("id").GetString()!;
        var messageStep = rest.Single("thread.run.step.created").Json.GetProperty("id").GetString()!;
        var steps = $"threads/{threadId}/runs/{runId}/steps";

        var ascFirst = await _server.GetAsync($"{steps}?limit=1&order=asc");
        var ascSecond = await _server.GetAsync($"{steps}?limit=1&order=asc&after={toolStep}");
        var descFirst = await _server.GetAsync($"{steps}?limit=1");
        var descSecond = await _server.GetAsync($"{steps}?limit=1&after={messageStep}");
        var before = await _server.GetAsync($"{steps}?order=asc&before={messageStep}");

        Assert.Equal([toolStep], ascFirst.DataIds());
        Assert.True(ascFirst.Json.GetProperty("has_more").GetBoolean());
        Assert.Equal([messageStep], ascSecond.DataIds());
        Assert.False(ascSecond.Json.GetProperty("has_more").GetBoolean());
        Assert.Equal([messageStep], descFirst.DataIds());
        Assert.True(descFirst.Json.GetProperty("has_more").GetBoolean());
        Assert.Equal([toolStep], descSecond.DataIds());
        Assert.False(descSecond.Json.GetProperty("has_more").GetBoolean());
        Assert.Equal([toolStep], before.DataIds());
        Assert.Equal(toolStep, ascFirst.String("first_id"));
        Assert.Equal(toolStep, ascFirst.String("last_id"));
    }

    /// <summary>A thread with <paramref name="count"/> completed runs (streamed, so each finishes in one request).</summary>
    private async Task<(string ThreadId, List<string> RunIds)> ThreadWithRunsAsync(int count)
    {
        var threadId = await _server.ThreadSayingAsync("Hello");
        var ids = new List<string>();
        for (var i = 0; i < count; i++)
        {
            var stream = await _server.StreamAsync($"threads/{threadId}/runs", """{"assistant_id": "asst_1", "stream": true}""");
            ids.Add(stream.Single("thread.run.completed").Json.GetProperty("id").GetString()!);
        }

        return (threadId, ids);
    }
}
