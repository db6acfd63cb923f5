using Mindspace.Grains.Interfaces.CheckIns;
using Mindspace.Runtime;
using Mindspace.Runtime.Persistence;

namespace Mindspace.Grains.CheckIns;

/// <summary>
/// One user's entries and mood records (one record each, keyed by a time-ordered id) and the
/// small state that makes streaks cheap: the quarter hours holding a check-in, and counters.
/// </summary>
/// <remarks>
/// A mutation writes its record first and the state after it. Text and notes are never logged
/// and never put in exception messages.
/// </remarks>
public sealed class CheckInsGrain(
    [PersistentState("checkins")] IPersistentState<CheckInsState> state,
    [RecordCollection("entries")] IRecordCollection<StoredEntry> entries,
    [RecordCollection("moods")] IRecordCollection<StoredMood> moods,
    TimeProvider clock) : Grain, ICheckInsGrain
{
    /// <summary>Records read per query while a tag filter skips non-matching entries.</summary>
    private const int TagScanBatch = 200;

    /// <summary>Most entries one page request looks at; past this a page returns early with a cursor.</summary>
    private const int MaxScannedPerPage = 2_000;

    private const int ExportBatch = 500;

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
        var stored = new StoredEntry(text, entry.Mood, [.. tags], createdAt, null);
        await entries.PutAsync(CheckInKeys.Of(id), stored);
        state.State.EntryCount++;
        CheckInDays.Add(state.State.QuarterHours, CheckInDays.QuarterHourOf(createdAt.ToUnixTimeMilliseconds()));
        await state.WriteStateAsync();
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
        return ToView(id, updated);
    }

    public async Task<bool> DeleteEntryAsync(Guid id)
    {
        if (!await entries.RemoveAsync(CheckInKeys.Of(id)))
        {
            return false;
        }

        state.State.EntryCount = Math.Max(0, state.State.EntryCount - 1);
        await ForgetQuarterHourIfEmptyAsync(id);
        await state.WriteStateAsync();
        return true;
    }

    public async Task<MoodView> RecordMoodAsync(NewMood mood)
    {
        ArgumentNullException.ThrowIfNull(mood);
        Require(CheckInRules.CheckScore(mood.Score), "score");
        Require(CheckInRules.CheckTags(mood.Tags, out var tags), "tags");
        Require(CheckInRules.CheckNote(mood.Note, out var note), "note");

        var (id, createdAt) = NextId();
        var stored = new StoredMood(mood.Score, [.. tags], note, createdAt);
        await moods.PutAsync(CheckInKeys.Of(id), stored);
        state.State.MoodCount++;
        CheckInDays.Add(state.State.QuarterHours, CheckInDays.QuarterHourOf(createdAt.ToUnixTimeMilliseconds()));
        await state.WriteStateAsync();
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

    public async Task<bool> DeleteMoodAsync(Guid id)
    {
        if (!await moods.RemoveAsync(CheckInKeys.Of(id)))
        {
            return false;
        }

        state.State.MoodCount = Math.Max(0, state.State.MoodCount - 1);
        await ForgetQuarterHourIfEmptyAsync(id);
        await state.WriteStateAsync();
        return true;
    }

    public Task<CheckInStreaks> GetStreaksAsync(string timeZone)
        => Task.FromResult(CheckInDays.Streaks(state.State.QuarterHours, CheckInTimeZones.FindOrUtc(timeZone), clock.GetUtcNow()));

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
        await moods.ClearAsync();
        await state.ClearStateAsync();
    }

    /// <summary>A new id whose time part is now, or one past the last id's when the clock has not moved on.</summary>
    private (Guid Id, DateTimeOffset CreatedAt) NextId()
    {
        var ms = Math.Max(clock.GetUtcNow().ToUnixTimeMilliseconds(), state.State.LastIdUnixMilliseconds + 1);
        state.State.LastIdUnixMilliseconds = ms;
        return (CheckInKeys.NewId(ms), DateTimeOffset.FromUnixTimeMilliseconds(ms));
    }

    /// <summary>After a removal: drops the removed record's quarter hour unless another entry or mood is in it.</summary>
    private async Task ForgetQuarterHourIfEmptyAsync(Guid removedId)
    {
        var quarterHour = CheckInDays.QuarterHourOf(CheckInKeys.UnixMillisecondsOf(removedId));
        var start = quarterHour * CheckInDays.QuarterHourMilliseconds;
        var range = new RecordQuery(Limit: 1, From: CheckInKeys.Bound(start), To: CheckInKeys.Bound(start + CheckInDays.QuarterHourMilliseconds));
        if ((await entries.QueryAsync(range)).Count == 0 && (await moods.QueryAsync(range)).Count == 0)
        {
            CheckInDays.Remove(state.State.QuarterHours, quarterHour);
        }
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
        => new(id, entry.Text, entry.Mood, entry.Tags, entry.CreatedAt, entry.UpdatedAt);

    private static MoodView ToView(Guid id, StoredMood mood)
        => new(id, mood.Score, mood.Tags, mood.Note, mood.CreatedAt);
}
