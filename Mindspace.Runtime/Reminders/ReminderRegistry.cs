using Mindspace.Runtime.Cluster;
using Mindspace.Runtime.Persistence;

namespace Mindspace.Runtime.Reminders;

/// <summary>Registers and removes durable reminders on behalf of grains.</summary>
public sealed class ReminderRegistry(IStorageProvider storage, RuntimeOptions options, TimeProvider clock)
{
    public async Task<IGrainReminder> RegisterOrUpdateAsync(GrainId grainId, string name, TimeSpan dueTime, TimeSpan period, CancellationToken cancellationToken)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(name);
        if (period < options.MinimumReminderPeriod)
        {
            throw new ArgumentOutOfRangeException(nameof(period), period, $"A reminder period must be at least {options.MinimumReminderPeriod}.");
        }

        if (dueTime < TimeSpan.Zero)
        {
            throw new ArgumentOutOfRangeException(nameof(dueTime), dueTime, "A reminder's due time cannot be negative.");
        }

        var start = clock.GetUtcNow() + dueTime;
        await storage.Reminders.UpsertAsync(
            new ReminderEntry(grainId, name, Partitioning.Of(grainId), start, period, start),
            cancellationToken).ConfigureAwait(false);
        return new GrainReminder(name);
    }

    public Task UnregisterAsync(GrainId grainId, string name, CancellationToken cancellationToken)
        => storage.Reminders.RemoveAsync(grainId, name, cancellationToken);

    public async Task<IGrainReminder?> GetAsync(GrainId grainId, string name, CancellationToken cancellationToken)
        => await storage.Reminders.GetAsync(grainId, name, cancellationToken).ConfigureAwait(false) is null ? null : new GrainReminder(name);

    private sealed record GrainReminder(string ReminderName) : IGrainReminder;
}
