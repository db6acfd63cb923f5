using Mindspace.Silo.Storage.Sqlite;
using Mindspace.Testing;

namespace Mindspace.Storage.Tests.Schema;

/// <summary><see cref="SqliteSchema"/> on temp files.</summary>
public sealed class SqliteSchemaTests : IDisposable
{
    private readonly TempDirectory _directory = new("sqlite-schema");

    public void Dispose() => _directory.Dispose();

    [Fact]
    public async Task Ensure_created_makes_the_directory_turns_on_wal_and_creates_strict_tables()
    {
        using var database = Open(_directory.Combine("data", "nested", "mindspace.db"));

        await SqliteSchema.EnsureCreatedAsync(database, CancellationToken.None);

        Assert.Equal("wal", await ScalarAsync(database, "PRAGMA journal_mode"));
        Assert.Equal(1L, await ScalarAsync(database, $"SELECT strict FROM pragma_table_list WHERE name = '{SqliteSchema.GrainStateTable}'"));
        Assert.Equal(1L, await ScalarAsync(database, $"SELECT strict FROM pragma_table_list WHERE name = '{SqliteSchema.RemindersTable}'"));
    }

    [Fact]
    public async Task Ensure_created_applies_the_schema_once_per_database_object()
    {
        using var database = Open(_directory.Combine("once.db"));
        await SqliteSchema.EnsureCreatedAsync(database, CancellationToken.None);
        await ExecuteAsync(database, $"DROP TABLE {SqliteSchema.RemindersTable}");

        await SqliteSchema.EnsureCreatedAsync(database, CancellationToken.None);

        Assert.Equal(0L, await ScalarAsync(database, $"SELECT count(*) FROM sqlite_schema WHERE name = '{SqliteSchema.RemindersTable}'"));
        using var reopened = Open(_directory.Combine("once.db"));
        await SqliteSchema.EnsureCreatedAsync(reopened, CancellationToken.None);
        Assert.Equal(1L, await ScalarAsync(reopened, $"SELECT count(*) FROM sqlite_schema WHERE name = '{SqliteSchema.RemindersTable}'"));
    }

    [Fact]
    public async Task Several_processes_creating_the_schema_of_one_new_file_at_once_all_succeed()
    {
        // Separate database objects have separate writer locks, so they meet only on SQLite's file
        // locks, as separate processes do.
        var path = _directory.Combine("shared.db");
        var databases = Enumerable.Range(0, 4).Select(_ => Open(path)).ToList();
        try
        {
            await Task.WhenAll(databases.Select(database => Task.Run(() => SqliteSchema.ApplyAsync(database, CancellationToken.None))));

            var table = new SqliteReminderTable(databases[0]);
            var etag = await table.UpsertRow(new Orleans.ReminderEntry
            {
                GrainId = Orleans.Runtime.GrainId.Create("journal", "one"),
                ReminderName = "daily",
                StartAt = DateTime.UtcNow,
                Period = TimeSpan.FromDays(1),
            });
            var seenByAnother = await new SqliteReminderTable(databases[3]).ReadRow(Orleans.Runtime.GrainId.Create("journal", "one"), "daily");
            Assert.Equal(etag, seenByAnother?.ETag);
            Assert.Equal("wal", await ScalarAsync(databases[2], "PRAGMA journal_mode"));
        }
        finally
        {
            databases.ForEach(database => database.Dispose());
        }
    }

    private static SqliteDatabase Open(string path) => new(path, new SqliteStorageOptions());

    private static Task<object?> ScalarAsync(SqliteDatabase database, string sql) =>
        database.ScalarAsync(
            session =>
            {
                var command = session.Statement(sql);
                return command;
            },
            CancellationToken.None);

    private static Task<int> ExecuteAsync(SqliteDatabase database, string sql) =>
        database.ExecuteAsync(
            session =>
            {
                var command = session.Statement(sql);
                return command;
            },
            CancellationToken.None);
}
