using System.Diagnostics;

namespace Mindspace.ClusterBench;

/// <summary>The outcome of a closed loop: as many calls as <c>concurrency</c> allows, back to back.</summary>
public sealed record ClosedLoopResult(int Concurrency, double Seconds, long Calls, double CallsPerSecond, long Errors, Dictionary<string, ProcessUsage> Processes, MachineUsage? Machine);

/// <summary>
/// The outcome of an open loop: calls sent on a fixed schedule whatever the answers do, each timed
/// from its scheduled send time (so a stall delays the timer of every call scheduled during it: no
/// coordinated omission). Milliseconds. A call that never completed counts as infinitely slow.
/// </summary>
public sealed record OpenLoopResult(
    double OfferedPerSecond,
    double AchievedPerSecond,
    long Scheduled,
    long Completed,
    long Errors,
    long TimedOut,
    double? P50Ms,
    double? P90Ms,
    double? P99Ms,
    double? P999Ms,
    double? MaxMs,
    double DispatchLagP99Ms,
    Dictionary<string, ProcessUsage> Processes,
    MachineUsage? Machine,
    IReadOnlyList<TimelineSlice> Timeline);

/// <summary>
/// Latency of the calls or events scheduled within one slice of a run (ms; null = some never completed),
/// with what this process's GC did in that slice and its longest stall: the largest gap between the
/// wake-ups of a thread that asks to wake every 10 ms (a pause of the whole process shows up here).
/// </summary>
public sealed record TimelineSlice(double AtSeconds, int Count, double? P50Ms, double? P99Ms, double? MaxMs, double? GcPauseMs = null, int? Gen0 = null, int? Gen1 = null, int? Gen2 = null, double? LongestStallMs = null);

/// <summary>Samples this process's GC counters every 10 ms, and the gaps between samples, for a timeline.</summary>
internal sealed class StallSampler
{
    private readonly List<(long Ticks, double PauseMs, int Gen0, int Gen1, int Gen2)> _samples = [];
    private readonly Thread _thread;
    private volatile bool _stop;

    public StallSampler()
    {
        _thread = new Thread(() =>
        {
            while (!_stop)
            {
                lock (_samples)
                {
                    _samples.Add((Stopwatch.GetTimestamp(), GC.GetTotalPauseDuration().TotalMilliseconds, GC.CollectionCount(0), GC.CollectionCount(1), GC.CollectionCount(2)));
                }

                Thread.Sleep(10);
            }
        })
        { IsBackground = true, Name = "stall sampler" };
        _thread.Start();
    }

    public void Stop()
    {
        _stop = true;
        _thread.Join();
    }

    /// <summary>Adds GC and stall figures to each slice [start + k·width, start + (k+1)·width).</summary>
    public List<TimelineSlice> Annotate(List<TimelineSlice> slices, long start, double sliceSeconds)
    {
        var samples = _samples.ToArray();
        var width = (long)(sliceSeconds * Stopwatch.Frequency);
        return [.. slices.Select((slice, k) =>
        {
            var from = start + k * width;
            var inSlice = samples.Where(x => x.Ticks >= from && x.Ticks < from + width).ToArray();
            var before = samples.LastOrDefault(x => x.Ticks < from);
            if (inSlice.Length == 0 || before.Ticks == 0)
            {
                return slice;
            }

            var last = inSlice[^1];
            var longest = 0L;
            var previous = before.Ticks;
            foreach (var sample in inSlice)
            {
                longest = Math.Max(longest, sample.Ticks - previous);
                previous = sample.Ticks;
            }

            return slice with
            {
                GcPauseMs = Math.Round(last.PauseMs - before.PauseMs, 1),
                Gen0 = last.Gen0 - before.Gen0,
                Gen1 = last.Gen1 - before.Gen1,
                Gen2 = last.Gen2 - before.Gen2,
                LongestStallMs = Math.Round(longest * 1000.0 / Stopwatch.Frequency, 1),
            };
        })];
    }
}

/// <summary>Load generators shared by the modes.</summary>
internal static class Load
{
    private const int Stride = 16; // longs per counter: one cache line and a bit, so workers never share a line

    /// <summary>
    /// Runs <paramref name="concurrency"/> workers, each calling back to back, for
    /// <paramref name="warmup"/> then <paramref name="measure"/>; counts only the calls completed in the measured window.
    /// </summary>
    /// <param name="call">(worker, sequence) → the call; a worker's calls never overlap.</param>
    /// <param name="yieldEvery">
    /// When above 0, each worker goes through the thread pool's global queue once every that many calls.
    /// Calls that never leave the process resume their callers from the workers' local queues, which
    /// the pool serves before its global queue, where timers fire: without this, a closed loop of local
    /// calls inside a silo held back its timers for over a minute (membership's I-am-alive among them,
    /// so the silo was declared dead). Calls that cross the network resume from the global queue anyway.
    /// </param>
    public static async Task<ClosedLoopResult> ClosedAsync(Func<int, int, Task> call, int concurrency, TimeSpan warmup, TimeSpan measure, PhaseMonitor monitor, int yieldEvery = 0)
    {
        var counts = new long[concurrency * Stride];
        long errors = 0;
        var stop = 0;
        var workers = new Task[concurrency];
        for (var w = 0; w < concurrency; w++)
        {
            var worker = w;
            workers[w] = Task.Run(async () =>
            {
                var sequence = 0;
                while (Volatile.Read(ref stop) == 0)
                {
                    if (yieldEvery > 0 && sequence % yieldEvery == yieldEvery - 1)
                    {
                        // Task.Yield queues the continuation to the global queue (see yieldEvery).
                        await Task.Yield();
                    }

                    try
                    {
                        await call(worker, sequence++).ConfigureAwait(false);
                    }
                    catch (Exception)
                    {
                        Interlocked.Increment(ref errors);
                    }

                    Volatile.Write(ref counts[worker * Stride], counts[worker * Stride] + 1);
                }
            });
        }

        await Task.Delay(warmup);
        var errors0 = Interlocked.Read(ref errors);
        await monitor.StartAsync();
        var before = Sum(counts);
        var started = Stopwatch.GetTimestamp();
        await Task.Delay(measure);
        var after = Sum(counts);
        var seconds = Stopwatch.GetElapsedTime(started).TotalSeconds;
        var usage = await monitor.StopAsync(after - before);
        Volatile.Write(ref stop, 1);
        await Task.WhenAll(workers);
        var calls = after - before;
        return new ClosedLoopResult(concurrency, Math.Round(seconds, 3), calls, Math.Round(calls / seconds), Interlocked.Read(ref errors) - errors0, usage, monitor.Machine);
    }

    /// <summary>
    /// Sends <paramref name="rate"/> calls per second for <paramref name="duration"/> from one
    /// dedicated thread, then waits up to <paramref name="drain"/> for the last answers.
    /// The thread sleeps 1 ms between bursts (no spinning on a 2-core machine), so a call can leave up
    /// to ~1 ms after its scheduled time; that lag is part of the latency (reported apart as DispatchLagP99Ms).
    /// </summary>
    /// <param name="call">sequence → the call.</param>
    public static async Task<OpenLoopResult> OpenAsync(Func<int, Task> call, double rate, TimeSpan duration, TimeSpan drain, PhaseMonitor monitor)
    {
        var count = (int)(rate * duration.TotalSeconds);
        var latencies = new long[count];
        var lags = new long[count];
        Array.Fill(latencies, long.MaxValue);
        var ticksPerCall = Stopwatch.Frequency / rate;
        long completed = 0, errors = 0;
        var allDone = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);

        void Finish(int i, long scheduled, bool failed)
        {
            var now = Stopwatch.GetTimestamp();
            if (failed)
            {
                Interlocked.Increment(ref errors);
            }

            latencies[i] = now - scheduled;
            if (Interlocked.Increment(ref completed) == count)
            {
                allDone.TrySetResult();
            }
        }

        await monitor.StartAsync();
        var sampler = new StallSampler();
        var start = Stopwatch.GetTimestamp() + Stopwatch.Frequency / 100;
        var dispatcher = new Thread(() =>
        {
            for (var i = 0; i < count; i++)
            {
                var scheduled = start + (long)(i * ticksPerCall);
                var now = Stopwatch.GetTimestamp();
                while (now < scheduled)
                {
                    Thread.Sleep(1);
                    now = Stopwatch.GetTimestamp();
                }

                lags[i] = now - scheduled;
                Task task;
                try
                {
                    task = call(i);
                }
                catch (Exception exception)
                {
                    task = Task.FromException(exception);
                }

                if (task.IsCompleted)
                {
                    Finish(i, scheduled, !task.IsCompletedSuccessfully);
                }
                else
                {
                    var index = i;
                    task.ContinueWith(t => Finish(index, scheduled, !t.IsCompletedSuccessfully), CancellationToken.None, TaskContinuationOptions.ExecuteSynchronously, TaskScheduler.Default);
                }
            }
        })
        { IsBackground = true, Name = "open-loop dispatcher", Priority = ThreadPriority.AboveNormal };
        dispatcher.Start();
        await Task.Run(dispatcher.Join);
        var dispatchEnd = Stopwatch.GetTimestamp();
        await Task.WhenAny(allDone.Task, Task.Delay(drain));
        var done = Interlocked.Read(ref completed);
        var usage = await monitor.StopAsync(done);
        sampler.Stop();

        // Throughput over the schedule: what was completed by the end of the schedule's last slot.
        var sent = (dispatchEnd - start) / (double)Stopwatch.Frequency;
        var perSlice = (int)Math.Max(1, rate / 4);
        var timeline = sampler.Annotate(Timeline(latencies, perSlice, perSlice / rate), start, perSlice / rate);
        var sorted = (long[])latencies.Clone();
        Array.Sort(sorted);
        Array.Sort(lags);
        return new OpenLoopResult(
            Math.Round(rate),
            Math.Round(done / Math.Max(sent, duration.TotalSeconds)),
            count,
            done,
            Interlocked.Read(ref errors),
            count - done,
            Percentile(sorted, 0.50),
            Percentile(sorted, 0.90),
            Percentile(sorted, 0.99),
            Percentile(sorted, 0.999),
            Percentile(sorted, 1.0),
            Percentile(lags, 0.99) ?? 0,
            usage,
            monitor.Machine,
            timeline);
    }

    /// <summary>Cuts latencies (in schedule order, long.MaxValue = never completed) into slices of <paramref name="perSlice"/> items.</summary>
    public static List<TimelineSlice> Timeline(IReadOnlyList<long> inScheduleOrder, int perSlice, double sliceSeconds)
    {
        var slices = new List<TimelineSlice>();
        for (var first = 0; first < inScheduleOrder.Count; first += perSlice)
        {
            var slice = inScheduleOrder.Skip(first).Take(perSlice).ToArray();
            Array.Sort(slice);
            slices.Add(new TimelineSlice(Math.Round(first / perSlice * sliceSeconds, 2), slice.Length, Percentile(slice, 0.5), Percentile(slice, 0.99), Percentile(slice, 1.0)));
        }

        return slices;
    }

    /// <summary>The q-quantile of sorted tick counts in milliseconds (nearest rank); null when it is a call that never completed.</summary>
    public static double? Percentile(long[] sortedTicks, double q)
    {
        if (sortedTicks.Length == 0)
        {
            return null;
        }

        var rank = (int)Math.Ceiling(q * sortedTicks.Length) - 1;
        var value = sortedTicks[Math.Clamp(rank, 0, sortedTicks.Length - 1)];
        return value == long.MaxValue ? null : Math.Round(value * 1000.0 / Stopwatch.Frequency, 3);
    }

    private static long Sum(long[] counts)
    {
        long sum = 0;
        for (var i = 0; i < counts.Length; i += Stride)
        {
            sum += Volatile.Read(ref counts[i]);
        }

        return sum;
    }
}
