using Microsoft.Extensions.Configuration;
using Mindspace.Runtime;
using Mindspace.Runtime.Cluster;
using Mindspace.Runtime.Persistence.Postgres;

namespace Mindspace.Silo;

/// <summary>
/// The silo's settings, read once from configuration (environment variables or appsettings) and
/// validated at start so that a bad value fails fast with its name.
/// </summary>
/// <param name="DatabaseUrl">PostgreSQL (URL form or Npgsql connection string); null means embedded SQLite.</param>
/// <param name="DataDirectory">Where embedded mode keeps its files (SQLite database, dev secrets).</param>
/// <param name="ClusterSecret">Shared by every member of a cluster; required with <c>DATABASE_URL</c>.</param>
/// <param name="SiloPort">The internal port of the cluster transport.</param>
/// <param name="AdvertiseAddress">The address other members dial to reach this silo.</param>
/// <param name="ShutdownTimeout">How long a stopping process may take, hand-over of its partitions included.</param>
/// <param name="ClusterIntervals"><c>Cluster:HeartbeatInterval</c> and <c>Cluster:EvictionAge</c> overrides.</param>
public sealed record SiloSettings(
    string? DatabaseUrl,
    string DataDirectory,
    IReadOnlyDictionary<string, TimeSpan> RuntimeIntervals,
    string? ClusterSecret,
    int SiloPort,
    string AdvertiseAddress,
    TimeSpan ShutdownTimeout,
    IReadOnlyDictionary<string, TimeSpan> ClusterIntervals)
{
    public const string DatabaseUrlKey = "DATABASE_URL";
    public const string DataDirectoryKey = "DATA_DIR";
    public const string ClusterSecretKey = "CLUSTER_SECRET";
    public const string SiloPortKey = "SILO_PORT";
    public const string AdvertiseAddressKey = "SILO_ADVERTISE_ADDRESS";
    public const string ShutdownTimeoutKey = "SHUTDOWN_TIMEOUT";

    private static readonly string[] ClusterIntervalNames = [nameof(ClusterOptions.HeartbeatInterval), nameof(ClusterOptions.EvictionAge)];

    public bool IsEmbedded => DatabaseUrl is null;

    public static SiloSettings From(IConfiguration configuration)
    {
        var databaseUrl = configuration[DatabaseUrlKey];
        var dataDirectory = configuration[DataDirectoryKey];
        var intervals = new Dictionary<string, TimeSpan>();
        foreach (var child in configuration.GetSection("Runtime").GetChildren())
        {
            intervals[child.Key] = ConfigurationValues.ReadDuration(configuration, $"Runtime:{child.Key}", TimeSpan.Zero);
        }

        var clusterIntervals = new Dictionary<string, TimeSpan>();
        foreach (var child in configuration.GetSection("Cluster").GetChildren())
        {
            clusterIntervals[child.Key] = ClusterIntervalNames.Contains(child.Key)
                ? ConfigurationValues.ReadDuration(configuration, $"Cluster:{child.Key}", TimeSpan.Zero)
                : throw new InvalidOperationException($"Cluster:{child.Key} is not a cluster setting; known: {string.Join(", ", ClusterIntervalNames)}.");
        }

        var secret = configuration[ClusterSecretKey];
        return new SiloSettings(
            string.IsNullOrWhiteSpace(databaseUrl) ? null : databaseUrl.Trim(),
            Path.GetFullPath(string.IsNullOrWhiteSpace(dataDirectory) ? "data" : dataDirectory),
            intervals,
            string.IsNullOrEmpty(secret) ? null : secret,
            ConfigurationValues.ReadInt(configuration, SiloPortKey, ClusterOptions.DefaultSiloPort, 1, 65535),
            configuration[AdvertiseAddressKey] is { Length: > 0 } address ? address.Trim() : AdvertiseAddresses.Default(),
            ConfigurationValues.ReadDuration(configuration, ShutdownTimeoutKey, TimeSpan.FromSeconds(30)),
            clusterIntervals);
    }

    /// <summary>
    /// The cluster settings of this process, or null in embedded mode (no <c>DATABASE_URL</c>).
    /// </summary>
    /// <param name="hostsGrains">False for a gateway that only routes calls (<c>GATEWAY_ONLY</c>) and for command-line tools.</param>
    public ClusterOptions? ToClusterOptions(bool hostsGrains)
    {
        if (DatabaseUrl is null)
        {
            return null;
        }

        // Its length is checked with the other cluster settings (ClusterOptions.Validate).
        if (ClusterSecret is null)
        {
            throw new InvalidOperationException(
                $"{ClusterSecretKey} must be set (at least 16 characters, the same on every silo and gateway) when {DatabaseUrlKey} is set.");
        }

        var heartbeat = ClusterIntervals.GetValueOrDefault(nameof(ClusterOptions.HeartbeatInterval), TimeSpan.FromSeconds(1));
        return new ClusterOptions
        {
            ConnectionString = PostgresConnectionString.Normalize(DatabaseUrl),
            Secret = System.Text.Encoding.UTF8.GetBytes(ClusterSecret),
            HostsGrains = hostsGrains,
            AdvertisedHost = AdvertiseAddress,
            SiloPort = SiloPort,
            HeartbeatInterval = heartbeat,
            EvictionAge = ClusterIntervals.GetValueOrDefault(nameof(ClusterOptions.EvictionAge), heartbeat * 10),

            // Leave a margin of the shutdown budget for stopping the transport and the rest of the host.
            DrainTimeout = ShutdownTimeout > TimeSpan.FromSeconds(10) ? ShutdownTimeout - TimeSpan.FromSeconds(5) : ShutdownTimeout / 2,
        };
    }

    /// <summary>Applies <c>Runtime:*</c> overrides (e.g. <c>Runtime:CollectionAge</c>) to the runtime options.</summary>
    public void ApplyTo(RuntimeOptions options)
    {
        foreach (var (name, value) in RuntimeIntervals)
        {
            var property = typeof(RuntimeOptions).GetProperty(name)
                ?? throw new InvalidOperationException($"Runtime:{name} is not a runtime setting.");
            property.SetValue(options, value);
        }
    }
}
