using Microsoft.Extensions.DependencyInjection;
using Mindspace.Silo.Storage.Sqlite;
using Mindspace.Testing;
using Orleans;

namespace Mindspace.Storage.Tests.Reminders;

/// <summary>The reminder table contract on <see cref="SqliteReminderTable"/>, on a temp file.</summary>
public sealed class SqliteReminderTableTests : ReminderTableContractTests
{
    private readonly TempDirectory _directory = new("sqlite-reminders");
    private SqliteDatabase? _database;

    public override Task DisposeAsync()
    {
        _database?.Dispose();
        _directory.Dispose();
        return Task.CompletedTask;
    }

    [Fact]
    public async Task Registration_makes_the_sqlite_table_the_silos_reminder_table()
    {
        using var database = new SqliteDatabase(_directory.Combine("registered.db"), new SqliteStorageOptions());
        var services = new ServiceCollection().AddSingleton(database).UseSqliteReminders();
        await using var provider = services.BuildServiceProvider();

        var table = Assert.IsType<SqliteReminderTable>(provider.GetRequiredService<IReminderTable>());
        await table.StartAsync();
        Assert.Empty((await table.ReadRows(0, 0)).Reminders);
    }

    protected override async Task<IReminderTable> CreateTableAsync()
    {
        // A restart: the previous instance's connections close, the new one opens the same file.
        _database?.Dispose();
        _database = new SqliteDatabase(_directory.Combine("data", "mindspace.db"), new SqliteStorageOptions());
        var table = new SqliteReminderTable(_database);
        await table.StartAsync();
        return table;
    }
}
