using Mindspace.Runtime.Persistence;
using Mindspace.Runtime.Persistence.Sqlite;
using Mindspace.Testing;
using Xunit;

namespace Mindspace.Runtime.Tests.Storage;

public sealed class SqliteStorageFixture : StorageFixture
{
    private readonly TempDirectory _directory = new("mindspace-sqlite");

    /// <summary>A file in a directory that does not exist yet: the provider creates it.</summary>
    public override Task<string> CreateStoreAsync() =>
        Task.FromResult(_directory.Combine(Guid.NewGuid().ToString("N"), "mindspace.db"));

    protected override IStorageProvider CreateProvider(string store) => new SqliteStorageProvider(store);

    protected override Task DisposeStoresAsync()
    {
        _directory.Dispose();
        return Task.CompletedTask;
    }
}

public sealed class SqliteStorageProviderTests(SqliteStorageFixture fixture) : StorageProviderContract(fixture), IClassFixture<SqliteStorageFixture>
{
    protected override string ExpectedName => "sqlite";

    [Fact]
    public async Task Initializing_creates_the_file_in_WAL_mode()
    {
        var path = Fixture.Store;
        Assert.True(File.Exists(path));
        await using var connection = new Microsoft.Data.Sqlite.SqliteConnection($"Data Source={path}");
        await connection.OpenAsync();
        await using var command = connection.CreateCommand();
        command.CommandText = "PRAGMA journal_mode";
        Assert.Equal("wal", (string?)await command.ExecuteScalarAsync());
    }

    [Fact]
    public void An_in_memory_database_is_refused()
    {
        Assert.Throws<ArgumentException>(() => new SqliteStorageProvider(":memory:"));
    }
}
