using System.Collections.Concurrent;
using System.Globalization;
using Microsoft.Data.Sqlite;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;

namespace Mindspace.Silo.Storage.Sqlite;

/// <summary>
/// Keeps open connections to one SQLite file and serializes this process's writers.
/// </summary>
/// <remarks>
/// Connections are pooled here, open, rather than by Microsoft.Data.Sqlite, so that each keeps the
/// statements it compiled (<see cref="SqliteSession.Statement"/>); the writer has one of its own.
/// SQLite allows one writer at a time. Readers run concurrently on their own pooled connections
/// (WAL mode: they never block the writer nor wait for it). Writers queue for one flusher instead
/// of spinning on SQLITE_BUSY (the busy timeout only covers other processes sharing the file), and
/// the flusher commits everything queued while it was busy together (group commit): one
/// <c>BEGIN IMMEDIATE</c> transaction, which takes the write lock up front, a savepoint per write so
/// a failing write undoes only itself, one commit, and only then are the callers answered. No commit
/// copies the write-ahead log back into the file: <see cref="SqliteWalCheckpointer"/> does that
/// beside the writer.
/// </remarks>
public sealed class SqliteDatabase : IDisposable
{
    /// <summary>Most writes in one group commit.</summary>
    public const int MaxBatchSize = 256;

    // The transaction's own statements are the writer's kept statements too: SqliteTransaction runs
    // BEGIN and COMMIT through a new command each time, and every new command registers a finalizable
    // weak reference (a GC handle) with its connection, two per commit. At thousands of commits a
    // second those handles piled up faster than finalization freed them.
    private const string BeginSql = "BEGIN IMMEDIATE";
    private const string CommitSql = "COMMIT";
    private const string SaveSql = "SAVEPOINT ms_write";
    private const string ReleaseSql = "RELEASE ms_write";
    private const string RollbackSql = "ROLLBACK TO ms_write";

    /// <summary>Most idle reading connections kept open; more are closed when returned.</summary>
    private const int MaxIdleReaders = 32;

    /// <summary>The size the write-ahead log's file is cut back to when the log starts again (<c>journal_size_limit</c>).</summary>
    private const long MaxIdleLogBytes = 64L * 1024 * 1024;

    /// <summary>This process's writes, committed in groups by one flusher: the file's only writer here.</summary>
    private readonly GroupCommitQueue<PendingWrite> _writes;
    private readonly string _openPragmas;

    /// <summary>The file made ready once per process: created owner-only, switched to WAL.</summary>
    private readonly Lazy<Task> _fileReady;

    /// <summary>Open connections for reads, most recently used on top (their statements are the warmest).</summary>
    private readonly ConcurrentStack<SqliteSession> _idleReaders = new();

    /// <summary>How many <see cref="_idleReaders"/> holds (its own count walks the stack).</summary>
    private int _idleReaderCount;

    /// <summary>The flusher's connection, open between group commits; used by one commit at a time.</summary>
    private SqliteSession? _writer;

    private readonly SqliteWalCheckpointer _checkpointer;

    private volatile bool _disposed;

    public SqliteDatabase(string databasePath, SqliteStorageOptions options, ILogger<SqliteDatabase>? logger = null)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(databasePath);
        ArgumentNullException.ThrowIfNull(options);
        if (databasePath.Trim().Equals(":memory:", StringComparison.OrdinalIgnoreCase))
        {
            throw new ArgumentException("An in-memory SQLite database cannot be shared by pooled connections; give a file path.", nameof(databasePath));
        }

        DatabasePath = Path.GetFullPath(databasePath);
        var busySeconds = (int)Math.Ceiling(options.BusyTimeout.TotalSeconds);
        ConnectionString = new SqliteConnectionStringBuilder
        {
            DataSource = DatabasePath,
            Mode = SqliteOpenMode.ReadWriteCreate,
            Cache = SqliteCacheMode.Private,
            Pooling = true,
            DefaultTimeout = busySeconds,
        }.ToString();
        var busyMilliseconds = ((long)options.BusyTimeout.TotalMilliseconds).ToString(CultureInfo.InvariantCulture);
        // No connection checkpoints in its own commits (SqliteWalCheckpointer does); a log that grew past
        // 64 MiB is cut back to that when it starts again.
        _openPragmas = $"PRAGMA busy_timeout = {busyMilliseconds}; PRAGMA synchronous = {(options.FlushEveryCommit ? "FULL" : "NORMAL")}; " +
            $"PRAGMA wal_autocheckpoint = 0; PRAGMA journal_size_limit = {MaxIdleLogBytes};";
        _fileReady = new Lazy<Task>(PrepareFileAsync);
        ArgumentOutOfRangeException.ThrowIfLessThan(options.MaxWritesPerCommit, 1, nameof(options));
        _writes = new GroupCommitQueue<PendingWrite>(CommitAsync, options.MaxWritesPerCommit);
        ArgumentOutOfRangeException.ThrowIfLessThan(options.LongLogFrames, 1, nameof(options));
        ArgumentOutOfRangeException.ThrowIfLessThan(options.CheckpointInterval, TimeSpan.Zero, nameof(options));
        _checkpointer = new SqliteWalCheckpointer(ConnectionString, _openPragmas, options.CheckpointInterval, options.LongLogFrames, logger ?? NullLogger<SqliteDatabase>.Instance);
    }

    public string DatabasePath { get; }

    public string ConnectionString { get; }

    /// <summary>Opens a connection with this database's per-connection settings (busy timeout, synchronous).</summary>
    private async Task<SqliteSession> OpenSessionAsync(CancellationToken cancellationToken)
    {
        await _fileReady.Value.WaitAsync(cancellationToken);
        var session = new SqliteSession(ConnectionString);
        try
        {
            await session.OpenAsync(cancellationToken);
            await using var command = session.CreateCommand();
            command.CommandText = _openPragmas;
            await command.ExecuteNonQueryAsync(cancellationToken);
            return session;
        }
        catch
        {
            await session.DisposeAsync();
            throw;
        }
    }

    /// <summary>
    /// Runs a read on an open connection of its own, taken from the pool and given back after. Make its
    /// commands with <see cref="SqliteSession.Statement"/>.
    /// </summary>
    public async Task<T> ReadAsync<T>(Func<SqliteSession, CancellationToken, Task<T>> read, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(read);
        ObjectDisposedException.ThrowIf(_disposed, this);
        var session = TakeIdleReader() ?? await OpenSessionAsync(cancellationToken);
        T result;
        try
        {
            result = await read(session, cancellationToken);
        }
        catch
        {
            // Whatever state the failure left it in goes with it.
            await session.DisposeAsync();
            throw;
        }

        if (Interlocked.Increment(ref _idleReaderCount) > MaxIdleReaders || _disposed)
        {
            Interlocked.Decrement(ref _idleReaderCount);
            await session.DisposeAsync();
        }
        else
        {
            _idleReaders.Push(session);
        }

        return result;
    }

    private SqliteSession? TakeIdleReader()
    {
        if (!_idleReaders.TryPop(out var session))
        {
            return null;
        }

        Interlocked.Decrement(ref _idleReaderCount);
        return session;
    }

    /// <summary>
    /// Runs a write in this process's next group commit: <paramref name="write"/> runs on the
    /// writer's connection inside a savepoint of one <c>BEGIN IMMEDIATE</c> transaction shared with
    /// the other writes queued meanwhile, and its caller is answered after that transaction commits.
    /// Should <paramref name="write"/> throw, its savepoint is rolled back (the other writes are kept)
    /// and its caller gets the exception, again only after the commit.
    /// </summary>
    /// <remarks>
    /// <paramref name="write"/> is given <see cref="CancellationToken.None"/>: the caller's token
    /// cancels the write only until a batch takes it. Make its commands with
    /// <see cref="SqliteSession.Statement"/>: they run in the batch's transaction, compiled once per connection.
    /// A write must not wait for another write (it would wait for its own batch).
    /// </remarks>
    public Task<T> WriteAsync<T>(Func<SqliteSession, CancellationToken, Task<T>> write, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(write);
        var pending = new PendingWrite<T>(write, cancellationToken);
        _writes.Enqueue(pending);
        return pending.Completion.Task;
    }

    /// <summary>Commits (batches) the write path has made, and the writes in them: for measurement and tests.</summary>
    public (long Commits, long Writes) WriteCounts => (_writes.Commits, _writes.Writes);

    /// <summary>Checkpoints of the write-ahead log run so far (<see cref="SqliteWalCheckpointer"/>): for tests.</summary>
    public long WalCheckpoints => _checkpointer.Checkpoints;

    /// <summary>
    /// One group commit: every write of <paramref name="writes"/> in its own savepoint of one
    /// <c>BEGIN IMMEDIATE</c> transaction, then one commit (one WAL append, one sync), then every
    /// caller answered. If the transaction itself fails (opening, the commit, a savepoint that cannot
    /// be rolled back), nothing of it was written and every caller gets that failure.
    /// </summary>
    private async Task CommitAsync(List<PendingWrite> writes)
    {
        ObjectDisposedException.ThrowIf(_disposed, this);
        var session = _writer ??= await OpenSessionAsync(CancellationToken.None).ConfigureAwait(false);
        _checkpointer.CheckpointIfLogIsLong(session);
        try
        {
            session.Statement(BeginSql).ExecuteNonQuery();
            foreach (var write in writes)
            {
                session.Statement(SaveSql).ExecuteNonQuery();
                try
                {
                    await write.RunAsync(session).ConfigureAwait(false);
                }
                catch (Exception exception)
                {
                    write.Failure = exception;
                    session.Statement(RollbackSql).ExecuteNonQuery();
                }

                session.Statement(ReleaseSql).ExecuteNonQuery();
            }

            session.Statement(CommitSql).ExecuteNonQuery();
            _checkpointer.NoteCommit();
        }
        catch
        {
            // Closing the connection rolls back whatever of the transaction is still open; the next
            // commit starts on a fresh connection.
            _writer = null;
            await session.DisposeAsync().ConfigureAwait(false);
            throw;
        }

        foreach (var write in writes)
        {
            write.Complete();
        }
    }

    /// <summary>Runs the write statement <paramref name="command"/> builds; returns the rows it changed.</summary>
    /// <remarks>Make the command with <see cref="SqliteSession.Statement"/>: it stays with the connection.</remarks>
    public Task<int> ExecuteAsync(Func<SqliteSession, SqliteCommand> command, CancellationToken cancellationToken) =>
        WriteAsync((session, token) => command(session).ExecuteNonQueryAsync(token), cancellationToken);

    /// <summary>Runs the query <paramref name="command"/> builds; returns the first column of its first row, or null.</summary>
    /// <remarks>Make the command with <see cref="SqliteSession.Statement"/>: it stays with the connection.</remarks>
    public Task<object?> ScalarAsync(Func<SqliteSession, SqliteCommand> command, CancellationToken cancellationToken) =>
        ReadAsync((session, token) => command(session).ExecuteScalarAsync(token), cancellationToken);

    /// <summary>Runs the query <paramref name="command"/> builds; returns every row as <paramref name="map"/> reads it.</summary>
    /// <remarks>Make the command with <see cref="SqliteSession.Statement"/>: it stays with the connection.</remarks>
    public Task<List<T>> QueryAsync<T>(Func<SqliteSession, SqliteCommand> command, Func<SqliteDataReader, T> map, CancellationToken cancellationToken) =>
        ReadAsync(
            async (session, token) =>
            {
                await using var reader = await command(session).ExecuteReaderAsync(token);
                var rows = new List<T>();
                while (await reader.ReadAsync(token))
                {
                    rows.Add(map(reader));
                }

                return rows;
            },
            cancellationToken);

    /// <summary>
    /// Creates the file owner-only (SQLite gives its -wal and -shm files the database file's mode)
    /// and turns on WAL, which lets readers run beside the writer. The journal mode is stored in the
    /// file, so once per process is enough, whichever store opens the database first.
    /// </summary>
    private async Task PrepareFileAsync()
    {
        OwnerOnlyFiles.EnsureFile(DatabasePath);
        await using var connection = new SqliteConnection(ConnectionString);
        await connection.OpenAsync();
        await using var command = connection.CreateCommand();
        command.CommandText = $"{_openPragmas} PRAGMA journal_mode = WAL;";
        await command.ExecuteNonQueryAsync();
    }

    /// <summary>Closes the idle connections to the file (so it can be moved or deleted).</summary>
    public void Dispose()
    {
        _disposed = true;
        while (TakeIdleReader() is { } session)
        {
            session.Dispose();
        }

        Interlocked.Exchange(ref _writer, null)?.Dispose();
        _checkpointer.Dispose();
        using var connection = new SqliteConnection(ConnectionString);
        SqliteConnection.ClearPool(connection);
    }

    /// <summary>A queued write; completes after its batch's commit.</summary>
    private abstract class PendingWrite(CancellationToken cancellationToken) : GroupCommitWrite(cancellationToken)
    {
        /// <summary>What the write threw (its savepoint was rolled back); reported after the commit.</summary>
        public Exception? Failure { get; set; }

        public abstract Task RunAsync(SqliteSession session);

        /// <summary>Answers the caller: the result, or <see cref="Failure"/>.</summary>
        public abstract void Complete();
    }

    private sealed class PendingWrite<T>(Func<SqliteSession, CancellationToken, Task<T>> write, CancellationToken cancellationToken)
        : PendingWrite(cancellationToken)
    {
        private T? _result;

        public TaskCompletionSource<T> Completion { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);

        public override async Task RunAsync(SqliteSession session) =>
            _result = await write(session, CancellationToken.None).ConfigureAwait(false);

        public override void Complete()
        {
            if (Failure is { } failure)
            {
                Completion.TrySetException(failure);
            }
            else
            {
                Completion.TrySetResult(_result!);
            }
        }

        public override void Fail(Exception exception) => Completion.TrySetException(exception);

        protected override void Cancel(CancellationToken token) => Completion.TrySetCanceled(token);
    }
}
