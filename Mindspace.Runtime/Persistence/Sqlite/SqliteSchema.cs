using Microsoft.Data.Sqlite;

namespace Mindspace.Runtime.Persistence.Sqlite;

/// <summary>
/// The storage tables and their migrations, applied at start in one <c>BEGIN IMMEDIATE</c>
/// transaction (which also serializes several processes opening the same file).
/// </summary>
/// <remarks>
/// Text keys use SQLite's default BINARY collation, which compares UTF-8 bytes: the ordinal key
/// order <see cref="IGrainRecordStore"/> promises. Instants are INTEGER microseconds since the
/// Unix epoch, UTC.
/// </remarks>
internal static class SqliteSchema
{
    public const string Component = "storage";

    private const string CreateVersionTableSql = """
        CREATE TABLE IF NOT EXISTS ms_schema_version (
            component     TEXT NOT NULL PRIMARY KEY,
            version       INTEGER NOT NULL,
            applied_at_us INTEGER NOT NULL
        ) STRICT
        """;

    private const string ReadVersionSql = "SELECT version FROM ms_schema_version WHERE component = @component";

    private const string WriteVersionSql = """
        INSERT INTO ms_schema_version (component, version, applied_at_us) VALUES (@component, @version, @now)
        ON CONFLICT (component) DO UPDATE SET version = excluded.version, applied_at_us = excluded.applied_at_us
        """;

    /// <summary>Migration n (1-based) brings the schema from version n - 1 to n. Never edit a shipped one: append.</summary>
    private static readonly string[] Migrations =
    [
        """
        CREATE TABLE IF NOT EXISTS ms_grain_state (
            grain_type    TEXT NOT NULL,
            grain_key     TEXT NOT NULL,
            state_name    TEXT NOT NULL,
            version       INTEGER NOT NULL,
            payload       BLOB NULL,
            updated_at_us INTEGER NOT NULL,
            PRIMARY KEY (grain_type, grain_key, state_name)
        ) STRICT;

        CREATE TABLE IF NOT EXISTS ms_grain_records (
            grain_type    TEXT NOT NULL,
            grain_key     TEXT NOT NULL,
            collection    TEXT NOT NULL,
            record_key    TEXT NOT NULL,
            payload       BLOB NOT NULL,
            updated_at_us INTEGER NOT NULL,
            PRIMARY KEY (grain_type, grain_key, collection, record_key)
        ) STRICT;

        CREATE TABLE IF NOT EXISTS ms_reminders (
            grain_type    TEXT NOT NULL,
            grain_key     TEXT NOT NULL,
            reminder_name TEXT NOT NULL,
            partition_id  INTEGER NOT NULL,
            start_at_us   INTEGER NOT NULL,
            period_us     INTEGER NOT NULL,
            next_due_us   INTEGER NOT NULL,
            PRIMARY KEY (grain_type, grain_key, reminder_name)
        ) STRICT;

        CREATE INDEX IF NOT EXISTS ms_reminders_next_due ON ms_reminders (next_due_us);

        CREATE TABLE IF NOT EXISTS ms_stream_heads (
            stream_namespace TEXT NOT NULL,
            stream_key       TEXT NOT NULL,
            last_sequence    INTEGER NOT NULL,
            PRIMARY KEY (stream_namespace, stream_key)
        ) STRICT;

        CREATE TABLE IF NOT EXISTS ms_stream_events (
            stream_namespace TEXT NOT NULL,
            stream_key       TEXT NOT NULL,
            sequence         INTEGER NOT NULL,
            payload          BLOB NOT NULL,
            created_at_us    INTEGER NOT NULL,
            PRIMARY KEY (stream_namespace, stream_key, sequence)
        ) STRICT;
        """,
    ];

    public static int LatestVersion => Migrations.Length;

    public static async Task ApplyAsync(SqliteDatabase database, CancellationToken cancellationToken)
    {
        var directory = Path.GetDirectoryName(database.DatabasePath);
        if (!string.IsNullOrEmpty(directory))
        {
            Directory.CreateDirectory(directory);
        }

        // The journal mode is stored in the file; it cannot change inside a transaction.
        await database.WriteAsync(
            async (connection, token) =>
            {
                await using var command = connection.Command("PRAGMA journal_mode = WAL");
                return await command.ExecuteScalarAsync(token);
            },
            cancellationToken);

        await database.WriteInTransactionAsync(MigrateAsync, cancellationToken);
    }

    private static async Task<int> MigrateAsync(SqliteConnection connection, SqliteTransaction transaction, CancellationToken cancellationToken)
    {
        await using (var command = connection.Command(CreateVersionTableSql, transaction))
        {
            await command.ExecuteNonQueryAsync(cancellationToken);
        }

        int current;
        await using (var command = connection.Command(ReadVersionSql, transaction).With("@component", Component))
        {
            current = await command.ExecuteScalarAsync(cancellationToken) is long version ? (int)version : 0;
        }

        // A newer build may already have migrated further; its schema stays as it is.
        if (current >= LatestVersion)
        {
            return current;
        }

        for (var version = current + 1; version <= LatestVersion; version++)
        {
            await using var command = connection.Command(Migrations[version - 1], transaction);
            await command.ExecuteNonQueryAsync(cancellationToken);
        }

        await using (var command = connection.Command(WriteVersionSql, transaction)
            .With("@component", Component)
            .With("@version", LatestVersion)
            .With("@now", SqliteValues.NowMicroseconds()))
        {
            await command.ExecuteNonQueryAsync(cancellationToken);
        }

        return LatestVersion;
    }
}
