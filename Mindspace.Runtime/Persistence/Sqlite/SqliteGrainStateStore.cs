using Microsoft.Data.Sqlite;

namespace Mindspace.Runtime.Persistence.Sqlite;

/// <summary>
/// Grain state rows with compare-and-swap on the version: an insert only when absent, an update
/// only when the stored version is the expected one, so zero rows changed means a stale writer.
/// </summary>
internal sealed class SqliteGrainStateStore(SqliteDatabase database) : IGrainStateStore
{
    private const string StateKey = "grain_type = @grain_type AND grain_key = @grain_key AND state_name = @state_name";

    private const string ReadSql = $"SELECT payload, version FROM ms_grain_state WHERE {StateKey}";

    private const string ReadVersionSql = $"SELECT version FROM ms_grain_state WHERE {StateKey}";

    private const string InsertSql = """
        INSERT INTO ms_grain_state (grain_type, grain_key, state_name, version, payload, updated_at_us)
        VALUES (@grain_type, @grain_key, @state_name, 1, @payload, @now)
        ON CONFLICT (grain_type, grain_key, state_name) DO NOTHING
        RETURNING version
        """;

    private const string UpdateSql = $"""
        UPDATE ms_grain_state SET payload = @payload, version = version + 1, updated_at_us = @now
        WHERE {StateKey} AND version = @expected
        RETURNING version
        """;

    public async Task<StoredState?> ReadAsync(GrainId grainId, string stateName, CancellationToken cancellationToken)
    {
        ArgumentException.ThrowIfNullOrEmpty(stateName);
        var found = await database.QueryAsync(
            connection => connection.Command(ReadSql).WithGrain(grainId).With("@state_name", stateName),
            reader => new StoredState(reader.GetBytesOrNull(0), reader.GetInt64(1)),
            cancellationToken);
        return found.Count > 0 ? found[0] : null;
    }

    public Task<long> WriteAsync(GrainId grainId, string stateName, ReadOnlyMemory<byte> payload, long? expectedVersion, CancellationToken cancellationToken) =>
        SaveAsync(grainId, stateName, payload, expectedVersion, cancellationToken);

    public Task<long> ClearAsync(GrainId grainId, string stateName, long? expectedVersion, CancellationToken cancellationToken) =>
        SaveAsync(grainId, stateName, payload: null, expectedVersion, cancellationToken);

    /// <summary>Writes a payload, or a tombstone when <paramref name="payload"/> is null.</summary>
    private Task<long> SaveAsync(GrainId grainId, string stateName, ReadOnlyMemory<byte>? payload, long? expectedVersion, CancellationToken cancellationToken)
    {
        ArgumentException.ThrowIfNullOrEmpty(stateName);
        return database.WriteAsync(
            async (connection, token) =>
            {
                await using (var command = connection.Command(expectedVersion is null ? InsertSql : UpdateSql))
                {
                    command.WithGrain(grainId)
                        .With("@state_name", stateName)
                        .WithBytes("@payload", payload)
                        .With("@now", SqliteValues.NowMicroseconds());
                    if (expectedVersion is { } expected)
                    {
                        command.With("@expected", expected);
                    }

                    if (await command.ExecuteScalarAsync(token) is long version)
                    {
                        return version;
                    }
                }

                // Nothing changed. Read the stored version only to say what was found.
                await using (var command = connection.Command(ReadVersionSql).WithGrain(grainId).With("@state_name", stateName))
                {
                    var stored = await command.ExecuteScalarAsync(token) as long?;
                    throw new InconsistentStateException(grainId, stateName, expectedVersion, stored);
                }
            },
            cancellationToken);
    }
}
