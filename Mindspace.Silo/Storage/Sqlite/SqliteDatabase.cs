using System.Globalization;
using Microsoft.Data.Sqlite;

namespace Mindspace.Silo.Storage.Sqlite;

/// <summary>
/// Opens pooled connections to one SQLite file and serializes this process's writers.
/// </summary>
/// <remarks>
/// SQLite allows one writer at a time. Readers run concurrently on their own pooled connections
/// (WAL mode: they never block the writer nor wait for it). Writers queue on an async lock instead
/// of spinning on SQLITE_BUSY; the busy timeout only covers other processes sharing the file.
/// Multi-statement writes use <c>BEGIN IMMEDIATE</c>, so they take the write lock up front and
/// cannot fail half way on a lock upgrade.
/// </remarks>
public sealed class SqliteDatabase : IDisposable
{
    private readonly SemaphoreSlim _writeLock = new(1, 1);
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

    /// <summary>Runs a write while holding this process's writer lock.</summary>
    public async Task<T> WriteAsync<T>(Func<SqliteConnection, CancellationToken, Task<T>> write, CancellationToken cancellationToken)
    {
        await _writeLock.WaitAsync(cancellationToken);
        try
        {
            await using var connection = await OpenAsync(cancellationToken);
            return await write(connection, cancellationToken);
        }
        finally
        {
            _writeLock.Release();
        }
    }

    /// <summary>Runs a write in a <c>BEGIN IMMEDIATE</c> transaction; commits when <paramref name="write"/> returns.</summary>
    public Task<T> WriteInTransactionAsync<T>(Func<SqliteConnection, SqliteTransaction, CancellationToken, Task<T>> write, CancellationToken cancellationToken) =>
        WriteAsync(
            async (connection, token) =>
            {
                await using var transaction = connection.BeginTransaction(deferred: false);
                var result = await write(connection, transaction, token);
                await transaction.CommitAsync(token);
                return result;
            },
            cancellationToken);

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

        _writeLock.Dispose();
    }
}
