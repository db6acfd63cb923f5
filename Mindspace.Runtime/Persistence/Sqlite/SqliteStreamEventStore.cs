using Microsoft.Data.Sqlite;
using Mindspace.Runtime.Streams;

namespace Mindspace.Runtime.Persistence.Sqlite;

/// <summary>
/// Durable stream events. Each stream has a counter row in <c>ms_stream_heads</c>; an append bumps
/// it and inserts the event in one <c>BEGIN IMMEDIATE</c> transaction, so with SQLite's single
/// writer the sequence numbers are gapless, never repeat and commit in order.
/// </summary>
internal sealed class SqliteStreamEventStore(SqliteDatabase database) : IStreamEventStore
{
    private const string StreamFilter = "stream_namespace = @stream_namespace AND stream_key = @stream_key";

    private const string BumpHeadSql = """
        INSERT INTO ms_stream_heads (stream_namespace, stream_key, last_sequence)
        VALUES (@stream_namespace, @stream_key, 1)
        ON CONFLICT (stream_namespace, stream_key) DO UPDATE SET last_sequence = last_sequence + 1
        RETURNING last_sequence
        """;

    private const string InsertEventSql = """
        INSERT INTO ms_stream_events (stream_namespace, stream_key, sequence, payload, created_at_us)
        VALUES (@stream_namespace, @stream_key, @sequence, @payload, @now)
        """;

    private const string ReadSql = $"""
        SELECT sequence, payload, created_at_us FROM ms_stream_events
        WHERE {StreamFilter} AND sequence > @after
        ORDER BY sequence LIMIT @limit
        """;

    private const string LastSequenceSql = $"SELECT last_sequence FROM ms_stream_heads WHERE {StreamFilter}";

    /// <summary>
    /// Deletes the events but keeps the counter, so sequence numbers are never handed out twice and a
    /// subscriber resuming from an old position cannot skip events appended after the deletion.
    /// </summary>
    private const string DeleteSql = $"DELETE FROM ms_stream_events WHERE {StreamFilter}";

    public Task<long> AppendAsync(StreamId streamId, ReadOnlyMemory<byte> payload, CancellationToken cancellationToken)
    {
        Validate(streamId);
        return database.WriteInTransactionAsync(
            async (connection, transaction, token) =>
            {
                long sequence;
                await using (var bump = Command(connection, BumpHeadSql, streamId, transaction))
                {
                    sequence = (long)(await bump.ExecuteScalarAsync(token))!;
                }

                await using var insert = Command(connection, InsertEventSql, streamId, transaction)
                    .With("@sequence", sequence)
                    .WithBytes("@payload", payload)
                    .With("@now", SqliteValues.NowMicroseconds());
                await insert.ExecuteNonQueryAsync(token);
                return sequence;
            },
            cancellationToken);
    }

    public async Task<IReadOnlyList<StoredStreamEvent>> ReadAsync(StreamId streamId, long afterSequence, int limit, CancellationToken cancellationToken)
    {
        Validate(streamId);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(limit);
        return await database.QueryAsync(
            connection => Command(connection, ReadSql, streamId).With("@after", afterSequence).With("@limit", limit),
            reader => new StoredStreamEvent(reader.GetInt64(0), reader.GetFieldValue<byte[]>(1), SqliteValues.FromMicroseconds(reader.GetInt64(2))),
            cancellationToken);
    }

    public async Task<long> GetLastSequenceAsync(StreamId streamId, CancellationToken cancellationToken)
    {
        Validate(streamId);
        return await database.ScalarAsync(connection => Command(connection, LastSequenceSql, streamId), cancellationToken) is long last ? last : 0;
    }

    public Task DeleteStreamAsync(StreamId streamId, CancellationToken cancellationToken)
    {
        Validate(streamId);
        return database.ExecuteAsync(connection => Command(connection, DeleteSql, streamId), cancellationToken);
    }

    private static SqliteCommand Command(SqliteConnection connection, string sql, StreamId streamId, SqliteTransaction? transaction = null) =>
        connection.Command(sql, transaction)
            .With("@stream_namespace", streamId.Namespace)
            .With("@stream_key", streamId.Key);

    private static void Validate(StreamId streamId)
    {
        ArgumentException.ThrowIfNullOrEmpty(streamId.Namespace, nameof(streamId));
        ArgumentNullException.ThrowIfNull(streamId.Key, nameof(streamId));
    }
}
