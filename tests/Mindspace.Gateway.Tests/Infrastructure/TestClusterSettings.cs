using System.Globalization;
using Mindspace.Testing;

namespace Mindspace.Gateway.Tests.Infrastructure;

/// <summary>What every process of a test needs: Orleans ports of its own, and in cluster mode the cluster certificate and a shared JWT secret.</summary>
public static class TestClusterSettings
{
    public const string JwtSecret = "test-jwt-secret-shared-by-every-gateway-0123456789";

    /// <summary>Fresh loopback ports for Orleans' silo and gateway endpoints, so hosts of parallel tests never meet.</summary>
    public static void ApplyPorts(IDictionary<string, string?> settings)
    {
        settings["SILO_PORT"] = LoopbackPorts.Free().ToString(CultureInfo.InvariantCulture);
        settings["GATEWAY_PORT"] = LoopbackPorts.Free().ToString(CultureInfo.InvariantCulture);
    }

    /// <summary>A member of the cluster on <paramref name="databaseUrl"/>: loopback addresses and the test cluster certificate (trusted through the test CA).</summary>
    public static void ApplyCluster(IDictionary<string, string?> settings, string databaseUrl)
    {
        var certificates = TestCertificates.Shared;
        settings["DATABASE_URL"] = databaseUrl;
        settings["JWT_SECRET"] = JwtSecret;
        settings["SILO_ADVERTISE_ADDRESS"] = "127.0.0.1";
        settings["CLUSTER_TLS_CERT"] = certificates.ClusterCertificatePath;
        settings["CLUSTER_TLS_KEY"] = certificates.ClusterKeyPath;
        settings["CLUSTER_TLS_CA"] = certificates.CaPath;
        settings["SHUTDOWN_TIMEOUT"] = "15s";
    }
}
