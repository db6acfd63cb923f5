using Microsoft.Extensions.Configuration;
using Mindspace.Silo.Cluster;
using Mindspace.Silo.Storage.Postgres;

namespace Mindspace.Silo;

/// <summary>
/// How this process joins Mindspace's Orleans cluster, read once from configuration (environment
/// variables or appsettings) and validated at start, so a bad value fails fast with its name.
/// </summary>
/// <param name="DatabaseUrl">PostgreSQL (URL form or Npgsql connection string, normalised); null means embedded SQLite.</param>
/// <param name="DataDirectory">Where embedded mode keeps its files (SQLite database, dev secrets), owner-only.</param>
/// <param name="SiloPort">Orleans' silo-to-silo port.</param>
/// <param name="GatewayPort">Orleans' client-to-silo port.</param>
/// <param name="AdvertiseAddress">The address other members dial to reach this silo.</param>
/// <param name="Tls">The cluster certificate; required in cluster mode.</param>
/// <param name="ShutdownTimeout">How long a stopping process may take to hand its grains over.</param>
public sealed record SiloSettings(
    string? DatabaseUrl,
    string DataDirectory,
    int SiloPort,
    int GatewayPort,
    string AdvertiseAddress,
    string ClusterId,
    string ServiceId,
    ClusterTlsSettings? Tls,
    TimeSpan ShutdownTimeout,
    bool InKubernetes)
{
    public const string DatabaseUrlKey = "DATABASE_URL";
    public const string DataDirectoryKey = "DATA_DIR";
    public const string SiloPortKey = "SILO_PORT";
    public const string GatewayPortKey = "GATEWAY_PORT";
    public const string AdvertiseAddressKey = "SILO_ADVERTISE_ADDRESS";
    public const string ClusterIdKey = "ORLEANS_CLUSTER_ID";
    public const string ServiceIdKey = "ORLEANS_SERVICE_ID";
    public const string ShutdownTimeoutKey = "SHUTDOWN_TIMEOUT";
    public const int DefaultSiloPort = 11111;
    public const int DefaultGatewayPort = 30000;
    public const string DefaultClusterId = "mindspace";

    public bool IsEmbedded => DatabaseUrl is null;

    public static SiloSettings From(IConfiguration configuration)
    {
        var databaseUrl = configuration[DatabaseUrlKey];
        var dataDirectory = configuration[DataDirectoryKey];
        var isCluster = !string.IsNullOrWhiteSpace(databaseUrl);
        return new SiloSettings(
            isCluster ? PostgresConnectionString.Normalize(databaseUrl!) : null,
            Path.GetFullPath(string.IsNullOrWhiteSpace(dataDirectory) ? "data" : dataDirectory),
            ConfigurationValues.ReadInt(configuration, SiloPortKey, DefaultSiloPort, 1, 65535),
            ConfigurationValues.ReadInt(configuration, GatewayPortKey, DefaultGatewayPort, 1, 65535),
            configuration[AdvertiseAddressKey] is { Length: > 0 } address ? address.Trim()
                : configuration["POD_IP"] is { Length: > 0 } podIp ? podIp.Trim()
                : AdvertiseAddresses.Default(),
            Identifier(configuration, ClusterIdKey),
            Identifier(configuration, ServiceIdKey),
            isCluster ? ClusterTlsSettings.From(configuration) : null,
            ConfigurationValues.ReadDuration(configuration, ShutdownTimeoutKey, TimeSpan.FromSeconds(30)),
            !string.IsNullOrEmpty(configuration["KUBERNETES_SERVICE_HOST"]));
    }

    private static string Identifier(IConfiguration configuration, string key)
    {
        var value = configuration[key];
        if (string.IsNullOrWhiteSpace(value))
        {
            return DefaultClusterId;
        }

        value = value.Trim();
        return value.Length <= 100 && value.All(c => char.IsAsciiLetterOrDigit(c) || c is '-' or '_' or '.')
            ? value
            : throw new InvalidOperationException($"{key} must be 1 to 100 letters, digits, '-', '_' or '.'.");
    }
}
