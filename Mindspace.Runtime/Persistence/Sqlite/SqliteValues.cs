using System.Runtime.InteropServices;
using Microsoft.Data.Sqlite;

namespace Mindspace.Runtime.Persistence.Sqlite;

/// <summary>
/// Parameter and value helpers shared by the SQLite stores. Instants are stored as INTEGER
/// microseconds since the Unix epoch, UTC (the same precision PostgreSQL keeps).
/// </summary>
internal static class SqliteValues
{
    public static SqliteCommand Command(this SqliteConnection connection, string sql, SqliteTransaction? transaction = null)
    {
        var command = connection.CreateCommand();
        command.CommandText = sql;
        command.Transaction = transaction;
        return command;
    }

    public static SqliteCommand With(this SqliteCommand command, string name, object? value)
    {
        command.Parameters.AddWithValue(name, value ?? DBNull.Value);
        return command;
    }

    public static SqliteCommand WithGrain(this SqliteCommand command, GrainId grainId) =>
        command.With("@grain_type", grainId.Type).With("@grain_key", grainId.Key);

    /// <summary>Adds a BLOB parameter; a null payload is stored as SQL NULL.</summary>
    public static SqliteCommand WithBytes(this SqliteCommand command, string name, ReadOnlyMemory<byte>? payload)
    {
        object value = payload is { } bytes ? ToArray(bytes) : DBNull.Value;
        command.Parameters.Add(new SqliteParameter(name, SqliteType.Blob) { Value = value });
        return command;
    }

    /// <summary>Truncates to whole microseconds (UtcTicks is never negative, so this floors).</summary>
    public static long ToMicroseconds(DateTimeOffset value) =>
        (value.UtcTicks / TimeSpan.TicksPerMicrosecond) - (DateTimeOffset.UnixEpoch.Ticks / TimeSpan.TicksPerMicrosecond);

    public static DateTimeOffset FromMicroseconds(long microseconds) =>
        new(DateTimeOffset.UnixEpoch.Ticks + (microseconds * TimeSpan.TicksPerMicrosecond), TimeSpan.Zero);

    public static long ToMicroseconds(TimeSpan value) => value.Ticks / TimeSpan.TicksPerMicrosecond;

    public static TimeSpan PeriodFromMicroseconds(long microseconds) => TimeSpan.FromTicks(microseconds * TimeSpan.TicksPerMicrosecond);

    public static long NowMicroseconds() => ToMicroseconds(DateTimeOffset.UtcNow);

    public static byte[]? GetBytesOrNull(this SqliteDataReader reader, int ordinal) =>
        reader.IsDBNull(ordinal) ? null : reader.GetFieldValue<byte[]>(ordinal);

    private static byte[] ToArray(ReadOnlyMemory<byte> bytes) =>
        MemoryMarshal.TryGetArray(bytes, out var segment) && segment.Offset == 0 && segment.Count == segment.Array!.Length
            ? segment.Array
            : bytes.ToArray();
}
