using Npgsql;

namespace Mindspace.Runtime.Persistence.Postgres;

/// <summary>
/// Grain state rows with compare-and-swap on the version: an insert only when absent, an update
/// only when the stored version is the expected one, so zero rows changed means a stale writer.
/// </summary>
/// <remarks>Writes go through the <see cref="PostgresWriteBatcher"/>: concurrent writes share commits.</remarks>
internal sealed class PostgresGrainStateStore(NpgsqlDataSource dataSource, PostgresWriteBatcher writes) : IGrainStateStore
{
    private const string StateKey = "grain_type = @grain_type AND grain_key = @grain_key AND state_name = @state_name";

    private const string ReadSql = $"SELECT payload, version FROM ms_grain_state WHERE {StateKey}";

    private const string ReadVersionSql = $"SELECT version FROM ms_grain_state WHERE {StateKey}";

    private const string InsertSql = """
        INSERT INTO ms_grain_state (grain_type, grain_key, state_name, version, payload, updated_at)
        VALUES (@grain_type, @grain_key, @state_name, 1, @payload, now())
        ON CONFLICT (grain_type, grain_key, state_name) DO NOTHING
        """;

    private const string UpdateSql = $"""
        UPDATE ms_grain_state SET payload = @payload, version = version + 1, updated_at = now()
        WHERE {StateKey} AND version = @expected
        """;

    public async Task<StoredState?> ReadAsync(GrainId grainId, string stateName, CancellationToken cancellationToken)
    {
        ArgumentException.ThrowIfNullOrEmpty(stateName);
        await using var command = dataSource.CreateCommand(ReadSql).WithGrain(grainId).With("state_name", stateName);
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        return await reader.ReadAsync(cancellationToken)
            ? new StoredState(reader.GetBytesOrNull(0), reader.GetInt64(1))
            : null;
    }

    public Task<long> WriteAsync(GrainId grainId, string stateName, ReadOnlyMemory<byte> payload, long? expectedVersion, CancellationToken cancellationToken) =>
        SaveAsync(grainId, stateName, payload, expectedVersion, cancellationToken);

    public Task<long> ClearAsync(GrainId grainId, string stateName, long? expectedVersion, CancellationToken cancellationToken) =>
        SaveAsync(grainId, stateName, payload: null, expectedVersion, cancellationToken);

    /// <summary>Writes a payload, or a tombstone when <paramref name="payload"/> is null.</summary>
    private async Task<long> SaveAsync(GrainId grainId, string stateName, ReadOnlyMemory<byte>? payload, long? expectedVersion, CancellationToken cancellationToken)
    {
        ArgumentException.ThrowIfNullOrEmpty(stateName);
        var statement = new NpgsqlBatchCommand(expectedVersion is null ? InsertSql : UpdateSql)
            .WithGrain(grainId).With("state_name", stateName).WithBytes("payload", payload);
        if (expectedVersion is { } expected)
        {
            statement.With("expected", expected);
        }

        // One row changed: the insert made version 1, or the update moved the expected version on by one.
        if (await writes.ExecuteAsync(statement).ConfigureAwait(false) == 1)
        {
            return (expectedVersion ?? 0) + 1;
        }

        // Nothing changed. Read the stored version only to say what was found.
        await using (var command = dataSource.CreateCommand(ReadVersionSql))
        {
            command.WithGrain(grainId).With("state_name", stateName);
            var stored = await command.ExecuteScalarAsync(cancellationToken) as long?;
            throw new InconsistentStateException(grainId, stateName, expectedVersion, stored);
        }
    }
}
