using System;
using System.Collections.Generic;
using System.Linq;
using System.Net;
using System.Threading.Tasks;
using Specgen.IntegrationTests.OpenAI;
using Specgen.IntegrationTests.Support;
using Specgen.Runtime;

namespace Specgen.IntegrationTests.ThreadsServer;

/// <summary>listMessages: one page, its cursors and order, and the auto-pager over several pages.</summary>
public sealed class ListMessagesTests : IClassFixture<ThreadsServerFixture>, IDisposable
{
    private readonly RecordedClient _api;

    public ListMessagesTests(ThreadsServerFixture server)
    {
        _api = new RecordedClient(server.BaseAddress);
    }

    private ThreadsClient Client => _api.Client;

    public void Dispose() => _api.Dispose();

    [Fact]
    public async Task The_auto_pager_with_limit_2_yields_all_5_messages_in_order_from_exactly_3_list_requests()
    {
        ThreadObject thread = await _api.NewThreadAsync();
        IReadOnlyList<MessageObject> messages = await _api.AddMessagesAsync(thread.Id, 5);

        var listed = new List<MessageObject>();
        await foreach (MessageObject message in Client.ListMessagesAutoPagingAsync(thread.Id, limit: 2, order: ListMessagesOrder.Asc))
        {
            listed.Add(message);
        }

        Assert.Equal(messages.Select(m => m.Id), listed.Select(m => m.Id));
        Assert.Equal(["m1", "m2", "m3", "m4", "m5"], listed.Select(m => Assert.Single(m.Content).AsText!.Text.Value));
        SentRequest[] pages = _api.Recorder.Requests.Where(r => r.IsListMessages).ToArray();
        Assert.Equal(3, pages.Length);
        Assert.Equal(3, _api.Recorder.Requests.Count);
        Assert.Equal(
            [
                $"/v1/threads/{thread.Id}/messages?limit=2&order=asc",
                $"/v1/threads/{thread.Id}/messages?limit=2&order=asc&after={messages[1].Id}",
                $"/v1/threads/{thread.Id}/messages?limit=2&order=asc&after={messages[3].Id}",
            ],
            pages.Select(page => page.PathAndQuery));
    }

    [Fact]
    public async Task The_auto_pager_in_descending_order_yields_the_newest_message_first()
    {
        ThreadObject thread = await _api.NewThreadAsync();
        IReadOnlyList<MessageObject> messages = await _api.AddMessagesAsync(thread.Id, 5);

        var listed = new List<string>();
        await foreach (MessageObject message in Client.ListMessagesAutoPagingAsync(thread.Id, limit: 2, order: ListMessagesOrder.Desc))
        {
            listed.Add(message.Id);
        }

        Assert.Equal(messages.Select(m => m.Id).Reverse(), listed);
        Assert.Equal(3, _api.Recorder.Requests.Count(r => r.IsListMessages));
    }

    [Fact]
    public async Task The_auto_pager_fetches_the_next_page_only_when_the_enumeration_reaches_it()
    {
        ThreadObject thread = await _api.NewThreadAsync();
        await _api.AddMessagesAsync(thread.Id, 5);

        await using IAsyncEnumerator<MessageObject> enumerator = Client.ListMessagesAutoPagingAsync(thread.Id, limit: 2, order: ListMessagesOrder.Asc).GetAsyncEnumerator();
        Assert.Empty(_api.Recorder.Requests);
        Assert.True(await enumerator.MoveNextAsync());
        Assert.True(await enumerator.MoveNextAsync());

        Assert.Single(_api.Recorder.Requests);
        Assert.True(await enumerator.MoveNextAsync());
        Assert.Equal(2, _api.Recorder.Requests.Count);
    }

    [Fact]
    public async Task Ascending_and_descending_pages_hold_the_same_messages_in_opposite_orders()
    {
        ThreadObject thread = await _api.NewThreadAsync();
        IReadOnlyList<MessageObject> messages = await _api.AddMessagesAsync(thread.Id, 3);

        ListMessagesResponse asc = await Client.ListMessagesAsync(thread.Id, order: ListMessagesOrder.Asc);
        ListMessagesResponse desc = await Client.ListMessagesAsync(thread.Id, order: ListMessagesOrder.Desc);
        ListMessagesResponse byDefault = await Client.ListMessagesAsync(thread.Id);

        Assert.Equal("list", asc.Object);
        Assert.Equal(messages.Select(m => m.Id), asc.Data.Select(m => m.Id));
        Assert.Equal(messages[0].Id, asc.FirstId);
        Assert.Equal(messages[2].Id, asc.LastId);
        Assert.False(asc.HasMore);
        Assert.Equal(messages.Select(m => m.Id).Reverse(), desc.Data.Select(m => m.Id));
        Assert.Equal(messages[2].Id, desc.FirstId);
        Assert.Equal(messages[0].Id, desc.LastId);
        Assert.Equal(desc.Data.Select(m => m.Id), byDefault.Data.Select(m => m.Id));
        Assert.Equal($"/v1/threads/{thread.Id}/messages", _api.Recorder.Requests[2].PathAndQuery);
    }

    [Fact]
    public async Task After_starts_the_page_behind_the_cursor_and_has_more_says_whether_messages_follow()
    {
        ThreadObject thread = await _api.NewThreadAsync();
        IReadOnlyList<MessageObject> messages = await _api.AddMessagesAsync(thread.Id, 5);

        ListMessagesResponse page = await Client.ListMessagesAsync(thread.Id, limit: 2, order: ListMessagesOrder.Asc, after: messages[1].Id);

        Assert.Equal([messages[2].Id, messages[3].Id], page.Data.Select(m => m.Id));
        Assert.Equal(messages[2].Id, page.FirstId);
        Assert.Equal(messages[3].Id, page.LastId);
        Assert.True(page.HasMore);
    }

    [Fact]
    public async Task Before_returns_the_page_just_ahead_of_the_cursor()
    {
        ThreadObject thread = await _api.NewThreadAsync();
        IReadOnlyList<MessageObject> messages = await _api.AddMessagesAsync(thread.Id, 5);

        ListMessagesResponse page = await Client.ListMessagesAsync(thread.Id, limit: 2, order: ListMessagesOrder.Asc, before: messages[3].Id);

        Assert.Equal([messages[1].Id, messages[2].Id], page.Data.Select(m => m.Id));
        Assert.Equal($"/v1/threads/{thread.Id}/messages?limit=2&order=asc&before={messages[3].Id}", _api.Recorder.Single().PathAndQuery);
    }

    [Fact]
    public async Task The_response_variant_gives_status_200_and_the_x_request_id_header()
    {
        ThreadObject thread = await _api.NewThreadAsync();
        await _api.AddMessagesAsync(thread.Id, 1);

        ApiResponse<ListMessagesResponse> response = await Client.ListMessagesWithResponseAsync(thread.Id, limit: 1);

        Assert.Equal(HttpStatusCode.OK, response.Status);
        Assert.NotNull(response.RequestId);
        Assert.Matches("^req_[0-9a-f]{32}$", response.RequestId);
        Assert.Equal(response.RequestId, response.Headers["x-request-id"]);
        Assert.StartsWith("application/json", response.Headers["Content-Type"], StringComparison.Ordinal);
        Assert.Single(response.Value.Data);
    }

    [Fact]
    public async Task Listing_a_thread_without_messages_gives_an_empty_page()
    {
        ThreadObject thread = await _api.NewThreadAsync();

        ListMessagesResponse page = await Client.ListMessagesAsync(thread.Id);
        var listed = new List<MessageObject>();
        await foreach (MessageObject message in Client.ListMessagesAutoPagingAsync(thread.Id))
        {
            listed.Add(message);
        }

        Assert.Empty(page.Data);
        Assert.False(page.HasMore);
        Assert.Empty(listed);
    }
}
