using System.Collections.Concurrent;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Mindspace.Runtime.Messaging;
using Mindspace.Runtime.Persistence;
using Mindspace.Runtime.Reminders;
using Mindspace.Runtime.Serialization;
using Mindspace.Runtime.Streams;

namespace Mindspace.Runtime.Activation;

/// <summary>
/// The activations of this silo: finds or creates the one activation of a grain and hands it calls.
/// </summary>
public sealed class Catalog
{
    private readonly ConcurrentDictionary<GrainId, ActivationData> _activations = new();
    private readonly Lazy<ActivationServices> _runtime;
    private readonly GrainTypeRegistry _registry;
    private volatile bool _abandoned;

    public Catalog(IServiceProvider services, GrainTypeRegistry registry, ILogger<Catalog> logger)
    {
        _registry = registry;
        _runtime = new Lazy<ActivationServices>(() => new ActivationServices(
            this,
            registry,
            new GrainActivator(services, services.GetRequiredService<IStorageProvider>(), services.GetRequiredService<GrainSerializer>()),
            services.GetRequiredService<GrainSerializer>(),
            services.GetRequiredService<IGrainFactory>(),
            services,
            services.GetRequiredService<ReminderRegistry>(),
            services.GetRequiredService<IStreamProvider>(),
            services.GetRequiredService<RuntimeOptions>(),
            logger));
    }

    /// <summary>How many activations are live.</summary>
    public int Count => _activations.Count;

    /// <summary>Delivers a call to the grain's activation, activating it if needed.</summary>
    /// <remarks>No state machine on the usual path: the call's own completion is handed back.</remarks>
    public Task<GrainResponse> InvokeAsync(GrainRequest request, CancellationToken cancellationToken)
    {
        ActivationData activation;
        try
        {
            activation = _activations.GetOrAdd(request.Target, static (id, self) => new ActivationData(id, self._registry.GetGrainClass(id), self._runtime.Value), this);
        }
        catch (InvalidOperationException exception)
        {
            return Task.FromResult(GrainResponse.Failed(exception));
        }

        if (!activation.IsReentrant && request.CallChain.Count > 0 && request.CallChain.Contains(activation.GrainId))
        {
            return Task.FromResult(GrainResponse.Failed(new DeadlockException(
                $"Call {request.InterfaceName}.{request.MethodKey} to {request.Target} would wait on itself: " +
                $"the call chain {string.Join(" → ", request.CallChain)} already holds it and it is not [Reentrant].")));
        }

        var item = new RequestWorkItem(request);
        return activation.TryEnqueue(item) ? item.Completion : RetryAfterDeactivationAsync(activation, request, cancellationToken);
    }

    /// <summary>The activation was on its way out: wait until it has gone, then deliver to a fresh one.</summary>
    private async Task<GrainResponse> RetryAfterDeactivationAsync(ActivationData leaving, GrainRequest request, CancellationToken cancellationToken)
    {
        await leaving.Deactivated.WaitAsync(cancellationToken).ConfigureAwait(false);
        return await InvokeAsync(request, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>Times out every accepted call whose deadline has passed (see <see cref="ActivationData.FailExpiredCalls"/>).</summary>
    public int FailExpiredCalls(DateTimeOffset now)
    {
        var expired = 0;
        foreach (var activation in _activations.Values)
        {
            expired += activation.FailExpiredCalls(now);
        }

        return expired;
    }

    /// <summary>Asks idle activations (unused for <paramref name="idleAge"/>) to deactivate.</summary>
    public int CollectIdle(TimeSpan idleAge)
    {
        var collected = 0;
        foreach (var activation in _activations.Values)
        {
            if (activation.IdleFor >= idleAge && activation.TryEnqueue(new DeactivationWorkItem(DeactivationReason.Idle)))
            {
                collected++;
            }
        }

        return collected;
    }

    /// <summary>Deactivates every activation (shutdown) and waits for them, at most <paramref name="timeout"/>.</summary>
    public Task DeactivateAllAsync(DeactivationReason reason, TimeSpan timeout) => DeactivateWhereAsync(_ => true, reason, timeout);

    /// <summary>
    /// Deactivates the activations whose grain matches <paramref name="filter"/> (a partition being
    /// handed over) and waits for them, at most <paramref name="timeout"/>.
    /// </summary>
    public async Task DeactivateWhereAsync(Func<GrainId, bool> filter, DeactivationReason reason, TimeSpan timeout)
    {
        if (_abandoned)
        {
            return;
        }

        var pending = new List<Task>();
        foreach (var activation in _activations.Values)
        {
            if (filter(activation.GrainId))
            {
                activation.TryEnqueue(new DeactivationWorkItem(reason));
                pending.Add(activation.Deactivated);
            }
        }

        await Task.WhenAll(pending).WaitAsync(timeout).ConfigureAwait(false);
    }

    /// <summary>Fail-stop: activations are left as they are and never deactivated (nothing more is written).</summary>
    internal void Abandon() => _abandoned = true;

    internal void Remove(ActivationData activation)
        => _activations.TryRemove(new KeyValuePair<GrainId, ActivationData>(activation.GrainId, activation));

    internal void Redeliver(RequestWorkItem item)
    {
        _ = Task.Run(async () => item.Complete(await InvokeAsync(item.Request, CancellationToken.None).ConfigureAwait(false)));
    }
}
