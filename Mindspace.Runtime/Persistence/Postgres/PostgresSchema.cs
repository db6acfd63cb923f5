using Npgsql;

namespace Mindspace.Runtime.Persistence.Postgres;

/// <summary>
/// The storage tables and their migrations. Applied at start under a transaction-scoped advisory
/// lock, so several silos starting at once apply each migration exactly once.
/// </summary>
internal static class PostgresSchema
{
    /// <summary>The row of <c>ms_schema_version</c> that tracks these tables (other runtime parts keep their own rows).</summary>
    public const string Component = "storage";

    /// <summary>Advisory lock key serializing schema changes ("MSSCHEMA" in ASCII).</summary>
    public const long MigrationLockKey = 0x4D53_5343_4845_4D41;

    private const string CreateVersionTableSql = """
        CREATE TABLE IF NOT EXISTS ms_schema_version (
            component  text COLLATE "C" PRIMARY KEY,
            version    integer NOT NULL,
            applied_at timestamptz NOT NULL DEFAULT now()
        )
        """;

    private const string ReadVersionSql = "SELECT version FROM ms_schema_version WHERE component = @component";

    private const string WriteVersionSql = """
        INSERT INTO ms_schema_version (component, version, applied_at) VALUES (@component, @version, now())
        ON CONFLICT (component) DO UPDATE SET version = excluded.version, applied_at = excluded.applied_at
        """;

    /// <summary>Migration n (1-based) brings the schema from version n - 1 to n. Never edit a shipped one: append.</summary>
    private static readonly string[] Migrations =
    [
        """
        CREATE TABLE IF NOT EXISTS ms_grain_state (
            grain_type text COLLATE "C" NOT NULL,
            grain_key  text COLLATE "C" NOT NULL,
            state_name text COLLATE "C" NOT NULL,
            version    bigint NOT NULL,
            payload    bytea NULL,
            updated_at timestamptz NOT NULL,
            PRIMARY KEY (grain_type, grain_key, state_name)
        );

        CREATE TABLE IF NOT EXISTS ms_grain_records (
            grain_type text COLLATE "C" NOT NULL,
            grain_key  text COLLATE "C" NOT NULL,
            collection text COLLATE "C" NOT NULL,
            record_key text COLLATE "C" NOT NULL,
            payload    bytea NOT NULL,
            updated_at timestamptz NOT NULL,
            PRIMARY KEY (grain_type, grain_key, collection, record_key)
        );

        CREATE TABLE IF NOT EXISTS ms_reminders (
            grain_type    text COLLATE "C" NOT NULL,
            grain_key     text COLLATE "C" NOT NULL,
            reminder_name text COLLATE "C" NOT NULL,
            partition_id  integer NOT NULL,
            start_at      timestamptz NOT NULL,
            period        interval NOT NULL,
            next_due      timestamptz NOT NULL,
            PRIMARY KEY (grain_type, grain_key, reminder_name)
        );

        CREATE INDEX IF NOT EXISTS ms_reminders_next_due ON ms_reminders (next_due);

        CREATE TABLE IF NOT EXISTS ms_stream_heads (
            stream_namespace text COLLATE "C" NOT NULL,
            stream_key       text COLLATE "C" NOT NULL,
            last_sequence    bigint NOT NULL,
            PRIMARY KEY (stream_namespace, stream_key)
        );

        CREATE TABLE IF NOT EXISTS ms_stream_events (
            stream_namespace text COLLATE "C" NOT NULL,
            stream_key       text COLLATE "C" NOT NULL,
            sequence         bigint NOT NULL,
            payload          bytea NOT NULL,
            created_at       timestamptz NOT NULL,
            PRIMARY KEY (stream_namespace, stream_key, sequence)
        );
        """,
    ];

    /// <summary>The schema version this build writes and expects.</summary>
    public static int LatestVersion => Migrations.Length;

    public static Task ApplyAsync(NpgsqlDataSource dataSource, CancellationToken cancellationToken)
        => ApplyAsync(dataSource, Component, Migrations, cancellationToken);

    /// <summary>
    /// Brings <paramref name="component"/>'s tables to the last of its <paramref name="migrations"/>
    /// (migration n takes version n - 1 to n), once, however many processes start at the same time.
    /// </summary>
    public static async Task ApplyAsync(NpgsqlDataSource dataSource, string component, IReadOnlyList<string> migrations, CancellationToken cancellationToken)
    {
        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
        await using var transaction = await connection.BeginTransactionAsync(cancellationToken);

        await using (var command = new NpgsqlCommand("SELECT pg_advisory_xact_lock(@key)", connection, transaction))
        {
            command.With("key", MigrationLockKey);
            await command.ExecuteNonQueryAsync(cancellationToken);
        }

        await using (var command = new NpgsqlCommand(CreateVersionTableSql, connection, transaction))
        {
            await command.ExecuteNonQueryAsync(cancellationToken);
        }

        int current;
        await using (var command = new NpgsqlCommand(ReadVersionSql, connection, transaction))
        {
            command.With("component", component);
            current = await command.ExecuteScalarAsync(cancellationToken) is int version ? version : 0;
        }

        // A newer build may already have migrated further; its schema stays as it is.
        if (current >= migrations.Count)
        {
            await transaction.CommitAsync(cancellationToken);
            return;
        }

        for (var version = current + 1; version <= migrations.Count; version++)
        {
            await using var command = new NpgsqlCommand(migrations[version - 1], connection, transaction);
            await command.ExecuteNonQueryAsync(cancellationToken);
        }

        await using (var command = new NpgsqlCommand(WriteVersionSql, connection, transaction))
        {
            command.With("component", component).With("version", migrations.Count);
            await command.ExecuteNonQueryAsync(cancellationToken);
        }

        await transaction.CommitAsync(cancellationToken);
    }
}
