using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Mindspace.Runtime.Cluster;
using Mindspace.Runtime.Persistence;

namespace Mindspace.Runtime.Reminders;

/// <summary>
/// Fires due reminders: calls <see cref="IRemindable.ReceiveReminder"/> on the grain, then moves
/// the reminder's next due time forward. A crash between the two fires it again: at least once.
/// </summary>
internal sealed class ReminderService(
    IStorageProvider storage,
    IPartitionOwnership ownership,
    IGrainFactory grains,
    RuntimeOptions options,
    TimeProvider clock,
    ILogger<ReminderService> logger) : BackgroundService
{
    private const int BatchSize = 100;

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        using var timer = new PeriodicTimer(options.ReminderPollInterval, clock);
        do
        {
            try
            {
                await FireDueAsync(stoppingToken).ConfigureAwait(false);
            }
            catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
            {
                return;
            }
            catch (Exception exception)
            {
                RuntimeLog.ReminderPollFailed(logger, exception);
            }
        }
        while (await timer.WaitForNextTickAsync(stoppingToken).ConfigureAwait(false));
    }

    /// <remarks>Only reminders of the partitions this silo serves (all of them for the embedded silo).</remarks>
    private async Task FireDueAsync(CancellationToken cancellationToken)
    {
        var partitions = ownership.ServedPartitions;
        if (partitions is { Count: 0 })
        {
            return;
        }

        var now = clock.GetUtcNow();
        var due = await storage.Reminders.GetDueAsync(now, partitions, BatchSize, cancellationToken).ConfigureAwait(false);
        await Task.WhenAll(due.Select(entry => FireAsync(entry, now, cancellationToken))).ConfigureAwait(false);
    }

    private async Task FireAsync(ReminderEntry entry, DateTimeOffset now, CancellationToken cancellationToken)
    {
        try
        {
            await grains.GetGrain<IRemindable>(entry.GrainId).ReceiveReminder(entry.Name, new TickStatus(entry.StartAt, entry.Period, now)).ConfigureAwait(false);
        }
        catch (Exception exception) when (!cancellationToken.IsCancellationRequested)
        {
            // The grain failed this tick; like Orleans, the reminder moves on to its next tick.
            RuntimeLog.ReminderFailed(logger, exception, entry.GrainId, entry.Name);
        }

        cancellationToken.ThrowIfCancellationRequested();
        await storage.Reminders.AdvanceAsync(entry.GrainId, entry.Name, entry.NextDue, NextDueAfter(entry, now), cancellationToken).ConfigureAwait(false);
    }

    /// <summary>The first tick after <paramref name="now"/> on the reminder's schedule (missed ticks are not replayed one by one).</summary>
    private static DateTimeOffset NextDueAfter(ReminderEntry entry, DateTimeOffset now)
    {
        var missed = (now - entry.NextDue).Ticks / entry.Period.Ticks;
        return entry.NextDue + TimeSpan.FromTicks(entry.Period.Ticks * (missed + 1));
    }
}
