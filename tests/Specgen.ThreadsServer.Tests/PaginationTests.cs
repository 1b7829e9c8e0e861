using System.Collections.Generic;
using System.Linq;
using System.Net;
using System.Text.Json;
using System.Threading.Tasks;

namespace Specgen.ThreadsServer.Tests;

public sealed class PaginationTests : IClassFixture<ServerFixture>
{
    private readonly ServerFixture _server;

    public PaginationTests(ServerFixture server)
    {
        _server = server;
    }

    [Fact]
    public async Task The_default_list_is_newest_first_and_fits_in_one_page()
    {
        var threadId = await _server.CreateThreadAsync();
        var ids = await _server.CreateMessagesAsync(threadId, 5);

        var page = await _server.GetAsync($"threads/{threadId}/messages");

        Assert.Equal(HttpStatusCode.OK, page.Status);
        Assert.Equal(["data", "first_id", "has_more", "last_id", "object"], ApiResponse.Keys(page.Json));
        Assert.Equal("list", page.String("object"));
        Assert.Equal(ids.Reverse(), page.DataIds());
        Assert.Equal(ids[4], page.String("first_id"));
        Assert.Equal(ids[0], page.String("last_id"));
        Assert.False(page.Json.GetProperty("has_more").GetBoolean());
    }

    [Fact]
    public async Task Five_messages_two_at_a_time_in_ascending_order_take_three_pages()
    {
        var threadId = await _server.CreateThreadAsync();
        var ids = await _server.CreateMessagesAsync(threadId, 5);

        var pages = await WalkAsync(threadId, "asc");

        Assert.Equal(
            [(new[] { ids[0], ids[1] }, true), (new[] { ids[2], ids[3] }, true), (new[] { ids[4] }, false)],
            pages.Select(p => (p.Ids, p.HasMore)).ToArray(),
            PageComparer.Instance);
    }

    [Fact]
    public async Task Five_messages_two_at_a_time_in_descending_order_take_three_pages()
    {
        var threadId = await _server.CreateThreadAsync();
        var ids = await _server.CreateMessagesAsync(threadId, 5);

        var pages = await WalkAsync(threadId, "desc");

        Assert.Equal(
            [(new[] { ids[4], ids[3] }, true), (new[] { ids[2], ids[1] }, true), (new[] { ids[0] }, false)],
            pages.Select(p => (p.Ids, p.HasMore)).ToArray(),
            PageComparer.Instance);
    }

    [Fact]
    public async Task Each_page_reports_its_first_and_last_ids()
    {
        var threadId = await _server.CreateThreadAsync();
        var ids = await _server.CreateMessagesAsync(threadId, 5);

        var page = await _server.GetAsync($"threads/{threadId}/messages?limit=2&order=asc&after={ids[1]}");

        Assert.Equal(ids[2], page.String("first_id"));
        Assert.Equal(ids[3], page.String("last_id"));
    }

    [Fact]
    public async Task Before_in_ascending_order_returns_the_previous_page()
    {
        var threadId = await _server.CreateThreadAsync();
        var ids = await _server.CreateMessagesAsync(threadId, 5);

        var page = await _server.GetAsync($"threads/{threadId}/messages?limit=2&order=asc&before={ids[3]}");
        var first = await _server.GetAsync($"threads/{threadId}/messages?limit=2&order=asc&before={ids[1]}");

        Assert.Equal([ids[1], ids[2]], page.DataIds());
        Assert.True(page.Json.GetProperty("has_more").GetBoolean());
        Assert.Equal([ids[0]], first.DataIds());
        Assert.False(first.Json.GetProperty("has_more").GetBoolean());
    }

    [Fact]
    public async Task Before_in_descending_order_returns_the_newer_messages_just_above_the_cursor()
    {
        var threadId = await _server.CreateThreadAsync();
        var ids = await _server.CreateMessagesAsync(threadId, 5);

        var page = await _server.GetAsync($"threads/{threadId}/messages?limit=2&order=desc&before={ids[1]}");
        var top = await _server.GetAsync($"threads/{threadId}/messages?limit=2&order=desc&before={ids[3]}");

        Assert.Equal([ids[3], ids[2]], page.DataIds());
        Assert.True(page.Json.GetProperty("has_more").GetBoolean());
        Assert.Equal([ids[4]], top.DataIds());
        Assert.False(top.Json.GetProperty("has_more").GetBoolean());
    }

    [Fact]
    public async Task After_and_before_together_return_the_messages_between_them()
    {
        var threadId = await _server.CreateThreadAsync();
        var ids = await _server.CreateMessagesAsync(threadId, 5);

        var page = await _server.GetAsync($"threads/{threadId}/messages?order=asc&after={ids[0]}&before={ids[4]}");

        Assert.Equal([ids[1], ids[2], ids[3]], page.DataIds());
        Assert.False(page.Json.GetProperty("has_more").GetBoolean());
    }

    [Fact]
    public async Task A_limit_equal_to_the_remaining_count_has_no_more()
    {
        var threadId = await _server.CreateThreadAsync();
        var ids = await _server.CreateMessagesAsync(threadId, 4);

        var page = await _server.GetAsync($"threads/{threadId}/messages?limit=2&order=asc&after={ids[1]}");

        Assert.Equal([ids[2], ids[3]], page.DataIds());
        Assert.False(page.Json.GetProperty("has_more").GetBoolean());
    }

    [Fact]
    public async Task A_cursor_that_was_deleted_still_marks_its_place()
    {
        var threadId = await _server.CreateThreadAsync();
        var ids = await _server.CreateMessagesAsync(threadId, 4);
        await _server.DeleteAsync($"threads/{threadId}/messages/{ids[1]}");

        var page = await _server.GetAsync($"threads/{threadId}/messages?order=asc&after={ids[1]}");

        Assert.Equal([ids[2], ids[3]], page.DataIds());
    }

    [Fact]
    public async Task An_empty_page_has_null_first_and_last_ids()
    {
        var threadId = await _server.CreateThreadAsync();

        var page = await _server.GetAsync($"threads/{threadId}/messages");

        Assert.Empty(page.DataIds());
        Assert.Equal(JsonValueKind.Null, page.Json.GetProperty("first_id").ValueKind);
        Assert.Equal(JsonValueKind.Null, page.Json.GetProperty("last_id").ValueKind);
        Assert.False(page.Json.GetProperty("has_more").GetBoolean());
    }

    [Fact]
    public async Task The_run_id_filter_only_returns_messages_of_that_run()
    {
        // Messages created through this API never belong to a run (run_id is null), so a run
        // filter matches none of them, while the unfiltered list has them all.
        var threadId = await _server.CreateThreadAsync();
        await _server.CreateMessagesAsync(threadId, 3);

        var filtered = await _server.GetAsync($"threads/{threadId}/messages?run_id=run_abc123");
        var unfiltered = await _server.GetAsync($"threads/{threadId}/messages?run_id=");

        Assert.Equal(HttpStatusCode.OK, filtered.Status);
        Assert.Empty(filtered.DataIds());
        Assert.Equal(JsonValueKind.Null, filtered.Json.GetProperty("first_id").ValueKind);
        Assert.False(filtered.Json.GetProperty("has_more").GetBoolean());
        Assert.Equal(3, unfiltered.DataIds().Count);
    }

    private async Task<List<(string[] Ids, bool HasMore)>> WalkAsync(string threadId, string order)
    {
        var pages = new List<(string[] Ids, bool HasMore)>();
        string? after = null;
        do
        {
            var query = $"threads/{threadId}/messages?limit=2&order={order}" + (after is null ? "" : $"&after={after}");
            var page = await _server.GetAsync(query);
            Assert.Equal(HttpStatusCode.OK, page.Status);
            var hasMore = page.Json.GetProperty("has_more").GetBoolean();
            pages.Add((page.DataIds().ToArray(), hasMore));
            after = hasMore ? page.String("last_id") : null;
        }
        while (after is not null && pages.Count < 10);

        return pages;
    }

    private sealed class PageComparer : IEqualityComparer<(string[] Ids, bool HasMore)>
    {
        public static readonly PageComparer Instance = new();

        public bool Equals((string[] Ids, bool HasMore) x, (string[] Ids, bool HasMore) y) =>
            x.HasMore == y.HasMore && x.Ids.SequenceEqual(y.Ids);

        public int GetHashCode((string[] Ids, bool HasMore) page) => page.Ids.Length;
    }
}
