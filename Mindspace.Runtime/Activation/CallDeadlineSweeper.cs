using Microsoft.Extensions.Hosting;

namespace Mindspace.Runtime.Activation;

/// <summary>
/// Enforces call deadlines for this silo's activations by sweeping them a few times per call
/// timeout, instead of arming a timer per call (which cost a timer-queue entry, a lock and about
/// 250 bytes on every call). A call times out at most a tenth of the call timeout late.
/// </summary>
internal sealed class CallDeadlineSweeper(Catalog catalog, RuntimeOptions options) : BackgroundService
{
    public static TimeSpan IntervalFor(TimeSpan callTimeout)
        => TimeSpan.FromTicks(Math.Clamp(callTimeout.Ticks / 10, TimeSpan.FromMilliseconds(10).Ticks, TimeSpan.FromSeconds(1).Ticks));

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        // Deadlines are wall-clock instants set by callers, so the sweep follows the real clock.
        using var timer = new PeriodicTimer(IntervalFor(options.CallTimeout));
        try
        {
            while (await timer.WaitForNextTickAsync(stoppingToken).ConfigureAwait(false))
            {
                catalog.FailExpiredCalls(DateTimeOffset.UtcNow);
            }
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
        }
    }
}
