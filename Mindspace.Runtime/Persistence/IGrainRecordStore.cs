namespace Mindspace.Runtime.Persistence;

/// <summary>One record of a grain's keyed collection.</summary>
public sealed record StoredRecord(string Key, byte[] Payload);

/// <summary>
/// Which records of a collection to read. Keys are compared ordinally (byte order of UTF-8), so
/// callers that want time order use keys that sort by time.
/// </summary>
/// <param name="After">Only keys strictly greater than this (ascending) — or, when descending, strictly less.</param>
/// <param name="Descending">Newest (largest key) first.</param>
/// <param name="Limit">At most this many records.</param>
/// <param name="From">Only keys ≥ this (inclusive lower bound), whatever the direction.</param>
/// <param name="To">Only keys &lt; this (exclusive upper bound), whatever the direction.</param>
public sealed record RecordQuery(string? After = null, bool Descending = false, int Limit = 100, string? From = null, string? To = null);

/// <summary>
/// Large per-grain collections (journal entries, activity, ticks) stored one row per record, so
/// adding to a collection of 10,000 items costs what adding to one of 10 does.
/// </summary>
/// <remarks>
/// Only the grain's own activation writes its collections, so the store needs no etags: a put is
/// an upsert of one row, a remove deletes one row.
/// </remarks>
public interface IGrainRecordStore
{
    Task PutAsync(GrainId grainId, string collection, string key, ReadOnlyMemory<byte> payload, CancellationToken cancellationToken);

    Task<byte[]?> GetAsync(GrainId grainId, string collection, string key, CancellationToken cancellationToken);

    /// <returns>Whether a record was removed.</returns>
    Task<bool> RemoveAsync(GrainId grainId, string collection, string key, CancellationToken cancellationToken);

    Task<IReadOnlyList<StoredRecord>> QueryAsync(GrainId grainId, string collection, RecordQuery query, CancellationToken cancellationToken);

    Task<long> CountAsync(GrainId grainId, string collection, CancellationToken cancellationToken);

    /// <summary>Removes every record of the collection.</summary>
    /// <returns>How many were removed.</returns>
    Task<long> ClearAsync(GrainId grainId, string collection, CancellationToken cancellationToken);
}
