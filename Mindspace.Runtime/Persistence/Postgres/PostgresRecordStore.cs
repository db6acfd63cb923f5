using Npgsql;

namespace Mindspace.Runtime.Persistence.Postgres;

/// <summary>
/// Per-grain keyed collections, one row per record. Keys are <c>COLLATE "C"</c>, so the primary
/// key index orders them by UTF-8 bytes and every query is a range scan of that index.
/// </summary>
/// <remarks>Puts and removes go through the <see cref="PostgresWriteBatcher"/>: concurrent writes share commits.</remarks>
internal sealed class PostgresRecordStore(NpgsqlDataSource dataSource, PostgresWriteBatcher writes) : IGrainRecordStore
{
    private const string CollectionFilter = "grain_type = @grain_type AND grain_key = @grain_key AND collection = @collection";

    private const string PutSql = """
        INSERT INTO ms_grain_records (grain_type, grain_key, collection, record_key, payload, updated_at)
        VALUES (@grain_type, @grain_key, @collection, @record_key, @payload, now())
        ON CONFLICT (grain_type, grain_key, collection, record_key)
        DO UPDATE SET payload = excluded.payload, updated_at = excluded.updated_at
        """;

    private const string GetSql = $"SELECT payload FROM ms_grain_records WHERE {CollectionFilter} AND record_key = @record_key";

    private const string RemoveSql = $"DELETE FROM ms_grain_records WHERE {CollectionFilter} AND record_key = @record_key";

    private const string CountSql = $"SELECT count(*) FROM ms_grain_records WHERE {CollectionFilter}";

    private const string ClearSql = $"DELETE FROM ms_grain_records WHERE {CollectionFilter}";

    public Task PutAsync(GrainId grainId, string collection, string key, ReadOnlyMemory<byte> payload, CancellationToken cancellationToken)
        => writes.ExecuteAsync(CreateStatement(PutSql, grainId, collection).With("record_key", Key(key)).WithBytes("payload", payload));

    public async Task<byte[]?> GetAsync(GrainId grainId, string collection, string key, CancellationToken cancellationToken)
    {
        await using var command = CreateCommand(GetSql, grainId, collection).With("record_key", Key(key));
        return await command.ExecuteScalarAsync(cancellationToken) as byte[];
    }

    public async Task<bool> RemoveAsync(GrainId grainId, string collection, string key, CancellationToken cancellationToken)
        => await writes.ExecuteAsync(CreateStatement(RemoveSql, grainId, collection).With("record_key", Key(key))).ConfigureAwait(false) > 0;

    public async Task<IReadOnlyList<StoredRecord>> QueryAsync(GrainId grainId, string collection, RecordQuery query, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(query);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(query.Limit, nameof(query));

        await using var command = CreateCommand(string.Empty, grainId, collection);
        RecordQuerySql.Apply(command, $"SELECT record_key, payload FROM ms_grain_records WHERE {CollectionFilter}", query);
        return await command.ReadAllAsync(reader => new StoredRecord(reader.GetString(0), reader.GetFieldValue<byte[]>(1)), cancellationToken);
    }

    public async Task<long> CountAsync(GrainId grainId, string collection, CancellationToken cancellationToken)
    {
        await using var command = CreateCommand(CountSql, grainId, collection);
        return (long)(await command.ExecuteScalarAsync(cancellationToken))!;
    }

    public async Task<long> ClearAsync(GrainId grainId, string collection, CancellationToken cancellationToken)
    {
        await using var command = CreateCommand(ClearSql, grainId, collection);
        return await command.ExecuteNonQueryAsync(cancellationToken);
    }

    private NpgsqlCommand CreateCommand(string sql, GrainId grainId, string collection)
    {
        ArgumentException.ThrowIfNullOrEmpty(collection);
        return dataSource.CreateCommand(sql).WithGrain(grainId).With("collection", collection);
    }

    private static NpgsqlBatchCommand CreateStatement(string sql, GrainId grainId, string collection)
    {
        ArgumentException.ThrowIfNullOrEmpty(collection);
        return new NpgsqlBatchCommand(sql).WithGrain(grainId).With("collection", collection);
    }

    private static string Key(string key)
    {
        ArgumentNullException.ThrowIfNull(key);
        return key;
    }
}
