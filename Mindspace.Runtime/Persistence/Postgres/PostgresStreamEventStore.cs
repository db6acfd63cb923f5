using Mindspace.Runtime.Streams;
using Npgsql;

namespace Mindspace.Runtime.Persistence.Postgres;

/// <summary>
/// Durable stream events. Each stream has a counter row in <c>ms_stream_heads</c>; an append bumps
/// it and inserts the event in one statement (one transaction). The bump locks the counter row
/// until commit, so concurrent appenders to a stream queue on it: sequence numbers are gapless,
/// never repeat, and become visible in sequence order. A failed insert rolls the bump back.
/// </summary>
/// <remarks>Appends go through a <see cref="PostgresWriteBatcher"/>: concurrent publishers share commits.</remarks>
internal sealed class PostgresStreamEventStore(NpgsqlDataSource dataSource) : IStreamEventStore
{
    private const string StreamFilter = "stream_namespace = @stream_namespace AND stream_key = @stream_key";

    private const string AppendSql = """
        WITH head AS (
            INSERT INTO ms_stream_heads (stream_namespace, stream_key, last_sequence)
            VALUES (@stream_namespace, @stream_key, 1)
            ON CONFLICT (stream_namespace, stream_key)
            DO UPDATE SET last_sequence = ms_stream_heads.last_sequence + 1
            RETURNING last_sequence
        )
        INSERT INTO ms_stream_events (stream_namespace, stream_key, sequence, payload, created_at)
        SELECT @stream_namespace, @stream_key, head.last_sequence, @payload, now() FROM head
        RETURNING sequence
        """;

    private const string ReadSql = $"""
        SELECT sequence, payload, created_at FROM ms_stream_events
        WHERE {StreamFilter} AND sequence > @after
        ORDER BY sequence LIMIT @limit
        """;

    private const string LastSequenceSql = $"SELECT last_sequence FROM ms_stream_heads WHERE {StreamFilter}";

    /// <summary>
    /// Deletes the events but keeps the counter, so sequence numbers are never handed out twice and a
    /// subscriber resuming from an old position cannot skip events appended after the deletion.
    /// </summary>
    private const string DeleteSql = $"DELETE FROM ms_stream_events WHERE {StreamFilter}";

    private readonly PostgresWriteBatcher _appends = new(dataSource, returnsValue: true);

    public Task<long> AppendAsync(StreamId streamId, ReadOnlyMemory<byte> payload, CancellationToken cancellationToken)
    {
        ArgumentException.ThrowIfNullOrEmpty(streamId.Namespace, nameof(streamId));
        ArgumentNullException.ThrowIfNull(streamId.Key, nameof(streamId));
        return _appends.ExecuteAsync(new NpgsqlBatchCommand(AppendSql)
            .With("stream_namespace", streamId.Namespace)
            .With("stream_key", streamId.Key)
            .WithBytes("payload", payload));
    }

    public async Task<IReadOnlyList<StoredStreamEvent>> ReadAsync(StreamId streamId, long afterSequence, int limit, CancellationToken cancellationToken)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(limit);
        await using var command = CreateCommand(ReadSql, streamId).With("after", afterSequence).With("limit", limit);
        return await command.ReadAllAsync(
            reader => new StoredStreamEvent(reader.GetInt64(0), reader.GetFieldValue<byte[]>(1), reader.GetFieldValue<DateTimeOffset>(2)),
            cancellationToken);
    }

    public async Task<long> GetLastSequenceAsync(StreamId streamId, CancellationToken cancellationToken)
    {
        await using var command = CreateCommand(LastSequenceSql, streamId);
        return await command.ExecuteScalarAsync(cancellationToken) is long last ? last : 0;
    }

    public async Task DeleteStreamAsync(StreamId streamId, CancellationToken cancellationToken)
    {
        await using var command = CreateCommand(DeleteSql, streamId);
        await command.ExecuteNonQueryAsync(cancellationToken);
    }

    private NpgsqlCommand CreateCommand(string sql, StreamId streamId)
    {
        ArgumentException.ThrowIfNullOrEmpty(streamId.Namespace, nameof(streamId));
        ArgumentNullException.ThrowIfNull(streamId.Key, nameof(streamId));
        return dataSource.CreateCommand(sql)
            .With("stream_namespace", streamId.Namespace)
            .With("stream_key", streamId.Key);
    }
}
