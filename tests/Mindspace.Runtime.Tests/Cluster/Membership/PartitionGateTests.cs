using Mindspace.Runtime.Cluster.Membership;
using Mindspace.Testing;

namespace Mindspace.Runtime.Tests.Cluster.Membership;

public sealed class PartitionGateTests
{
    [Fact]
    public void A_partition_is_served_only_while_the_lease_is_confirmed()
    {
        var clock = new ManualClock();
        var gate = new PartitionGate(clock);
        gate.Acquired(7);
        Assert.False(gate.TryEnter(7, fromRunningGrain: false)); // held, but no heartbeat confirmed yet

        gate.ConfirmLease(clock.GetTimestamp(), TimeSpan.FromSeconds(5));
        Assert.True(gate.TryEnter(7, fromRunningGrain: false));
        gate.Exit(7);
        Assert.Equal([7], gate.ServedPartitions);

        Assert.Null(gate.LeaseEndedAt);
        var lapse = clock.GetUtcNow() + TimeSpan.FromSeconds(5);
        clock.Advance(TimeSpan.FromSeconds(6)); // the heartbeat stalled for the whole lease: the silo fences itself
        Assert.False(gate.TryEnter(7, fromRunningGrain: false));
        Assert.Equal(lapse, gate.LeaseEndedAt);
        Assert.Empty(gate.ServedPartitions!);
        Assert.False(gate.TryEnter(8, fromRunningGrain: false)); // never held
    }

    [Fact]
    public void A_draining_partition_turns_new_calls_away_but_lets_running_grains_finish_their_own_calls()
    {
        var clock = new ManualClock();
        var gate = new PartitionGate(clock);
        gate.ConfirmLease(clock.GetTimestamp(), TimeSpan.FromMinutes(1));
        gate.Acquired(3);
        Assert.True(gate.TryEnter(3, fromRunningGrain: false)); // a call already inside

        gate.BeginDrain(3);
        Assert.False(gate.TryEnter(3, fromRunningGrain: false));
        Assert.True(gate.TryEnter(3, fromRunningGrain: true)); // made by a grain running in the partition
        Assert.Equal(2, gate.InFlight(3));
        gate.Exit(3);
        gate.Exit(3);

        Assert.False(gate.TryEnter(3, fromRunningGrain: true)); // nothing runs inside any more: closed for everyone
        Assert.Equal(0, gate.InFlight(3));
        gate.Released(3);
        Assert.Empty(gate.HeldPartitions);
    }

    [Fact]
    public void Fencing_drops_every_partition_at_once_and_records_when()
    {
        var clock = new ManualClock();
        var gate = new PartitionGate(clock);
        gate.ConfirmLease(clock.GetTimestamp(), TimeSpan.FromMinutes(1));
        gate.Acquired(1);
        gate.Acquired(2);
        gate.BeginDrain(2);

        var fencedAt = clock.GetUtcNow();
        Assert.Equal([1, 2], gate.Fence());
        Assert.Empty(gate.HeldPartitions);
        Assert.False(gate.LeaseValid);
        clock.Advance(TimeSpan.FromMinutes(5));
        Assert.Equal(fencedAt, gate.LeaseEndedAt);
    }
}
