namespace Mindspace.Runtime.Cluster;

/// <summary>Which partitions this process serves; reminders are read only for those.</summary>
public interface IPartitionOwnership
{
    /// <summary>The partitions served now; null means all of them (a single embedded silo).</summary>
    IReadOnlyCollection<int>? ServedPartitions { get; }
}

/// <summary>The embedded silo: it serves every partition.</summary>
internal sealed class AllPartitions : IPartitionOwnership
{
    public IReadOnlyCollection<int>? ServedPartitions => null;
}
