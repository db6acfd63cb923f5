using Orleans.Concurrency;

namespace Mindspace.Grains.Interfaces.CheckIns;

/// <summary>
/// One user's check-ins: journal entries, mood records and the set of days they checked in on.
/// Keyed by the user id, so another user's ids are simply not found here.
/// </summary>
/// <remarks>
/// Ids are version 7 <see cref="Guid"/>s made from the creation time, unique and strictly
/// increasing per user: their canonical string form sorts by creation time, which is what
/// paging and time ranges rely on. Entry text and mood notes are sensitive: they never appear in
/// logs or exception messages.
/// </remarks>
[Alias("ms.checkins.ICheckInsGrain")]
public interface ICheckInsGrain : IGrainWithGuidKey
{
    /// <summary>
    /// Adds an entry. The entry is validated and normalised with <see cref="CheckInRules"/>. It remembers
    /// the user's UTC offset at this moment (from their profile's time zone), so its local day never
    /// changes when they move.
    /// </summary>
    /// <exception cref="ArgumentException">The entry breaks <see cref="CheckInRules"/> (callers validate first).</exception>
    [Alias("create-entry")]
    Task<EntryView> CreateEntryAsync(NewEntry entry);

    /// <returns>The entry, or null when this user has no entry with that id.</returns>
    [Alias("get-entry")]
    Task<EntryView?> GetEntryAsync(Guid id, CancellationToken cancellationToken);

    /// <summary>Entries newest first, a page at a time.</summary>
    [Alias("list-entries")]
    Task<EntryPage> ListEntriesAsync(EntryQuery query, CancellationToken cancellationToken);

    /// <summary>Changes what <paramref name="patch"/> names; <see cref="EntryView.UpdatedAt"/> moves only when something changed.</summary>
    /// <returns>The entry as it is now, or null when this user has no entry with that id.</returns>
    [Alias("update-entry")]
    Task<EntryView?> UpdateEntryAsync(Guid id, EntryPatch patch);

    /// <returns>Whether an entry was deleted.</returns>
    [Alias("delete-entry")]
    Task<bool> DeleteEntryAsync(Guid id);

    /// <summary>Adds a mood record.</summary>
    /// <exception cref="ArgumentException">The record breaks <see cref="CheckInRules"/> (callers validate first).</exception>
    [Alias("record-mood")]
    Task<MoodView> RecordMoodAsync(NewMood mood);

    /// <returns>The mood record, or null when this user has none with that id.</returns>
    [Alias("get-mood")]
    Task<MoodView?> GetMoodAsync(Guid id, CancellationToken cancellationToken);

    /// <summary>
    /// Mood records in a time range, oldest first. When more than <see cref="MoodQuery.Limit"/>
    /// match, the most recent ones are returned and <see cref="MoodPage.Truncated"/> is set.
    /// </summary>
    [Alias("list-moods")]
    Task<MoodPage> ListMoodsAsync(MoodQuery query, CancellationToken cancellationToken);

    /// <returns>Whether a mood record was deleted.</returns>
    [Alias("delete-mood")]
    Task<bool> DeleteMoodAsync(Guid id);

    /// <summary>
    /// Check-in streaks counted in days of <paramref name="timeZone"/> (an IANA id such as
    /// "Europe/Berlin"; an unknown id counts in UTC). A day counts while it holds at least one
    /// entry or mood record; the current streak counts only if the last such day is today or yesterday.
    /// </summary>
    [Alias("get-streaks")]
    Task<CheckInStreaks> GetStreaksAsync(string timeZone);

    /// <summary>
    /// The user's profile now names <paramref name="timeZone"/>: new check-ins take their offset from it.
    /// The user grain calls this after storing a zone and before acknowledging it, so that this grain
    /// can keep the zone in memory instead of asking for the profile on every write. It interleaves:
    /// the user grain may call it while a write here waits for the profile, which waits for that user grain.
    /// </summary>
    [AlwaysInterleave]
    [Alias("use-time-zone")]
    Task UseTimeZoneAsync(string timeZone);

    /// <summary>
    /// Mood, tags, time and local offset of every entry and mood record created in [<paramref name="from"/>,
    /// <paramref name="to"/>), oldest first: what analytics and digests read, without any text.
    /// </summary>
    [ReadOnly]
    [ResponseTimeout(GrainCallTimeouts.WholeHistory)]
    [Alias("get-signals")]
    Task<CheckInSignals> GetSignalsAsync(DateTimeOffset from, DateTimeOffset to, CancellationToken cancellationToken);

    /// <summary>Every entry and mood record of the user, oldest first.</summary>
    [ResponseTimeout(GrainCallTimeouts.WholeHistory)]
    [Alias("export")]
    Task<CheckInsExport> ExportAsync();

    /// <summary>Removes every entry, mood record and the stored state of this user.</summary>
    [ResponseTimeout(GrainCallTimeouts.WholeHistory)]
    [Alias("erase")]
    Task EraseAsync();
}
