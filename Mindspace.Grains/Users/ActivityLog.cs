using System.Globalization;
using Mindspace.Grains.Interfaces.Users;
using Mindspace.Grains.Records;

namespace Mindspace.Grains.Users;

/// <summary>
/// A user's own activity log, kept in the user grain's record collection. Keys are UTC ticks
/// (19 digits), so they sort by time and double as paging cursors.
/// </summary>
public sealed class ActivityLog(IRecordCollection<ActivityEntry> records, TimeProvider time)
{
    private const int ExportBatch = 500;

    private long _lastTicks;

    public async Task AppendAsync(string kind, string? ipAddress, Dictionary<string, string>? details = null)
    {
        var now = time.GetUtcNow();

        // Two events in the same tick still get distinct, ordered keys.
        var ticks = Math.Max(now.UtcTicks, _lastTicks + 1);
        _lastTicks = ticks;
        var key = ticks.ToString("D19", CultureInfo.InvariantCulture);
        await records.PutAsync(key, new ActivityEntry(key, kind, now, ipAddress, details));
    }

    /// <summary>Entries newest first, after <paramref name="cursor"/>; <paramref name="limit"/> is clamped to 1…<see cref="ActivityRules.MaxPage"/>.</summary>
    public async Task<ActivityPage> ReadPageAsync(string? cursor, int limit)
    {
        limit = Math.Clamp(limit, 1, ActivityRules.MaxPage);
        var page = await records.QueryAsync(new RecordQuery(After: cursor, Descending: true, Limit: limit + 1));
        return new ActivityPage([.. page.Take(limit).Select(r => r.Value)], page.Count > limit ? page[limit - 1].Key : null);
    }

    /// <summary>Every entry, newest first.</summary>
    public async Task<List<ActivityEntry>> ReadAllAsync()
    {
        var entries = new List<ActivityEntry>();
        string? after = null;
        while (true)
        {
            var page = await records.QueryAsync(new RecordQuery(After: after, Descending: true, Limit: ExportBatch));
            entries.AddRange(page.Select(r => r.Value));
            if (page.Count < ExportBatch)
            {
                return entries;
            }

            after = page[^1].Key;
        }
    }

    /// <returns>How many entries were erased.</returns>
    public Task<long> ClearAsync() => records.ClearAsync();
}
