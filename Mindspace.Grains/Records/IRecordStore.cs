namespace Mindspace.Grains.Records;

/// <summary>One stored record: its key and its payload (UTF-8 JSON).</summary>
[GenerateSerializer, Immutable, Alias("ms.state.StoredRecord")]
public sealed record StoredRecord(string Key, byte[] Payload);

/// <summary>
/// The rows behind <see cref="IRecordCollection{TRecord}"/>: one table per collection
/// (the <c>table</c> argument of every method), rows keyed by (owner, record key). The owner is the
/// grain's key. SQLite (embedded) and PostgreSQL (cluster) implement it and pass one contract suite.
/// </summary>
/// <remarks>
/// A table is created the first time it is used (idempotently, safe from several processes).
/// Table names are lower-case identifiers (<see cref="RecordTables.IsValidName"/>).
/// </remarks>
public interface IRecordStore
{
    Task PutAsync(string table, string owner, string key, ReadOnlyMemory<byte> payload, CancellationToken cancellationToken);

    /// <summary>Inserts a record only if its key is free; an existing record is left as it is.</summary>
    /// <returns>Whether the record was added.</returns>
    Task<bool> AddAsync(string table, string owner, string key, ReadOnlyMemory<byte> payload, CancellationToken cancellationToken);

    Task<byte[]?> GetAsync(string table, string owner, string key, CancellationToken cancellationToken);

    /// <returns>Whether a record was removed.</returns>
    Task<bool> RemoveAsync(string table, string owner, string key, CancellationToken cancellationToken);

    Task<IReadOnlyList<StoredRecord>> QueryAsync(string table, string owner, RecordQuery query, CancellationToken cancellationToken);

    Task<long> CountAsync(string table, string owner, CancellationToken cancellationToken);

    /// <returns>How many records were removed.</returns>
    Task<long> ClearAsync(string table, string owner, CancellationToken cancellationToken);

    /// <summary>
    /// Owners (after <paramref name="afterOwner"/>, in ordinal order, at most <paramref name="limit"/>)
    /// with at least one record of <paramref name="table"/> whose payload text contains
    /// <paramref name="payloadContains"/> (matched without regard to ASCII case on SQLite, exactly on
    /// PostgreSQL: callers check what they read). A scan of the whole table: for rare, one-off
    /// look-ups across owners (a backfill), never for a request.
    /// </summary>
    Task<IReadOnlyList<string>> FindOwnersAsync(string table, string payloadContains, string? afterOwner, int limit, CancellationToken cancellationToken);

    /// <summary>
    /// Declares <paramref name="table"/>'s writes fan-out: many a second, none of them awaited by a
    /// person (a notification appended to many inboxes). A store whose commits cost a round trip may
    /// then hold them a moment after a busy commit so that the next carries more of them, spending a
    /// millisecond of latency to save CPU; others ignore it (SQLite's commits are in-process). Declared
    /// by <see cref="RecordCollectionAttribute.GatherWrites"/>, before the table's first write.
    /// </summary>
    void GatherWrites(string table)
    {
    }
}
