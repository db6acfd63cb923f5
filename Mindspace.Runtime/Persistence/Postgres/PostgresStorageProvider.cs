using Mindspace.Runtime.Reminders;
using Mindspace.Runtime.Streams;
using Npgsql;

namespace Mindspace.Runtime.Persistence.Postgres;

/// <summary>
/// The cluster storage provider: grain state, record collections, reminders and stream events in
/// PostgreSQL tables prefixed <c>ms_</c>. Every operation borrows a pooled connection from the data
/// source, so one instance serves any number of concurrent callers.
/// </summary>
public sealed class PostgresStorageProvider : IStorageProvider
{
    private readonly NpgsqlDataSource _dataSource;
    private readonly bool _ownsDataSource;

    /// <summary>Uses <paramref name="dataSource"/>, which stays the caller's to dispose.</summary>
    public PostgresStorageProvider(NpgsqlDataSource dataSource)
        : this(dataSource ?? throw new ArgumentNullException(nameof(dataSource)), ownsDataSource: false)
    {
    }

    /// <summary>
    /// Builds (and owns) a data source from a <c>postgres://</c> URL or an Npgsql connection
    /// string; see <see cref="PostgresConnectionString.Normalize"/>.
    /// </summary>
    public PostgresStorageProvider(string databaseUrl)
        : this(NpgsqlDataSource.Create(Tuned(PostgresConnectionString.Normalize(databaseUrl))), ownsDataSource: true)
    {
    }

    private PostgresStorageProvider(NpgsqlDataSource dataSource, bool ownsDataSource)
    {
        _dataSource = dataSource;
        _ownsDataSource = ownsDataSource;
        var writes = new PostgresWriteBatcher(dataSource);
        States = new PostgresGrainStateStore(dataSource, writes);
        Records = new PostgresRecordStore(dataSource, writes);
        Reminders = new PostgresReminderStore(dataSource);
        Streams = new PostgresStreamEventStore(dataSource);
    }

    public string Name => "postgres";

    /// <summary>
    /// Pool settings for a few fixed statements run very often: no <c>DISCARD ALL</c> when a
    /// connection goes back to the pool (the stores leave no session state on pooled connections),
    /// and the frequent statements prepared once per connection. Settings given explicitly win.
    /// </summary>
    internal static string Tuned(string connectionString)
    {
        // Npgsql's own builder reports every known keyword as present, so ask a plain one what was written.
        var given = new System.Data.Common.DbConnectionStringBuilder { ConnectionString = connectionString }.Keys
            .Cast<string>().Select(key => key.Replace(" ", string.Empty, StringComparison.Ordinal)).ToHashSet(StringComparer.OrdinalIgnoreCase);
        var builder = new NpgsqlConnectionStringBuilder(connectionString);
        if (!given.Contains(nameof(NpgsqlConnectionStringBuilder.NoResetOnClose)))
        {
            builder.NoResetOnClose = true;
        }

        if (!given.Contains(nameof(NpgsqlConnectionStringBuilder.MaxAutoPrepare)))
        {
            builder.MaxAutoPrepare = 32;
        }

        return builder.ConnectionString;
    }

    public IGrainStateStore States { get; }

    public IGrainRecordStore Records { get; }

    public IReminderStore Reminders { get; }

    public IStreamEventStore Streams { get; }

    public Task InitializeAsync(CancellationToken cancellationToken) => PostgresSchema.ApplyAsync(_dataSource, cancellationToken);

    public async Task<bool> PingAsync(CancellationToken cancellationToken)
    {
        try
        {
            await using var command = _dataSource.CreateCommand("SELECT 1");
            return await command.ExecuteScalarAsync(cancellationToken) is 1;
        }
        catch (NpgsqlException)
        {
            return false;
        }
    }

    public async ValueTask DisposeAsync()
    {
        if (_ownsDataSource)
        {
            await _dataSource.DisposeAsync();
        }
    }
}
