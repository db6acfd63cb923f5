using Microsoft.Data.Sqlite;
using Microsoft.Extensions.Logging;

namespace Mindspace.Silo.Storage.Sqlite;

/// <summary>
/// Copies the write-ahead log back into the database file on a thread of its own, so that no commit
/// waits for it.
/// </summary>
/// <remarks>
/// By default SQLite checkpoints inside the commit that takes the log past 1,000 pages. That commit
/// then copies the pages and syncs the file, and every write queued behind it waits. Here every
/// connection turns that off (<c>wal_autocheckpoint = 0</c>, in <see cref="SqliteDatabase"/>'s
/// settings), and this thread checkpoints instead: at most every
/// <see cref="SqliteStorageOptions.CheckpointInterval"/>, and only after a commit. Its checkpoints
/// are passive: they never wait for, nor block, the writer or a reader.
/// <para>
/// The log only starts again from its beginning when a writer begins with every frame copied. Beside
/// a steady writer this thread never quite catches up to that moment, so the log would grow without
/// end. Once it holds <see cref="SqliteStorageOptions.LongLogFrames"/> frames, the writer itself
/// runs a passive checkpoint before its next commit (<see cref="CheckpointIfLogIsLong"/>): it copies
/// only what this thread has not copied yet, with no writer beside it, so the commit after it starts
/// the log again. A commit pays for a checkpoint once per 10,000 frames by default, not once per
/// 1,000, and only for the frames left.
/// </para>
/// </remarks>
internal sealed partial class SqliteWalCheckpointer : IDisposable
{
    private readonly string _connectionString;
    private readonly string _openPragmas;
    private readonly TimeSpan _interval;
    private readonly int _longLogFrames;
    private readonly ILogger _logger;

    /// <summary>Released by the first commit after a round began (and by <see cref="Dispose"/>); never disposed, so a late commit cannot fail on it.</summary>
    private readonly SemaphoreSlim _committed = new(0);

    /// <summary>Set by <see cref="Dispose"/>: ends the wait between a commit and its checkpoint at once.</summary>
    private readonly ManualResetEventSlim _stopped = new();

    private readonly Thread _thread;
    private SqliteConnection? _connection;
    private int _commitsSinceCheckpoint;
    private long _checkpoints;
    private volatile bool _logIsLong;
    private volatile bool _stopping;

    /// <param name="openPragmas">The database's per-connection settings, <c>wal_autocheckpoint = 0</c> among them.</param>
    public SqliteWalCheckpointer(string connectionString, string openPragmas, TimeSpan interval, int longLogFrames, ILogger logger)
    {
        _connectionString = connectionString;
        _openPragmas = openPragmas;
        _interval = interval;
        _longLogFrames = longLogFrames;
        _logger = logger;
        _thread = new Thread(Run) { IsBackground = true, Name = "SQLite checkpoints" };
        _thread.Start();
    }

    /// <summary>Checkpoints run so far, by this thread and by the writer: for tests.</summary>
    public long Checkpoints => Interlocked.Read(ref _checkpoints);

    /// <summary>Tells the checkpointer a commit added to the log. Cheap: only the first commit since a checkpoint wakes it.</summary>
    public void NoteCommit()
    {
        if (Interlocked.Increment(ref _commitsSinceCheckpoint) == 1)
        {
            _committed.Release();
        }
    }

    private void Run()
    {
        while (true)
        {
            _committed.Wait();
            if (_stopping)
            {
                return;
            }

            // Commits that arrive meanwhile join this round.
            _stopped.Wait(_interval);
            Interlocked.Exchange(ref _commitsSinceCheckpoint, 0);
            if (_stopping)
            {
                return;
            }

            try
            {
                var (_, frames, _) = Checkpoint(_connection ??= Open());
                if (frames >= _longLogFrames)
                {
                    _logIsLong = true;
                }
            }
            catch (Exception exception) when (exception is SqliteException or InvalidOperationException or IOException)
            {
                LogCheckpointFailed(exception);
                _connection?.Dispose();
                _connection = null;
            }
        }
    }

    /// <summary>
    /// Called by the writer on its own connection before it begins a commit: when the log has grown
    /// long, copies what is left of it, so that this commit starts the log again.
    /// </summary>
    public void CheckpointIfLogIsLong(SqliteConnection writer)
    {
        if (!_logIsLong)
        {
            return;
        }

        try
        {
            var (busy, frames, copied) = Checkpoint(writer);
            if (!busy && frames == copied)
            {
                _logIsLong = false;
            }
        }
        catch (SqliteException exception)
        {
            // The commit goes ahead; the next one tries again.
            LogCheckpointFailed(exception);
        }
    }

    /// <summary>Runs one passive checkpoint: whether another checkpoint was under way, the frames in the log and those copied.</summary>
    private (bool Busy, long Frames, long Copied) Checkpoint(SqliteConnection connection)
    {
        using var command = connection.CreateCommand();
        command.CommandText = "PRAGMA wal_checkpoint(PASSIVE)";
        using var reader = command.ExecuteReader();
        reader.Read();
        Interlocked.Increment(ref _checkpoints);

        // -1 frames when the file is not in WAL mode.
        return (reader.GetInt64(0) != 0, reader.GetInt64(1), reader.GetInt64(2));
    }

    private SqliteConnection Open()
    {
        var connection = new SqliteConnection(_connectionString);
        try
        {
            connection.Open();
            using var command = connection.CreateCommand();
            command.CommandText = _openPragmas;
            command.ExecuteNonQuery();
            return connection;
        }
        catch
        {
            connection.Dispose();
            throw;
        }
    }

    /// <summary>Stops the thread after the round under way, if any, and closes its connection.</summary>
    public void Dispose()
    {
        _stopping = true;
        _stopped.Set();
        _committed.Release();
        _thread.Join();
        _connection?.Dispose();
    }

    [LoggerMessage(2202, LogLevel.Warning, "A SQLite checkpoint failed; the write-ahead log keeps the data and the next commit's round tries again")]
    private partial void LogCheckpointFailed(Exception exception);
}
