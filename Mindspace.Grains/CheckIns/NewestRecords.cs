using Mindspace.Grains.Records;

namespace Mindspace.Grains.CheckIns;

/// <summary>
/// The newest records of a collection, newest first, kept in memory after the first read so the
/// first page of a list — by far the most asked for — is served without a query. It stays exactly
/// what the collection's newest records are, always a contiguous run from the newest record down:
/// the grain tells it about every change, and a new record makes it forget what it holds.
/// </summary>
/// <remarks>
/// A new record is not put in: whatever is kept lives until the collection's next
/// <c>capacity</c> records push it out, and for a user writing steadily that outlived the garbage
/// collector's gen0 interval. In bench/http (64 users, 5,500 writes/s, a held embedded gateway) a
/// collection then promoted 1.6 MB, the collector let about 70 MB be allocated between collections
/// and paused 7.4 ms at the median; with creates forgetting instead, 0.14 MB, 13 collections a
/// second and 1.4 ms (docs/performance.md). A list after a write reads the newest page from storage
/// once. Edits and deletions, rare, still update what is kept.
/// </remarks>
/// <param name="capacity">Most records kept; a page of up to <c>capacity - 1</c> can also tell whether more exist.</param>
internal sealed class NewestRecords<T>(int capacity)
{
    private List<KeyedRecord<T>>? _records;

    /// <summary>Whether <see cref="_records"/> holds every record of the collection (not only the newest ones).</summary>
    private bool _complete;

    public bool IsLoaded => _records is not null;

    /// <summary>Changes whenever what is kept may have changed, so a caller can reuse what it derived from an equal version.</summary>
    public int Version { get; private set; }

    /// <summary>Starts from the newest records as read from storage (newest first, at most the capacity).</summary>
    public void Load(IReadOnlyList<KeyedRecord<T>> newestFirst)
    {
        _records = [.. newestFirst.Take(capacity)];
        _complete = newestFirst.Count < capacity;
        Version++;
    }

    /// <summary>
    /// The newest <paramref name="count"/> records and whether older ones exist, when memory can
    /// tell; false when it cannot (not loaded, or the page reaches past what is kept).
    /// </summary>
    public bool TryTake(int count, out IReadOnlyList<KeyedRecord<T>> records, out bool more)
    {
        records = [];
        more = false;
        if (_records is null || (_records.Count <= count && !_complete))
        {
            return false;
        }

        more = _records.Count > count;
        records = more ? _records[..count] : [.. _records];
        return true;
    }

    public void Replaced(string key, T value)
    {
        var index = _records?.FindIndex(r => r.Key == key) ?? -1;
        if (index >= 0)
        {
            _records![index] = new KeyedRecord<T>(key, value);
            Version++;
        }
    }

    public void Removed(string key)
    {
        if (_records?.RemoveAll(r => r.Key == key) > 0)
        {
            Version++;
        }
    }

    /// <summary>Drops what is kept (a record was added, or a write's outcome is unknown): the next list reads storage again.</summary>
    public void Forget()
    {
        _records = null;
        _complete = false;
        Version++;
    }

    /// <summary>The collection was emptied.</summary>
    public void Cleared()
    {
        _records = [];
        _complete = true;
        Version++;
    }
}
