using Mindspace.Grains.Records;
using Mindspace.Silo.Storage.Postgres;
using Mindspace.Testing;
using Npgsql;

namespace Mindspace.Storage.Tests.Records;

/// <summary>The record contract on a throwaway PostgreSQL server: a new database per test.</summary>
public sealed partial class PostgresRecordStoreTests : RecordStoreContract
{
    private readonly List<NpgsqlDataSource> _dataSources = [];
    private string? _connectionString;

    protected override async Task CreateDatabaseAsync()
    {
        // Pool settings as the silo uses them: statements are auto-prepared.
        _connectionString = new NpgsqlConnectionStringBuilder(await CreateLinguisticDatabaseAsync())
        {
            MaxAutoPrepare = 32,
            NoResetOnClose = true,
        }.ConnectionString;
    }

    /// <summary>
    /// A fresh database whose default collation is linguistic (ICU en-US: "a" &lt; "B", "ä" next to
    /// "a"), as production databases usually have, so the ordering tests prove that the store
    /// orders keys by bytes itself rather than relying on a "C" database.
    /// </summary>
    private static async Task<string> CreateLinguisticDatabaseAsync()
    {
        var server = PostgresServer.Shared;
        var name = $"records_{Guid.NewGuid():N}";
        await using var admin = NpgsqlDataSource.Create(server.ConnectionStringFor("postgres"));
        for (var attempt = 1; ; attempt++)
        {
            try
            {
                await using var command = admin.CreateCommand(
                    $"CREATE DATABASE \"{name}\" TEMPLATE template0 ENCODING 'UTF8' LOCALE_PROVIDER icu ICU_LOCALE 'en-US' LC_COLLATE 'C' LC_CTYPE 'C'");
                await command.ExecuteNonQueryAsync();
                return server.ConnectionStringFor(name);
            }
            catch (PostgresException exception) when (exception.SqlState == PostgresErrorCodes.ObjectInUse && attempt < 10)
            {
                // "source database is being accessed by other users": another CREATE DATABASE is copying the template.
                await Task.Delay(50 * attempt);
            }
        }
    }

    protected override IRecordStore OpenStore()
    {
        var dataSource = NpgsqlDataSource.Create(_connectionString!);
        _dataSources.Add(dataSource);
        return new PostgresRecordStore(dataSource);
    }

    protected override async Task<RawRow?> ReadRawRowAsync(string table, string owner, string key, string jsonProperty)
    {
        await using var command = _dataSources[0].CreateCommand(
            $"SELECT payload, pg_typeof(payload)::text, payload::jsonb ->> @property FROM \"{table}\" WHERE owner = @owner AND record_key = @key");
        command.Parameters.AddWithValue("property", jsonProperty);
        command.Parameters.AddWithValue("owner", owner);
        command.Parameters.AddWithValue("key", key);
        await using var reader = await command.ExecuteReaderAsync();
        return await reader.ReadAsync()
            ? new RawRow(reader.GetString(0), reader.GetString(1), reader.IsDBNull(2) ? null : reader.GetString(2))
            : null;
    }

    protected override async Task ExecuteRawAsync(string sql)
    {
        await using var command = _dataSources[0].CreateCommand(sql);
        await command.ExecuteNonQueryAsync();
    }

    protected override async Task CloseAsync()
    {
        foreach (var dataSource in _dataSources)
        {
            await dataSource.DisposeAsync();
        }
    }
}
