using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using Mindspace.Runtime.Cluster;

namespace Mindspace.Silo;

/// <summary>
/// Ready once this process can take part: it has read who owns which partition and, if it hosts
/// grains, holds a confirmed lease. Always healthy in embedded mode (no cluster).
/// </summary>
public sealed class ClusterHealthCheck(IServiceProvider services) : IHealthCheck
{
    public Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default)
    {
        if (services.GetService<ClusterMember>() is not { } member)
        {
            return Task.FromResult(HealthCheckResult.Healthy("embedded: no cluster"));
        }

        return Task.FromResult(member.IsReady
            ? HealthCheckResult.Healthy($"member {member.SiloId}, serving {member.ServedPartitions.Count} partitions")
            : HealthCheckResult.Unhealthy(member.CanRoute ? "joining: no confirmed lease yet" : "partition owners not read yet"));
    }
}
