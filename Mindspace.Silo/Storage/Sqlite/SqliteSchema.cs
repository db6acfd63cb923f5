using System.Runtime.CompilerServices;

namespace Mindspace.Silo.Storage.Sqlite;

/// <summary>
/// The tables behind <see cref="SqliteGrainStorage"/> and <see cref="SqliteReminderTable"/>, created
/// on first use so the embedded mode needs no setup step.
/// </summary>
/// <remarks>
/// Every statement is idempotent (<c>IF NOT EXISTS</c>) and runs in one <c>BEGIN IMMEDIATE</c>
/// transaction, which also serializes several processes opening the same file. A later change to
/// these tables needs a recorded schema version; none exists yet because nothing has shipped.
/// Text keys use SQLite's default BINARY collation (ordinal, like Orleans' own ids). Instants are
/// INTEGER ticks (100 ns) since 0001-01-01 UTC, so they round-trip a <see cref="DateTime"/> exactly.
/// </remarks>
public static class SqliteSchema
{
    /// <summary>Grain state: one row per (provider, state, grain); <c>payload</c> NULL is a cleared state (tombstone).</summary>
    public const string GrainStateTable = "ms_orleans_grain_state";

    /// <summary>Reminders: one row per (grain, reminder name).</summary>
    public const string RemindersTable = "ms_orleans_reminders";

    private const string CreateSql = $"""
        CREATE TABLE IF NOT EXISTS {GrainStateTable} (
            provider         TEXT NOT NULL,
            state_name       TEXT NOT NULL,
            grain_type       TEXT NOT NULL,
            grain_key        TEXT NOT NULL,
            version          INTEGER NOT NULL,
            payload          TEXT NULL,
            updated_at_ticks INTEGER NOT NULL,
            PRIMARY KEY (provider, state_name, grain_type, grain_key)
        ) STRICT, WITHOUT ROWID;

        CREATE TABLE IF NOT EXISTS {RemindersTable} (
            grain_id       TEXT NOT NULL,
            reminder_name  TEXT NOT NULL,
            start_at_ticks INTEGER NOT NULL,
            period_ticks   INTEGER NOT NULL,
            grain_hash     INTEGER NOT NULL,
            etag           TEXT NOT NULL,
            PRIMARY KEY (grain_id, reminder_name)
        ) STRICT, WITHOUT ROWID;

        CREATE INDEX IF NOT EXISTS {RemindersTable}_grain_hash ON {RemindersTable} (grain_hash);
        """;

    /// <summary>The schema task per database object, so each process applies it once per file it opens.</summary>
    private static readonly ConditionalWeakTable<SqliteDatabase, Task> Applied = [];

    private static readonly Lock Gate = new();

    /// <summary>
    /// Creates the tables the first time it is called for <paramref name="database"/>;
    /// later calls return the same completed task. A failed attempt is retried by the next call.
    /// </summary>
    public static Task EnsureCreatedAsync(SqliteDatabase database, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(database);
        if (Applied.TryGetValue(database, out var applied) && applied.IsCompletedSuccessfully)
        {
            return applied;
        }

        Task task;
        lock (Gate)
        {
            if (!Applied.TryGetValue(database, out var existing) || existing.IsFaulted || existing.IsCanceled)
            {
                // Not tied to this caller's token: other callers share the task.
                existing = ApplyAsync(database, CancellationToken.None);
                Applied.AddOrUpdate(database, existing);
            }

            task = existing;
        }

        return task.IsCompletedSuccessfully ? task : task.WaitAsync(cancellationToken);
    }

    /// <summary>Creates the tables now (WAL is <see cref="SqliteDatabase"/>'s), whether or not this process already did.</summary>
    public static async Task ApplyAsync(SqliteDatabase database, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(database);
        await database.WriteAsync(
            (session, token) => session.Statement(CreateSql).ExecuteNonQueryAsync(token),
            cancellationToken);
    }
}
