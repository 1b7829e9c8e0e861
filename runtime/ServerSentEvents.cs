using System;
using System.Buffers;
using System.Collections.Generic;
using System.IO;
using System.Runtime.CompilerServices;
using System.Text;
using System.Threading;

namespace Specgen.Runtime;

/// <summary>One event of a <c>text/event-stream</c> response, as strings.</summary>
/// <param name="EventType">The <c>event:</c> field; <c>message</c> when the server sent none.</param>
/// <param name="Data">The <c>data:</c> lines, joined with <c>\n</c>.</param>
/// <param name="Id">The last <c>id:</c> field seen so far, if any.</param>
public readonly record struct ServerSentEvent(string EventType, string Data, string? Id);

/// <summary>
/// One event of a <c>text/event-stream</c> response as UTF-8, viewed in the reader's buffers: what
/// generated clients read events from, so that no string is made for a name or for the data.
/// </summary>
/// <remarks>
/// Valid only during the call it is passed to: the reader reuses its buffers for the next event.
/// <see cref="ToEvent"/> copies it out.
/// </remarks>
public readonly ref struct Utf8ServerSentEvent
{
    private readonly bool _hasId;

    internal Utf8ServerSentEvent(ReadOnlySpan<byte> eventType, ReadOnlySpan<byte> data, ReadOnlySpan<byte> id, bool hasId)
    {
        EventType = eventType;
        Data = data;
        Id = id;
        _hasId = hasId;
    }

    /// <summary>The <c>event:</c> field; <c>message</c> when the server sent none or an empty one.</summary>
    public ReadOnlySpan<byte> EventType { get; }

    /// <summary>The <c>data:</c> lines, joined with <c>\n</c>.</summary>
    public ReadOnlySpan<byte> Data { get; }

    /// <summary>The last <c>id:</c> field seen so far; empty when none.</summary>
    public ReadOnlySpan<byte> Id { get; }

    /// <summary>Whether the event's name is <paramref name="utf8EventType"/> (a <c>u8</c> literal, for instance).</summary>
    public bool EventTypeEquals(ReadOnlySpan<byte> utf8EventType) => EventType.SequenceEqual(utf8EventType);

    /// <summary>The event as strings, which outlive the reader.</summary>
    public ServerSentEvent ToEvent() =>
        new(Encoding.UTF8.GetString(EventType), Encoding.UTF8.GetString(Data), _hasId ? Encoding.UTF8.GetString(Id) : null);
}

/// <summary>Reads one event for <see cref="EventStream.ReadAsync{T}"/>; null ends the stream.</summary>
/// <param name="serverSentEvent">The event, valid only during the call.</param>
public delegate T? EventReader<T>(Utf8ServerSentEvent serverSentEvent);

/// <summary>
/// Reads server-sent events as the HTML living standard defines them: lines end with LF, CRLF or
/// CR; <c>:</c> starts a comment; a blank line dispatches the event; one space after the colon is
/// dropped; an event without data is not dispatched; an unfinished event at the end is dropped; a
/// byte order mark at the start is ignored.
/// </summary>
public static class ServerSentEventReader
{
    /// <summary>Yields the events of <paramref name="stream"/> as they arrive, as strings.</summary>
    /// <remarks>Generated clients read the same events without strings, as <see cref="Utf8ServerSentEvent"/>.</remarks>
    public static async IAsyncEnumerable<ServerSentEvent> ReadAsync(Stream stream, [EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        using var parser = new ServerSentEventParser();
        while (true)
        {
            cancellationToken.ThrowIfCancellationRequested();
            if (parser.TryReadEvent())
            {
                yield return parser.Current.ToEvent();
            }
            else if (parser.Ended)
            {
                yield break;
            }
            else
            {
                parser.Advance(await stream.ReadAsync(parser.GetReadBuffer(), cancellationToken).ConfigureAwait(false));
            }
        }
    }
}

/// <summary>
/// The byte-level reader behind <see cref="ServerSentEventReader"/> and <see cref="EventStream"/>:
/// the caller reads the stream into <see cref="GetReadBuffer"/> and reports it with
/// <see cref="Advance"/>, then takes events with <see cref="TryReadEvent"/> until it returns false.
/// </summary>
/// <remarks>
/// The caller does the read so that its own async method awaits the stream directly: an async
/// helper here would cost a state machine box per read that does not complete at once, which on a
/// live stream is nearly every read. All buffers come from <see cref="ArrayPool{T}.Shared"/> and go
/// back on <see cref="Dispose"/>; each event's name, data and id are copied out of the read buffer
/// (a few hundred bytes) so that the read buffer can be compacted while an event is half read.
/// </remarks>
internal sealed class ServerSentEventParser : IDisposable
{
    private const int InitialBufferSize = 4096;

    private static ReadOnlySpan<byte> Bom => [0xEF, 0xBB, 0xBF];

    private byte[] _buffer = ArrayPool<byte>.Shared.Rent(InitialBufferSize);
    private int _start;
    private int _end;

    private byte[] _data = ArrayPool<byte>.Shared.Rent(InitialBufferSize);
    private int _dataLength = -1;

    private byte[] _eventType = ArrayPool<byte>.Shared.Rent(64);
    private int _eventTypeLength;

    private byte[] _id = ArrayPool<byte>.Shared.Rent(64);
    private int _idLength = -1;

    private bool _bomChecked;

    // Current shows an event; its fields are cleared when the next one is asked for.
    private bool _dispatched;

    // A CR ended the last line with nothing after it yet; an LF that comes next belongs to it.
    private bool _skipLineFeed;

    /// <summary>The stream has ended; no event is left (an unfinished one was dropped).</summary>
    public bool Ended { get; private set; }

    /// <summary>The event <see cref="TryReadEvent"/> found; valid until the next call.</summary>
    public Utf8ServerSentEvent Current => new(
        _eventTypeLength == 0 ? "message"u8 : _eventType.AsSpan(0, _eventTypeLength),
        _data.AsSpan(0, Math.Max(_dataLength, 0)),
        _id.AsSpan(0, Math.Max(_idLength, 0)),
        _idLength >= 0);

    /// <summary>Where to read the stream's next bytes: never empty.</summary>
    public Memory<byte> GetReadBuffer()
    {
        // What is left is at most an unfinished line: move it to the front.
        if (_start > 0)
        {
            _buffer.AsSpan(_start, _end - _start).CopyTo(_buffer);
            _end -= _start;
            _start = 0;
        }

        if (_end == _buffer.Length)
        {
            Grow(ref _buffer, _end, _end + 1);
        }

        return _buffer.AsMemory(_end);
    }

    /// <summary>Records <paramref name="read"/> bytes read into <see cref="GetReadBuffer"/>; 0 is the end of the stream.</summary>
    public void Advance(int read)
    {
        if (read == 0)
        {
            Ended = true;
        }

        _end += read;
    }

    /// <summary>Reads lines up to the next event to dispatch; false when more bytes are needed or the stream has ended.</summary>
    public bool TryReadEvent()
    {
        if (_dispatched)
        {
            // The caller is done with the event Current showed; the next one starts empty.
            _dispatched = false;
            _eventTypeLength = 0;
            _dataLength = -1;
        }

        if (Ended)
        {
            // The standard drops pending data at the end, a last line without its line end too.
            return false;
        }

        if (!_bomChecked && !SkipBom())
        {
            return false;
        }

        while (TryReadLine(out ReadOnlySpan<byte> line))
        {
            if (!line.IsEmpty)
            {
                ProcessField(line);
            }
            else if (_dataLength >= 0)
            {
                _dispatched = true;
                return true;
            }
            else
            {
                _eventTypeLength = 0;
            }
        }

        return false;
    }

    public void Dispose()
    {
        Return(ref _buffer);
        Return(ref _data);
        Return(ref _eventType);
        Return(ref _id);
    }

    private bool SkipBom()
    {
        ReadOnlySpan<byte> start = _buffer.AsSpan(_start, _end - _start);
        if (start.Length < Bom.Length && Bom.StartsWith(start))
        {
            // Too few bytes to tell a byte order mark from text yet.
            return false;
        }

        if (start.StartsWith(Bom))
        {
            _start += Bom.Length;
        }

        _bomChecked = true;
        return true;
    }

    private bool TryReadLine(out ReadOnlySpan<byte> line)
    {
        if (_skipLineFeed && _start < _end)
        {
            _skipLineFeed = false;
            if (_buffer[_start] == (byte)'\n')
            {
                _start++;
            }
        }

        ReadOnlySpan<byte> available = _buffer.AsSpan(_start, _end - _start);
        int lineEnd = available.IndexOfAny((byte)'\r', (byte)'\n');
        if (lineEnd < 0)
        {
            line = default;
            return false;
        }

        line = available.Slice(0, lineEnd);
        int next = lineEnd + 1;
        if (available[lineEnd] == (byte)'\r')
        {
            if (next < available.Length)
            {
                if (available[next] == (byte)'\n')
                {
                    next++;
                }
            }
            else
            {
                // Dispatch now rather than wait for a byte that may be the next line's.
                _skipLineFeed = true;
            }
        }

        _start += next;
        return true;
    }

    private void ProcessField(ReadOnlySpan<byte> line)
    {
        if (line[0] == (byte)':')
        {
            return;
        }

        int colon = line.IndexOf((byte)':');
        ReadOnlySpan<byte> field = colon < 0 ? line : line.Slice(0, colon);
        ReadOnlySpan<byte> value = colon < 0 ? default : line.Slice(colon + 1);
        if (!value.IsEmpty && value[0] == (byte)' ')
        {
            value = value.Slice(1);
        }

        if (field.SequenceEqual("data"u8))
        {
            if (_dataLength < 0)
            {
                Set(ref _data, ref _dataLength, value);
            }
            else
            {
                int length = _dataLength + 1 + value.Length;
                if (length > _data.Length)
                {
                    Grow(ref _data, _dataLength, length);
                }

                _data[_dataLength] = (byte)'\n';
                value.CopyTo(_data.AsSpan(_dataLength + 1));
                _dataLength = length;
            }
        }
        else if (field.SequenceEqual("event"u8))
        {
            Set(ref _eventType, ref _eventTypeLength, value);
        }
        else if (field.SequenceEqual("id"u8) && value.IndexOf((byte)0) < 0)
        {
            // The id stays for the events after this one, as the standard's last event ID does.
            Set(ref _id, ref _idLength, value);
        }

        // retry: and unknown fields change nothing a client of ours uses.
    }

    private static void Set(ref byte[] buffer, ref int length, ReadOnlySpan<byte> value)
    {
        if (value.Length > buffer.Length)
        {
            Grow(ref buffer, 0, value.Length);
        }

        value.CopyTo(buffer);
        length = value.Length;
    }

    private static void Grow(ref byte[] buffer, int keep, int atLeast)
    {
        byte[] larger = ArrayPool<byte>.Shared.Rent(Math.Max(atLeast, buffer.Length * 2));
        buffer.AsSpan(0, keep).CopyTo(larger);
        ArrayPool<byte>.Shared.Return(buffer);
        buffer = larger;
    }

    private static void Return(ref byte[] buffer)
    {
        if (buffer.Length > 0)
        {
            ArrayPool<byte>.Shared.Return(buffer);
            buffer = [];
        }
    }
}
