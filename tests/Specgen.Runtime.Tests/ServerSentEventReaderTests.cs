using System.Collections.Generic;
using System.IO;
using System.Text;
using System.Threading.Tasks;
using Specgen.Runtime;

namespace Specgen.Runtime.Tests;

public class ServerSentEventReaderTests
{
    private static async Task<List<ServerSentEvent>> Read(string text)
    {
        var events = new List<ServerSentEvent>();
        using var stream = new MemoryStream(Encoding.UTF8.GetBytes(text));
        await foreach (ServerSentEvent item in ServerSentEventReader.ReadAsync(stream))
        {
            events.Add(item);
        }

        return events;
    }

    [Fact]
    public async Task Events_are_dispatched_on_blank_lines_with_their_name_and_data()
    {
        List<ServerSentEvent> events = await Read("event: thread.created\ndata: {\"id\":\"t\"}\n\nevent: done\ndata: [DONE]\n\n");

        Assert.Equal(new[] { "thread.created", "done" }, events.ConvertAll(e => e.EventType));
        Assert.Equal("{\"id\":\"t\"}", events[0].Data);
        Assert.Equal("[DONE]", events[1].Data);
    }

    [Fact]
    public async Task CRLF_and_CR_line_endings_work_like_LF()
    {
        List<ServerSentEvent> crlf = await Read("event: a\r\ndata: 1\r\n\r\n");
        List<ServerSentEvent> cr = await Read("event: a\rdata: 1\r\r");

        Assert.Equal("1", Assert.Single(crlf).Data);
        Assert.Equal("1", Assert.Single(cr).Data);
    }

    [Fact]
    public async Task Several_data_lines_are_joined_with_line_feeds_and_one_leading_space_is_dropped()
    {
        List<ServerSentEvent> events = await Read("data: first\ndata:second\ndata:  third\n\n");

        Assert.Equal("first\nsecond\n third", Assert.Single(events).Data);
        Assert.Equal("message", events[0].EventType);
    }

    [Fact]
    public async Task Comments_unknown_fields_and_events_without_data_are_skipped()
    {
        List<ServerSentEvent> events = await Read(": keep-alive\nretry: 100\nevent: ping\n\nfoo: bar\nevent: real\nid: 7\ndata: x\n\n");

        ServerSentEvent only = Assert.Single(events);
        Assert.Equal("real", only.EventType);
        Assert.Equal("7", only.Id);
    }

    [Fact]
    public async Task An_event_cut_off_before_its_blank_line_is_dropped()
    {
        List<ServerSentEvent> events = await Read("event: a\ndata: 1\n\nevent: b\ndata: {\"half\":");

        Assert.Equal("a", Assert.Single(events).EventType);
    }
}
