using System;
using System.Collections.Generic;
using System.Linq;

namespace ThreadsServer;

/// <summary>
/// Runs and run steps. A run is a small state machine that moves one transition at a time, each
/// returning the <see cref="RunEvent"/>s it caused:
/// <code>
/// queued --&gt; in_progress --&gt; completed                         (a reply)
/// queued --&gt; in_progress --&gt; requires_action --(submit)--&gt; queued --&gt; in_progress --&gt; completed
/// queued | in_progress | requires_action --(cancel)--&gt; cancelling --&gt; cancelled
/// </code>
/// A polled run takes one transition per <c>getRun</c>; a streamed run is driven through all of
/// them by its stream (see <see cref="AdvanceRun"/>), so both end in the same state.
/// </summary>
internal sealed partial class ThreadStore
{
    /// <summary>Seconds until a run that is not finished says it expires (the API's ten minutes).</summary>
    private const long RunLifetimeSeconds = 600;

    /// <summary>
    /// Adds the additional messages, then creates a queued run. Like the API, a thread has at most
    /// one active (non-terminal) run. With a <paramref name="stream"/> token, the caller's stream
    /// owns the run: it drives it with <see cref="AdvanceRun"/> and must call
    /// <see cref="EndStream"/> with the same token when it ends.
    /// </summary>
    public (RunRecord Run, IReadOnlyList<RunEvent> Events) CreateRun(string threadId, NewRun request, object? stream)
    {
        lock (_gate)
        {
            var thread = Find(threadId);
            if (ActiveRun(thread) is { } active)
            {
                throw ApiErrors.Invalid(null, $"Thread {threadId} already has an active run {active.Run.Id}.");
            }

            var now = Now();
            foreach (var message in request.AdditionalMessages)
            {
                AddMessage(thread, message, now);
            }

            var run = StartRun(thread, request.Settings, stream, now);
            return (run, [new("thread.run.created", run), new("thread.run.queued", run)]);
        }
    }

    /// <summary>Creates the thread with its messages and a queued run on it (see <see cref="CreateRun"/>).</summary>
    public (ThreadRecord Thread, RunRecord Run, IReadOnlyList<RunEvent> Events) CreateThreadAndRun(NewThreadAndRun request, object? stream)
    {
        lock (_gate)
        {
            var (thread, _) = CreateThread(request.Thread);
            var run = StartRun(_threads[thread.Id], request.Settings, stream, thread.CreatedAt);
            return (thread, run, [new("thread.created", thread), new("thread.run.created", run), new("thread.run.queued", run)]);
        }
    }

    /// <summary>The run as it is, without moving it.</summary>
    public RunRecord GetRun(string threadId, string runId)
    {
        lock (_gate)
        {
            return FindRun(threadId, runId).Run.Run;
        }
    }

    /// <summary>
    /// Moves the run one transition forward (nothing happens in <c>requires_action</c> or a terminal
    /// status) and returns its new state with the events of the move. A run that a stream owns is
    /// left to that stream: other callers (a poller, with a null <paramref name="stream"/>, or a
    /// stream that no longer owns it) just read it. The owner also receives the events that others
    /// caused meanwhile (a cancel).
    /// </summary>
    public (RunRecord Run, IReadOnlyList<RunEvent> Events) AdvanceRun(string threadId, string runId, object? stream)
    {
        lock (_gate)
        {
            var (thread, entry) = FindRun(threadId, runId);
            var owner = entry.Stream is not null && ReferenceEquals(entry.Stream, stream);
            if (entry.Stream is not null && !owner)
            {
                return (entry.Run, []);
            }

            var events = new List<RunEvent>();
            if (owner)
            {
                events.AddRange(entry.PendingEvents);
                entry.PendingEvents.Clear();
            }

            Transition(thread, entry, events);
            return (entry.Run, events);
        }
    }

    /// <summary>
    /// Hands a streamed run back to polling: the stream ended, whole or cut short. Does nothing if
    /// another stream owns the run by now (outputs submitted with <c>stream: true</c> as soon as
    /// <c>thread.run.requires_action</c> arrived, before this stream had finished).
    /// </summary>
    public void EndStream(string threadId, string runId, object stream)
    {
        lock (_gate)
        {
            if (_threads.TryGetValue(threadId, out var thread)
                && thread.Runs.Find(r => r.Run.Id == runId) is { } entry
                && ReferenceEquals(entry.Stream, stream))
            {
                entry.Stream = null;
                entry.PendingEvents.Clear();
            }
        }
    }

    public RunRecord ModifyRun(string threadId, string runId, IReadOnlyDictionary<string, string>? metadata)
    {
        lock (_gate)
        {
            var (_, entry) = FindRun(threadId, runId);
            if (metadata is not null)
            {
                entry.Run = entry.Run with { Metadata = metadata };
            }

            return entry.Run;
        }
    }

    /// <summary>Moves an active run to <c>cancelling</c>; its next transition cancels it.</summary>
    public RunRecord CancelRun(string threadId, string runId)
    {
        lock (_gate)
        {
            var (_, entry) = FindRun(threadId, runId);
            var status = entry.Run.Status;
            if (status is not (RunStatus.Queued or RunStatus.InProgress or RunStatus.RequiresAction))
            {
                throw ApiErrors.Invalid(null, $"Cannot cancel run with status '{status}'.");
            }

            entry.Run = entry.Run with { Status = RunStatus.Cancelling };
            if (entry.Stream is not null)
            {
                entry.PendingEvents.Add(new("thread.run.cancelling", entry.Run));
            }

            return entry.Run;
        }
    }

    /// <summary>
    /// Completes the waiting <c>tool_calls</c> step with the outputs (one per required call, no
    /// more, no less) and queues the run again to write its reply; a <paramref name="stream"/>
    /// token makes that stream the run's owner (see <see cref="CreateRun"/>).
    /// </summary>
    public (RunRecord Run, IReadOnlyList<RunEvent> Events) SubmitToolOutputs(string threadId, string runId, ToolOutputs request, object? stream)
    {
        lock (_gate)
        {
            var (thread, entry) = FindRun(threadId, runId);
            var run = entry.Run;
            if (run.Status != RunStatus.RequiresAction || run.RequiredToolCalls is null)
            {
                throw ApiErrors.Invalid(null, $"Runs in status \"{run.Status}\" do not accept tool outputs.");
            }

            var outputs = new Dictionary<string, string>(StringComparer.Ordinal);
            for (var i = 0; i < request.Outputs.Count; i++)
            {
                var (callId, output) = request.Outputs[i];
                var param = $"tool_outputs[{i}].tool_call_id";
                if (!run.RequiredToolCalls.Any(c => c.Id == callId))
                {
                    throw ApiErrors.Invalid(param, $"Invalid '{param}': no tool call with id '{callId}' is waiting for an output in this run.");
                }

                if (!outputs.TryAdd(callId, output))
                {
                    throw ApiErrors.Invalid(param, $"Invalid '{param}': the output for tool call '{callId}' was given more than once.");
                }
            }

            if (outputs.Count != run.RequiredToolCalls.Count)
            {
                static string List(IEnumerable<string> ids) => "[" + string.Join(", ", ids.Select(id => $"'{id}'")) + "]";
                throw ApiErrors.Invalid("tool_outputs",
                    $"Expected tool outputs for call_ids {List(run.RequiredToolCalls.Select(c => c.Id))}, got {List(outputs.Keys)}");
            }

            var now = Now();
            var calls = run.RequiredToolCalls.Select(c => c with { Output = outputs[c.Id] }).ToArray();
            var stepIndex = entry.Steps.FindLastIndex(s => s.Type == StepType.ToolCalls);
            var usage = new UsageRecord(
                Simulation.PromptTokens(run.Settings.Instructions, thread.Messages, []),
                2 * calls.Length);
            var step = entry.Steps[stepIndex] = entry.Steps[stepIndex] with
            {
                Status = "completed",
                CompletedAt = now,
                ToolCalls = calls,
                Usage = usage,
            };

            entry.SubmittedToolCalls = calls;
            entry.Run = run with { Status = RunStatus.Queued, RequiredToolCalls = null };
            entry.Stream = stream;
            entry.PendingEvents.Clear();
            return (entry.Run, [new("thread.run.step.completed", step), new("thread.run.queued", entry.Run)]);
        }
    }

    public Page<RunRecord> ListRuns(string threadId, ListQuery query)
    {
        lock (_gate)
        {
            var thread = Find(threadId);
            return Paginate(thread.Runs.Select(r => r.Run), r => r.Sequence, query, (id, param) =>
                thread.Runs.Find(r => r.Run.Id == id) is { } cursor
                    ? cursor.Run.Sequence
                    : throw ApiErrors.Invalid(param, $"Invalid '{param}': no run found with id '{id}' in this thread."));
        }
    }

    public Page<StepRecord> ListRunSteps(string threadId, string runId, ListQuery query)
    {
        lock (_gate)
        {
            var (_, entry) = FindRun(threadId, runId);
            return Paginate(entry.Steps, s => s.Sequence, query, (id, param) =>
                entry.Steps.Find(s => s.Id == id) is { } cursor
                    ? cursor.Sequence
                    : throw ApiErrors.Invalid(param, $"Invalid '{param}': no run step found with id '{id}' in this run."));
        }
    }

    public StepRecord GetRunStep(string threadId, string runId, string stepId)
    {
        lock (_gate)
        {
            var (_, entry) = FindRun(threadId, runId);
            return entry.Steps.Find(s => s.Id == stepId) ?? throw ApiErrors.StepNotFound(stepId);
        }
    }

    private RunRecord StartRun(ThreadEntry thread, RunSettings settings, object? stream, long now)
    {
        var lastUserText = Simulation.LastUserText(thread.Messages);
        var run = new RunRecord(
            Id: Ids.New("run_"),
            Sequence: ++_nextSequence,
            CreatedAt: now,
            ThreadId: thread.Thread.Id,
            Settings: settings,
            Metadata: settings.Metadata,
            Status: RunStatus.Queued,
            RequiredToolCalls: null,
            ExpiresAt: now + RunLifetimeSeconds,
            StartedAt: null,
            CancelledAt: null,
            CompletedAt: null,
            Usage: null);
        thread.Runs.Add(new RunEntry(run, lastUserText, Simulation.PlanToolCalls(settings.ToolPolicy, settings.ParallelToolCalls, lastUserText))
        {
            Stream = stream,
        });
        return run;
    }

    /// <summary>One move of the state machine (see the class summary), recording its events.</summary>
    private void Transition(ThreadEntry thread, RunEntry entry, List<RunEvent> events)
    {
        var now = Now();
        var run = entry.Run;
        switch (run.Status)
        {
            case RunStatus.Queued:
            {
                entry.Run = run with { Status = RunStatus.InProgress, StartedAt = run.StartedAt ?? now };
                events.Add(new("thread.run.in_progress", entry.Run));
                if (entry.PlannedToolCalls.Count > 0 && entry.SubmittedToolCalls is null)
                {
                    var step = AddStep(entry, StepType.ToolCalls, now, messageId: null, entry.PlannedToolCalls);
                    events.Add(new("thread.run.step.created", step));
                    events.Add(new("thread.run.step.in_progress", step));
                    events.Add(new("thread.run.step.delta", new StepDelta(step.Id, entry.PlannedToolCalls)));
                }
                else
                {
                    var message = AddAssistantMessage(thread, entry, now);
                    var step = AddStep(entry, StepType.MessageCreation, now, message.Id, toolCalls: null);
                    events.Add(new("thread.run.step.created", step));
                    events.Add(new("thread.run.step.in_progress", step));
                    events.Add(new("thread.message.created", message));
                    events.Add(new("thread.message.in_progress", message));
                }

                break;
            }

            case RunStatus.InProgress when entry.Steps[^1].Type == StepType.ToolCalls:
                entry.Run = run with { Status = RunStatus.RequiresAction, RequiredToolCalls = entry.Steps[^1].ToolCalls };
                events.Add(new("thread.run.requires_action", entry.Run));
                break;

            case RunStatus.InProgress:
            {
                var toolCalls = entry.SubmittedToolCalls ?? [];
                var reply = Simulation.Reply(entry.LastUserText, toolCalls);
                var message = entry.Message!;
                foreach (var chunk in Simulation.Chunk(reply))
                {
                    events.Add(new("thread.message.delta", new MessageDelta(message.Id, chunk)));
                }

                var prompt = Simulation.PromptTokens(run.Settings.Instructions, thread.Messages.Where(m => m.Id != message.Id), toolCalls);
                message = UpdateMessage(thread, entry, message with
                {
                    Content = RequestReaders.TextContent(reply),
                    Status = "completed",
                    CompletedAt = now,
                });
                events.Add(new("thread.message.completed", message));

                var step = entry.Steps[^1] = entry.Steps[^1] with
                {
                    Status = "completed",
                    CompletedAt = now,
                    Usage = new UsageRecord(prompt, Simulation.Words(reply)),
                };
                events.Add(new("thread.run.step.completed", step));

                entry.Run = run with
                {
                    Status = RunStatus.Completed,
                    CompletedAt = now,
                    ExpiresAt = null,
                    Usage = TotalUsage(entry),
                };
                events.Add(new("thread.run.completed", entry.Run));
                break;
            }

            case RunStatus.Cancelling:
            {
                for (var i = 0; i < entry.Steps.Count; i++)
                {
                    if (entry.Steps[i].Status == "in_progress")
                    {
                        entry.Steps[i] = entry.Steps[i] with { Status = "cancelled", CancelledAt = now };
                        events.Add(new("thread.run.step.cancelled", entry.Steps[i]));
                    }
                }

                if (entry.Message is { Status: "in_progress" } message)
                {
                    message = UpdateMessage(thread, entry, message with
                    {
                        Status = "incomplete",
                        IncompleteAt = now,
                        IncompleteReason = "run_cancelled",
                    });
                    events.Add(new("thread.message.incomplete", message));
                }

                entry.Run = run with
                {
                    Status = RunStatus.Cancelled,
                    CancelledAt = now,
                    ExpiresAt = null,
                    RequiredToolCalls = null,
                    Usage = TotalUsage(entry),
                };
                events.Add(new("thread.run.cancelled", entry.Run));
                break;
            }
        }
    }

    private StepRecord AddStep(RunEntry entry, string type, long now, string? messageId, IReadOnlyList<ToolCallRecord>? toolCalls)
    {
        var step = new StepRecord(
            Id: Ids.New("step_"),
            Sequence: ++_nextSequence,
            CreatedAt: now,
            RunId: entry.Run.Id,
            AssistantId: entry.Run.Settings.AssistantId,
            ThreadId: entry.Run.ThreadId,
            Type: type,
            Status: "in_progress",
            CancelledAt: null,
            CompletedAt: null,
            MessageId: messageId,
            ToolCalls: toolCalls,
            Usage: null);
        entry.Steps.Add(step);
        return step;
    }

    /// <summary>The run's reply, empty and <c>in_progress</c> until the run completes it.</summary>
    private MessageRecord AddAssistantMessage(ThreadEntry thread, RunEntry entry, long now)
    {
        var message = new MessageRecord(
            Id: Ids.New("msg_"),
            Sequence: ++_nextSequence,
            CreatedAt: now,
            ThreadId: thread.Thread.Id,
            Role: "assistant",
            Content: RequestReaders.EmptyArray,
            Attachments: RequestReaders.EmptyArray,
            Metadata: new Dictionary<string, string>(),
            AssistantId: entry.Run.Settings.AssistantId,
            RunId: entry.Run.Id,
            Status: "in_progress");
        thread.Messages.Add(message);
        thread.CursorSequences.Add(message.Id, message.Sequence);
        entry.Message = message;
        return message;
    }

    /// <summary>Stores the run's new message state, in the thread too unless it was deleted there.</summary>
    private static MessageRecord UpdateMessage(ThreadEntry thread, RunEntry entry, MessageRecord message)
    {
        entry.Message = message;
        var index = thread.Messages.FindIndex(m => m.Id == message.Id);
        if (index >= 0)
        {
            // Keep metadata set with modifyMessage while the run was writing.
            message = thread.Messages[index] = message with { Metadata = thread.Messages[index].Metadata };
        }

        return message;
    }

    private static UsageRecord TotalUsage(RunEntry entry) =>
        entry.Steps.Aggregate(UsageRecord.Zero, (total, step) => total + (step.Usage ?? UsageRecord.Zero));

    private static RunEntry? ActiveRun(ThreadEntry thread) =>
        thread.Runs.Find(r => !RunStatus.IsTerminal(r.Run.Status));

    private (ThreadEntry Thread, RunEntry Run) FindRun(string threadId, string runId)
    {
        var thread = Find(threadId);
        return (thread, thread.Runs.Find(r => r.Run.Id == runId) ?? throw ApiErrors.RunNotFound(runId));
    }

    /// <summary>A run and the simulation state behind it.</summary>
    private sealed class RunEntry(RunRecord run, string? lastUserText, IReadOnlyList<ToolCallRecord> plannedToolCalls)
    {
        public RunRecord Run { get; set; } = run;

        /// <summary>Steps in creation order.</summary>
        public List<StepRecord> Steps { get; } = new();

        /// <summary>What the run answers to: the last user message's text when it was created.</summary>
        public string? LastUserText { get; } = lastUserText;

        /// <summary>The function calls the run makes before replying (possibly none).</summary>
        public IReadOnlyList<ToolCallRecord> PlannedToolCalls { get; } = plannedToolCalls;

        /// <summary>The calls with their outputs, once submitted.</summary>
        public IReadOnlyList<ToolCallRecord>? SubmittedToolCalls { get; set; }

        /// <summary>The reply, once the run has started writing it.</summary>
        public MessageRecord? Message { get; set; }

        /// <summary>The token of the stream that drives the run, if any; polling then only reads it.</summary>
        public object? Stream { get; set; }

        /// <summary>Events caused by other requests (a cancel) that the stream has yet to send.</summary>
        public List<RunEvent> PendingEvents { get; } = new();
    }
}
