using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Logging.Abstractions;
using Mindspace.Grains.Interfaces;
using Mindspace.Silo;
using Mindspace.Silo.Cluster;
using Mindspace.Silo.Storage;
using Mindspace.Silo.Storage.Postgres;
using Mindspace.Testing;
using Npgsql;
using Orleans.Configuration;
using Orleans.TestingHost;

namespace Mindspace.Cluster.Tests.Infrastructure;

/// <summary>
/// Three silos in this process (Orleans' <see cref="InProcessTestCluster"/>) hosting Mindspace's real
/// grains the way a production silo does: record tables, grain state and reminders on a throwaway
/// PostgreSQL, production's membership tuning and call timeouts. Only clustering differs: the test
/// cluster's in-memory membership, grain directory and transport replace AdoNet clustering, Orleans'
/// default directory and TLS.
/// </summary>
/// <remarks>
/// Everything a grain stores lives in PostgreSQL, never in a silo, so a grain whose silo is killed or
/// stopped comes back elsewhere with what it had acknowledged (memory storage would die with the silo).
/// </remarks>
public sealed class MindspaceCluster : IAsyncDisposable
{
    public const short SiloCount = 3;

    /// <summary>
    /// Reminders in these tests tick every few seconds; Orleans refuses periods under a minute unless
    /// this is lowered (it logs a warning each start, which is fine in a test).
    /// </summary>
    public static readonly TimeSpan MinimumReminderPeriod = TimeSpan.FromSeconds(1);

    private MindspaceCluster(InProcessTestCluster cluster) => Cluster = cluster;

    public InProcessTestCluster Cluster { get; }

    /// <summary>The cluster's client: like a gateway started with <c>GATEWAY_ONLY=true</c>, it hosts no grains.</summary>
    public IClusterClient Client => Cluster.Client;

    public static async Task<MindspaceCluster> StartAsync()
    {
        var connectionString = await PostgresServer.Shared.CreateDatabaseAsync("cluster");

        // Once up front, so three silos starting together do not queue on the migration lock.
        await using (var dataSource = NpgsqlDataSource.Create(connectionString))
        {
            await OrleansSchemaMigrator.ApplyAsync(dataSource, NullLogger.Instance, CancellationToken.None);
        }

        var builder = new InProcessTestClusterBuilder(SiloCount);
        builder.Options.ConfigureFileLogging = false;
        var settings = new SiloSettings(
            PostgresConnectionString.Normalize(connectionString),
            DataDirectory: Path.GetTempPath(), // only embedded mode keeps files
            SiloPort: 0,
            GatewayPort: 0, // the test cluster chooses its own endpoints
            AdvertiseAddress: "127.0.0.1",
            builder.Options.ClusterId,
            builder.Options.ServiceId,
            Tls: null, // the test cluster's in-memory transport has no TLS to configure
            ShutdownTimeout: TimeSpan.FromSeconds(30),
            InKubernetes: false);

        // The host-level half of AddMindspaceOrleans (storage ahead of Orleans, the product clock) ...
        builder.ConfigureSiloHost((_, host) =>
        {
            host.Services.AddSingleton(settings);
            host.Services.TryAddKeyedSingleton(MindspaceClock.Key, TimeProvider.System);
            host.Services.AddMindspaceStorage(settings);
        });

        // ... and the silo half, minus AdoNet clustering, endpoints and TLS.
        builder.ConfigureSilo((_, silo) =>
        {
            silo.AddMindspaceGrainServices(settings);
            silo.Configure<ClusterMembershipOptions>(ClusterTuning.Apply);
            silo.Configure<ReminderOptions>(options => options.MinimumReminderPeriod = MinimumReminderPeriod);
        });

        // A client that calls grains like a gateway-only process: production's timeouts, gateway refresh and retry of rejected calls.
        builder.ConfigureClient(client => client.AddMindspaceClientCalls());

        var cluster = builder.Build();
        try
        {
            await cluster.DeployAsync();
        }
        catch
        {
            await cluster.DisposeAsync();
            throw;
        }

        return new MindspaceCluster(cluster);
    }

    /// <summary>Starts silos until <see cref="SiloCount"/> are active again, after a test killed or stopped one.</summary>
    public async Task RestoreSilosAsync()
    {
        var missing = SiloCount - Cluster.GetActiveSilos().Count();
        if (missing > 0)
        {
            await Cluster.StartSilosAsync(missing);
            await Cluster.WaitForLivenessToStabilizeAsync();
        }
    }

    /// <summary>The silo holding the grain's activation, or null when it has none.</summary>
    public SiloAddress? HostOf(IAddressable grain)
        => Cluster.TryGetGrainContext(grain.GetGrainId(), out var context) ? context.Address.SiloAddress : null;

    /// <summary>The active silo holding the most of <paramref name="grains"/>, and which of them it holds.</summary>
    public (InProcessSiloHandle Silo, IReadOnlyList<T> Held) BusiestSilo<T>(IEnumerable<T> grains, Func<T, IAddressable> reference)
    {
        var byHost = grains
            .Select(grain => (Grain: grain, Host: HostOf(reference(grain))))
            .Where(pair => pair.Host is not null)
            .GroupBy(pair => pair.Host!)
            .ToDictionary(group => group.Key, group => (IReadOnlyList<T>)[.. group.Select(pair => pair.Grain)]);
        var silo = Cluster.GetActiveSilos().MaxBy(silo => byHost.TryGetValue(silo.SiloAddress, out var held) ? held.Count : 0)!;
        return (silo, byHost.TryGetValue(silo.SiloAddress, out var held) ? held : []);
    }

    public async ValueTask DisposeAsync()
    {
        await Cluster.StopAllSilosAsync();
        await Cluster.DisposeAsync();
    }
}
