using Microsoft.Extensions.DependencyInjection;
using Mindspace.Runtime.Cluster;
using Mindspace.Testing;

namespace Mindspace.Gateway.Tests.Infrastructure;

/// <summary>
/// What every cluster member in the tests shares: the secret, loopback addresses, a fresh silo port
/// each, and intervals short enough that failover happens in seconds.
/// </summary>
public static class TestClusterSettings
{
    public const string Secret = "test-cluster-secret-not-for-production";

    public static void Apply(IDictionary<string, string?> settings)
    {
        settings["CLUSTER_SECRET"] = Secret;
        settings["JWT_SECRET"] = "test-jwt-secret-shared-by-every-gateway-0123456789";
        settings["SILO_PORT"] = LoopbackPorts.Free().ToString(System.Globalization.CultureInfo.InvariantCulture);
        settings["SILO_ADVERTISE_ADDRESS"] = "127.0.0.1";
        settings["Cluster:HeartbeatInterval"] = "200ms";
        settings["Cluster:EvictionAge"] = "2s";
        settings["SHUTDOWN_TIMEOUT"] = "15s";
    }

    /// <summary>Waits until the member can route calls and, if it hosts grains, holds its lease.</summary>
    public static async Task WaitUntilReadyAsync(IServiceProvider services)
    {
        if (services.GetService<ClusterMember>() is not { } member)
        {
            return;
        }

        var deadline = DateTime.UtcNow.AddSeconds(30);
        while (!member.IsReady)
        {
            if (DateTime.UtcNow > deadline)
            {
                throw new TimeoutException($"Cluster member {member.SiloId} did not become ready within 30 s.");
            }

            await Task.Delay(20);
        }
    }
}
