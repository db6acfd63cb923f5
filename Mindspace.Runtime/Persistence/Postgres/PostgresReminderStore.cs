using Mindspace.Runtime.Reminders;
using Npgsql;

namespace Mindspace.Runtime.Persistence.Postgres;

/// <summary>Durable reminder rows keyed by (grain type, grain key, name); times are UTC timestamptz.</summary>
internal sealed class PostgresReminderStore(NpgsqlDataSource dataSource) : IReminderStore
{
    private const string Columns = "grain_type, grain_key, reminder_name, partition_id, start_at, period, next_due";

    private const string ReminderKey = "grain_type = @grain_type AND grain_key = @grain_key AND reminder_name = @reminder_name";

    private const string UpsertSql = $"""
        INSERT INTO ms_reminders ({Columns})
        VALUES (@grain_type, @grain_key, @reminder_name, @partition_id, @start_at, @period, @next_due)
        ON CONFLICT (grain_type, grain_key, reminder_name) DO UPDATE SET
            partition_id = excluded.partition_id,
            start_at = excluded.start_at,
            period = excluded.period,
            next_due = excluded.next_due
        """;

    private const string RemoveSql = $"DELETE FROM ms_reminders WHERE {ReminderKey}";

    private const string GetSql = $"SELECT {Columns} FROM ms_reminders WHERE {ReminderKey}";

    private const string GetForGrainSql = $"""
        SELECT {Columns} FROM ms_reminders
        WHERE grain_type = @grain_type AND grain_key = @grain_key
        ORDER BY reminder_name
        """;

    private const string DueOrder = "ORDER BY next_due, grain_type, grain_key, reminder_name LIMIT @limit";

    private const string GetDueSql = $"SELECT {Columns} FROM ms_reminders WHERE next_due <= @now {DueOrder}";

    private const string GetDueInPartitionsSql = $"""
        SELECT {Columns} FROM ms_reminders
        WHERE next_due <= @now AND partition_id = ANY(@partitions) {DueOrder}
        """;

    private const string AdvanceSql = $"UPDATE ms_reminders SET next_due = @next_due WHERE {ReminderKey} AND next_due = @fired_due";

    public async Task UpsertAsync(ReminderEntry entry, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(entry);
        await using var command = CreateCommand(UpsertSql, entry.GrainId, entry.Name)
            .With("partition_id", entry.Partition)
            .With("start_at", PostgresValues.ToStoredTime(entry.StartAt))
            .With("period", PostgresValues.ToStoredPeriod(entry.Period))
            .With("next_due", PostgresValues.ToStoredTime(entry.NextDue));
        await command.ExecuteNonQueryAsync(cancellationToken);
    }

    public async Task<bool> RemoveAsync(GrainId grainId, string name, CancellationToken cancellationToken)
    {
        await using var command = CreateCommand(RemoveSql, grainId, name);
        return await command.ExecuteNonQueryAsync(cancellationToken) > 0;
    }

    public async Task<ReminderEntry?> GetAsync(GrainId grainId, string name, CancellationToken cancellationToken)
    {
        await using var command = CreateCommand(GetSql, grainId, name);
        var found = await command.ReadAllAsync(ReadEntry, cancellationToken);
        return found.Count > 0 ? found[0] : null;
    }

    public async Task<IReadOnlyList<ReminderEntry>> GetForGrainAsync(GrainId grainId, CancellationToken cancellationToken)
    {
        await using var command = dataSource.CreateCommand(GetForGrainSql).WithGrain(grainId);
        return await command.ReadAllAsync(ReadEntry, cancellationToken);
    }

    public async Task<IReadOnlyList<ReminderEntry>> GetDueAsync(DateTimeOffset now, IReadOnlyCollection<int>? partitions, int limit, CancellationToken cancellationToken)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(limit);
        if (partitions is { Count: 0 })
        {
            return [];
        }

        await using var command = dataSource.CreateCommand(partitions is null ? GetDueSql : GetDueInPartitionsSql)
            .With("now", PostgresValues.ToStoredTime(now))
            .With("limit", limit);
        if (partitions is not null)
        {
            command.With("partitions", partitions.ToArray());
        }

        return await command.ReadAllAsync(ReadEntry, cancellationToken);
    }

    public async Task AdvanceAsync(GrainId grainId, string name, DateTimeOffset firedDue, DateTimeOffset nextDue, CancellationToken cancellationToken)
    {
        await using var command = CreateCommand(AdvanceSql, grainId, name)
            .With("fired_due", PostgresValues.ToStoredTime(firedDue))
            .With("next_due", PostgresValues.ToStoredTime(nextDue));
        await command.ExecuteNonQueryAsync(cancellationToken);
    }

    private NpgsqlCommand CreateCommand(string sql, GrainId grainId, string name)
    {
        ArgumentException.ThrowIfNullOrEmpty(name);
        return dataSource.CreateCommand(sql).WithGrain(grainId).With("reminder_name", name);
    }

    private static ReminderEntry ReadEntry(NpgsqlDataReader reader) => new(
        new GrainId(reader.GetString(0), reader.GetString(1)),
        reader.GetString(2),
        reader.GetInt32(3),
        reader.GetFieldValue<DateTimeOffset>(4),
        reader.GetFieldValue<TimeSpan>(5),
        reader.GetFieldValue<DateTimeOffset>(6));
}
