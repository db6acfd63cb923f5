using Microsoft.Data.Sqlite;
using Mindspace.Runtime.Reminders;
using Mindspace.Runtime.Streams;

namespace Mindspace.Runtime.Persistence.Sqlite;

/// <summary>
/// The embedded storage provider: everything in one SQLite file (WAL mode). Each operation opens
/// a pooled connection, reads run in parallel and this process's writes queue on one lock, so one
/// instance is safe for any number of concurrent callers.
/// </summary>
public sealed class SqliteStorageProvider : IStorageProvider
{
    private readonly SqliteDatabase _database;

    /// <param name="databasePath">The database file; its directory is created by <see cref="InitializeAsync"/>.</param>
    public SqliteStorageProvider(string databasePath)
        : this(databasePath, new SqliteStorageOptions())
    {
    }

    public SqliteStorageProvider(string databasePath, SqliteStorageOptions options)
    {
        _database = new SqliteDatabase(databasePath, options);
        States = new SqliteGrainStateStore(_database);
        Records = new SqliteRecordStore(_database);
        Reminders = new SqliteReminderStore(_database);
        Streams = new SqliteStreamEventStore(_database);
    }

    public string Name => "sqlite";

    /// <summary>The full path of the database file.</summary>
    public string DatabasePath => _database.DatabasePath;

    public IGrainStateStore States { get; }

    public IGrainRecordStore Records { get; }

    public IReminderStore Reminders { get; }

    public IStreamEventStore Streams { get; }

    public Task InitializeAsync(CancellationToken cancellationToken) => SqliteSchema.ApplyAsync(_database, cancellationToken);

    public async Task<bool> PingAsync(CancellationToken cancellationToken)
    {
        try
        {
            return await _database.ScalarAsync(connection => connection.Command("SELECT 1"), cancellationToken) is 1L;
        }
        catch (SqliteException)
        {
            return false;
        }
    }

    public ValueTask DisposeAsync()
    {
        _database.Dispose();
        return ValueTask.CompletedTask;
    }
}
