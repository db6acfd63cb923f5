using Mindspace.Grains.Records;
using Mindspace.Silo.Storage.Sqlite;
using Mindspace.Testing;

namespace Mindspace.Storage.Tests.Records;

/// <summary>The record contract on SQLite: a new database file per test.</summary>
public sealed partial class SqliteRecordStoreTests : RecordStoreContract
{
    private readonly TempDirectory _directory = new("mindspace-records");
    private readonly List<SqliteDatabase> _databases = [];

    protected override Task CreateDatabaseAsync() => Task.CompletedTask;

    protected override IRecordStore OpenStore()
    {
        var database = new SqliteDatabase(_directory.Combine("records.db"), new SqliteStorageOptions());
        _databases.Add(database);
        return new SqliteRecordStore(database);
    }

    protected override async Task<RawRow?> ReadRawRowAsync(string table, string owner, string key, string jsonProperty)
    {
        var rows = await _databases[0].QueryAsync(
            session =>
            {
                var command = session.Statement($"SELECT payload, typeof(payload), json_extract(payload, '$.' || @property) FROM \"{table}\" WHERE owner = @owner AND record_key = @key");
                command.Parameters.AddWithValue("@property", jsonProperty);
                command.Parameters.AddWithValue("@owner", owner);
                command.Parameters.AddWithValue("@key", key);
                return command;
            },
            reader => new RawRow(reader.GetString(0), reader.GetString(1), reader.IsDBNull(2) ? null : reader.GetString(2)),
            CancellationToken.None);
        return rows.SingleOrDefault();
    }

    [Fact]
    public async Task Using_a_record_table_turns_on_write_ahead_logging()
    {
        await Store.PutAsync(Entries, "alice", "k", "\"v\""u8.ToArray(), CancellationToken.None);

        var mode = await _databases[0].ScalarAsync(
            session =>
            {
                var command = session.Statement("PRAGMA journal_mode");
                return command;
            },
            CancellationToken.None);

        Assert.Equal("wal", mode);
    }

    protected override Task ExecuteRawAsync(string sql) =>
        _databases[0].ExecuteAsync(
            session =>
            {
                var command = session.Statement(sql);
                return command;
            },
            CancellationToken.None);

    protected override Task CloseAsync()
    {
        foreach (var database in _databases)
        {
            database.Dispose();
        }

        _directory.Dispose();
        return Task.CompletedTask;
    }
}
