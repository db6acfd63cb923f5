using System.Security.Cryptography;
using System.Text;
using Microsoft.Extensions.Logging.Abstractions;
using Mindspace.Silo.Storage.Postgres;
using Mindspace.Testing;
using Npgsql;

namespace Mindspace.Storage.Tests.Schema;

/// <summary><see cref="OrleansSchemaMigrator"/> on fresh PostgreSQL databases.</summary>
public sealed class OrleansSchemaMigratorTests
{
    /// <summary>Query keys the 10.4.2 AdoNet clustering, persistence and reminder providers look up.</summary>
    private static readonly string[] RequiredQueryKeys =
    [
        "CleanupDefunctSiloEntriesKey", "InsertMembershipKey", "MembershipReadAllKey", "GatewaysQueryKey",
        "WriteToStorageKey", "ReadFromStorageKey", "ClearStorageKey",
        "UpsertReminderRowKey", "ReadReminderRowsKey", "ReadRangeRows1Key", "ReadRangeRows2Key", "DeleteReminderRowKey",
    ];

    [Fact]
    public async Task Applying_records_every_script_with_its_hash_and_creates_the_providers_queries()
    {
        await using var dataSource = NpgsqlDataSource.Create(await PostgresServer.Shared.CreateDatabaseAsync("migrator"));

        await OrleansSchemaMigrator.ApplyAsync(dataSource, NullLogger.Instance, CancellationToken.None);

        var recorded = await ReadAppliedAsync(dataSource);
        Assert.Equal(OrleansSchemaMigrator.ScriptNames.Order(StringComparer.Ordinal), recorded.Select(row => row.Name));
        Assert.All(recorded, row => Assert.Equal(EmbeddedScriptHash(row.Name), row.Sha256));
        var keys = await ReadQueryKeysAsync(dataSource);
        Assert.All(RequiredQueryKeys, key => Assert.Contains(key, keys));
    }

    [Fact]
    public async Task Applying_twice_is_a_no_op()
    {
        await using var dataSource = NpgsqlDataSource.Create(await PostgresServer.Shared.CreateDatabaseAsync("migrator"));
        await OrleansSchemaMigrator.ApplyAsync(dataSource, NullLogger.Instance, CancellationToken.None);
        var recordedBefore = await ReadAppliedAsync(dataSource);
        var keysBefore = await ReadQueryKeysAsync(dataSource);

        await OrleansSchemaMigrator.ApplyAsync(dataSource, NullLogger.Instance, CancellationToken.None);

        Assert.Equal(recordedBefore, await ReadAppliedAsync(dataSource));
        Assert.Equal(keysBefore, await ReadQueryKeysAsync(dataSource));
    }

    [Fact]
    public async Task Four_processes_applying_at_once_on_a_fresh_database_all_succeed_and_each_script_is_recorded_once()
    {
        var connectionString = await PostgresServer.Shared.CreateDatabaseAsync("migrator");

        // A data source each, as separate processes would have: four sessions racing for the lock.
        var dataSources = Enumerable.Range(0, 4).Select(_ => NpgsqlDataSource.Create(connectionString)).ToList();
        try
        {
            await Task.WhenAll(dataSources.Select(dataSource => Task.Run(() => OrleansSchemaMigrator.ApplyAsync(dataSource, NullLogger.Instance, CancellationToken.None))));

            var recorded = await ReadAppliedAsync(dataSources[0]);
            Assert.Equal(OrleansSchemaMigrator.ScriptNames.Order(StringComparer.Ordinal), recorded.Select(row => row.Name));

            // One transaction applied them all; the others waited on the lock and found them recorded.
            Assert.Single(recorded.Select(row => row.AppliedAt).Distinct());
            var keys = await ReadQueryKeysAsync(dataSources[0]);
            Assert.All(RequiredQueryKeys, key => Assert.Contains(key, keys));
        }
        finally
        {
            foreach (var dataSource in dataSources)
            {
                await dataSource.DisposeAsync();
            }
        }
    }

    [Fact]
    public async Task A_script_changed_after_it_was_applied_is_refused_with_a_message_naming_it()
    {
        await using var dataSource = NpgsqlDataSource.Create(await PostgresServer.Shared.CreateDatabaseAsync("migrator"));
        await OrleansSchemaMigrator.ApplyAsync(dataSource, NullLogger.Instance, CancellationToken.None);
        await ExecuteAsync(dataSource, $"UPDATE {OrleansSchemaMigrator.AppliedScriptsTable} SET sha256 = 'recorded-by-an-older-build' WHERE name = 'PostgreSQL-Reminders.sql'");

        var exception = await Assert.ThrowsAsync<InvalidOperationException>(
            () => OrleansSchemaMigrator.ApplyAsync(dataSource, NullLogger.Instance, CancellationToken.None));

        Assert.Contains("PostgreSQL-Reminders.sql", exception.Message, StringComparison.Ordinal);
        Assert.Contains("recorded-by-an-older-build", exception.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Scripts_applied_by_hand_without_a_record_are_reported_and_nothing_is_half_applied()
    {
        await using var dataSource = NpgsqlDataSource.Create(await PostgresServer.Shared.CreateDatabaseAsync("migrator"));
        await ExecuteAsync(dataSource, EmbeddedScript("PostgreSQL-Main.sql"));

        var exception = await Assert.ThrowsAsync<InvalidOperationException>(
            () => OrleansSchemaMigrator.ApplyAsync(dataSource, NullLogger.Instance, CancellationToken.None));

        Assert.Contains("PostgreSQL-Main.sql", exception.Message, StringComparison.Ordinal);
        Assert.Null(await ScalarAsync(dataSource, $"SELECT to_regclass('{OrleansSchemaMigrator.AppliedScriptsTable}')::text"));
        Assert.Null(await ScalarAsync(dataSource, "SELECT to_regclass('orleansstorage')::text"));
    }

    private static async Task<List<(string Name, string Sha256, DateTime AppliedAt)>> ReadAppliedAsync(NpgsqlDataSource dataSource)
    {
        await using var command = dataSource.CreateCommand($"SELECT name, sha256, applied_at FROM {OrleansSchemaMigrator.AppliedScriptsTable} ORDER BY name COLLATE \"C\"");
        await using var reader = await command.ExecuteReaderAsync();
        var rows = new List<(string, string, DateTime)>();
        while (await reader.ReadAsync())
        {
            rows.Add((reader.GetString(0), reader.GetString(1), reader.GetDateTime(2)));
        }

        return rows;
    }

    private static async Task<List<string>> ReadQueryKeysAsync(NpgsqlDataSource dataSource)
    {
        await using var command = dataSource.CreateCommand("SELECT querykey FROM orleansquery ORDER BY querykey COLLATE \"C\"");
        await using var reader = await command.ExecuteReaderAsync();
        var keys = new List<string>();
        while (await reader.ReadAsync())
        {
            keys.Add(reader.GetString(0));
        }

        return keys;
    }

    private static async Task ExecuteAsync(NpgsqlDataSource dataSource, string sql)
    {
        await using var command = dataSource.CreateCommand(sql);
        await command.ExecuteNonQueryAsync();
    }

    private static async Task<object?> ScalarAsync(NpgsqlDataSource dataSource, string sql)
    {
        await using var command = dataSource.CreateCommand(sql);
        var value = await command.ExecuteScalarAsync();
        return value is DBNull ? null : value;
    }

    private static string EmbeddedScript(string name)
    {
        using var stream = typeof(OrleansSchemaMigrator).Assembly.GetManifestResourceStream("Mindspace.Silo.Storage.Postgres.Scripts." + name)
            ?? throw new InvalidOperationException($"{name} is not embedded.");
        using var reader = new StreamReader(stream, Encoding.UTF8);
        return reader.ReadToEnd();
    }

    private static string EmbeddedScriptHash(string name) =>
        Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(EmbeddedScript(name).ReplaceLineEndings("\n"))));
}
