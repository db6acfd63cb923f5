using Microsoft.Extensions.Logging.Abstractions;
using Mindspace.Silo.Storage.Postgres;
using Mindspace.Testing;
using Npgsql;

namespace Mindspace.Storage.Tests.Schema;

/// <summary>
/// A fresh database on the throwaway PostgreSQL server with Orleans' scripts applied by
/// <see cref="OrleansSchemaMigrator"/>: one per test class (tests keep apart by service id or key).
/// </summary>
public sealed class OrleansPostgresDatabase : IAsyncLifetime
{
    public string ConnectionString { get; private set; } = string.Empty;

    public NpgsqlDataSource DataSource { get; private set; } = null!;

    public async Task InitializeAsync()
    {
        ConnectionString = await PostgresServer.Shared.CreateDatabaseAsync("orleans");
        DataSource = NpgsqlDataSource.Create(ConnectionString);
        await OrleansSchemaMigrator.ApplyAsync(DataSource, NullLogger.Instance, CancellationToken.None);
    }

    public async Task DisposeAsync()
    {
        if (DataSource is not null)
        {
            await DataSource.DisposeAsync();
        }
    }
}
