using System.Globalization;
using Microsoft.Data.Sqlite;

namespace Mindspace.Silo.Storage.Sqlite;

/// <summary>
/// Opens pooled connections to one SQLite file and serializes this process's writers.
/// </summary>
/// <remarks>
/// SQLite allows one writer at a time. Readers run concurrently on their own pooled connections
/// (WAL mode: they never block the writer nor wait for it). Writers queue for one flusher instead
/// of spinning on SQLITE_BUSY (the busy timeout only covers other processes sharing the file), and
/// the flusher commits everything queued while it was busy together (group commit): one
/// <c>BEGIN IMMEDIATE</c> transaction, which takes the write lock up front, a savepoint per write so
/// a failing write undoes only itself, one commit, and only then are the callers answered.
/// </remarks>
public sealed class SqliteDatabase : IDisposable
{
    /// <summary>Most writes in one group commit.</summary>
    public const int MaxBatchSize = 256;

    private const string Savepoint = "ms_write";

    /// <summary>This process's writes, committed in groups by one flusher: the file's only writer here.</summary>
    private readonly GroupCommitQueue<PendingWrite> _writes;
    private readonly string _openPragmas;

    /// <summary>The file made ready once per process: created owner-only, switched to WAL.</summary>
    private readonly Lazy<Task> _fileReady;

    /// <summary>Native connections (they outlive their pooled wrappers) that already have the pragmas.</summary>
    private readonly System.Runtime.CompilerServices.ConditionalWeakTable<object, object> _configured = [];

    public SqliteDatabase(string databasePath, SqliteStorageOptions options)
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
        _openPragmas = $"PRAGMA busy_timeout = {busyMilliseconds}; PRAGMA synchronous = {(options.FlushEveryCommit ? "FULL" : "NORMAL")};";
        _fileReady = new Lazy<Task>(PrepareFileAsync);
        ArgumentOutOfRangeException.ThrowIfLessThan(options.MaxWritesPerCommit, 1, nameof(options));
        _writes = new GroupCommitQueue<PendingWrite>(CommitAsync, options.MaxWritesPerCommit);
    }

    public string DatabasePath { get; }

    public string ConnectionString { get; }

    /// <summary>
    /// Opens a pooled connection with this database's per-connection settings applied — once per
    /// native connection, since the pool hands the same ones out again with their settings intact.
    /// </summary>
    public async Task<SqliteConnection> OpenAsync(CancellationToken cancellationToken)
    {
        await _fileReady.Value.WaitAsync(cancellationToken);
        var connection = new SqliteConnection(ConnectionString);
        try
        {
            await connection.OpenAsync(cancellationToken);
            if (connection.Handle is { } handle && !_configured.TryGetValue(handle, out _))
            {
                await using var command = connection.CreateCommand();
                command.CommandText = _openPragmas;
                await command.ExecuteNonQueryAsync(cancellationToken);
                _configured.TryAdd(handle, handle);
            }

            return connection;
        }
        catch
        {
            await connection.DisposeAsync();
            throw;
        }
    }

    /// <summary>Runs a read on its own connection.</summary>
    public async Task<T> ReadAsync<T>(Func<SqliteConnection, CancellationToken, Task<T>> read, CancellationToken cancellationToken)
    {
        await using var connection = await OpenAsync(cancellationToken);
        return await read(connection, cancellationToken);
    }

    /// <summary>
    /// Runs a write in this process's next group commit: <paramref name="write"/> runs inside a
    /// savepoint of one <c>BEGIN IMMEDIATE</c> transaction shared with the other writes queued
    /// meanwhile, and its caller is answered after that transaction commits. Should
    /// <paramref name="write"/> throw, its savepoint is rolled back (the other writes are kept) and
    /// its caller gets the exception, again only after the commit.
    /// </summary>
    /// <remarks>
    /// <paramref name="write"/> is given <see cref="CancellationToken.None"/>: the caller's token
    /// cancels the write only until a batch takes it. Commands must be made with
    /// <see cref="SqliteConnection.CreateCommand"/>, which enlists them in the batch's transaction.
    /// A write must not wait for another write (it would wait for its own batch).
    /// </remarks>
    public Task<T> WriteAsync<T>(Func<SqliteConnection, CancellationToken, Task<T>> write, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(write);
        var pending = new PendingWrite<T>((connection, _, token) => write(connection, token), cancellationToken);
        _writes.Enqueue(pending);
        return pending.Completion.Task;
    }

    /// <summary>
    /// Runs a write inside the group commit's <c>BEGIN IMMEDIATE</c> transaction (in a savepoint of
    /// its own, see <see cref="WriteAsync{T}"/>); it commits with its batch after
    /// <paramref name="write"/> returns. <paramref name="write"/> must not commit or roll back the transaction.
    /// </summary>
    public Task<T> WriteInTransactionAsync<T>(Func<SqliteConnection, SqliteTransaction, CancellationToken, Task<T>> write, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(write);
        var pending = new PendingWrite<T>(write, cancellationToken);
        _writes.Enqueue(pending);
        return pending.Completion.Task;
    }

    /// <summary>Commits (batches) the write path has made, and the writes in them: for measurement and tests.</summary>
    public (long Commits, long Writes) WriteCounts => (_writes.Commits, _writes.Writes);

    /// <summary>
    /// One group commit: every write of <paramref name="writes"/> in its own savepoint of one
    /// <c>BEGIN IMMEDIATE</c> transaction, then one commit (one WAL append, one sync), then every
    /// caller answered. If the transaction itself fails (opening, the commit, a savepoint that cannot
    /// be rolled back), nothing of it was written and every caller gets that failure.
    /// </summary>
    private async Task CommitAsync(List<PendingWrite> writes)
    {
        await using (var connection = await OpenAsync(CancellationToken.None).ConfigureAwait(false))
        {
            await using var transaction = connection.BeginTransaction(deferred: false);
            foreach (var write in writes)
            {
                transaction.Save(Savepoint);
                try
                {
                    await write.RunAsync(connection, transaction).ConfigureAwait(false);
                }
                catch (Exception exception)
                {
                    write.Failure = exception;
                    transaction.Rollback(Savepoint);
                }

                transaction.Release(Savepoint);
            }

            await transaction.CommitAsync(CancellationToken.None).ConfigureAwait(false);
        }

        foreach (var write in writes)
        {
            write.Complete();
        }
    }

    /// <summary>Runs the write statement <paramref name="command"/> builds; returns the rows it changed.</summary>
    public Task<int> ExecuteAsync(Func<SqliteConnection, SqliteCommand> command, CancellationToken cancellationToken) =>
        WriteAsync(
            async (connection, token) =>
            {
                await using var statement = command(connection);
                return await statement.ExecuteNonQueryAsync(token);
            },
            cancellationToken);

    /// <summary>Runs the query <paramref name="command"/> builds; returns the first column of its first row, or null.</summary>
    public Task<object?> ScalarAsync(Func<SqliteConnection, SqliteCommand> command, CancellationToken cancellationToken) =>
        ReadAsync(
            async (connection, token) =>
            {
                await using var statement = command(connection);
                return await statement.ExecuteScalarAsync(token);
            },
            cancellationToken);

    /// <summary>Runs the query <paramref name="command"/> builds; returns every row as <paramref name="map"/> reads it.</summary>
    public Task<List<T>> QueryAsync<T>(Func<SqliteConnection, SqliteCommand> command, Func<SqliteDataReader, T> map, CancellationToken cancellationToken) =>
        ReadAsync(
            async (connection, token) =>
            {
                await using var statement = command(connection);
                await using var reader = await statement.ExecuteReaderAsync(token);
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

    /// <summary>Closes the idle pooled connections to the file (so it can be moved or deleted).</summary>
    public void Dispose()
    {
        using (var connection = new SqliteConnection(ConnectionString))
        {
            SqliteConnection.ClearPool(connection);
        }

    }

    /// <summary>A queued write; completes after its batch's commit.</summary>
    private abstract class PendingWrite(CancellationToken cancellationToken) : GroupCommitWrite(cancellationToken)
    {
        /// <summary>What the write threw (its savepoint was rolled back); reported after the commit.</summary>
        public Exception? Failure { get; set; }

        public abstract Task RunAsync(SqliteConnection connection, SqliteTransaction transaction);

        /// <summary>Answers the caller: the result, or <see cref="Failure"/>.</summary>
        public abstract void Complete();
    }

    private sealed class PendingWrite<T>(Func<SqliteConnection, SqliteTransaction, CancellationToken, Task<T>> write, CancellationToken cancellationToken)
        : PendingWrite(cancellationToken)
    {
        private T? _result;

        public TaskCompletionSource<T> Completion { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);

        public override async Task RunAsync(SqliteConnection connection, SqliteTransaction transaction) =>
            _result = await write(connection, transaction, CancellationToken.None).ConfigureAwait(false);

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
