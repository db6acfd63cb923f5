using Microsoft.Data.Sqlite;
using Mindspace.Silo.Storage.Sqlite;
using Mindspace.Testing;

namespace Mindspace.Storage.Tests.Sqlite;

/// <summary>
/// Commits never copy the write-ahead log into the database file; the background checkpointer does. What is
/// in the file itself is read from a copy of the file alone, without its log.
/// </summary>
public sealed class SqliteCheckpointerTests : IDisposable
{
    /// <summary>60 commits of 50 rows of 4 KB: 12 MB of log, far past SQLite's 1,000-page automatic checkpoint.</summary>
    private const int Commits = 60;
    private const int RowsPerCommit = 50;

    private readonly TempDirectory _directory = new("mindspace-checkpoint");

    [Fact]
    public async Task Commits_leave_the_log_alone_however_long_it_grows()
    {
        using var database = new SqliteDatabase(_directory.Combine("data.db"), new SqliteStorageOptions { CheckpointInterval = TimeSpan.FromHours(1) });
        await CreateTableAsync(database);

        await WriteAsync(database);

        Assert.Equal(0, database.Checkpoints);
        Assert.Equal(0, RowsInTheFileAlone(database));
    }

    [Fact]
    public async Task The_checkpointer_copies_the_log_into_the_file_soon_after_commits()
    {
        using var database = new SqliteDatabase(_directory.Combine("data.db"), new SqliteStorageOptions { CheckpointInterval = TimeSpan.FromMilliseconds(50) });
        await CreateTableAsync(database);

        await WriteAsync(database);
        var before = database.Checkpoints;
        var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(20);
        while (database.Checkpoints <= before && DateTime.UtcNow < deadline)
        {
            await Task.Delay(20);
        }

        Assert.True(database.Checkpoints > before, "no checkpoint after the writes");
        Assert.Equal(Commits * RowsPerCommit, RowsInTheFileAlone(database));
    }

    public void Dispose() => _directory.Dispose();

    /// <summary>The table, checkpointed into the file by hand, so the file alone has it (empty).</summary>
    private static async Task CreateTableAsync(SqliteDatabase database)
    {
        await database.ExecuteAsync(connection => Command(connection, "CREATE TABLE notes (v BLOB NOT NULL)"), CancellationToken.None);
        await database.ScalarAsync(connection => Command(connection, "PRAGMA wal_checkpoint(TRUNCATE)"), CancellationToken.None);
    }

    private static async Task WriteAsync(SqliteDatabase database)
    {
        for (var i = 0; i < Commits; i++)
        {
            await database.ExecuteAsync(
                connection => Command(connection, $"WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < {RowsPerCommit}) INSERT INTO notes (v) SELECT randomblob(4000) FROM n"),
                CancellationToken.None);
        }
    }

    private int RowsInTheFileAlone(SqliteDatabase database)
    {
        var copy = _directory.Combine($"copy-{Guid.NewGuid():N}.db");
        File.Copy(database.DatabasePath, copy);
        using var connection = new SqliteConnection($"Data Source={copy};Pooling=False");
        connection.Open();
        using var count = Command(connection, "SELECT count(*) FROM notes");
        return Convert.ToInt32(count.ExecuteScalar(), System.Globalization.CultureInfo.InvariantCulture);
    }

    private static SqliteCommand Command(SqliteConnection connection, string text)
    {
        var command = connection.CreateCommand();
        command.CommandText = text;
        return command;
    }
}
