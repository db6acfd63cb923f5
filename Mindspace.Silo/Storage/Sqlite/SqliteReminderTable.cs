using Microsoft.Data.Sqlite;
using Microsoft.Extensions.DependencyInjection;
using Orleans;
using Orleans.Hosting;
using Orleans.Runtime;

namespace Mindspace.Silo.Storage.Sqlite;

/// <summary>
/// Orleans' reminder table in the embedded SQLite file, so reminders outlive the process.
/// </summary>
/// <remarks>
/// Each upsert stores a fresh random etag rather than a counter: a reminder that is removed and
/// created again never gets an etag it had before, so a stale <c>RemoveRow</c> cannot delete
/// its successor. The grain hash is stored as an unsigned 32-bit value so hash ranges compare as
/// Orleans' ring does.
/// </remarks>
public sealed class SqliteReminderTable(SqliteDatabase database) : IReminderTable
{
    private const string Table = SqliteSchema.RemindersTable;

    private const string Columns = "grain_id, reminder_name, start_at_ticks, period_ticks, etag";

    private const string ReadForGrainSql = $"SELECT {Columns} FROM {Table} WHERE grain_id = @grain_id";

    private const string ReadOneSql = $"SELECT {Columns} FROM {Table} WHERE grain_id = @grain_id AND reminder_name = @reminder_name";

    /// <summary>The range (begin, end] when begin &lt; end.</summary>
    private const string ReadRangeSql = $"SELECT {Columns} FROM {Table} WHERE grain_hash > @begin AND grain_hash <= @end";

    /// <summary>The range that wraps around the ring: (begin, max] and [0, end]; everything when begin = end.</summary>
    private const string ReadWrappedRangeSql = $"SELECT {Columns} FROM {Table} WHERE grain_hash > @begin OR grain_hash <= @end";

    private const string UpsertSql = $"""
        INSERT INTO {Table} (grain_id, reminder_name, start_at_ticks, period_ticks, grain_hash, etag)
        VALUES (@grain_id, @reminder_name, @start_at, @period, @grain_hash, @etag)
        ON CONFLICT (grain_id, reminder_name) DO UPDATE SET
            start_at_ticks = excluded.start_at_ticks,
            period_ticks = excluded.period_ticks,
            grain_hash = excluded.grain_hash,
            etag = excluded.etag
        """;

    private const string RemoveSql = $"DELETE FROM {Table} WHERE grain_id = @grain_id AND reminder_name = @reminder_name AND etag = @etag";

    private const string ClearSql = $"DELETE FROM {Table}";

    /// <inheritdoc/>
    public Task StartAsync(CancellationToken cancellationToken = default) => SqliteSchema.EnsureCreatedAsync(database, cancellationToken);

    /// <inheritdoc/>
    public Task StopAsync(CancellationToken cancellationToken = default) => Task.CompletedTask;

    /// <inheritdoc/>
    public Task<ReminderTableData> ReadRows(GrainId grainId) => ReadRows(grainId, CancellationToken.None);

    /// <inheritdoc/>
    public async Task<ReminderTableData> ReadRows(GrainId grainId, CancellationToken cancellationToken)
    {
        await StartAsync(cancellationToken);
        var rows = await database.QueryAsync(
            session => Command(session, ReadForGrainSql, ("@grain_id", grainId.ToString())),
            ReadEntry,
            cancellationToken);
        return new ReminderTableData(rows);
    }

    /// <inheritdoc/>
    public Task<ReminderTableData> ReadRows(uint begin, uint end) => ReadRows(begin, end, CancellationToken.None);

    /// <inheritdoc/>
    public async Task<ReminderTableData> ReadRows(uint begin, uint end, CancellationToken cancellationToken)
    {
        await StartAsync(cancellationToken);
        var rows = await database.QueryAsync(
            session => Command(session, begin < end ? ReadRangeSql : ReadWrappedRangeSql, ("@begin", (long)begin), ("@end", (long)end)),
            ReadEntry,
            cancellationToken);
        return new ReminderTableData(rows);
    }

    /// <inheritdoc/>
    public Task<ReminderEntry?> ReadRow(GrainId grainId, string reminderName) => ReadRow(grainId, reminderName, CancellationToken.None);

    /// <inheritdoc/>
    public async Task<ReminderEntry?> ReadRow(GrainId grainId, string reminderName, CancellationToken cancellationToken)
    {
        ArgumentException.ThrowIfNullOrEmpty(reminderName);
        await StartAsync(cancellationToken);
        var rows = await database.QueryAsync(
            session => Command(session, ReadOneSql, ("@grain_id", grainId.ToString()), ("@reminder_name", reminderName)),
            ReadEntry,
            cancellationToken);
        return rows.Count > 0 ? rows[0] : null;
    }

    /// <inheritdoc/>
    public Task<string?> UpsertRow(ReminderEntry entry) => UpsertRow(entry, CancellationToken.None);

    /// <inheritdoc/>
    public async Task<string?> UpsertRow(ReminderEntry entry, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(entry);
        ArgumentException.ThrowIfNullOrEmpty(entry.ReminderName, nameof(entry));
        await StartAsync(cancellationToken);
        var etag = Guid.NewGuid().ToString("N");
        await database.ExecuteAsync(
            session => Command(
                session,
                UpsertSql,
                ("@grain_id", entry.GrainId.ToString()),
                ("@reminder_name", entry.ReminderName),
                ("@start_at", ToUtc(entry.StartAt).Ticks),
                ("@period", entry.Period.Ticks),
                ("@grain_hash", (long)entry.GrainId.GetUniformHashCode()),
                ("@etag", etag)),
            cancellationToken);
        return etag;
    }

    /// <inheritdoc/>
    public Task<bool> RemoveRow(GrainId grainId, string reminderName, string eTag) => RemoveRow(grainId, reminderName, eTag, CancellationToken.None);

    /// <inheritdoc/>
    public async Task<bool> RemoveRow(GrainId grainId, string reminderName, string eTag, CancellationToken cancellationToken)
    {
        ArgumentException.ThrowIfNullOrEmpty(reminderName);
        if (string.IsNullOrEmpty(eTag))
        {
            return false;
        }

        await StartAsync(cancellationToken);
        var removed = await database.ExecuteAsync(
            session => Command(session, RemoveSql, ("@grain_id", grainId.ToString()), ("@reminder_name", reminderName), ("@etag", eTag)),
            cancellationToken);
        return removed > 0;
    }

    /// <inheritdoc/>
    public Task TestOnlyClearTable() => TestOnlyClearTable(CancellationToken.None);

    /// <inheritdoc/>
    public async Task TestOnlyClearTable(CancellationToken cancellationToken)
    {
        await StartAsync(cancellationToken);
        await database.ExecuteAsync(session => Command(session, ClearSql), cancellationToken);
    }

    /// <summary>
    /// An unspecified kind is taken as UTC, as Orleans' own tables do; local times are converted.
    /// </summary>
    private static DateTime ToUtc(DateTime value) => value.Kind switch
    {
        DateTimeKind.Utc => value,
        DateTimeKind.Local => value.ToUniversalTime(),
        _ => DateTime.SpecifyKind(value, DateTimeKind.Utc),
    };

    private static ReminderEntry ReadEntry(SqliteDataReader reader) => new()
    {
        GrainId = GrainId.Parse(reader.GetString(0)),
        ReminderName = reader.GetString(1),
        StartAt = new DateTime(reader.GetInt64(2), DateTimeKind.Utc),
        Period = TimeSpan.FromTicks(reader.GetInt64(3)),
        ETag = reader.GetString(4),
    };

    private static SqliteCommand Command(SqliteSession session, string sql, params ReadOnlySpan<(string Name, object Value)> parameters)
    {
        var command = session.Statement(sql);
        foreach (var (name, value) in parameters)
        {
            command.Parameters.AddWithValue(name, value);
        }

        return command;
    }
}

/// <summary>Registers <see cref="SqliteReminderTable"/> with a silo.</summary>
public static class SqliteReminderTableExtensions
{
    /// <summary>
    /// Adds Orleans reminders kept in SQLite, on the <see cref="SqliteDatabase"/> singleton the host registers.
    /// </summary>
    public static ISiloBuilder UseSqliteReminders(this ISiloBuilder builder)
    {
        ArgumentNullException.ThrowIfNull(builder);
        return builder.ConfigureServices(services => services.UseSqliteReminders());
    }

    /// <inheritdoc cref="UseSqliteReminders(ISiloBuilder)"/>
    public static IServiceCollection UseSqliteReminders(this IServiceCollection services)
    {
        ArgumentNullException.ThrowIfNull(services);
        services.AddReminders();
        services.AddSingleton<IReminderTable>(provider => new SqliteReminderTable(provider.GetRequiredService<SqliteDatabase>()));
        return services;
    }
}
