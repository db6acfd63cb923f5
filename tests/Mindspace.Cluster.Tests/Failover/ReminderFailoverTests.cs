using System.Globalization;
using Mindspace.Cluster.Tests.Infrastructure;
using Mindspace.Testing;

namespace Mindspace.Cluster.Tests.Failover;

/// <summary>
/// Reminders live in the AdoNet reminder table on PostgreSQL, each owned by one silo's reminder
/// service; when that silo dies, a survivor takes its share over and the reminders keep firing
/// (issue 8, item 9). See <see cref="SiloKillTests"/> for what the test cluster's kill is and is not.
/// </summary>
[Collection(ThreeSilos.Name)]
public sealed class ReminderFailoverTests(ThreeSilosFixture fixture, ITestOutputHelper output)
{
    /// <summary>Enough grains that every silo's reminder service owns some of them.</summary>
    private const int Probes = 12;

    private static readonly TimeSpan Period = TimeSpan.FromSeconds(2);

    [Fact]
    public async Task Reminders_registered_before_their_silo_is_killed_fire_on_a_survivor()
    {
        var cluster = fixture.Cluster;
        await cluster.RestoreSilosAsync();
        var probes = Enumerable.Range(0, Probes).Select(_ => cluster.Client.GetGrain<IReminderProbeGrain>(Guid.NewGuid().ToString("N"))).ToList();
        await Task.WhenAll(probes.Select(probe => probe.StartAsync(TimeSpan.FromSeconds(1), Period)));
        try
        {
            foreach (var probe in probes)
            {
                await Eventually.ReturnsAsync(probe.GetStatusAsync, status => status.Ticks > 0, "every reminder's first tick");
            }

            // Kill the silo whose reminder service owns the most of them; it owns at least a third.
            var silos = cluster.Cluster.GetActiveSilos().ToList();
            var victim = silos.MaxBy(silo => probes.Count(probe => ReminderRing.Owns(silo, probe)))!;
            var owned = probes.Where(probe => ReminderRing.Owns(victim, probe)).ToList();
            var hosted = probes.Count(probe => cluster.HostOf(probe) == victim.SiloAddress);
            Assert.NotEmpty(owned);

            var ticksBefore = new Dictionary<IReminderProbeGrain, int>();
            foreach (var probe in probes)
            {
                ticksBefore[probe] = (await probe.GetStatusAsync()).Ticks;
            }

            var killedAt = DateTime.UtcNow;
            await cluster.Cluster.KillSiloAsync(victim);
            var survivors = cluster.Cluster.GetActiveSilos().Select(silo => silo.SiloAddress.ToString()).ToHashSet();

            // Two more ticks: at most one of them can have been under way when the kill began.
            var firedAgainAfter = await Task.WhenAll(probes.Select(async probe =>
            {
                var status = await Eventually.ReturnsAsync(
                    () => GrainProbe.TryAsync(_ => probe.GetStatusAsync()),
                    status => status is not null && status.Ticks >= ticksBefore[probe] + 2 && survivors.Contains(status.LastSilo ?? string.Empty),
                    "every reminder to tick on a survivor after the kill",
                    seconds: 30);
                return (Probe: probe, After: DateTime.UtcNow - killedAt, status!.LastSilo);
            }));

            var ownedAfter = firedAgainAfter.Where(result => owned.Contains(result.Probe)).Select(result => result.After).ToList();
            output.WriteLine(string.Create(
                CultureInfo.InvariantCulture,
                $"killed {victim.SiloAddress}, owner of {owned.Count} of {Probes} reminders and host of {hosted} of the grains; period {Period.TotalSeconds:0} s"));
            output.WriteLine(string.Create(
                CultureInfo.InvariantCulture,
                $"its reminders ticked twice more on survivors {ownedAfter.Min().TotalSeconds:0.0}–{ownedAfter.Max().TotalSeconds:0.0} s after the kill"));
        }
        finally
        {
            // Reminders outlive the test otherwise, and would tick through the next test's measurements.
            await Task.WhenAll(probes.Select(probe => GrainProbe.TryAsync(async _ =>
            {
                await probe.StopAsync();
                return string.Empty;
            })));
        }
    }
}
