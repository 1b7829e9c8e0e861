using System;
using System.Collections.Generic;
using System.Linq;
using System.Net.Http;
using System.Threading;
using System.Threading.Tasks;
using Microsoft.AspNetCore.Http;

namespace Specgen.Runtime.Tests;

/// <summary><see cref="CursorPager.EnumerateAsync"/> against a real paged endpoint.</summary>
public sealed class CursorPagerTests
{
    // A server that never stops paging on its own answers has_more=false after this many requests,
    // so that a pager that does not stop fails the test instead of hanging it.
    private const int ServerRequestBound = 20;

    [Fact]
    public async Task Every_item_of_three_pages_is_yielded_in_order()
    {
        await using LoopbackServer server = await LoopbackServer.StartAsync(context =>
        {
            string json = context.Request.Query["after"].ToString() switch
            {
                "" => """{"object":"list","data":[{"id":"a"},{"id":"b"}],"first_id":"a","last_id":"b","has_more":true}""",
                "b" => """{"object":"list","data":[{"id":"c"},{"id":"d"}],"first_id":"c","last_id":"d","has_more":true}""",
                "d" => """{"object":"list","data":[{"id":"e"}],"first_id":"e","last_id":"e","has_more":false}""",
                _ => """{"error":{"message":"unknown cursor"}}""",
            };
            return Respond.Json(json)(context);
        });
        using var client = new TestClient(server);

        var ids = new List<string>();
        await foreach (Item item in ListItems(client, limit: 2, after: null))
        {
            ids.Add(item.Id);
        }

        Assert.Equal(new[] { "a", "b", "c", "d", "e" }, ids);
        Assert.Equal(
            new[] { "/v1/items?limit=2", "/v1/items?limit=2&after=b", "/v1/items?limit=2&after=d" },
            server.Requests.Select(r => r.RawTarget).ToArray());
    }

    [Fact]
    public async Task The_callers_after_is_the_first_cursor()
    {
        await using LoopbackServer server = await LoopbackServer.StartAsync(
            Respond.Json("""{"data":[{"id":"y"},{"id":"z"}],"last_id":"z","has_more":false}"""));
        using var client = new TestClient(server);

        List<string> ids = await Collect(ListItems(client, limit: 2, after: "x"));

        Assert.Equal(new[] { "y", "z" }, ids);
        Assert.Equal("/v1/items?limit=2&after=x", Assert.Single(server.Requests).RawTarget);
    }

    [Fact]
    public async Task Pages_are_fetched_only_when_the_caller_gets_there()
    {
        await using LoopbackServer server = await LoopbackServer.StartAsync(BoundedPages(n =>
            $$"""{"data":[{"id":"p{{n}}a"},{"id":"p{{n}}b"}],"last_id":"p{{n}}b","has_more":true}"""));
        using var client = new TestClient(server);

        IAsyncEnumerable<Item> items = ListItems(client, limit: 2, after: null);
        Assert.Equal(0, server.RequestCount);

        string? first = null;
        await foreach (Item item in items)
        {
            first = item.Id;
            break;
        }

        Assert.Equal("p0a", first);
        Assert.Equal(1, server.RequestCount);

        // Walking into the second item of the first page still needs no new request; the third does.
        await using IAsyncEnumerator<Item> walk = items.GetAsyncEnumerator();
        Assert.True(await walk.MoveNextAsync());
        Assert.True(await walk.MoveNextAsync());
        Assert.Equal("p1b", walk.Current.Id);
        Assert.Equal(2, server.RequestCount);
        Assert.True(await walk.MoveNextAsync());
        Assert.Equal("p2a", walk.Current.Id);
        Assert.Equal(3, server.RequestCount);
    }

    [Fact]
    public async Task Paging_stops_when_has_more_is_true_but_last_id_repeats()
    {
        await using LoopbackServer server = await LoopbackServer.StartAsync(BoundedPages(_ => """{"data":[{"id":"same"}],"last_id":"same","has_more":true}"""));
        using var client = new TestClient(server);

        List<string> ids = await Collect(ListItems(client, limit: 1, after: null));

        Assert.Equal(new[] { "same", "same" }, ids);
        Assert.Equal(new[] { "/v1/items?limit=1", "/v1/items?limit=1&after=same" }, server.Requests.Select(r => r.RawTarget).ToArray());
    }

    [Theory]
    [InlineData("""{"data":[{"id":"a"}],"has_more":true}""")]
    [InlineData("""{"data":[{"id":"a"}],"last_id":null,"has_more":true}""")]
    [InlineData("""{"data":[{"id":"a"}],"last_id":"","has_more":true}""")]
    public async Task Paging_stops_when_has_more_is_true_but_last_id_is_missing(string page)
    {
        await using LoopbackServer server = await LoopbackServer.StartAsync(BoundedPages(_ => page));
        using var client = new TestClient(server);

        List<string> ids = await Collect(ListItems(client, limit: 1, after: null));

        Assert.Equal(new[] { "a" }, ids);
        Assert.Equal(1, server.RequestCount);
    }

    [Fact]
    public async Task Paging_stops_when_has_more_is_true_but_the_page_is_empty()
    {
        await using LoopbackServer server = await LoopbackServer.StartAsync(BoundedPages(_ => """{"data":[],"last_id":"x","has_more":true}"""));
        using var client = new TestClient(server);

        List<string> ids = await Collect(ListItems(client, limit: 1, after: null));

        Assert.Empty(ids);
        Assert.Equal(1, server.RequestCount);
    }

    [Fact]
    public async Task Paging_stops_when_the_page_has_no_data_member()
    {
        await using LoopbackServer server = await LoopbackServer.StartAsync(BoundedPages(_ => """{"object":"list","last_id":"x","has_more":true}"""));
        using var client = new TestClient(server);

        List<string> ids = await Collect(ListItems(client, limit: 1, after: null));

        Assert.Empty(ids);
        Assert.Equal(1, server.RequestCount);
    }

    [Fact]
    public async Task Paging_stops_when_the_server_cycles_between_cursors()
    {
        await using LoopbackServer server = await LoopbackServer.StartAsync(BoundedPages(n =>
            n % 2 == 0 ? """{"data":[{"id":"a"}],"last_id":"a","has_more":true}""" : """{"data":[{"id":"b"}],"last_id":"b","has_more":true}"""));
        using var client = new TestClient(server);

        await Collect(ListItems(client, limit: 1, after: null));

        // a, then b, then a again: the third page hands back a cursor already followed.
        Assert.Equal(3, server.RequestCount);
    }

    [Fact]
    public async Task An_error_page_ends_the_walk_with_its_exception_after_the_earlier_items()
    {
        await using LoopbackServer server = await LoopbackServer.StartAsync(context =>
            context.Request.Query.ContainsKey("after")
                ? Respond.Json("""{"error":{"message":"cursor expired","code":"invalid_cursor"}}""", 400, "req_page_2")(context)
                : Respond.Json("""{"data":[{"id":"a"}],"last_id":"a","has_more":true}""")(context));
        using var client = new TestClient(server);

        var ids = new List<string>();
        BadRequestException ex = await Assert.ThrowsAsync<BadRequestException>(async () =>
        {
            await foreach (Item item in ListItems(client, limit: 1, after: null))
            {
                ids.Add(item.Id);
            }
        });

        Assert.Equal(new[] { "a" }, ids);
        Assert.Equal("invalid_cursor", ex.Error!.Code);
        Assert.Equal("req_page_2", ex.RequestId);
    }

    [Fact]
    public async Task Cancelling_stops_the_walk_between_pages()
    {
        await using LoopbackServer server = await LoopbackServer.StartAsync(BoundedPages(n => $$"""{"data":[{"id":"i{{n}}"}],"last_id":"i{{n}}","has_more":true}"""));
        using var client = new TestClient(server);
        using var cts = new CancellationTokenSource();

        var ids = new List<string>();
        await Assert.ThrowsAnyAsync<OperationCanceledException>(async () =>
        {
            await foreach (Item item in ListItems(client, limit: 1, after: null).WithCancellation(cts.Token))
            {
                ids.Add(item.Id);
                if (ids.Count == 2)
                {
                    await cts.CancelAsync();
                }
            }
        });

        Assert.Equal(new[] { "i0", "i1" }, ids);
        Assert.Equal(2, server.RequestCount);
    }

    // What a generated listItems(limit, after) method looks like.
    private static IAsyncEnumerable<Item> ListItems(TestClient client, long limit, string? after, CancellationToken cancellationToken = default) =>
        CursorPager.EnumerateAsync<ItemPage, Item>(
            async (cursor, ct) =>
            {
                ApiRequest request = new ApiRequest(HttpMethod.Get, "listItems").AppendPath("/items").AddQuery("limit", limit).AddQuery("after", cursor);
                ApiResponse<ItemPage> response = await client.Pipeline.SendAsync(request, Readers.ReadPage, null, ct);
                return response.Value;
            },
            page => (page.Data, page.HasMore, page.LastId),
            after,
            cancellationToken);

    private static async Task<List<string>> Collect(IAsyncEnumerable<Item> items)
    {
        var ids = new List<string>();
        await foreach (Item item in items)
        {
            ids.Add(item.Id);
        }

        return ids;
    }

    // Serves page(n) for the n-th request (0-based), then has_more=false once past the bound.
    private static Func<HttpContext, Task> BoundedPages(Func<int, string> page)
    {
        int count = -1;
        return context =>
        {
            int n = Interlocked.Increment(ref count);
            return n >= ServerRequestBound
                ? Respond.Json("""{"data":[],"has_more":false}""")(context)
                : Respond.Json(page(n))(context);
        };
    }
}
