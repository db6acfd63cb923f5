using Mindspace.Silo.Storage.Sqlite;
using Mindspace.Testing;

namespace Mindspace.Storage.Tests.Schema;

/// <summary>The write-ahead log is copied back into the file beside the writer, never in a commit (<see cref="SqliteWalCheckpointer"/>).</summary>
public sealed class SqliteWalCheckpointTests : IDisposable
{
    /// <summary>Rows of about 4 KB: each takes a page of its own.</summary>
    private static readonly string PageOfText = new('x', 3900);

    private readonly TempDirectory _directory = new("sqlite-checkpoint");

    public void Dispose() => _directory.Dispose();

    [Fact]
    public async Task A_commit_leaves_the_log_as_it_is_even_past_sqlites_own_checkpoint_size()
    {
        var path = _directory.Combine("commit.db");
        using (var database = new SqliteDatabase(path, new SqliteStorageOptions { CheckpointInterval = TimeSpan.FromHours(1) }))
        {
            await CreateNotesAsync(database);
            var fileBefore = new FileInfo(path).Length;

            // 1,500 pages in one commit: SQLite's default would copy them into the file inside this commit (at 1,000).
            await InsertAsync(database, from: 1, count: 1500);

            Assert.Equal(fileBefore, new FileInfo(path).Length);
            Assert.True(new FileInfo(path + "-wal").Length > 1500 * 4096L);
            Assert.Equal(0, database.WalCheckpoints);
            Assert.Equal(1500L, await CountAsync(database));
        }

        // Closing the last connection copies the log in (SQLite's own close), so nothing was left behind.
        using var reopened = new SqliteDatabase(path, new SqliteStorageOptions());
        Assert.True(new FileInfo(path).Length > 1500 * 4096L);
        Assert.Equal(1500L, await CountAsync(reopened));
    }

    [Fact]
    public async Task The_checkpointer_copies_the_log_into_the_file_soon_after_a_commit()
    {
        var path = _directory.Combine("soon.db");
        using var database = new SqliteDatabase(path, new SqliteStorageOptions { CheckpointInterval = TimeSpan.FromMilliseconds(50) });
        await CreateNotesAsync(database);

        await InsertAsync(database, from: 1, count: 200);

        // The file grows while the checkpoint copies, and the checkpoint is counted once it returns: wait for both.
        await Eventually.TrueAsync(
            () => new FileInfo(path).Length >= 200 * 4096L && database.WalCheckpoints >= 1,
            "the checkpointer to copy the committed pages into the file and count its checkpoint",
            seconds: 30,
            pollMilliseconds: 20);

        Assert.True(new FileInfo(path).Length >= 200 * 4096L, "the database file never received the committed pages");
        Assert.True(database.WalCheckpoints >= 1);
        Assert.Equal(200L, await CountAsync(database));
    }

    [Fact]
    public async Task Under_steady_writes_the_log_starts_again_instead_of_growing()
    {
        var path = _directory.Combine("steady.db");
        using var database = new SqliteDatabase(path, new SqliteStorageOptions { CheckpointInterval = TimeSpan.FromMilliseconds(20), LongLogFrames = 50 });
        await CreateNotesAsync(database);

        // Four writers without a pause: the writer is never idle, so a checkpoint beside it never finds
        // every frame copied when a commit begins. The log's file never shrinks, so once the log starts
        // again it stops growing; a log that never started again would grow by every page written.
        var rows = 0;
        async Task WriteForAsync(TimeSpan time)
        {
            const int RowsPerWrite = 10;
            var until = DateTime.UtcNow + time;
            await Task.WhenAll(Enumerable.Range(0, 4).Select(async _ =>
            {
                while (DateTime.UtcNow < until)
                {
                    await InsertAsync(database, from: Interlocked.Add(ref rows, RowsPerWrite) - RowsPerWrite + 1, count: RowsPerWrite);
                }
            }));
        }

        // One second each: a stall of the checkpointer (a busy machine) lets the log grow for as long
        // as it lasts, and half a second measured that stall more than the log's steady state.
        await WriteForAsync(TimeSpan.FromSeconds(1));
        var (logBefore, rowsBefore) = (new FileInfo(path + "-wal").Length, rows);
        await WriteForAsync(TimeSpan.FromSeconds(1));

        var grown = new FileInfo(path + "-wal").Length - logBefore;
        var written = (rows - rowsBefore) * 4096L;
        Assert.True(grown < written / 2, $"the log grew by {grown:N0} bytes while {written:N0} bytes of pages were written");
        Assert.Equal((long)rows, await CountAsync(database));
    }

    private static Task<int> CreateNotesAsync(SqliteDatabase database)
        => database.ExecuteAsync(session => session.Statement("CREATE TABLE notes (id INTEGER PRIMARY KEY, text TEXT NOT NULL) STRICT"), CancellationToken.None);

    private static Task<int> InsertAsync(SqliteDatabase database, int from, int count)
        => database.WriteAsync(
            (session, _) =>
            {
                var insert = session.Statement("INSERT INTO notes (id, text) VALUES (@id, @text)");
                for (var id = from; id < from + count; id++)
                {
                    insert.Parameters.Clear();
                    insert.Parameters.AddWithValue("@id", id);
                    insert.Parameters.AddWithValue("@text", PageOfText);
                    insert.ExecuteNonQuery();
                }

                return Task.FromResult(count);
            },
            CancellationToken.None);

    private static async Task<long> CountAsync(SqliteDatabase database)
        => (long)(await database.ScalarAsync(session => session.Statement("SELECT count(*) FROM notes"), CancellationToken.None))!;
}
