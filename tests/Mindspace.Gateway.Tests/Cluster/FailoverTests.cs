using Mindspace.Gateway.Tests.Infrastructure;
using Mindspace.Runtime;
using Mindspace.Testing;
using Npgsql;

namespace Mindspace.Gateway.Tests.Cluster;

/// <summary>Silos leave, die and lose their database while calls keep coming through a gateway.</summary>
public sealed class FailoverTests
{
    [Fact]
    public async Task A_silo_killed_mid_load_loses_no_acknowledged_write_and_its_grains_answer_on_other_silos_within_10_seconds()
    {
        await using var cluster = await TestCluster.StartAsync(silos: 3, gateways: 1);
        var grains = cluster.Gateways[0].Grains;
        var load = new CounterLoad(grains, counters: 40, workers: 8);
        await load.WaitForMoreAsync(200);

        var victim = cluster.Silos[0];
        var orphaned = load.Keys.Where(k => cluster.ServerOf(new GrainId(IClusterProbeGrain.ProbeGrainType, k)) == victim).ToList();
        Assert.NotEmpty(orphaned);
        await victim.KillAsync();

        // Every grain the dead silo held answers again, from another silo, within 10 seconds of the kill.
        foreach (var key in orphaned)
        {
            var reply = await Eventually.ReturnsAsync(
                () => ReadThroughFailoverAsync(() => grains.GetGrain<IClusterProbeGrain>(key).HitAsync()),
                r => r is not null && r.SiloId != victim.SiloId,
                $"{key} answering from a live silo",
                seconds: 10);
            Assert.NotEqual(victim.SiloId, reply!.SiloId);
        }

        await load.WaitForMoreAsync(200);
        await load.StopAsync();
        await load.AssertNothingAcknowledgedWasLostAsync();
        await cluster.WaitUntilBalancedAsync();
    }

    [Fact]
    public async Task Scaling_in_with_SIGTERM_and_out_again_fails_no_call()
    {
        await using var cluster = await TestCluster.StartAsync(silos: 3, gateways: 1);
        var load = new CounterLoad(cluster.Gateways[0].Grains, counters: 40, workers: 8);
        await load.WaitForMoreAsync(200);

        await cluster.Silos[1].StopAsync();
        await cluster.WaitUntilBalancedAsync();
        await load.WaitForMoreAsync(200);

        await cluster.StartSiloAsync();
        await cluster.WaitUntilBalancedAsync();
        await load.WaitForMoreAsync(200);
        await load.StopAsync();

        Assert.Empty(load.Failures);
        await load.AssertNothingAcknowledgedWasLostAsync();
    }

    [Fact]
    public async Task A_silo_cut_off_from_PostgreSQL_stops_serving_before_another_silo_takes_its_partitions()
    {
        await using var cluster = await TestCluster.StartAsync(silos: 2, gateways: 1);
        var database = new NpgsqlConnectionStringBuilder(cluster.DatabaseUrl);
        await using var proxy = new TcpFaultProxy(database.Host!, database.Port);
        var isolated = await cluster.StartSiloAsync(new NpgsqlConnectionStringBuilder(cluster.DatabaseUrl) { Host = "127.0.0.1", Port = proxy.Port }.ConnectionString);
        await cluster.WaitUntilBalancedAsync();

        var grains = cluster.Gateways[0].Grains;
        var key = Enumerable.Range(0, 1000).Select(i => $"fence-{Guid.NewGuid():N}")
            .First(k => cluster.ServerOf(new GrainId(IClusterProbeGrain.ProbeGrainType, k)) == isolated);
        Assert.Equal(isolated.SiloId, (await grains.GetGrain<IClusterProbeGrain>(key).HitAsync()).SiloId);

        proxy.Blackhole();
        var replies = new List<ProbeReply>();
        await Eventually.ReturnsAsync(
            async () =>
            {
                replies.Add(await grains.GetGrain<IClusterProbeGrain>(key).HitAsync());
                return replies[^1];
            },
            reply => reply.SiloId != isolated.SiloId,
            "the grain answering from another silo",
            seconds: 30);

        var lastOnIsolated = replies.Where(r => r.SiloId == isolated.SiloId).Select(r => r.RanAt).DefaultIfEmpty(DateTimeOffset.MinValue).Max();
        var firstElsewhere = replies.Where(r => r.SiloId != isolated.SiloId).Min(r => r.RanAt);
        Assert.True(lastOnIsolated < firstElsewhere, $"the cut-off silo served at {lastOnIsolated:O}, after another silo took over at {firstElsewhere:O}");
        var leaseEnded = isolated.Member.LeaseEndedAt;
        Assert.NotNull(leaseEnded);
        Assert.True(leaseEnded < firstElsewhere, $"the cut-off silo's lease ended at {leaseEnded:O}, after another silo took over at {firstElsewhere:O}");
        Assert.False(isolated.Member.HasLease);

        proxy.Restore();
        await cluster.WaitUntilBalancedAsync();
    }

    /// <summary>
    /// A read whose silo dies while it is in flight fails (the caller cannot know whether it ran, so
    /// the runtime never resends it); a test that only reads may ask again. Null while unavailable.
    /// </summary>
    private static async Task<T?> ReadThroughFailoverAsync<T>(Func<Task<T>> read)
        where T : class
    {
        try
        {
            return await read();
        }
        catch (Mindspace.Runtime.Cluster.SiloUnavailableException)
        {
            return null;
        }
    }

    [Fact]
    public async Task A_reminder_keeps_firing_after_its_silo_dies()
    {
        await using var cluster = await TestCluster.StartAsync(silos: 3, gateways: 1);
        var reminder = cluster.Gateways[0].Grains.GetGrain<IReminderProbeGrain>($"reminder-{Guid.NewGuid():N}");
        await reminder.StartAsync();

        var firstTicks = await Eventually.ReturnsAsync(reminder.TicksAsync, ticks => ticks.Count >= 1, "a first tick");
        var owner = cluster.Silos.Single(s => s.SiloId == firstTicks[0]);
        await owner.KillAsync();

        var ticks = await Eventually.ReturnsAsync(
            () => ReadThroughFailoverAsync(reminder.TicksAsync),
            t => t is not null && t.Skip(firstTicks.Count).Any(s => s != owner.SiloId),
            "a tick on another silo",
            seconds: 30);
        Assert.Contains(ticks!, silo => silo != owner.SiloId && cluster.RunningSilos.Any(s => s.SiloId == silo));
    }
}
