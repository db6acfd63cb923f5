using Mindspace.Runtime.Persistence;
using Mindspace.Runtime.Persistence.Postgres;
using Mindspace.Testing;
using Npgsql;
using Xunit;

namespace Mindspace.Runtime.Tests.Storage;

public sealed class PostgresStorageFixture : StorageFixture
{
    public override Task<string> CreateStoreAsync() => PostgresServer.Shared.CreateDatabaseAsync("storage");

    /// <summary>Uses the connection-string constructor, so the provider owns (and disposes) its data source.</summary>
    protected override IStorageProvider CreateProvider(string store) => new PostgresStorageProvider(store);
}

public sealed class PostgresStorageProviderTests(PostgresStorageFixture fixture) : StorageProviderContract(fixture), IClassFixture<PostgresStorageFixture>
{
    protected override string ExpectedName => "postgres";

    [Fact]
    public async Task The_schema_version_is_recorded_once_however_often_it_is_applied()
    {
        await Fixture.Provider.InitializeAsync(CancellationToken.None);
        await using var dataSource = NpgsqlDataSource.Create(Fixture.Store);
        await using var command = dataSource.CreateCommand("SELECT component, version FROM ms_schema_version");
        await using var reader = await command.ExecuteReaderAsync();
        Assert.True(await reader.ReadAsync());
        Assert.Equal("storage", reader.GetString(0));
        Assert.Equal(1, reader.GetInt32(1));
        Assert.False(await reader.ReadAsync());
    }

    [Fact]
    public async Task A_provider_over_a_caller_owned_data_source_leaves_it_open()
    {
        await using var dataSource = NpgsqlDataSource.Create(Fixture.Store);
        var provider = new PostgresStorageProvider(dataSource);
        Assert.True(await provider.PingAsync(CancellationToken.None));
        await provider.DisposeAsync();

        await using var command = dataSource.CreateCommand("SELECT 1");
        Assert.Equal(1, await command.ExecuteScalarAsync());
    }

    [Fact]
    public async Task Ping_reports_false_when_the_server_is_unreachable()
    {
        var builder = new NpgsqlConnectionStringBuilder(Fixture.Store) { Port = 1, Timeout = 2 };
        await using var provider = new PostgresStorageProvider(builder.ConnectionString);
        Assert.False(await provider.PingAsync(CancellationToken.None));
    }
}
