using System;
using System.Collections.Generic;
using System.Linq;
using System.Threading;

namespace Specgen.IntegrationTests.Support;

/// <summary>
/// A <see cref="TimeProvider"/> whose time moves only by <see cref="Advance"/>: every timer created
/// from it (Task.Delay, CancellationTokenSource) fires when the clock passes its due time, never on
/// its own. Enough for the polling waits; the runtime's tests have a fuller one.
/// </summary>
public sealed class SteppingClock : TimeProvider
{
    private readonly object _gate = new();
    private readonly List<SteppingTimer> _timers = new();
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

    /// <summary>How many timers wait for the clock to move.</summary>
    public int PendingTimers
    {
        get
        {
            lock (_gate)
            {
                return _timers.Count(timer => timer.Due is not null);
            }
        }
    }

    public override ITimer CreateTimer(TimerCallback callback, object? state, TimeSpan dueTime, TimeSpan period)
    {
        var timer = new SteppingTimer(this, callback, state);
        lock (_gate)
        {
            _timers.Add(timer);
        }

        timer.Change(dueTime, period);
        return timer;
    }

    /// <summary>Moves the clock on and fires, in order, every timer that falls due.</summary>
    public void Advance(TimeSpan by)
    {
        List<SteppingTimer> due;
        lock (_gate)
        {
            _now += by;
            due = _timers.Where(timer => timer.Due is { } at && at <= _now).OrderBy(timer => timer.Due).ToList();
            foreach (SteppingTimer timer in due)
            {
                timer.Due = null;
            }
        }

        foreach (SteppingTimer timer in due)
        {
            timer.Fire();
        }
    }

    private sealed class SteppingTimer(SteppingClock clock, TimerCallback callback, object? state) : ITimer
    {
        public DateTimeOffset? Due { get; set; }

        public bool Change(TimeSpan dueTime, TimeSpan period)
        {
            lock (clock._gate)
            {
                Due = dueTime == Timeout.InfiniteTimeSpan ? null : clock._now + dueTime;
            }

            if (dueTime == TimeSpan.Zero)
            {
                lock (clock._gate)
                {
                    Due = null;
                }

                Fire();
            }

            return true;
        }

        public void Fire() => callback(state);

        public void Dispose()
        {
            lock (clock._gate)
            {
                Due = null;
                clock._timers.Remove(this);
            }
        }

        public System.Threading.Tasks.ValueTask DisposeAsync()
        {
            Dispose();
            return default;
        }
    }
}
