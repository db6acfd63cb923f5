namespace Mindspace.Grains.Records;

/// <summary>A record and its key.</summary>
public sealed record KeyedRecord<TRecord>(string Key, TRecord Value);

/// <summary>
/// Which records of a collection to read. Keys are compared ordinally (byte order of UTF-8), so
/// callers that want time order use keys that sort by time.
/// </summary>
/// <param name="After">Only keys strictly greater than this (ascending) — or, when descending, strictly less.</param>
/// <param name="Descending">Largest key first.</param>
/// <param name="Limit">At most this many records.</param>
/// <param name="From">Only keys ≥ this (inclusive lower bound), whatever the direction.</param>
/// <param name="To">Only keys &lt; this (exclusive upper bound), whatever the direction.</param>
public sealed record RecordQuery(string? After = null, bool Descending = false, int Limit = 100, string? From = null, string? To = null);

/// <summary>
/// A large keyed collection owned by one grain (journal entries, activity, an inbox), stored one
/// row per record in a table of its own: a put or remove costs the same whatever the collection's
/// size. Keys sort ordinally. Inject one into a grain's constructor with <see cref="RecordCollectionAttribute"/>.
/// </summary>
/// <remarks>
/// Only the owning grain's activation writes its collection (Orleans keeps one activation per
/// grain), so rows need no etags: a put is an upsert of one row, a remove deletes one row.
/// </remarks>
public interface IRecordCollection<TRecord>
{
    Task PutAsync(string key, TRecord value, CancellationToken cancellationToken = default);

    /// <summary>
    /// Adds a record only if its key is free, leaving an existing one untouched: for keys that must
    /// never be written twice (a sequence number, an idempotency key), even by a second activation
    /// of the grain that a membership change can briefly leave running.
    /// </summary>
    /// <returns>Whether the record was added (false: the key was taken).</returns>
    Task<bool> AddAsync(string key, TRecord value, CancellationToken cancellationToken = default);

    Task<TRecord?> GetAsync(string key, CancellationToken cancellationToken = default);

    /// <returns>Whether a record was removed.</returns>
    Task<bool> RemoveAsync(string key, CancellationToken cancellationToken = default);

    Task<IReadOnlyList<KeyedRecord<TRecord>>> QueryAsync(RecordQuery query, CancellationToken cancellationToken = default);

    Task<long> CountAsync(CancellationToken cancellationToken = default);

    /// <summary>Removes every record of the collection.</summary>
    /// <returns>How many were removed.</returns>
    Task<long> ClearAsync(CancellationToken cancellationToken = default);
}
