using System.Security.Cryptography;

namespace Mindspace.Runtime.Cluster;

/// <summary>
/// How this process takes part in a cluster on PostgreSQL (ARCHITECTURE D3): as a silo that hosts
/// grains, or — <see cref="HostsGrains"/> false — as a gateway that only routes calls to silos.
/// </summary>
public sealed class ClusterOptions
{
    /// <summary>The cluster's PostgreSQL (Npgsql connection string); membership and storage share it.</summary>
    public required string ConnectionString { get; init; }

    /// <summary>The shared secret that authenticates members to each other (at least 16 bytes).</summary>
    public required byte[] Secret { get; init; }

    /// <summary>Unique per process start, so a restarted silo is a new member and never mistaken for its former self.</summary>
    public string SiloId { get; init; } = NewSiloId();

    /// <summary>False for a gateway that hosts no grains: it joins no partition and routes every call.</summary>
    public bool HostsGrains { get; init; } = true;

    /// <summary>The address other members dial to reach this silo's <see cref="SiloPort"/>.</summary>
    public string AdvertisedHost { get; init; } = "127.0.0.1";

    /// <summary>The internal port of the cluster transport (grain calls between members).</summary>
    public int SiloPort { get; init; } = DefaultSiloPort;

    /// <summary>How often a silo renews its heartbeat and rebalances partitions. Default 1 s.</summary>
    public TimeSpan HeartbeatInterval { get; init; } = TimeSpan.FromSeconds(1);

    /// <summary>
    /// A silo whose heartbeat is older than this is evicted by its peers. A silo stops serving by
    /// itself after half of it without a confirmed heartbeat, so it is always fenced before peers
    /// take its partitions. Default 10 s.
    /// </summary>
    public TimeSpan EvictionAge { get; init; } = TimeSpan.FromSeconds(10);

    /// <summary>How long a leaving silo waits for its partitions' calls and deactivations. Default 20 s.</summary>
    public TimeSpan DrainTimeout { get; init; } = TimeSpan.FromSeconds(20);

    public const int DefaultSiloPort = 11111;

    /// <summary>How long a served partition stays served without a confirmed heartbeat.</summary>
    public TimeSpan LeaseValidity => EvictionAge / 2;

    public SiloAddress Address => new(SiloId, AdvertisedHost, SiloPort);

    public void Validate()
    {
        if (Secret is not { Length: >= 16 })
        {
            throw new InvalidOperationException("The cluster secret (CLUSTER_SECRET) must be at least 16 bytes long.");
        }

        if (HeartbeatInterval <= TimeSpan.Zero || EvictionAge < HeartbeatInterval * 4)
        {
            throw new InvalidOperationException(
                $"The eviction age ({EvictionAge}) must be at least four heartbeat intervals ({HeartbeatInterval}), so one slow heartbeat does not evict a healthy silo.");
        }

        if (SiloPort is < 1 or > 65535)
        {
            throw new InvalidOperationException($"The silo port must be from 1 to 65535; it is {SiloPort}.");
        }
    }

    private static string NewSiloId()
    {
        var host = Environment.MachineName.ToLowerInvariant();
        return $"{(host.Length > 40 ? host[..40] : host)}-{Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(4))}";
    }
}
