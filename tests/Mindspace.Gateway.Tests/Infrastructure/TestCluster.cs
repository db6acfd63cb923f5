using Mindspace.Runtime.Cluster;
using Mindspace.Testing;
using Npgsql;

namespace Mindspace.Gateway.Tests.Infrastructure;

/// <summary>
/// A cluster in this test process, in the spirit of Orleans' TestingHost: several real silos and
/// gateway-only gateways on loopback ports, all on one fresh database of the throwaway PostgreSQL.
/// Silos can be added, stopped gracefully or killed while tests run.
/// </summary>
public sealed class TestCluster : IAsyncDisposable
{
    private readonly List<TestClusterSilo> _silos = [];
    private readonly List<MindspaceTestHost> _gateways = [];

    private TestCluster(string databaseUrl) => DatabaseUrl = databaseUrl;

    /// <summary>The cluster's database (Npgsql connection string).</summary>
    public string DatabaseUrl { get; }

    public IReadOnlyList<TestClusterSilo> Silos => _silos;

    public IEnumerable<TestClusterSilo> RunningSilos => _silos.Where(s => s.IsRunning);

    public IReadOnlyList<MindspaceTestHost> Gateways => _gateways;

    public static async Task<TestCluster> StartAsync(int silos, int gateways)
    {
        var cluster = new TestCluster(await PostgresServer.Shared.CreateDatabaseAsync("cluster"));
        try
        {
            for (var i = 0; i < silos; i++)
            {
                await cluster.StartSiloAsync();
            }

            for (var i = 0; i < gateways; i++)
            {
                cluster._gateways.Add(await MindspaceTestHost.StartGatewayOnlyAsync(cluster.DatabaseUrl));
            }

            await cluster.WaitUntilBalancedAsync();
            return cluster;
        }
        catch
        {
            await cluster.DisposeAsync();
            throw;
        }
    }

    /// <param name="databaseUrl">Where this silo reaches the database; a <see cref="TcpFaultProxy"/> in front of it, say.</param>
    public async Task<TestClusterSilo> StartSiloAsync(string? databaseUrl = null)
    {
        var silo = await TestClusterSilo.StartAsync(databaseUrl ?? DatabaseUrl);
        _silos.Add(silo);
        return silo;
    }

    /// <summary>The running silo that serves <paramref name="grainId"/>'s partition now, if one does.</summary>
    public TestClusterSilo? ServerOf(Mindspace.Runtime.GrainId grainId)
        => RunningSilos.FirstOrDefault(s => s.Member.ServedPartitions.Contains(Partitioning.Of(grainId)));

    /// <summary>
    /// Waits until every partition is recorded as held by a running silo that serves it, and no
    /// running silo serves a partition recorded for another.
    /// </summary>
    public async Task WaitUntilBalancedAsync(int seconds = 30)
    {
        await Eventually.ReturnsAsync(ReadOwnersAsync, owners =>
        {
            var running = RunningSilos.ToDictionary(s => s.SiloId);
            return owners.Count == Partitioning.Count
                && owners.All(o => running.TryGetValue(o.Value, out var silo) && silo.Member.ServedPartitions.Contains(o.Key))
                && running.Values.Sum(s => s.Member.ServedPartitions.Count) == Partitioning.Count
                && running.Values.All(s => s.Member.ServedPartitions.Count > 0);
        }, "every partition held by exactly one running silo", seconds);
    }

    /// <summary>Partition → silo id, as recorded in <c>ms_partitions</c>.</summary>
    public async Task<IReadOnlyDictionary<int, string>> ReadOwnersAsync()
    {
        await using var connection = new NpgsqlConnection(DatabaseUrl);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand("SELECT partition_id, silo_id FROM ms_partitions", connection);
        await using var reader = await command.ExecuteReaderAsync();
        var owners = new Dictionary<int, string>();
        while (await reader.ReadAsync())
        {
            owners[reader.GetInt32(0)] = reader.GetString(1);
        }

        return owners;
    }

    public async ValueTask DisposeAsync()
    {
        foreach (var gateway in _gateways)
        {
            await gateway.DisposeAsync();
        }

        foreach (var silo in _silos)
        {
            await silo.KillAsync();
            await silo.DisposeAsync();
        }
    }
}
