namespace Mindspace.Runtime.Cluster;

/// <summary>
/// Grains are placed by partition: the stable hash of the grain id modulo a fixed count. The count
/// is stored with the cluster (<c>ms_cluster</c>) and every member checks it when it joins, because
/// changing it would move every grain and every reminder at once.
/// </summary>
public static class Partitioning
{
    public const int Count = 256;

    public static int Of(GrainId grainId) => grainId.PartitionOf(Count);
}
