using System.Diagnostics;
using Mindspace.Silo.Storage;

namespace Mindspace.Storage.Tests.Records;

/// <summary>
/// The timers of <see cref="PreciseTimeProvider"/>, which time the PostgreSQL group commit's gather
/// window. How precise they are is measured, not asserted (docs/performance.md); these tests check that
/// they keep the <see cref="ITimer"/> contract: never early, moved and stopped as told, periodic until
/// disposed, callbacks on the thread pool. Order is checked with sentinel timers, not with sleeps.
/// </summary>
public sealed class PreciseTimeProviderTests
{
    private static readonly TimeSpan Forever = TimeSpan.FromSeconds(30);
    private static readonly PreciseTimeProvider Time = PreciseTimeProvider.Instance;

    [Theory]
    [InlineData(1)]
    [InlineData(2)]
    [InlineData(15)]
    public async Task A_delay_never_ends_before_its_time(int milliseconds)
    {
        var delay = TimeSpan.FromMilliseconds(milliseconds);
        for (var i = 0; i < 20; i++)
        {
            var started = Stopwatch.GetTimestamp();
            await Task.Delay(delay, Time).WaitAsync(Forever);
            Assert.True(Stopwatch.GetElapsedTime(started) >= delay, $"a delay of {delay.TotalMilliseconds} ms ended after {Stopwatch.GetElapsedTime(started).TotalMilliseconds} ms");
        }
    }

    [Fact]
    public async Task A_timer_moved_earlier_fires_at_its_new_time()
    {
        var fired = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        using var timer = Time.CreateTimer(_ => fired.TrySetResult(), null, TimeSpan.FromHours(1), Timeout.InfiniteTimeSpan);

        timer.Change(TimeSpan.FromMilliseconds(1), Timeout.InfiniteTimeSpan);

        await fired.Task.WaitAsync(Forever);
    }

    [Fact]
    public async Task A_disposed_timer_and_a_stopped_timer_never_fire()
    {
        // Due late enough that the test thread stops them first, even on a busy machine.
        var dueTime = TimeSpan.FromSeconds(1);
        var firings = 0;
        var disposed = Time.CreateTimer(_ => Interlocked.Increment(ref firings), null, dueTime, Timeout.InfiniteTimeSpan);
        using var stopped = Time.CreateTimer(_ => Interlocked.Increment(ref firings), null, dueTime, Timeout.InfiniteTimeSpan);
        disposed.Dispose();
        stopped.Change(Timeout.InfiniteTimeSpan, Timeout.InfiniteTimeSpan);

        // Due after both: once it has fired, theirs would have been queued first.
        await FiredAsync(dueTime + TimeSpan.FromMilliseconds(50));
        await FiredAsync(TimeSpan.Zero);

        Assert.Equal(0, Volatile.Read(ref firings));
    }

    [Fact]
    public async Task A_periodic_timer_fires_again_and_again_until_disposed()
    {
        var firings = 0;
        var fiveFirings = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var timer = Time.CreateTimer(
            _ =>
            {
                if (Interlocked.Increment(ref firings) == 5)
                {
                    fiveFirings.TrySetResult();
                }
            },
            null,
            TimeSpan.FromMilliseconds(1),
            TimeSpan.FromMilliseconds(2));

        await fiveFirings.Task.WaitAsync(Forever);
        timer.Dispose();

        // A callback queued just before the dispose may still run: settle, then nothing more.
        await FiredAsync(TimeSpan.FromMilliseconds(10));
        var afterDispose = Volatile.Read(ref firings);
        await FiredAsync(TimeSpan.FromMilliseconds(20));
        Assert.Equal(afterDispose, Volatile.Read(ref firings));
    }

    [Fact]
    public async Task Callbacks_run_on_the_thread_pool_not_on_the_timer_thread()
    {
        var onThreadPool = new TaskCompletionSource<bool>(TaskCreationOptions.RunContinuationsAsynchronously);
        using var timer = Time.CreateTimer(_ => onThreadPool.TrySetResult(Thread.CurrentThread.IsThreadPoolThread), null, TimeSpan.FromMilliseconds(1), Timeout.InfiniteTimeSpan);

        Assert.True(await onThreadPool.Task.WaitAsync(Forever));
    }

    /// <summary>Waits for a sentinel timer due in <paramref name="dueTime"/> to fire.</summary>
    private static async Task FiredAsync(TimeSpan dueTime)
    {
        var fired = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        using var sentinel = Time.CreateTimer(_ => fired.TrySetResult(), null, dueTime, Timeout.InfiniteTimeSpan);
        await fired.Task.WaitAsync(Forever);
    }
}
