using System;
using System.Collections.Generic;
using System.Linq;

namespace ThreadsServer;

/// <summary>
/// The in-memory state: threads, their messages, runs and run steps. One lock guards everything; the records
/// handed out are immutable snapshots. Unknown ids are reported as <see cref="ApiException"/> 404s.
/// </summary>
internal sealed partial class ThreadStore
{
    private readonly object _gate = new();
    private readonly Dictionary<string, ThreadEntry> _threads = new(StringComparer.Ordinal);
    private readonly TimeProvider _clock;
    private long _nextSequence;

    public ThreadStore(TimeProvider? clock = null)
    {
        _clock = clock ?? TimeProvider.System;
    }

    public (ThreadRecord Thread, IReadOnlyList<MessageRecord> Messages) CreateThread(NewThread request)
    {
        lock (_gate)
        {
            var now = Now();
            var thread = new ThreadRecord(Ids.New("thread_"), now, request.ToolResources, request.Metadata);
            var entry = new ThreadEntry(thread);
            _threads.Add(thread.Id, entry);
            var messages = request.Messages.Select(m => AddMessage(entry, m, now)).ToArray();
            return (thread, messages);
        }
    }

    public ThreadRecord GetThread(string threadId)
    {
        lock (_gate)
        {
            return Find(threadId).Thread;
        }
    }

    public ThreadRecord ModifyThread(string threadId, ThreadChanges changes)
    {
        lock (_gate)
        {
            var entry = Find(threadId);
            entry.Thread = entry.Thread with
            {
                ToolResources = changes.ToolResources ?? entry.Thread.ToolResources,
                Metadata = changes.Metadata ?? entry.Thread.Metadata,
            };
            return entry.Thread;
        }
    }

    /// <summary>Deletes the thread and all of its messages.</summary>
    public void DeleteThread(string threadId)
    {
        lock (_gate)
        {
            if (!_threads.Remove(threadId))
            {
                throw ApiErrors.ThreadNotFound(threadId);
            }
        }
    }

    /// <summary>Adds a message; like the API, not while a run on the thread is active.</summary>
    public MessageRecord CreateMessage(string threadId, NewMessage request)
    {
        lock (_gate)
        {
            var entry = Find(threadId);
            if (ActiveRun(entry) is { } active)
            {
                throw ApiErrors.Invalid(null, $"Can't add messages to {threadId} while a run {active.Run.Id} is active.");
            }

            return AddMessage(entry, request, Now());
        }
    }

    public MessageRecord GetMessage(string threadId, string messageId)
    {
        lock (_gate)
        {
            var entry = Find(threadId);
            return entry.Messages[FindMessageIndex(entry, messageId)];
        }
    }

    public MessageRecord ModifyMessage(string threadId, string messageId, IReadOnlyDictionary<string, string>? metadata)
    {
        lock (_gate)
        {
            var entry = Find(threadId);
            var index = FindMessageIndex(entry, messageId);
            if (metadata is not null)
            {
                entry.Messages[index] = entry.Messages[index] with { Metadata = metadata };
            }

            return entry.Messages[index];
        }
    }

    public void DeleteMessage(string threadId, string messageId)
    {
        lock (_gate)
        {
            var entry = Find(threadId);
            entry.Messages.RemoveAt(FindMessageIndex(entry, messageId));
        }
    }

    /// <summary>
    /// The thread's messages, optionally filtered by run, paged like every list (see
    /// <see cref="Paginate{T}"/>). Cursors may name a message deleted since the previous page was
    /// read: it still has a place.
    /// </summary>
    public Page<MessageRecord> ListMessages(string threadId, ListQuery query)
    {
        lock (_gate)
        {
            var entry = Find(threadId);
            IEnumerable<MessageRecord> candidates = entry.Messages;
            if (query.RunId is not null)
            {
                candidates = candidates.Where(m => string.Equals(m.RunId, query.RunId, StringComparison.Ordinal));
            }

            return Paginate(candidates, m => m.Sequence, query, (id, param) =>
                entry.CursorSequences.TryGetValue(id, out var sequence)
                    ? sequence
                    : throw ApiErrors.Invalid(param, $"Invalid '{param}': no message found with id '{id}' in this thread."));
        }
    }

    /// <summary>
    /// Cursor pagination like OpenAI's: the items in creation order (or its reverse), then those
    /// strictly after <c>after</c> and strictly before <c>before</c> in that order. A page with only
    /// <c>before</c> is the <c>limit</c> items just before the cursor (the previous page); otherwise
    /// it is the first <c>limit</c> items. <c>has_more</c> says whether items remain beyond the page
    /// in the direction of travel. <paramref name="cursorSequence"/> maps a cursor id (and the
    /// parameter's name) to its creation sequence, or throws.
    /// </summary>
    private static Page<T> Paginate<T>(IEnumerable<T> items, Func<T, long> sequenceOf, ListQuery query, Func<string, string, long> cursorSequence)
    {
        // Position in the requested order: larger means later in the list.
        long Position(long sequence) => query.Descending ? -sequence : sequence;

        var candidates = items;
        if (query.After is not null)
        {
            var after = Position(cursorSequence(query.After, "after"));
            candidates = candidates.Where(item => Position(sequenceOf(item)) > after);
        }

        if (query.Before is not null)
        {
            var before = Position(cursorSequence(query.Before, "before"));
            candidates = candidates.Where(item => Position(sequenceOf(item)) < before);
        }

        var ordered = candidates.OrderBy(item => Position(sequenceOf(item))).ToList();
        var hasMore = ordered.Count > query.Limit;
        var page = query.Before is not null && query.After is null
            ? ordered.Skip(Math.Max(0, ordered.Count - query.Limit)).ToArray()
            : ordered.Take(query.Limit).ToArray();
        return new Page<T>(page, hasMore);
    }

    private MessageRecord AddMessage(ThreadEntry entry, NewMessage request, long createdAt)
    {
        var message = new MessageRecord(
            Id: Ids.New("msg_"),
            Sequence: ++_nextSequence,
            CreatedAt: createdAt,
            ThreadId: entry.Thread.Id,
            Role: request.Role,
            Content: request.Content,
            Attachments: request.Attachments,
            Metadata: request.Metadata,
            AssistantId: null,
            RunId: null);
        entry.Messages.Add(message);
        entry.CursorSequences.Add(message.Id, message.Sequence);
        return message;
    }

    private ThreadEntry Find(string threadId) =>
        _threads.TryGetValue(threadId, out var entry) ? entry : throw ApiErrors.ThreadNotFound(threadId);

    private static int FindMessageIndex(ThreadEntry entry, string messageId)
    {
        var index = entry.Messages.FindIndex(m => string.Equals(m.Id, messageId, StringComparison.Ordinal));
        return index >= 0 ? index : throw ApiErrors.MessageNotFound(messageId);
    }

    private long Now() => _clock.GetUtcNow().ToUnixTimeSeconds();

    private sealed class ThreadEntry(ThreadRecord thread)
    {
        public ThreadRecord Thread { get; set; } = thread;

        /// <summary>Live messages in creation order.</summary>
        public List<MessageRecord> Messages { get; } = new();

        /// <summary>Every message id ever created in the thread, deleted or not, for cursors.</summary>
        public Dictionary<string, long> CursorSequences { get; } = new(StringComparer.Ordinal);

        /// <summary>The thread's runs in creation order (runs are never deleted on their own).</summary>
        public List<RunEntry> Runs { get; } = new();
    }
}
