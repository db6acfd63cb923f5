using Microsoft.Extensions.DependencyInjection;
using Mindspace.Grains.Interfaces;
using Mindspace.Grains.Interfaces.CheckIns;
using Mindspace.Grains.Interfaces.Reports;
using Mindspace.Grains.Interfaces.Users;
using Mindspace.Grains.Records;
using NodaTime;

namespace Mindspace.Grains.CheckIns;

/// <summary>
/// One user's entries and mood records (one record each, keyed by a time-ordered id) and a
/// marker per UTC quarter hour holding at least one of them, which makes streaks cheap.
/// </summary>
/// <remarks>
/// <para>
/// Every write is one fixed-size row whatever the user's history: a create puts its record and,
/// when its quarter hour is new, that quarter hour's marker; a delete removes its record and,
/// when nothing else is left in its quarter hour, the marker. Nothing else is stored: activation
/// reads the markers into memory (streaks are computed from them) and takes the last id's time
/// from the newest entry and mood keys.
/// </para>
/// <para>
/// Markers are presence flags, not counts: a delete asks the record collections whether its
/// quarter hour still holds anything (two one-row reads), so a marker always follows the records
/// and a half-done mutation is repaired by the next one in the same quarter hour instead of
/// leaving a count that is wrong for good. A mutation writes its record first and the marker after
/// it. Text and notes are never logged and never put in exception messages.
/// </para>
/// </remarks>
public sealed class CheckInsGrain(
    [RecordCollection("checkin_entries")] IRecordCollection<StoredEntry> entries,
    [RecordCollection("checkin_moods")] IRecordCollection<StoredMood> moods,
    [RecordCollection("checkin_quarter_hours")] IRecordCollection<bool> quarterHourMarkers,
    [FromKeyedServices(MindspaceClock.Key)] TimeProvider clock) : Grain, ICheckInsGrain
{
    /// <summary>Records read per query while a tag filter skips non-matching entries.</summary>
    private const int TagScanBatch = 200;

    /// <summary>Most entries one page request looks at; past this a page returns early with a cursor.</summary>
    private const int MaxScannedPerPage = 2_000;

    private const int ExportBatch = 500;

    /// <summary>Markers read per query on activation (a few thousand after years of daily use).</summary>
    private const int MarkerBatch = 2_000;

    /// <summary>Newest entries kept in memory once listed: pages of up to 50 from the top need no query.</summary>
    private const int CachedNewestEntries = 51;

    private readonly NewestRecords<StoredEntry> _newestEntries = new(CachedNewestEntries);

    /// <summary>Quarter hours holding an entry or mood, sorted and distinct: the stored markers, in memory.</summary>
    private readonly List<int> _quarterHours = [];

    /// <summary>
    /// The last first page answered from <see cref="_newestEntries"/>: the same page is asked for
    /// again and again, and its views are immutable, so it is handed out as it is until an entry changes.
    /// </summary>
    private NewestPage? _newestPage;

    /// <summary>The time zone on the user's profile, once read or told (<see cref="UseTimeZoneAsync"/>); null until then.</summary>
    private string? _timeZone;

    /// <summary>Whether this activation has asked the weekly digest to make sure it is scheduled (once is enough).</summary>
    private bool _digestScheduled;

    /// <summary>Time part of the last id handed out, so ids stay strictly increasing even within one millisecond.</summary>
    private long _lastIdUnixMilliseconds;

    public override async Task OnActivateAsync(CancellationToken cancellationToken)
    {
        string? after = null;
        while (true)
        {
            var batch = await quarterHourMarkers.QueryAsync(new RecordQuery(after, Limit: MarkerBatch), cancellationToken);
            foreach (var marker in batch)
            {
                _quarterHours.Add(CheckInDays.QuarterHourOfKey(marker.Key));
            }

            if (batch.Count < MarkerBatch)
            {
                break;
            }

            after = batch[^1].Key;
        }

        _lastIdUnixMilliseconds = Math.Max(await NewestIdTimeAsync(entries, cancellationToken), await NewestIdTimeAsync(moods, cancellationToken));
    }

    public async Task<EntryView> CreateEntryAsync(NewEntry entry)
    {
        ArgumentNullException.ThrowIfNull(entry);
        Require(CheckInRules.CheckText(entry.Text, out var text), "text");
        if (entry.Mood is { } mood)
        {
            Require(CheckInRules.CheckScore(mood), "mood");
        }

        Require(CheckInRules.CheckTags(entry.Tags, out var tags), "tags");

        var (id, createdAt) = NextId();
        var offset = await UtcOffsetMinutesAsync(createdAt);
        var stored = new StoredEntry(text, entry.Mood, [.. tags], createdAt, null, offset);

        // Dropped, not updated: kept, every new entry would stay in memory until 50 more writes of this
        // user pushed it out, and under a steady write load that outlives a gen0 collection (NewestRecords).
        _newestEntries.Forget();
        await AddCheckInAsync(entries, id, stored);
        return ToView(id, stored);
    }

    public async Task<EntryView?> GetEntryAsync(Guid id, CancellationToken cancellationToken)
        => await entries.GetAsync(CheckInKeys.Of(id), cancellationToken) is { } stored ? ToView(id, stored) : null;

    public async Task<EntryPage> ListEntriesAsync(EntryQuery query, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(query);
        var limit = Math.Clamp(query.Limit, 1, CheckInRules.MaxPageSize);
        string? tag = null;
        if (query.Tag is not null)
        {
            Require(CheckInRules.CheckTag(query.Tag, out var normalizedTag), "tag");
            tag = normalizedTag;
        }

        var from = CheckInKeys.LowerBound(query.From);
        var to = CheckInKeys.UpperBound(query.To);
        if (from is not null && to is not null && string.CompareOrdinal(from, to) >= 0)
        {
            return new EntryPage([], null);
        }

        if (query.After is null && from is null && to is null && tag is null)
        {
            if (!_newestEntries.IsLoaded)
            {
                _newestEntries.Load(await entries.QueryAsync(new RecordQuery(Descending: true, Limit: CachedNewestEntries), cancellationToken));
            }

            if (_newestPage is { } cached && cached.Version == _newestEntries.Version && cached.Limit == limit)
            {
                return cached.Page;
            }

            if (_newestEntries.TryTake(limit, out var newest, out var more))
            {
                var page = Page([.. newest], more ? newest[^1].Key : null);
                _newestPage = new NewestPage(_newestEntries.Version, limit, page);
                return page;
            }
        }

        var after = query.After is { } afterId ? CheckInKeys.Of(afterId) : null;
        var matches = new List<KeyedRecord<StoredEntry>>(limit + 1);
        var scanned = 0;
        while (true)
        {
            var batchSize = tag is null ? limit + 1 - matches.Count : TagScanBatch;
            var batch = await entries.QueryAsync(new RecordQuery(after, Descending: true, Limit: batchSize, From: from, To: to), cancellationToken);
            foreach (var record in batch)
            {
                scanned++;
                after = record.Key;
                if (tag is null || record.Value.Tags.Contains(tag, StringComparer.Ordinal))
                {
                    matches.Add(record);
                    if (matches.Count > limit)
                    {
                        break;
                    }
                }
            }

            if (matches.Count > limit)
            {
                return Page(matches[..limit], matches[limit - 1].Key);
            }

            if (batch.Count < batchSize)
            {
                return Page(matches, null);
            }

            if (scanned >= MaxScannedPerPage)
            {
                return Page(matches, after);
            }
        }

        static EntryPage Page(List<KeyedRecord<StoredEntry>> records, string? next)
            => new([.. records.Select(r => ToView(Guid.Parse(r.Key), r.Value))], next is null ? null : Guid.Parse(next));
    }

    public async Task<EntryView?> UpdateEntryAsync(Guid id, EntryPatch patch)
    {
        ArgumentNullException.ThrowIfNull(patch);
        var key = CheckInKeys.Of(id);
        if (await entries.GetAsync(key) is not { } stored)
        {
            return null;
        }

        var updated = stored;
        if (patch.Text is not null)
        {
            Require(CheckInRules.CheckText(patch.Text, out var text), "text");
            updated = updated with { Text = text };
        }

        if (patch.SetMood)
        {
            if (patch.Mood is { } mood)
            {
                Require(CheckInRules.CheckScore(mood), "mood");
            }

            updated = updated with { Mood = patch.Mood };
        }

        if (patch.Tags is not null)
        {
            Require(CheckInRules.CheckTags(patch.Tags, out var tags), "tags");
            updated = updated with { Tags = [.. tags] };
        }

        if (updated.Text == stored.Text && updated.Mood == stored.Mood && updated.Tags.SequenceEqual(stored.Tags, StringComparer.Ordinal))
        {
            return ToView(id, stored);
        }

        var now = DateTimeOffset.FromUnixTimeMilliseconds(clock.GetUtcNow().ToUnixTimeMilliseconds());
        updated = updated with { UpdatedAt = now > stored.CreatedAt ? now : stored.CreatedAt };
        await entries.PutAsync(key, updated);
        _newestEntries.Replaced(key, updated);
        return ToView(id, updated);
    }

    public async Task<bool> DeleteEntryAsync(Guid id)
    {
        // Forgotten before the removal, so no list hands it out meanwhile. Should the removal fail, whether
        // the row is gone is unknown: the newest entries are read from storage again at the next list.
        _newestEntries.Removed(CheckInKeys.Of(id));
        try
        {
            return await RemoveCheckInAsync(entries, id);
        }
        catch
        {
            _newestEntries.Forget();
            throw;
        }
    }

    public async Task<MoodView> RecordMoodAsync(NewMood mood)
    {
        ArgumentNullException.ThrowIfNull(mood);
        Require(CheckInRules.CheckScore(mood.Score), "score");
        Require(CheckInRules.CheckTags(mood.Tags, out var tags), "tags");
        Require(CheckInRules.CheckNote(mood.Note, out var note), "note");

        var (id, createdAt) = NextId();
        var offset = await UtcOffsetMinutesAsync(createdAt);
        var stored = new StoredMood(mood.Score, [.. tags], note, createdAt, offset);
        await AddCheckInAsync(moods, id, stored);
        return ToView(id, stored);
    }

    public async Task<MoodView?> GetMoodAsync(Guid id, CancellationToken cancellationToken)
        => await moods.GetAsync(CheckInKeys.Of(id), cancellationToken) is { } stored ? ToView(id, stored) : null;

    public async Task<MoodPage> ListMoodsAsync(MoodQuery query, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(query);
        var limit = Math.Clamp(query.Limit, 1, CheckInRules.MaxMoodItems);
        var from = CheckInKeys.LowerBound(query.From);
        var to = CheckInKeys.UpperBound(query.To);
        if (from is not null && to is not null && string.CompareOrdinal(from, to) >= 0)
        {
            return new MoodPage([], false);
        }

        // Newest first so that a cut keeps the most recent records; then oldest first for the caller.
        var records = await moods.QueryAsync(new RecordQuery(Descending: true, Limit: limit + 1, From: from, To: to), cancellationToken);
        var items = records.Take(limit).Reverse().Select(r => ToView(Guid.Parse(r.Key), r.Value));
        return new MoodPage([.. items], records.Count > limit);
    }

    public Task<bool> DeleteMoodAsync(Guid id) => RemoveCheckInAsync(moods, id);

    public Task<CheckInStreaks> GetStreaksAsync(string timeZone)
        => Task.FromResult(CheckInDays.Streaks(_quarterHours, CheckInTimeZones.FindOrUtc(timeZone), clock.GetUtcNow()));

    public async Task<CheckInSignals> GetSignalsAsync(DateTimeOffset from, DateTimeOffset to, CancellationToken cancellationToken)
    {
        var lower = CheckInKeys.LowerBound(from);
        var upper = CheckInKeys.UpperBound(to);
        if (upper is not null && string.CompareOrdinal(lower, upper) >= 0)
        {
            return new CheckInSignals([], false);
        }

        // Newest first from each collection, so a cut keeps the most recent; merged oldest first.
        var signals = new List<CheckInSignal>();
        var truncated = false;
        foreach (var record in await ReadRangeAsync(entries, lower, upper, cancellationToken))
        {
            var e = record.Value;
            signals.Add(new CheckInSignal(e.CreatedAt, e.UtcOffsetMinutes ?? 0, CheckInKind.Entry, e.Mood, e.Tags));
        }

        foreach (var record in await ReadRangeAsync(moods, lower, upper, cancellationToken))
        {
            var m = record.Value;
            signals.Add(new CheckInSignal(m.CreatedAt, m.UtcOffsetMinutes ?? 0, CheckInKind.Mood, m.Score, m.Tags));
        }

        signals.Sort((a, b) => a.At.CompareTo(b.At));
        if (signals.Count > CheckInRules.MaxSignals)
        {
            signals.RemoveRange(0, signals.Count - CheckInRules.MaxSignals);
            truncated = true;
        }

        return new CheckInSignals(signals, truncated);

        static async Task<List<KeyedRecord<T>>> ReadRangeAsync<T>(IRecordCollection<T> collection, string? lower, string? upper, CancellationToken cancellationToken)
        {
            var all = new List<KeyedRecord<T>>();
            string? after = null;
            while (all.Count <= CheckInRules.MaxSignals)
            {
                var batch = await collection.QueryAsync(new RecordQuery(after, Descending: true, Limit: ExportBatch, From: lower, To: upper), cancellationToken);
                all.AddRange(batch);
                if (batch.Count < ExportBatch)
                {
                    break;
                }

                after = batch[^1].Key;
            }

            return all;
        }
    }

    public async Task<CheckInsExport> ExportAsync()
    {
        var allEntries = await ReadAllAsync(entries);
        var allMoods = await ReadAllAsync(moods);
        return new CheckInsExport(
            [.. allEntries.Select(r => ToView(Guid.Parse(r.Key), r.Value))],
            [.. allMoods.Select(r => ToView(Guid.Parse(r.Key), r.Value))]);
    }

    public async Task EraseAsync()
    {
        await entries.ClearAsync();
        _newestEntries.Cleared();
        await moods.ClearAsync();
        await quarterHourMarkers.ClearAsync();
        _quarterHours.Clear();
        _lastIdUnixMilliseconds = 0;
    }

    /// <summary>
    /// A new id whose time part is now, or one past the last id's when the clock has not moved on.
    /// The last id's time is the newest stored id's since activation, so every new id sorts after
    /// every stored one (only the time of a newest id deleted before a reactivation can come again).
    /// </summary>
    private (Guid Id, DateTimeOffset CreatedAt) NextId()
    {
        var ms = Math.Max(clock.GetUtcNow().ToUnixTimeMilliseconds(), _lastIdUnixMilliseconds + 1);
        _lastIdUnixMilliseconds = ms;
        return (CheckInKeys.NewId(ms), DateTimeOffset.FromUnixTimeMilliseconds(ms));
    }

    public Task UseTimeZoneAsync(string timeZone)
    {
        _timeZone = timeZone;
        return Task.CompletedTask;
    }

    /// <summary>
    /// The user's offset from UTC at <paramref name="at"/> (see <see cref="UserUtcOffsets"/>), stored with each check-in.
    /// The zone is read from the profile once per activation; the user grain tells this grain of every zone
    /// change before acknowledging it (<see cref="UseTimeZoneAsync"/>).
    /// </summary>
    private async ValueTask<int> UtcOffsetMinutesAsync(DateTimeOffset at)
    {
        if (_timeZone is null)
        {
            var profile = await GrainFactory.GetGrain<IUserGrain>(this.GetPrimaryKey()).GetProfileAsync();

            // A zone told while the profile was on its way is never older than the profile's: keep it.
            // Without a profile (not registered yet) nothing is kept, and the next write asks again.
            _timeZone ??= profile?.TimeZone;
        }

        return UserUtcOffsets.At(_timeZone, at);
    }

    /// <summary>
    /// Stores a new entry or mood record, then its quarter hour's marker unless memory already has
    /// it. Memory changes only after the write succeeds, so a failed marker write is retried by the
    /// next check-in in that quarter hour.
    /// </summary>
    private async Task AddCheckInAsync<T>(IRecordCollection<T> collection, Guid id, T record)
    {
        await collection.PutAsync(CheckInKeys.Of(id), record);
        if (!_digestScheduled)
        {
            // One-way: the digest grain reads check-ins when it writes a digest, so awaiting it here could wait on this grain.
            _ = GrainFactory.GetGrain<IWeeklyDigestGrain>(this.GetPrimaryKey()).EnsureScheduledAsync();
            _digestScheduled = true;
        }

        var quarterHour = QuarterHourOf(id);
        if (_quarterHours.BinarySearch(quarterHour) < 0)
        {
            await quarterHourMarkers.PutAsync(CheckInDays.KeyOf(quarterHour), true);
            CheckInDays.Add(_quarterHours, quarterHour);
        }
    }

    /// <summary>
    /// Removes an entry or mood record, then its quarter hour's marker unless another entry or mood
    /// is in that quarter hour.
    /// </summary>
    private async Task<bool> RemoveCheckInAsync<T>(IRecordCollection<T> collection, Guid id)
    {
        if (!await collection.RemoveAsync(CheckInKeys.Of(id)))
        {
            return false;
        }

        var quarterHour = QuarterHourOf(id);
        var start = quarterHour * CheckInDays.QuarterHourMilliseconds;
        var range = new RecordQuery(Limit: 1, From: CheckInKeys.Bound(start), To: CheckInKeys.Bound(start + CheckInDays.QuarterHourMilliseconds));
        if ((await entries.QueryAsync(range)).Count == 0 && (await moods.QueryAsync(range)).Count == 0)
        {
            // Removed from storage even when memory lacks it: an earlier failed removal leaves nothing behind.
            await quarterHourMarkers.RemoveAsync(CheckInDays.KeyOf(quarterHour));
            CheckInDays.Remove(_quarterHours, quarterHour);
        }

        return true;
    }

    private static int QuarterHourOf(Guid id) => CheckInDays.QuarterHourOf(CheckInKeys.UnixMillisecondsOf(id));

    /// <summary>The time part of the collection's newest id (keys sort by it); 0 when it is empty.</summary>
    private static async Task<long> NewestIdTimeAsync<T>(IRecordCollection<T> collection, CancellationToken cancellationToken)
    {
        var newest = await collection.QueryAsync(new RecordQuery(Descending: true, Limit: 1), cancellationToken);
        return newest.Count == 0 ? 0 : CheckInKeys.UnixMillisecondsOf(Guid.Parse(newest[0].Key));
    }

    private static async Task<List<KeyedRecord<T>>> ReadAllAsync<T>(IRecordCollection<T> collection)
    {
        var all = new List<KeyedRecord<T>>();
        string? after = null;
        while (true)
        {
            var batch = await collection.QueryAsync(new RecordQuery(after, Limit: ExportBatch));
            all.AddRange(batch);
            if (batch.Count < ExportBatch)
            {
                return all;
            }

            after = batch[^1].Key;
        }
    }

    /// <summary>Defends the stored data; the gateway validates first, so this is not expected to throw.</summary>
    private static void Require(string? error, string field)
    {
        if (error is not null)
        {
            throw new ArgumentException(error, field);
        }
    }

    private static EntryView ToView(Guid id, StoredEntry entry)
        => new(id, entry.Text, entry.Mood, entry.Tags, entry.CreatedAt, entry.UpdatedAt, LocalDateOf(entry.CreatedAt, entry.UtcOffsetMinutes), entry.UtcOffsetMinutes ?? 0);

    private static MoodView ToView(Guid id, StoredMood mood)
        => new(id, mood.Score, mood.Tags, mood.Note, mood.CreatedAt, LocalDateOf(mood.CreatedAt, mood.UtcOffsetMinutes), mood.UtcOffsetMinutes ?? 0);

    private static DateOnly LocalDateOf(DateTimeOffset at, int? utcOffsetMinutes) => UserUtcOffsets.LocalDateOf(at, utcOffsetMinutes);

    /// <param name="Version">The <see cref="NewestRecords{T}.Version"/> the page was made from.</param>
    private sealed record NewestPage(int Version, int Limit, EntryPage Page);
}
