using System.Globalization;

namespace Mindspace.Runtime.Cluster.Membership;

/// <summary>
/// Rendezvous (highest random weight) hashing: each partition goes to the live silo with the highest
/// score for that pair. When a silo joins or leaves, only the partitions it wins or held move;
/// every other partition keeps its owner. Every member computes the same answer from the same list.
/// </summary>
internal static class RendezvousPlacement
{
    public static string? OwnerOf(int partition, IReadOnlyList<string> liveSiloIds)
    {
        string? best = null;
        var bestScore = 0UL;
        foreach (var siloId in liveSiloIds)
        {
            var score = Score(partition, siloId);
            if (best is null || score > bestScore || (score == bestScore && string.CompareOrdinal(siloId, best) > 0))
            {
                best = siloId;
                bestScore = score;
            }
        }

        return best;
    }

    /// <summary>FNV-1a of the pair, finished with SplitMix64's mixer so similar ids spread evenly.</summary>
    private static ulong Score(int partition, string siloId)
    {
        var z = StableHashing.Fnv1a64(siloId, partition.ToString(CultureInfo.InvariantCulture)) + 0x9E3779B97F4A7C15UL;
        z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9UL;
        z = (z ^ (z >> 27)) * 0x94D049BB133111EBUL;
        return z ^ (z >> 31);
    }
}
