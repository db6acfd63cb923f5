using Microsoft.Extensions.Diagnostics.HealthChecks;
using Mindspace.Silo.Storage;

namespace Mindspace.Silo;

/// <summary>Ready only while the storage answers: a process that cannot persist must not take traffic.</summary>
public sealed class StorageHealthCheck(IStoragePing storage) : IHealthCheck
{
    public async Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default)
    {
        try
        {
            await storage.PingAsync(cancellationToken);
            return HealthCheckResult.Healthy($"{storage.Name} storage answers");
        }
        catch (Exception exception) when (exception is not OperationCanceledException)
        {
            return HealthCheckResult.Unhealthy($"{storage.Name} storage failed: {exception.GetType().Name}");
        }
    }
}
