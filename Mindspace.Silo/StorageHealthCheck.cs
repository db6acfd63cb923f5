using Microsoft.Extensions.Diagnostics.HealthChecks;
using Mindspace.Runtime.Persistence;

namespace Mindspace.Silo;

/// <summary>Ready only while the storage answers: a process that cannot persist must not take traffic.</summary>
public sealed class StorageHealthCheck(IStorageProvider storage) : IHealthCheck
{
    public async Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default)
    {
        try
        {
            return await storage.PingAsync(cancellationToken)
                ? HealthCheckResult.Healthy($"{storage.Name} storage answers")
                : HealthCheckResult.Unhealthy($"{storage.Name} storage does not answer");
        }
        catch (Exception exception) when (exception is not OperationCanceledException)
        {
            return HealthCheckResult.Unhealthy($"{storage.Name} storage failed: {exception.GetType().Name}");
        }
    }
}
