using Npgsql;
using NpgsqlTypes;

namespace Mindspace.Runtime.Persistence.Postgres;

/// <summary>Parameter and value helpers shared by the PostgreSQL stores.</summary>
internal static class PostgresValues
{
    /// <summary>Adds a strongly typed parameter (no boxing, no type guessing).</summary>
    public static NpgsqlCommand With<T>(this NpgsqlCommand command, string name, T value)
    {
        command.Parameters.With(name, value);
        return command;
    }

    /// <summary>Adds the grain's type and key as <c>@grain_type</c> and <c>@grain_key</c>.</summary>
    public static NpgsqlCommand WithGrain(this NpgsqlCommand command, GrainId grainId)
    {
        command.Parameters.WithGrain(grainId);
        return command;
    }

    /// <summary>Adds a bytea parameter; a null payload is stored as SQL NULL.</summary>
    public static NpgsqlCommand WithBytes(this NpgsqlCommand command, string name, ReadOnlyMemory<byte>? payload)
    {
        command.Parameters.WithBytes(name, payload);
        return command;
    }

    /// <summary>Like <see cref="With{T}(NpgsqlCommand, string, T)"/>, for a statement of a batch.</summary>
    public static NpgsqlBatchCommand With<T>(this NpgsqlBatchCommand command, string name, T value)
    {
        command.Parameters.With(name, value);
        return command;
    }

    public static NpgsqlBatchCommand WithGrain(this NpgsqlBatchCommand command, GrainId grainId)
    {
        command.Parameters.WithGrain(grainId);
        return command;
    }

    public static NpgsqlBatchCommand WithBytes(this NpgsqlBatchCommand command, string name, ReadOnlyMemory<byte>? payload)
    {
        command.Parameters.WithBytes(name, payload);
        return command;
    }

    private static void With<T>(this NpgsqlParameterCollection parameters, string name, T value)
        => parameters.Add(new NpgsqlParameter<T>(name, value));

    private static void WithGrain(this NpgsqlParameterCollection parameters, GrainId grainId)
    {
        parameters.With("grain_type", grainId.Type);
        parameters.With("grain_key", grainId.Key);
    }

    private static void WithBytes(this NpgsqlParameterCollection parameters, string name, ReadOnlyMemory<byte>? payload)
        => parameters.Add(payload is { } bytes
            ? new NpgsqlParameter<ReadOnlyMemory<byte>>(name, NpgsqlDbType.Bytea) { TypedValue = bytes }
            : new NpgsqlParameter(name, NpgsqlDbType.Bytea) { Value = DBNull.Value });

    /// <summary>
    /// The instant as PostgreSQL keeps it: UTC, truncated to whole microseconds (timestamptz precision),
    /// so what is read back compares equal to what was written.
    /// </summary>
    public static DateTimeOffset ToStoredTime(DateTimeOffset value)
    {
        var ticks = value.UtcTicks;
        return new DateTimeOffset(ticks - (ticks % TimeSpan.TicksPerMicrosecond), TimeSpan.Zero);
    }

    /// <summary>The period as PostgreSQL's interval keeps it: whole microseconds.</summary>
    public static TimeSpan ToStoredPeriod(TimeSpan value) =>
        TimeSpan.FromTicks(value.Ticks - (value.Ticks % TimeSpan.TicksPerMicrosecond));

    /// <summary>Runs the query; returns every row as <paramref name="map"/> reads it.</summary>
    public static async Task<List<T>> ReadAllAsync<T>(this NpgsqlCommand command, Func<NpgsqlDataReader, T> map, CancellationToken cancellationToken)
    {
        var rows = new List<T>();
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        while (await reader.ReadAsync(cancellationToken))
        {
            rows.Add(map(reader));
        }

        return rows;
    }

    public static byte[]? GetBytesOrNull(this NpgsqlDataReader reader, int ordinal) =>
        reader.IsDBNull(ordinal) ? null : reader.GetFieldValue<byte[]>(ordinal);
}
