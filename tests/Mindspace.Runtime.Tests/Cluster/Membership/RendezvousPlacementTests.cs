using Mindspace.Runtime.Cluster;
using Mindspace.Runtime.Cluster.Membership;

namespace Mindspace.Runtime.Tests.Cluster.Membership;

public sealed class RendezvousPlacementTests
{
    private static readonly string[] ThreeSilos = ["silo-a-1f2e", "silo-b-9c0d", "silo-c-77aa"];

    [Fact]
    public void Partitions_spread_over_the_silos_and_every_member_computes_the_same_owner()
    {
        var owners = Enumerable.Range(0, Partitioning.Count).Select(p => RendezvousPlacement.OwnerOf(p, ThreeSilos)).ToList();
        var reversed = Enumerable.Range(0, Partitioning.Count).Select(p => RendezvousPlacement.OwnerOf(p, [.. ThreeSilos.Reverse()])).ToList();

        Assert.Equal(owners, reversed);
        foreach (var silo in ThreeSilos)
        {
            var share = owners.Count(o => o == silo);
            Assert.InRange(share, Partitioning.Count / 6, Partitioning.Count / 2); // a third each, give or take
        }
    }

    [Fact]
    public void A_joining_silo_takes_partitions_only_from_others_and_a_leaving_one_gives_only_its_own()
    {
        string[] four = [.. ThreeSilos, "silo-d-4b4b"];
        var before = Enumerable.Range(0, Partitioning.Count).Select(p => RendezvousPlacement.OwnerOf(p, ThreeSilos)).ToList();
        var after = Enumerable.Range(0, Partitioning.Count).Select(p => RendezvousPlacement.OwnerOf(p, four)).ToList();

        var moved = Enumerable.Range(0, Partitioning.Count).Where(p => before[p] != after[p]).ToList();
        Assert.NotEmpty(moved);
        Assert.All(moved, p => Assert.Equal("silo-d-4b4b", after[p])); // nothing moves between the old members

        var withoutB = Enumerable.Range(0, Partitioning.Count).Select(p => RendezvousPlacement.OwnerOf(p, ["silo-a-1f2e", "silo-c-77aa"])).ToList();
        Assert.All(Enumerable.Range(0, Partitioning.Count).Where(p => before[p] != "silo-b-9c0d"), p => Assert.Equal(before[p], withoutB[p]));
    }

    [Fact]
    public void No_live_silo_means_no_owner()
        => Assert.Null(RendezvousPlacement.OwnerOf(0, []));
}
