namespace Mindspace.Runtime.Reminders;

/// <summary>
/// A durable reminder: fire <c>IRemindable.ReceiveReminder</c> on <paramref name="GrainId"/>
/// at <paramref name="NextDue"/>, then every <paramref name="Period"/>.
/// </summary>
/// <param name="Partition">The grain's partition, so that in a cluster each silo reads only its own.</param>
public sealed record ReminderEntry(GrainId GrainId, string Name, int Partition, DateTimeOffset StartAt, TimeSpan Period, DateTimeOffset NextDue);

/// <summary>Durable reminder rows. Keyed by (grain id, name).</summary>
public interface IReminderStore
{
    /// <summary>Inserts or replaces the reminder (grain id, name).</summary>
    Task UpsertAsync(ReminderEntry entry, CancellationToken cancellationToken);

    /// <returns>Whether it existed.</returns>
    Task<bool> RemoveAsync(GrainId grainId, string name, CancellationToken cancellationToken);

    Task<ReminderEntry?> GetAsync(GrainId grainId, string name, CancellationToken cancellationToken);

    Task<IReadOnlyList<ReminderEntry>> GetForGrainAsync(GrainId grainId, CancellationToken cancellationToken);

    /// <summary>
    /// Reminders with <c>NextDue ≤ now</c>, oldest first. <paramref name="partitions"/> null means
    /// every partition (a single silo owns them all).
    /// </summary>
    Task<IReadOnlyList<ReminderEntry>> GetDueAsync(DateTimeOffset now, IReadOnlyCollection<int>? partitions, int limit, CancellationToken cancellationToken);

    /// <summary>
    /// Moves a fired reminder's next due time forward, but only if it is still due at
    /// <paramref name="firedDue"/> (it was not re-registered or removed meanwhile).
    /// </summary>
    Task AdvanceAsync(GrainId grainId, string name, DateTimeOffset firedDue, DateTimeOffset nextDue, CancellationToken cancellationToken);
}
