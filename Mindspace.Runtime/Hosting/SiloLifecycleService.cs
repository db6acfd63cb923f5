using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Mindspace.Runtime.Activation;
using Mindspace.Runtime.Persistence;

namespace Mindspace.Runtime;

/// <summary>
/// Prepares storage before anything else starts and, on shutdown, deactivates every activation
/// (running their OnDeactivateAsync) after the rest of the host has stopped sending calls.
/// </summary>
internal sealed class SiloLifecycleService(
    IStorageProvider storage,
    Catalog catalog,
    GrainTypeRegistry registry,
    RuntimeOptions options,
    ILogger<SiloLifecycleService> logger) : IHostedLifecycleService
{
    public async Task StartingAsync(CancellationToken cancellationToken)
    {
        await storage.InitializeAsync(cancellationToken).ConfigureAwait(false);
        RuntimeLog.Started(logger, storage.Name, registry.GrainClasses.Count);
    }

    public Task StartAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    public Task StartedAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    public Task StoppingAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    public async Task StoppedAsync(CancellationToken cancellationToken)
    {
        RuntimeLog.Stopping(logger, catalog.Count);
        try
        {
            await catalog.DeactivateAllAsync(DeactivationReason.ShuttingDown, options.CallTimeout).ConfigureAwait(false);
        }
        catch (TimeoutException)
        {
            // Whatever did not finish in time was not acknowledged as written either; storage has the last committed state.
        }

        await storage.DisposeAsync().ConfigureAwait(false);
    }
}
