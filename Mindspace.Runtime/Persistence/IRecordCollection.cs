using Mindspace.Runtime.Persistence;

namespace Mindspace.Runtime;

/// <summary>A record and its key.</summary>
public sealed record KeyedRecord<TRecord>(string Key, TRecord Value);

/// <summary>
/// A large keyed collection owned by one grain (journal entries, activity), stored one row per
/// record: a put or remove costs the same whatever the collection's size. Keys sort ordinally.
/// </summary>
public interface IRecordCollection<TRecord>
{
    Task PutAsync(string key, TRecord value, CancellationToken cancellationToken = default);

    Task<TRecord?> GetAsync(string key, CancellationToken cancellationToken = default);

    Task<bool> RemoveAsync(string key, CancellationToken cancellationToken = default);

    Task<IReadOnlyList<KeyedRecord<TRecord>>> QueryAsync(RecordQuery query, CancellationToken cancellationToken = default);

    Task<long> CountAsync(CancellationToken cancellationToken = default);

    Task<long> ClearAsync(CancellationToken cancellationToken = default);
}
