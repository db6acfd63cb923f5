using System.Text.Json;
using Microsoft.Data.Sqlite;
using Mindspace.Runtime.Reminders;

namespace Mindspace.Runtime.Persistence.Sqlite;

/// <summary>Durable reminder rows keyed by (grain type, grain key, name); times are UTC microseconds.</summary>
internal sealed class SqliteReminderStore(SqliteDatabase database) : IReminderStore
{
    private const string Columns = "grain_type, grain_key, reminder_name, partition_id, start_at_us, period_us, next_due_us";

    private const string ReminderKey = "grain_type = @grain_type AND grain_key = @grain_key AND reminder_name = @reminder_name";

    private const string UpsertSql = $"""
        INSERT INTO ms_reminders ({Columns})
        VALUES (@grain_type, @grain_key, @reminder_name, @partition_id, @start_at, @period, @next_due)
        ON CONFLICT (grain_type, grain_key, reminder_name) DO UPDATE SET
            partition_id = excluded.partition_id,
            start_at_us = excluded.start_at_us,
            period_us = excluded.period_us,
            next_due_us = excluded.next_due_us
        """;

    private const string RemoveSql = $"DELETE FROM ms_reminders WHERE {ReminderKey}";

    private const string GetSql = $"SELECT {Columns} FROM ms_reminders WHERE {ReminderKey}";

    private const string GetForGrainSql = $"""
        SELECT {Columns} FROM ms_reminders
        WHERE grain_type = @grain_type AND grain_key = @grain_key
        ORDER BY reminder_name
        """;

    private const string DueOrder = "ORDER BY next_due_us, grain_type, grain_key, reminder_name LIMIT @limit";

    private const string GetDueSql = $"SELECT {Columns} FROM ms_reminders WHERE next_due_us <= @now {DueOrder}";

    /// <summary>The partitions arrive as one JSON array parameter, so the statement text never varies.</summary>
    private const string GetDueInPartitionsSql = $"""
        SELECT {Columns} FROM ms_reminders
        WHERE next_due_us <= @now AND partition_id IN (SELECT value FROM json_each(@partitions)) {DueOrder}
        """;

    private const string AdvanceSql = $"UPDATE ms_reminders SET next_due_us = @next_due WHERE {ReminderKey} AND next_due_us = @fired_due";

    public Task UpsertAsync(ReminderEntry entry, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(entry);
        ArgumentException.ThrowIfNullOrEmpty(entry.Name, nameof(entry));
        return database.ExecuteAsync(
            connection => Command(connection, UpsertSql, entry.GrainId, entry.Name)
                .With("@partition_id", entry.Partition)
                .With("@start_at", SqliteValues.ToMicroseconds(entry.StartAt))
                .With("@period", SqliteValues.ToMicroseconds(entry.Period))
                .With("@next_due", SqliteValues.ToMicroseconds(entry.NextDue)),
            cancellationToken);
    }

    public async Task<bool> RemoveAsync(GrainId grainId, string name, CancellationToken cancellationToken)
    {
        ArgumentException.ThrowIfNullOrEmpty(name);
        return await database.ExecuteAsync(connection => Command(connection, RemoveSql, grainId, name), cancellationToken) > 0;
    }

    public async Task<ReminderEntry?> GetAsync(GrainId grainId, string name, CancellationToken cancellationToken)
    {
        ArgumentException.ThrowIfNullOrEmpty(name);
        var found = await database.QueryAsync(connection => Command(connection, GetSql, grainId, name), ReadEntry, cancellationToken);
        return found.Count > 0 ? found[0] : null;
    }

    public async Task<IReadOnlyList<ReminderEntry>> GetForGrainAsync(GrainId grainId, CancellationToken cancellationToken) =>
        await database.QueryAsync(connection => connection.Command(GetForGrainSql).WithGrain(grainId), ReadEntry, cancellationToken);

    public async Task<IReadOnlyList<ReminderEntry>> GetDueAsync(DateTimeOffset now, IReadOnlyCollection<int>? partitions, int limit, CancellationToken cancellationToken)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(limit);
        if (partitions is { Count: 0 })
        {
            return [];
        }

        return await database.QueryAsync(
            connection =>
            {
                var command = connection.Command(partitions is null ? GetDueSql : GetDueInPartitionsSql)
                    .With("@now", SqliteValues.ToMicroseconds(now))
                    .With("@limit", limit);
                return partitions is null
                    ? command
                    : command.With("@partitions", JsonSerializer.Serialize<int[]>([.. partitions], SqliteJsonContext.Default.Int32Array));
            },
            ReadEntry,
            cancellationToken);
    }

    public Task AdvanceAsync(GrainId grainId, string name, DateTimeOffset firedDue, DateTimeOffset nextDue, CancellationToken cancellationToken)
    {
        ArgumentException.ThrowIfNullOrEmpty(name);
        return database.ExecuteAsync(
            connection => Command(connection, AdvanceSql, grainId, name)
                .With("@fired_due", SqliteValues.ToMicroseconds(firedDue))
                .With("@next_due", SqliteValues.ToMicroseconds(nextDue)),
            cancellationToken);
    }

    private static SqliteCommand Command(SqliteConnection connection, string sql, GrainId grainId, string name) =>
        connection.Command(sql).WithGrain(grainId).With("@reminder_name", name);

    private static ReminderEntry ReadEntry(SqliteDataReader reader) => new(
        new GrainId(reader.GetString(0), reader.GetString(1)),
        reader.GetString(2),
        reader.GetInt32(3),
        SqliteValues.FromMicroseconds(reader.GetInt64(4)),
        SqliteValues.PeriodFromMicroseconds(reader.GetInt64(5)),
        SqliteValues.FromMicroseconds(reader.GetInt64(6)));
}
