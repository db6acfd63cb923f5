using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using Mindspace.Storage.Tests.Schema;
using Orleans.Configuration;
using Orleans.Providers;
using Orleans.Runtime;
using Orleans.Serialization;
using Orleans.Serialization.Serializers;
using Orleans.Storage;

namespace Mindspace.Storage.Tests.GrainStorage;

/// <summary>
/// The grain storage contract on Orleans' own AdoNet provider (cluster mode), on a throwaway
/// PostgreSQL database migrated by our migrator, with System.Text.Json storage serialization.
/// </summary>
public sealed class AdoNetGrainStorageTests(OrleansPostgresDatabase database) : GrainStorageContractTests, IClassFixture<OrleansPostgresDatabase>
{
    /// <summary>Each test its own service id: Orleans keys stored state by it.</summary>
    private readonly string _serviceId = "storage-tests-" + Guid.NewGuid().ToString("N");
    private readonly ServiceProvider _services = new ServiceCollection().AddSerializer().BuildServiceProvider();

    public override async Task DisposeAsync() => await _services.DisposeAsync();

    protected override async Task<IGrainStorage> CreateStorageAsync()
    {
        var options = new AdoNetGrainStorageOptions
        {
            Invariant = "Npgsql",
            ConnectionString = database.ConnectionString,

            // What UseSystemTextJsonGrainStorageSerializer() makes the default: JSON text, no $type.
            GrainStorageSerializer = new SystemTextJsonGrainStorageSerializer(Options.Create(new SystemTextJsonGrainStorageSerializerOptions())),
        };
        var storage = new AdoNetGrainStorage(
            _services.GetRequiredService<IActivatorProvider>(),
            NullLogger<AdoNetGrainStorage>.Instance,
            Options.Create(options),
            Options.Create(new ClusterOptions { ClusterId = "storage-tests", ServiceId = _serviceId }),
            ProviderConstants.DEFAULT_STORAGE_PROVIDER_NAME);

        // The provider loads its queries from OrleansQuery when the silo lifecycle starts it.
        var lifecycle = new SiloLifecycleSubject(NullLogger<SiloLifecycleSubject>.Instance);
        storage.Participate(lifecycle);
        await lifecycle.OnStart(CancellationToken.None);
        return storage;
    }

    protected override async Task<string?> ReadStoredJsonAsync(string stateName, GrainId grainId)
    {
        // Orleans splits the key into hashed columns (a 32-hex-digit key is taken for a Guid), so the row
        // is found by service id and state name alone: the JSON test uses a state name of its own.
        await using var command = database.DataSource.CreateCommand(
            "SELECT convert_from(payloadbinary, 'UTF8') FROM orleansstorage WHERE serviceid = $1 AND graintypestring = $2");
        command.Parameters.AddWithValue(_serviceId);
        command.Parameters.AddWithValue(stateName);
        return await command.ExecuteScalarAsync() as string;
    }
}
