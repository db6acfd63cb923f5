using System.Collections.Concurrent;
using Mindspace.Runtime;
using Mindspace.Runtime.Cluster;
using Mindspace.Runtime.Persistence;
using Mindspace.Runtime.Reminders;

namespace Mindspace.Gateway.Tests.Cluster;

/// <summary>What a probe grain says about where it runs.</summary>
/// <param name="RanAt">When the call ran (every silo of the test process shares the clock).</param>
public sealed record ProbeReply(string SiloId, Guid ActivationId, long Hits, DateTimeOffset RanAt);

[GrainType(IClusterProbeGrain.ProbeGrainType)]
public interface IClusterProbeGrain : IGrainWithStringKey
{
    /// <summary>Where this call ran, in which activation, and how many calls that activation has had.</summary>
    const string ProbeGrainType = "cluster-probe";

    Task<ProbeReply> HitAsync();

    /// <summary>Adds to a durable counter; the answer comes after the write committed.</summary>
    Task<long> AddAsync(long amount);

    Task<long> TotalAsync();
}

[GrainType("reminder-probe")]
public interface IReminderProbeGrain : IGrainWithStringKey, IRemindable
{
    Task StartAsync();

    /// <summary>The silo of every tick received, oldest first.</summary>
    Task<IReadOnlyList<string>> TicksAsync();
}

public sealed class ProbeCounter
{
    public long Total { get; set; }
}

public sealed class ReminderTicks
{
    public List<string> Silos { get; set; } = [];
}

/// <summary>
/// Counts live activations of each probe grain across every silo of the test process, so a test can
/// see whether a grain was ever active twice at the same time.
/// </summary>
public static class ProbeActivations
{
    private static readonly ConcurrentDictionary<string, int> Live = new();
    private static readonly ConcurrentDictionary<string, int> MostAtOnce = new();

    public static int MostAtOnceFor(string key) => MostAtOnce.GetValueOrDefault(key);

    internal static void Activated(string key)
    {
        var now = Live.AddOrUpdate(key, 1, (_, n) => n + 1);
        MostAtOnce.AddOrUpdate(key, now, (_, most) => Math.Max(most, now));
    }

    internal static void Deactivated(string key) => Live.AddOrUpdate(key, 0, (_, n) => n - 1);
}

public sealed class ClusterProbeGrain(ClusterMember member, [PersistentState("counter")] IPersistentState<ProbeCounter> counter) : Grain, IClusterProbeGrain
{
    private readonly Guid _activationId = Guid.NewGuid();
    private long _hits;

    public override Task OnActivateAsync(CancellationToken cancellationToken)
    {
        ProbeActivations.Activated(GetPrimaryKeyString());
        return Task.CompletedTask;
    }

    public override Task OnDeactivateAsync(DeactivationReason reason, CancellationToken cancellationToken)
    {
        ProbeActivations.Deactivated(GetPrimaryKeyString());
        return Task.CompletedTask;
    }

    public Task<ProbeReply> HitAsync() => Task.FromResult(new ProbeReply(member.SiloId, _activationId, ++_hits, DateTimeOffset.UtcNow));

    public async Task<long> AddAsync(long amount)
    {
        counter.State.Total += amount;
        await counter.WriteStateAsync();
        return counter.State.Total;
    }

    public Task<long> TotalAsync() => Task.FromResult(counter.State.Total);
}

public sealed class ReminderProbeGrain(ClusterMember member, [PersistentState("ticks")] IPersistentState<ReminderTicks> ticks) : Grain, IReminderProbeGrain
{
    public Task StartAsync() => RegisterOrUpdateReminder("probe", TimeSpan.Zero, TimeSpan.FromSeconds(1));

    public async Task ReceiveReminder(string reminderName, TickStatus status)
    {
        ticks.State.Silos.Add(member.SiloId);
        await ticks.WriteStateAsync();
    }

    public Task<IReadOnlyList<string>> TicksAsync() => Task.FromResult<IReadOnlyList<string>>([.. ticks.State.Silos]);
}
