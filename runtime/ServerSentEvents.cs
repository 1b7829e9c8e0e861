using System;
using System.Collections.Generic;
using System.IO;
using System.Runtime.CompilerServices;
using System.Text;
using System.Threading;

namespace Specgen.Runtime;

/// <summary>One event of a <c>text/event-stream</c> response.</summary>
/// <param name="EventType">The <c>event:</c> field; <c>message</c> when the server sent none.</param>
/// <param name="Data">The <c>data:</c> lines, joined with <c>\n</c>.</param>
/// <param name="Id">The <c>id:</c> field, if any.</param>
public readonly record struct ServerSentEvent(string EventType, string Data, string? Id);

/// <summary>
/// Reads server-sent events as the HTML living standard defines them: lines end with LF, CRLF or
/// CR; <c>:</c> starts a comment; a blank line dispatches the event; one space after the colon is
/// dropped; an event without data is not dispatched; an unfinished event at the end is dropped; a
/// byte order mark at the start is ignored.
/// </summary>
public static class ServerSentEventReader
{
    /// <summary>Yields the events of <paramref name="stream"/> as they arrive.</summary>
    public static async IAsyncEnumerable<ServerSentEvent> ReadAsync(Stream stream, [EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        using var reader = new StreamReader(stream, new UTF8Encoding(false), detectEncodingFromByteOrderMarks: false, bufferSize: 4096, leaveOpen: true);
        string? eventType = null;
        string? id = null;
        StringBuilder? data = null;
        bool first = true;
        while (true)
        {
            cancellationToken.ThrowIfCancellationRequested();
            string? line = await reader.ReadLineAsync(cancellationToken).ConfigureAwait(false);
            if (line is null)
            {
                yield break;
            }

            // The standard ignores one byte order mark at the very start of the stream.
            if (first)
            {
                first = false;
                if (line.Length > 0 && line[0] == '\uFEFF')
                {
                    line = line.Substring(1);
                }
            }

            if (line.Length == 0)
            {
                if (data is not null)
                {
                    yield return new ServerSentEvent(eventType ?? "message", data.ToString(), id);
                }

                eventType = null;
                data = null;
                continue;
            }

            if (line[0] == ':')
            {
                continue;
            }

            int colon = line.IndexOf(':');
            string field = colon < 0 ? line : line.Substring(0, colon);
            string value = colon < 0 ? string.Empty : line.Substring(colon + 1 < line.Length && line[colon + 1] == ' ' ? colon + 2 : colon + 1);
            switch (field)
            {
                case "event":
                    eventType = value;
                    break;
                case "data":
                    if (data is null)
                    {
                        data = new StringBuilder(value);
                    }
                    else
                    {
                        data.Append('\n').Append(value);
                    }

                    break;
                case "id":
                    if (value.IndexOf('\0') < 0)
                    {
                        id = value;
                    }

                    break;
            }
        }
    }
}
