using System.Text.Json;

namespace Mindspace.Grains.Records;

/// <summary>One grain's rows of a record table, as typed records stored as readable JSON.</summary>
internal sealed class RecordCollection<TRecord>(string table, string owner, IRecordStore store) : IRecordCollection<TRecord>
{
    public Task PutAsync(string key, TRecord value, CancellationToken cancellationToken = default)
        => store.PutAsync(table, owner, key, JsonSerializer.SerializeToUtf8Bytes(value, RecordJson.Options), cancellationToken);

    public Task<bool> AddAsync(string key, TRecord value, CancellationToken cancellationToken = default)
        => store.AddAsync(table, owner, key, JsonSerializer.SerializeToUtf8Bytes(value, RecordJson.Options), cancellationToken);

    public async Task<TRecord?> GetAsync(string key, CancellationToken cancellationToken = default)
        => await store.GetAsync(table, owner, key, cancellationToken) is { } payload ? Deserialize(payload) : default;

    public Task<bool> RemoveAsync(string key, CancellationToken cancellationToken = default)
        => store.RemoveAsync(table, owner, key, cancellationToken);

    public async Task<IReadOnlyList<KeyedRecord<TRecord>>> QueryAsync(RecordQuery query, CancellationToken cancellationToken = default)
    {
        var rows = await store.QueryAsync(table, owner, query, cancellationToken);
        var records = new KeyedRecord<TRecord>[rows.Count];
        for (var i = 0; i < rows.Count; i++)
        {
            records[i] = new KeyedRecord<TRecord>(rows[i].Key, Deserialize(rows[i].Payload));
        }

        return records;
    }

    public Task<long> CountAsync(CancellationToken cancellationToken = default) => store.CountAsync(table, owner, cancellationToken);

    public Task<long> ClearAsync(CancellationToken cancellationToken = default) => store.ClearAsync(table, owner, cancellationToken);

    private static TRecord Deserialize(byte[] payload)
        => JsonSerializer.Deserialize<TRecord>(payload, RecordJson.Options)
            ?? throw new InvalidDataException($"A record of {typeof(TRecord).Name} is stored as JSON null.");
}
