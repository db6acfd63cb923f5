using Microsoft.Extensions.DependencyInjection;
using Mindspace.Runtime.Cluster.Membership;
using Mindspace.Runtime.Cluster.Routing;

namespace Mindspace.Runtime.Cluster;

/// <summary>
/// This process as a cluster member, for health checks, operators and tests: who it is, what it
/// serves, whether it can route, and a fail-stop switch.
/// </summary>
public sealed class ClusterMember
{
    private readonly ClusterOptions _options;
    private readonly PartitionGate _gate;
    private readonly PartitionDirectory _directory;
    private readonly IServiceProvider _services;

    internal ClusterMember(ClusterOptions options, PartitionGate gate, PartitionDirectory directory, IServiceProvider services)
    {
        _options = options;
        _gate = gate;
        _directory = directory;
        _services = services;
    }

    public string SiloId => _options.SiloId;

    public bool HostsGrains => _options.HostsGrains;

    /// <summary>Partitions this silo serves right now (none once its lease lapsed).</summary>
    public IReadOnlyCollection<int> ServedPartitions => _gate.ServedPartitions ?? [];

    /// <summary>Whether this silo's lease is confirmed (it has joined and its heartbeat is current).</summary>
    public bool HasLease => _gate.LeaseValid;

    /// <summary>When this silo's lease last ended (it fenced itself or the lease lapsed); null while it holds.</summary>
    public DateTimeOffset? LeaseEndedAt => _gate.LeaseEndedAt;

    /// <summary>Whether the partition directory has been read, so calls can be routed.</summary>
    public bool CanRoute => _directory.IsLoaded;

    /// <summary>Ready for traffic: routing works and, for a grain-hosting silo, its lease is confirmed.</summary>
    public bool IsReady => CanRoute && (!HostsGrains || HasLease);

    /// <summary>The silo currently recorded as holder of <paramref name="grainId"/>'s partition, if any.</summary>
    public SiloAddress? OwnerOf(GrainId grainId) => _directory.OwnerOf(Partitioning.Of(grainId));

    /// <summary>
    /// Fail-stop: stops serving and drops the lease at once, without handing anything over, as if the
    /// process had died. The peers take the partitions over. For a process that must not go on.
    /// </summary>
    public Task AbortAsync()
        => _services.GetService<SiloMembershipService>() is { } membership ? membership.AbortAsync() : Task.CompletedTask;
}
