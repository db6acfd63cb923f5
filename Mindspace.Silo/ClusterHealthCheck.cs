using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Diagnostics.HealthChecks;

namespace Mindspace.Silo;

/// <summary>
/// Ready while this process is part of the cluster: a silo that Orleans' membership lists as
/// Active, or a client (gateway-only) that has connected (its start completes only then).
/// </summary>
public sealed class ClusterHealthCheck(IServiceProvider services) : IHealthCheck
{
    public Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default)
    {
        if (services.GetService<ILocalSiloDetails>() is not { } silo)
        {
            return Task.FromResult(HealthCheckResult.Healthy("cluster client"));
        }

        var status = services.GetRequiredService<IClusterMembershipService>().CurrentSnapshot.GetSiloStatus(silo.SiloAddress);
        return Task.FromResult(status == SiloStatus.Active
            ? HealthCheckResult.Healthy($"silo {silo.SiloAddress} is an active member")
            : HealthCheckResult.Unhealthy($"silo {silo.SiloAddress} is {status}"));
    }
}
