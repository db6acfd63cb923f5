using System.Diagnostics;

namespace Mindspace.Silo.Storage;

/// <summary>
/// A <see cref="TimeProvider"/> whose timers fire about a tenth of a millisecond after their due time
/// (at the median), for waits of a millisecond or two (<see cref="GroupCommitQueue{TWrite}"/>'s gather window).
/// </summary>
/// <remarks>
/// <para>.NET's own timers (<see cref="Task.Delay(TimeSpan)"/>, <see cref="System.Threading.Timer"/>) are
/// due by <see cref="Environment.TickCount64"/>, which on Linux reads <c>CLOCK_MONOTONIC_COARSE</c>: it
/// advances once per kernel tick, every 4 ms on a 250 Hz kernel. On this project's machines a
/// <c>Task.Delay</c> of 1 ms took 3.7–3.8 ms at the median (p99 5–6 ms), while a blocking wait of 1 ms
/// (<see cref="Monitor.Wait(object, int)"/>, <see cref="Thread.Sleep(TimeSpan)"/>) took 1.09 ms.</para>
/// <para>So the timers here are kept by one dedicated background thread that sleeps in
/// <see cref="Monitor.Wait(object, int)"/> until the earliest one is due, timed with
/// <see cref="Stopwatch"/>. A due timer's callback is queued to the thread pool, never run on that
/// thread. Meant for a few timers at a time: they are kept in one heap behind one lock.</para>
/// </remarks>
internal sealed class PreciseTimeProvider : TimeProvider
{
    /// <summary>The one instance: one timer thread for the process, started on first use.</summary>
    public static PreciseTimeProvider Instance { get; } = new();

    /// <summary>A monitor, not a <see cref="Lock"/>: the timer thread sleeps in <see cref="Monitor.Wait(object, int)"/> on it.</summary>
    private readonly object _gate = new();
    private readonly PriorityQueue<PreciseTimer, long> _due = new();
    private Thread? _thread;

    private PreciseTimeProvider()
    {
    }

    public override ITimer CreateTimer(TimerCallback callback, object? state, TimeSpan dueTime, TimeSpan period)
    {
        ArgumentNullException.ThrowIfNull(callback);
        var timer = new PreciseTimer(this, callback, state);
        timer.Change(dueTime, period);
        return timer;
    }

    /// <summary>Puts <paramref name="timer"/> in the heap (again) at <paramref name="dueTimestamp"/>; caller holds the lock.</summary>
    private void Schedule(PreciseTimer timer, long dueTimestamp)
    {
        _due.Enqueue(timer, dueTimestamp);
        if (_thread is null)
        {
            _thread = new Thread(Run) { IsBackground = true, Name = "Precise timers" };
            _thread.Start();
        }
        else if (_due.Peek() == timer)
        {
            // Earlier than what the thread sleeps for.
            Monitor.Pulse(_gate);
        }
    }

    private void Run()
    {
        lock (_gate)
        {
            while (true)
            {
                if (!_due.TryPeek(out var timer, out var dueTimestamp))
                {
                    Monitor.Wait(_gate);
                    continue;
                }

                var remaining = Stopwatch.GetElapsedTime(Stopwatch.GetTimestamp(), dueTimestamp);
                if (remaining > TimeSpan.Zero)
                {
                    // At most int.MaxValue ms (24.8 days) a wait: the heap is looked at again after it.
                    Monitor.Wait(_gate, (int)Math.Min(Math.Ceiling(remaining.TotalMilliseconds), int.MaxValue));
                    continue;
                }

                _due.Dequeue();
                timer.FireIfStill(dueTimestamp);
            }
        }
    }

    private sealed class PreciseTimer(PreciseTimeProvider provider, TimerCallback callback, object? state) : ITimer
    {
        private readonly TimerCallback _callback = callback;
        private readonly object? _state = state;

        /// <summary>When it is next due (a <see cref="Stopwatch"/> timestamp), or 0 when stopped; under the provider's lock.</summary>
        private long _dueTimestamp;
        private TimeSpan _period = Timeout.InfiniteTimeSpan;

        public bool Change(TimeSpan dueTime, TimeSpan period)
        {
            ArgumentOutOfRangeException.ThrowIfLessThan(dueTime, Timeout.InfiniteTimeSpan);
            ArgumentOutOfRangeException.ThrowIfLessThan(period, Timeout.InfiniteTimeSpan);
            lock (provider._gate)
            {
                _period = period;
                if (dueTime == Timeout.InfiniteTimeSpan)
                {
                    _dueTimestamp = 0;
                    return true;
                }

                // A stale heap entry of an earlier Change is skipped when it comes up (FireIfStill).
                _dueTimestamp = Stopwatch.GetTimestamp() + StopwatchTicks(dueTime);
                provider.Schedule(this, _dueTimestamp);
                return true;
            }
        }

        /// <summary>Fires if <paramref name="dueTimestamp"/> is still this timer's due time; caller holds the lock.</summary>
        public void FireIfStill(long dueTimestamp)
        {
            if (_dueTimestamp != dueTimestamp)
            {
                return;
            }

            // Infinite (-1 ms) and zero both mean one-shot, as for System.Threading.Timer.
            if (_period > TimeSpan.Zero)
            {
                _dueTimestamp = dueTimestamp + StopwatchTicks(_period);
                provider.Schedule(this, _dueTimestamp);
            }
            else
            {
                _dueTimestamp = 0;
            }

            ThreadPool.UnsafeQueueUserWorkItem(static timer => timer._callback(timer._state), this, preferLocal: false);
        }

        public void Dispose() => Change(Timeout.InfiniteTimeSpan, Timeout.InfiniteTimeSpan);

        private static long StopwatchTicks(TimeSpan time) => (long)(time.TotalSeconds * Stopwatch.Frequency);

        public ValueTask DisposeAsync()
        {
            Dispose();
            return ValueTask.CompletedTask;
        }
    }
}
