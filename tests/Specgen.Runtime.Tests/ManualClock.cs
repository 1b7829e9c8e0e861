using System;
using System.Collections.Generic;
using System.Linq;
using System.Threading;
using System.Threading.Tasks;

namespace Specgen.Runtime.Tests;

/// <summary>
/// A <see cref="TimeProvider"/> whose time moves only when a test calls <see cref="Advance"/>, so
/// that retry waits and timeouts happen without anyone sleeping.
/// </summary>
/// <remarks>
/// Every timer given a finite due time is announced, in order, through <see cref="NextScheduledAsync"/>:
/// the pipeline's per-try timeouts and its retry waits alike. A test reads what was scheduled,
/// asserts it, and advances the clock by exactly that much.
/// </remarks>
public sealed class ManualClock : TimeProvider
{
    /// <summary>Longest a test waits for the code under test to schedule something before failing (never reached when all is well).</summary>
    public static readonly TimeSpan HangGuard = TimeSpan.FromSeconds(20);

    private readonly object _gate = new();
    private readonly List<ManualTimer> _pending = new();
    private readonly List<TimeSpan> _scheduled = new();
    private int _taken;
    private TaskCompletionSource _moreScheduled = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private DateTimeOffset _now = new(2030, 1, 2, 3, 4, 5, TimeSpan.Zero);

    public override DateTimeOffset GetUtcNow()
    {
        lock (_gate)
        {
            return _now;
        }
    }

    public override long GetTimestamp() => GetUtcNow().UtcTicks;

    public override long TimestampFrequency => TimeSpan.TicksPerSecond;

    public override ITimer CreateTimer(TimerCallback callback, object? state, TimeSpan dueTime, TimeSpan period)
    {
        var timer = new ManualTimer(this, callback, state);
        timer.Change(dueTime, period);
        return timer;
    }

    /// <summary>The next due time scheduled by the code under test (a timeout or a wait), in order.</summary>
    public async Task<TimeSpan> NextScheduledAsync()
    {
        await WhenScheduledAsync().WaitAsync(HangGuard).ConfigureAwait(false);
        return Take();
    }

    // Completes once a scheduled due time is waiting to be taken; takes nothing itself, so that a
    // wait abandoned by a race never swallows what a later reader expects.
    private async Task WhenScheduledAsync()
    {
        while (true)
        {
            Task more;
            lock (_gate)
            {
                if (_taken < _scheduled.Count)
                {
                    return;
                }

                more = _moreScheduled.Task;
            }

            await more.ConfigureAwait(false);
        }
    }

    private TimeSpan Take()
    {
        lock (_gate)
        {
            return _scheduled[_taken++];
        }
    }

    /// <summary>The next scheduled due time shorter than <paramref name="limit"/>: with the per-try timeout as the limit, the next retry wait.</summary>
    public async Task<TimeSpan> NextWaitShorterThanAsync(TimeSpan limit)
    {
        for (int i = 0; i < 100; i++)
        {
            TimeSpan due = await NextScheduledAsync().ConfigureAwait(false);
            if (due < limit)
            {
                return due;
            }
        }

        throw new InvalidOperationException($"100 timers of {limit} or more were scheduled and no shorter one.");
    }

    /// <summary>Moves time forward and fires, in due order, every timer due by then.</summary>
    public void Advance(TimeSpan by)
    {
        List<ManualTimer> due;
        lock (_gate)
        {
            _now += by;
            due = _pending.Where(timer => timer.DueAt <= _now).OrderBy(timer => timer.DueAt).ToList();
            foreach (ManualTimer timer in due)
            {
                _pending.Remove(timer);
            }
        }

        foreach (ManualTimer timer in due)
        {
            timer.Fire();
        }
    }

    /// <summary>
    /// Completes <paramref name="call"/> by advancing the clock through every retry wait it schedules
    /// (every due time shorter than <paramref name="perTryTimeout"/>); returns the waits, in order.
    /// </summary>
    public async Task<IReadOnlyList<TimeSpan>> RunThroughWaitsAsync(Task call, TimeSpan perTryTimeout)
    {
        var waits = new List<TimeSpan>();
        for (int i = 0; i < 200 && !call.IsCompleted; i++)
        {
            Task scheduled = WhenScheduledAsync();
            if (await Task.WhenAny(scheduled, call).ConfigureAwait(false) != scheduled)
            {
                break;
            }

            TimeSpan due = Take();
            if (due < perTryTimeout)
            {
                waits.Add(due);
                Advance(due);
            }
        }

        // The call's own outcome (a value or an exception) is for the test to assert.
        await Task.WhenAny(call, Task.Delay(HangGuard)).ConfigureAwait(false);
        return call.IsCompleted ? waits : throw new TimeoutException($"The call did not finish after the waits {string.Join(", ", waits)}.");
    }

    private void Schedule(ManualTimer timer, TimeSpan dueTime)
    {
        lock (_gate)
        {
            _pending.Remove(timer);
            if (dueTime == Timeout.InfiniteTimeSpan)
            {
                return;
            }

            timer.DueAt = _now + dueTime;
            _pending.Add(timer);
        }

        TaskCompletionSource more;
        lock (_gate)
        {
            _scheduled.Add(dueTime);
            more = _moreScheduled;
            _moreScheduled = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        }

        more.SetResult();
        if (dueTime == TimeSpan.Zero)
        {
            Advance(TimeSpan.Zero);
        }
    }

    private void Cancel(ManualTimer timer)
    {
        lock (_gate)
        {
            _pending.Remove(timer);
        }
    }

    private sealed class ManualTimer(ManualClock clock, TimerCallback callback, object? state) : ITimer
    {
        public DateTimeOffset DueAt { get; set; }

        public bool Change(TimeSpan dueTime, TimeSpan period)
        {
            // One-shot timers are all the pipeline uses; a period would be a surprise worth seeing.
            if (period != Timeout.InfiniteTimeSpan && period != TimeSpan.Zero)
            {
                throw new NotSupportedException("ManualClock timers do not repeat.");
            }

            clock.Schedule(this, dueTime);
            return true;
        }

        public void Fire() => callback(state);

        public void Dispose() => clock.Cancel(this);

        public ValueTask DisposeAsync()
        {
            Dispose();
            return ValueTask.CompletedTask;
        }
    }
}
