using System.Text;
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
        return database.WriteAsync(
            async (connection, token) =>
            {
                await using var command = Command(connection, PutSql, grainId, collection)
                    .With("@record_key", key)
                    .WithBytes("@payload", payload)
                    .With("@now", SqliteValues.NowMicroseconds());
                return await command.ExecuteNonQueryAsync(token);
            },
            cancellationToken);
    }

    public Task<byte[]?> GetAsync(GrainId grainId, string collection, string key, CancellationToken cancellationToken)
    {
        Validate(collection, key);
        return database.ReadAsync(
            async (connection, token) =>
            {
                await using var command = Command(connection, GetSql, grainId, collection).With("@record_key", key);
                return await command.ExecuteScalarAsync(token) as byte[];
            },
            cancellationToken);
    }

    public Task<bool> RemoveAsync(GrainId grainId, string collection, string key, CancellationToken cancellationToken)
    {
        Validate(collection, key);
        return database.WriteAsync(
            async (connection, token) =>
            {
                await using var command = Command(connection, RemoveSql, grainId, collection).With("@record_key", key);
                return await command.ExecuteNonQueryAsync(token) > 0;
            },
            cancellationToken);
    }

    public Task<IReadOnlyList<StoredRecord>> QueryAsync(GrainId grainId, string collection, RecordQuery query, CancellationToken cancellationToken)
    {
        ArgumentException.ThrowIfNullOrEmpty(collection);
        ArgumentNullException.ThrowIfNull(query);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(query.Limit, nameof(query));
        return database.ReadAsync<IReadOnlyList<StoredRecord>>(
            async (connection, token) =>
            {
                var sql = new StringBuilder($"SELECT record_key, payload FROM ms_grain_records WHERE {CollectionFilter}");
                await using var command = Command(connection, string.Empty, grainId, collection);
                if (query.From is { } from)
                {
                    sql.Append(" AND record_key >= @from");
                    command.With("@from", from);
                }

                if (query.To is { } to)
                {
                    sql.Append(" AND record_key < @to");
                    command.With("@to", to);
                }

                if (query.After is { } after)
                {
                    sql.Append(query.Descending ? " AND record_key < @after" : " AND record_key > @after");
                    command.With("@after", after);
                }

                sql.Append(query.Descending ? " ORDER BY record_key DESC" : " ORDER BY record_key").Append(" LIMIT @limit");
                command.With("@limit", query.Limit);
                command.CommandText = sql.ToString();

                var records = new List<StoredRecord>(Math.Min(query.Limit, 256));
                await using var reader = await command.ExecuteReaderAsync(token);
                while (await reader.ReadAsync(token))
                {
                    records.Add(new StoredRecord(reader.GetString(0), reader.GetFieldValue<byte[]>(1)));
                }

                return records;
            },
            cancellationToken);
    }

    public Task<long> CountAsync(GrainId grainId, string collection, CancellationToken cancellationToken)
    {
        ArgumentException.ThrowIfNullOrEmpty(collection);
        return database.ReadAsync(
            async (connection, token) =>
            {
                await using var command = Command(connection, CountSql, grainId, collection);
                return (long)(await command.ExecuteScalarAsync(token))!;
            },
            cancellationToken);
    }

    public Task<long> ClearAsync(GrainId grainId, string collection, CancellationToken cancellationToken)
    {
        ArgumentException.ThrowIfNullOrEmpty(collection);
        return database.WriteAsync(
            async (connection, token) =>
            {
                await using var command = Command(connection, ClearSql, grainId, collection);
                return (long)await command.ExecuteNonQueryAsync(token);
            },
            cancellationToken);
    }

    private static SqliteCommand Command(SqliteConnection connection, string sql, GrainId grainId, string collection) =>
        connection.Command(sql).WithGrain(grainId).With("@collection", collection);

    private static void Validate(string collection, string key)
    {
        ArgumentException.ThrowIfNullOrEmpty(collection);
        ArgumentNullException.ThrowIfNull(key);
    }
}
