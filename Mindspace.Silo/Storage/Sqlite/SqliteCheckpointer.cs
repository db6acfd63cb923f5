using Microsoft.Data.Sqlite;

namespace Mindspace.Silo.Storage.Sqlite;

/// <summary>
/// Copies the write-ahead log into the database file in the background — a passive checkpoint on its own
/// connection, every <see cref="SqliteStorageOptions.CheckpointInterval"/> while writes are being committed —
/// so that no commit pays for it.
/// </summary>
/// <remarks>
/// <para>
/// By default SQLite checkpoints inside the <c>COMMIT</c> that takes the log past 1,000 pages: that commit
/// copies the pages into the database and flushes the file to disk, tens of milliseconds on this kind of
/// disk, and every write queued behind it in the group commit waits as long. That was the tail of the
/// embedded check-in write (docs/performance.md). <see cref="SqliteDatabase"/> opens its connections with
/// <c>wal_autocheckpoint = 0</c> and this does the work instead.
/// </para>
/// <para>
/// A passive checkpoint takes no lock that writers or readers wait on; it copies what no reader still needs.
/// The first commit after a complete checkpoint starts the log again from its beginning, so the log stays
/// about one interval of writes long. Durability is unchanged: a commit is in the log either way, and
/// SQLite replays the log into the file on the next open after a crash.
/// </para>
/// </remarks>
internal sealed class SqliteCheckpointer : IDisposable
{
    private readonly Func<CancellationToken, Task<SqliteConnection>> _open;
    private readonly Func<long> _commits;
    private readonly CancellationTokenSource _stopping = new();
    private readonly PeriodicTimer _timer;
    private readonly Task _loop;
    private long _checkpoints;

    /// <param name="open">Opens a connection to the database.</param>
    /// <param name="commits">How many commits the writer has made so far: no new commits, no checkpoint.</param>
    public SqliteCheckpointer(Func<CancellationToken, Task<SqliteConnection>> open, Func<long> commits, TimeSpan interval)
    {
        _open = open;
        _commits = commits;
        _timer = new PeriodicTimer(interval);
        _loop = Task.Run(RunAsync, CancellationToken.None);
    }

    /// <summary>Checkpoints made so far, for tests and measurement.</summary>
    public long Checkpoints => Interlocked.Read(ref _checkpoints);

    public void Dispose()
    {
        _stopping.Cancel();
        _timer.Dispose();
        _loop.Wait();
        _stopping.Dispose();
    }

    private async Task RunAsync()
    {
        var checkpointedAfter = 0L;
        try
        {
            while (await _timer.WaitForNextTickAsync(_stopping.Token).ConfigureAwait(false))
            {
                var commits = _commits();
                if (commits == checkpointedAfter)
                {
                    continue;
                }

                try
                {
                    await CheckpointAsync(_stopping.Token).ConfigureAwait(false);
                    checkpointedAfter = commits;
                    Interlocked.Increment(ref _checkpoints);
                }
                catch (SqliteException)
                {
                    // The file is busy with another process's checkpoint or is going away: the next tick tries
                    // again, and the log meanwhile only grows, it loses nothing.
                }
            }
        }
        catch (OperationCanceledException) when (_stopping.IsCancellationRequested)
        {
        }
    }

    private async Task CheckpointAsync(CancellationToken cancellationToken)
    {
        await using var connection = await _open(cancellationToken).ConfigureAwait(false);
        await using var command = connection.CreateCommand();
        command.CommandText = "PRAGMA wal_checkpoint(PASSIVE);";
        await command.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
    }
}
