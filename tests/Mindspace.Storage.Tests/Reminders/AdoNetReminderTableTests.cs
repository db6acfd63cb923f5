using Microsoft.Extensions.DependencyInjection;
using Mindspace.Storage.Tests.Schema;
using Orleans;
using Orleans.Configuration;
using Orleans.Hosting;

namespace Mindspace.Storage.Tests.Reminders;

/// <summary>
/// The reminder table contract on Orleans' own AdoNet reminder table (cluster mode), on a throwaway
/// PostgreSQL database migrated by our migrator.
/// </summary>
public sealed class AdoNetReminderTableTests(OrleansPostgresDatabase database) : ReminderTableContractTests, IClassFixture<OrleansPostgresDatabase>
{
    /// <summary>Each test its own service id: Orleans keys reminders (and TestOnlyClearTable) by it.</summary>
    private readonly string _serviceId = "reminder-tests-" + Guid.NewGuid().ToString("N");
    private readonly List<ServiceProvider> _providers = [];

    public override async Task DisposeAsync()
    {
        foreach (var provider in _providers)
        {
            await provider.DisposeAsync();
        }
    }

    protected override async Task<IReminderTable> CreateTableAsync()
    {
        // The table type is internal to Orleans: resolve it the way a silo does.
        var services = new ServiceCollection();
        services.Configure<ClusterOptions>(options =>
        {
            options.ClusterId = "reminder-tests";
            options.ServiceId = _serviceId;
        });
        services.UseAdoNetReminderService(options => options.Configure(table =>
        {
            table.Invariant = "Npgsql";
            table.ConnectionString = database.ConnectionString;
        }));
        var provider = services.BuildServiceProvider();
        _providers.Add(provider);

        var reminders = provider.GetRequiredService<IReminderTable>();
        await reminders.StartAsync();
        return reminders;
    }
}
