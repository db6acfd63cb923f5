using Mindspace.Runtime.Serialization;

namespace Mindspace.Runtime.Persistence;

/// <summary>A grain's keyed collection in <see cref="IGrainRecordStore"/>, typed.</summary>
internal sealed class RecordCollection<TRecord>(GrainId grainId, string collection, IGrainRecordStore store, GrainSerializer serializer)
    : IRecordCollection<TRecord>
{
    public Task PutAsync(string key, TRecord value, CancellationToken cancellationToken = default)
        => store.PutAsync(grainId, collection, key, serializer.Serialize(value), cancellationToken);

    public async Task<TRecord?> GetAsync(string key, CancellationToken cancellationToken = default)
    {
        var payload = await store.GetAsync(grainId, collection, key, cancellationToken).ConfigureAwait(false);
        return payload is null ? default : serializer.Deserialize<TRecord>(payload);
    }

    public Task<bool> RemoveAsync(string key, CancellationToken cancellationToken = default)
        => store.RemoveAsync(grainId, collection, key, cancellationToken);

    public async Task<IReadOnlyList<KeyedRecord<TRecord>>> QueryAsync(RecordQuery query, CancellationToken cancellationToken = default)
    {
        var records = await store.QueryAsync(grainId, collection, query, cancellationToken).ConfigureAwait(false);
        return [.. records.Select(r => new KeyedRecord<TRecord>(r.Key, serializer.Deserialize<TRecord>(r.Payload)))];
    }

    public Task<long> CountAsync(CancellationToken cancellationToken = default)
        => store.CountAsync(grainId, collection, cancellationToken);

    public Task<long> ClearAsync(CancellationToken cancellationToken = default)
        => store.ClearAsync(grainId, collection, cancellationToken);
}
