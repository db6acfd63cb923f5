using System.Collections.Concurrent;
using Mindspace.Grains.Records;

namespace Mindspace.Gateway.Tests.Infrastructure;

/// <summary>
/// The real record store, watched by a test: a removal fails when the test has asked for one (to show
/// what a grain does when storage refuses a delete; the failing removal does not reach the store, so the
/// record is still there afterwards, as after a delete whose transaction rolled back), and the tables
/// declared fan-out (<see cref="IRecordStore.GatherWrites"/>) are recorded.
/// </summary>
public sealed class ObservedRecordStore(IRecordStore store) : IRecordStore
{
    private readonly ConcurrentDictionary<string, bool> _gatheredTables = new();
    private int _failNextRemoval;

    /// <summary>The tables declared fan-out so far.</summary>
    public IReadOnlyCollection<string> GatheredTables => [.. _gatheredTables.Keys];

    public void GatherWrites(string table)
    {
        _gatheredTables.TryAdd(table, true);
        store.GatherWrites(table);
    }

    /// <summary>Makes the next removal (of any table) throw <see cref="InvalidOperationException"/>; the ones after it succeed.</summary>
    public void FailNextRemoval() => Volatile.Write(ref _failNextRemoval, 1);

    public Task<bool> RemoveAsync(string table, string owner, string key, CancellationToken cancellationToken)
    {
        if (Interlocked.Exchange(ref _failNextRemoval, 0) == 1)
        {
            return Task.FromException<bool>(new InvalidOperationException("Injected storage failure: the removal was not written."));
        }

        return store.RemoveAsync(table, owner, key, cancellationToken);
    }

    public Task PutAsync(string table, string owner, string key, ReadOnlyMemory<byte> payload, CancellationToken cancellationToken)
        => store.PutAsync(table, owner, key, payload, cancellationToken);

    public Task<bool> AddAsync(string table, string owner, string key, ReadOnlyMemory<byte> payload, CancellationToken cancellationToken)
        => store.AddAsync(table, owner, key, payload, cancellationToken);

    public Task<byte[]?> GetAsync(string table, string owner, string key, CancellationToken cancellationToken)
        => store.GetAsync(table, owner, key, cancellationToken);

    public Task<IReadOnlyList<StoredRecord>> QueryAsync(string table, string owner, RecordQuery query, CancellationToken cancellationToken)
        => store.QueryAsync(table, owner, query, cancellationToken);

    public Task<long> CountAsync(string table, string owner, CancellationToken cancellationToken)
        => store.CountAsync(table, owner, cancellationToken);

    public Task<long> ClearAsync(string table, string owner, CancellationToken cancellationToken)
        => store.ClearAsync(table, owner, cancellationToken);

    public Task<IReadOnlyList<string>> FindOwnersAsync(string table, string payloadContains, string? afterOwner, int limit, CancellationToken cancellationToken)
        => store.FindOwnersAsync(table, payloadContains, afterOwner, limit, cancellationToken);
}
