using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace Mindspace.Runtime.Activation;

/// <summary>Deactivates activations that have been idle for <see cref="RuntimeOptions.CollectionAge"/>.</summary>
internal sealed class ActivationCollector(Catalog catalog, RuntimeOptions options, TimeProvider clock, ILogger<ActivationCollector> logger) : BackgroundService
{
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        using var timer = new PeriodicTimer(options.CollectionQuantum, clock);
        try
        {
            while (await timer.WaitForNextTickAsync(stoppingToken).ConfigureAwait(false))
            {
                var collected = catalog.CollectIdle(options.CollectionAge);
                if (collected > 0)
                {
                    RuntimeLog.IdleCollected(logger, collected);
                }
            }
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
        }
    }
}
