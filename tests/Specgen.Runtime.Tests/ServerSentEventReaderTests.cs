using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using System.Text;
using System.Threading;
using System.Threading.Tasks;
using Specgen.Runtime;

namespace Specgen.Runtime.Tests;

public class ServerSentEventReaderTests
{
    private static Task<List<ServerSentEvent>> Read(string text) => Read(Encoding.UTF8.GetBytes(text), int.MaxValue);

    private static async Task<List<ServerSentEvent>> Read(byte[] bytes, int bytesPerRead)
    {
        var events = new List<ServerSentEvent>();
        using var stream = new TrickleStream(bytes, bytesPerRead);
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

    [Fact]
    public async Task A_byte_order_mark_at_the_start_is_ignored_and_one_later_is_data()
    {
        List<ServerSentEvent> events = await Read("\uFEFFdata: 1\n\ndata: \uFEFF2\n\n");

        Assert.Equal(new[] { "1", "\uFEFF2" }, events.ConvertAll(e => e.Data));
    }

    [Fact]
    public async Task A_stream_that_arrives_one_byte_per_read_gives_the_same_events_as_one_read()
    {
        // Every line ending, a byte order mark, a comment and a character of several bytes, each
        // split across reads: the reader's buffer must never cut a line, a CRLF or the mark.
        byte[] bytes = Encoding.UTF8.GetBytes("\uFEFF: hello\r\nevent: caf\u00e9\r\ndata: {\"a\":\r\ndata: 1}\r\nid: 9\r\n\r\nevent: b\rdata: x\r\rdata: y\n\ndata: z\r\r\n");

        List<ServerSentEvent> whole = await Read(bytes, int.MaxValue);
        List<ServerSentEvent> trickled = await Read(bytes, 1);

        Assert.Equal(
            new[] { new ServerSentEvent("caf\u00e9", "{\"a\":\n1}", "9"), new ServerSentEvent("b", "x", "9"), new ServerSentEvent("message", "y", "9"), new ServerSentEvent("message", "z", "9") },
            trickled);
        Assert.Equal(whole, trickled);
    }

    [Fact]
    public async Task A_CR_that_ends_one_read_and_an_LF_that_starts_the_next_are_one_line_end()
    {
        // Were the LF taken for a blank line, "a" would be dispatched alone.
        byte[] bytes = Encoding.UTF8.GetBytes("data: a\r\ndata: b\r\n\r\n");

        List<ServerSentEvent> events = await Read(bytes, "data: a\r".Length);

        Assert.Equal("a\nb", Assert.Single(events).Data);
    }

    [Fact]
    public async Task Lines_and_events_longer_than_the_read_buffer_arrive_whole()
    {
        string line = new('x', 10_000);
        byte[] bytes = Encoding.UTF8.GetBytes($"event: {line}\ndata: {line}\ndata: {line}\n\ndata: after\n\n");

        List<ServerSentEvent> events = await Read(bytes, 1500);

        Assert.Equal(line, events[0].EventType);
        Assert.Equal(line + "\n" + line, events[0].Data);
        Assert.Equal("after", events[1].Data);
    }

    [Fact]
    public async Task The_id_stays_for_later_events_an_id_with_NUL_is_ignored_and_an_empty_name_is_message()
    {
        List<ServerSentEvent> events = await Read("data: 1\n\nid: 5\ndata: 2\n\ndata: 3\n\nid: 6\u0000\nevent:\ndata: 4\n\nid:\ndata: 5\n\n");

        Assert.Equal(new string?[] { null, "5", "5", "5", "" }, events.ConvertAll(e => e.Id));
        Assert.Equal("message", events[3].EventType);
    }

    [Fact]
    public async Task An_empty_data_line_is_an_event_with_empty_data()
    {
        List<ServerSentEvent> events = await Read("event: ping\ndata\n\nevent: pong\ndata:\n\n");

        Assert.Equal(new[] { new ServerSentEvent("ping", "", null), new ServerSentEvent("pong", "", null) }, events);
    }

    [Fact]
    public async Task Cancelling_stops_the_reading_between_events()
    {
        using var cancellation = new CancellationTokenSource();
        using var stream = new MemoryStream(Encoding.UTF8.GetBytes("data: 1\n\ndata: 2\n\n"));
        var seen = new List<string>();

        await Assert.ThrowsAnyAsync<OperationCanceledException>(async () =>
        {
            await foreach (ServerSentEvent item in ServerSentEventReader.ReadAsync(stream, cancellation.Token))
            {
                seen.Add(item.Data);
                cancellation.Cancel();
            }
        });
        Assert.Equal(new[] { "1" }, seen);
    }

    [Fact]
    public void Reading_events_allocates_nothing_per_event_once_the_buffers_are_pooled()
    {
        var text = new StringBuilder(": keep-alive\r\n");
        for (int i = 0; i < 1000; i++)
        {
            text.Append("event: thread.message.delta\r\nid: ").Append(i).Append("\r\ndata: {\"delta\":\r\ndata: \"").Append(i).Append("\"}\r\n\r\n");
        }

        byte[] bytes = Encoding.UTF8.GetBytes(text.ToString());
        Assert.Equal(1000, CountDeltas(bytes));

        long before = GC.GetAllocatedBytesForCurrentThread();
        int deltas = CountDeltas(bytes);
        long allocated = GC.GetAllocatedBytesForCurrentThread() - before;

        Assert.Equal(1000, deltas);
        // The parser object and the stream: a few hundred bytes for the whole run, not per event.
        Assert.InRange(allocated, 0, 1000);
    }

    // As generated code reads an event: the name compared as bytes, the data parsed from the buffer.
    private static int CountDeltas(byte[] bytes)
    {
        using var stream = new TrickleStream(bytes, 700);
        using var parser = new ServerSentEventParser();
        int deltas = 0;
        while (true)
        {
            if (parser.TryReadEvent())
            {
                deltas += IsDelta(parser.Current) ? 1 : 0;
            }
            else if (parser.Ended)
            {
                return deltas;
            }
            else
            {
                parser.Advance(stream.Read(parser.GetReadBuffer().Span));
            }
        }
    }

    private static bool IsDelta(Utf8ServerSentEvent serverSentEvent)
    {
        var reader = new System.Text.Json.Utf8JsonReader(serverSentEvent.Data);
        return serverSentEvent.EventTypeEquals("thread.message.delta"u8) && reader.Read() && reader.TrySkip() && !serverSentEvent.Id.IsEmpty;
    }

    /// <summary>A stream that returns at most a given number of bytes per read, as a socket may.</summary>
    private sealed class TrickleStream(byte[] bytes, int bytesPerRead) : Stream
    {
        private int _position;

        public override bool CanRead => true;

        public override bool CanSeek => false;

        public override bool CanWrite => false;

        public override long Length => bytes.Length;

        public override long Position
        {
            get => _position;
            set => throw new NotSupportedException();
        }

        public override int Read(byte[] buffer, int offset, int count) => Read(buffer.AsSpan(offset, count));

        public override int Read(Span<byte> buffer)
        {
            int count = Math.Min(Math.Min(buffer.Length, bytesPerRead), bytes.Length - _position);
            bytes.AsSpan(_position, count).CopyTo(buffer);
            _position += count;
            return count;
        }

        public override ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default) => new(Read(buffer.Span));

        public override void Flush()
        {
        }

        public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();

        public override void SetLength(long value) => throw new NotSupportedException();

        public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException();
    }
}
