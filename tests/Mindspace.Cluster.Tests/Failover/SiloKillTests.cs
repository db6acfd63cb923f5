using System.Globalization;
using Mindspace.Cluster.Tests.Infrastructure;
using Mindspace.Testing;

namespace Mindspace.Cluster.Tests.Failover;

/// <summary>
/// A silo dies under write load: its grains serve again from the survivors and nothing the cluster
/// acknowledged is lost (issue 8, item 9).
/// </summary>
/// <remarks>
/// <see cref="Orleans.TestingHost.InProcessTestCluster.KillSiloAsync(Orleans.TestingHost.InProcessSiloHandle)"/>
/// is not a real crash: it stops the silo's host with an already-cancelled token, inside this process,
/// and the silo still gets to tell the in-memory membership table it is leaving. A real crash (kill -9
/// of a silo process, TCP connections reset, membership learning of the death only from missed probes)
/// is what <c>deploy/local/chaos.py</c> does against a local cluster; this test is its quick, in-process
/// counterpart that runs with every build.
/// </remarks>
[Collection(ThreeSilos.Name)]
public sealed class SiloKillTests(ThreeSilosFixture fixture, ITestOutputHelper output)
{
    private const int Users = 24;
    private const int Writers = 8;

    /// <summary>The bound: every grain of the dead silo answers from a survivor this soon after the kill.</summary>
    private const int AnswerAgainWithinSeconds = 5;

    [Fact]
    public async Task A_killed_silos_grains_answer_again_on_the_survivors_and_no_acknowledged_write_is_lost()
    {
        var cluster = fixture.Cluster;
        await cluster.RestoreSilosAsync();
        var load = CheckInLoad.Start(cluster.Client, Users, Writers);
        await Eventually.TrueAsync(() => load.Users.All(user => load.AcknowledgedFor(user) > 0), "a write acknowledged for every user");

        var (victim, held) = cluster.BusiestSilo(load.Users, load.GrainOf);
        Assert.NotEmpty(held);

        var killedAt = load.Elapsed;
        await cluster.Cluster.KillSiloAsync(victim);
        var killTook = load.Elapsed - killedAt;

        // Each grain the dead silo held must serve one of its acknowledged entries again (a read that
        // activates it on a survivor and finds what it wrote before the kill).
        var answeredAfter = await Task.WhenAll(held.Select(async user =>
        {
            var entry = load.FirstAcknowledged(user);
            await Eventually.ReturnsAsync(
                () => GrainProbe.TryAsync(token => load.GrainOf(user).GetEntryAsync(entry, token)),
                view => view is not null,
                "every grain of the killed silo to answer from a survivor",
                AnswerAgainWithinSeconds);
            return load.Elapsed - killedAt;
        }));

        // The load keeps going on the survivors for a moment before it is audited.
        var acknowledgedAtRecovery = load.AcknowledgedCount;
        await Eventually.TrueAsync(() => load.AcknowledgedCount > acknowledgedAtRecovery + (Writers * 20), "the load to go on after the recovery");
        await load.StopAsync();
        var audit = await load.AuditAsync();

        var failures = load.Failures;
        var failedBeforeKill = failures.Count(failure => failure.At < killedAt);
        var failedAfterKill = failures.Where(failure => failure.At >= killedAt).ToList();
        output.WriteLine(string.Create(CultureInfo.InvariantCulture, $"killed {victim.SiloAddress} holding {held.Count} of {Users} grains; KillSiloAsync took {killTook.TotalSeconds:0.000} s"));
        output.WriteLine(string.Create(CultureInfo.InvariantCulture, $"its grains answered again {answeredAfter.Min().TotalSeconds:0.000}–{answeredAfter.Max().TotalSeconds:0.000} s after the kill"));
        output.WriteLine(string.Create(CultureInfo.InvariantCulture, $"failed calls: {failedBeforeKill} before the kill, {failedAfterKill.Count} after it{Describe(failedAfterKill, killedAt)}"));
        foreach (var kind in failedAfterKill.GroupBy(failure => failure.Error))
        {
            output.WriteLine(string.Create(
                CultureInfo.InvariantCulture,
                $"  {kind.Key} ×{kind.Count()}, {(kind.Min(failure => failure.At) - killedAt).TotalSeconds:0.000}–{(kind.Max(failure => failure.At) - killedAt).TotalSeconds:0.000} s after the kill, e.g. {kind.First().Message}"));
        }

        output.WriteLine(string.Create(CultureInfo.InvariantCulture, $"writes: {audit.Acknowledged} acknowledged, {audit.Lost} lost, {audit.Unacknowledged} stored although the call failed"));

        Assert.Equal(0, audit.Lost);
    }

    private static string Describe(IReadOnlyList<CallFailure> failures, TimeSpan since)
    {
        if (failures.Count == 0)
        {
            return string.Empty;
        }

        return string.Create(CultureInfo.InvariantCulture, $", the last {(failures.Max(failure => failure.At) - since).TotalSeconds:0.000} s after the kill:");
    }
}
