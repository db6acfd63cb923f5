using Microsoft.Data.Sqlite;

namespace Mindspace.Runtime.Persistence.Sqlite;

/// <summary>
/// Per-grain keyed collections, one row per record. The primary key index orders keys by UTF-8
/// bytes, so puts cost one index insert and every query is a range scan of that index.
/// </summary>
internal sealed class SqliteRecordStore(SqliteDatabase database) : IGrainRecordStore
{
    private const string CollectionFilter = "grain_type = @grain_type AND grain_key = @grain_key AND collection = @collection";

    private const string PutSql = """
        INSERT INTO ms_grain_records (grain_type, grain_key, collection, record_key, payload, updated_at_us)
        VALUES (@grain_type, @grain_key, @collection, @record_key, @payload, @now)
        ON CONFLICT (grain_type, grain_key, collection, record_key)
        DO UPDATE SET payload = excluded.payload, updated_at_us = excluded.updated_at_us
        """;

    private const string GetSql = $"SELECT payload FROM ms_grain_records WHERE {CollectionFilter} AND record_key = @record_key";

    private const string RemoveSql = $"DELETE FROM ms_grain_records WHERE {CollectionFilter} AND record_key = @record_key";

    private const string CountSql = $"SELECT count(*) FROM ms_grain_records WHERE {CollectionFilter}";

    private const string ClearSql = $"DELETE FROM ms_grain_records WHERE {CollectionFilter}";

    public Task PutAsync(GrainId grainId, string collection, string key, ReadOnlyMemory<byte> payload, CancellationToken cancellationToken)
    {
        Validate(collection, key);
        return database.ExecuteAsync(
            connection => Command(connection, PutSql, grainId, collection)
                .With("@record_key", key)
                .WithBytes("@payload", payload)
                .With("@now", SqliteValues.NowMicroseconds()),
            cancellationToken);
    }

    public async Task<byte[]?> GetAsync(GrainId grainId, string collection, string key, CancellationToken cancellationToken)
    {
        Validate(collection, key);
        return await database.ScalarAsync(connection => Command(connection, GetSql, grainId, collection).With("@record_key", key), cancellationToken) as byte[];
    }

    public async Task<bool> RemoveAsync(GrainId grainId, string collection, string key, CancellationToken cancellationToken)
    {
        Validate(collection, key);
        return await database.ExecuteAsync(connection => Command(connection, RemoveSql, grainId, collection).With("@record_key", key), cancellationToken) > 0;
    }

    public async Task<IReadOnlyList<StoredRecord>> QueryAsync(GrainId grainId, string collection, RecordQuery query, CancellationToken cancellationToken)
    {
        ArgumentException.ThrowIfNullOrEmpty(collection);
        ArgumentNullException.ThrowIfNull(query);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(query.Limit, nameof(query));
        return await database.QueryAsync(
            connection => QueryCommand(connection, grainId, collection, query),
            reader => new StoredRecord(reader.GetString(0), reader.GetFieldValue<byte[]>(1)),
            cancellationToken);
    }

    public async Task<long> CountAsync(GrainId grainId, string collection, CancellationToken cancellationToken)
    {
        ArgumentException.ThrowIfNullOrEmpty(collection);
        return (long)(await database.ScalarAsync(connection => Command(connection, CountSql, grainId, collection), cancellationToken))!;
    }

    public async Task<long> ClearAsync(GrainId grainId, string collection, CancellationToken cancellationToken)
    {
        ArgumentException.ThrowIfNullOrEmpty(collection);
        return await database.ExecuteAsync(connection => Command(connection, ClearSql, grainId, collection), cancellationToken);
    }

    private static SqliteCommand QueryCommand(SqliteConnection connection, GrainId grainId, string collection, RecordQuery query)
    {
        var command = Command(connection, string.Empty, grainId, collection);
        RecordQuerySql.Apply(command, $"SELECT record_key, payload FROM ms_grain_records WHERE {CollectionFilter}", query);
        return command;
    }

    private static SqliteCommand Command(SqliteConnection connection, string sql, GrainId grainId, string collection) =>
        connection.Command(sql).WithGrain(grainId).With("@collection", collection);

    private static void Validate(string collection, string key)
    {
        ArgumentException.ThrowIfNullOrEmpty(collection);
        ArgumentNullException.ThrowIfNull(key);
    }
}
