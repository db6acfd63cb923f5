using Microsoft.Extensions.Logging;
using Mindspace.Grains.Interfaces.Auth;

namespace Mindspace.Grains.Auth;

/// <summary>Stored state of <see cref="SessionRevocationsGrain"/>: the subscribed gateways' observer ids.</summary>
[GenerateSerializer, Alias("ms.state.SessionRevocationsState")]
public sealed class SessionRevocationsState
{
    [Id(0)]
    public List<string> Observers { get; set; } = [];
}

/// <inheritdoc cref="ISessionRevocationsGrain"/>
public sealed partial class SessionRevocationsGrain(
    [PersistentState("session-revocations")] IPersistentState<SessionRevocationsState> state,
    ILogger<SessionRevocationsGrain> logger) : Grain, ISessionRevocationsGrain
{
    private readonly Dictionary<GrainId, (ISessionRevocationObserver Observer, DateTimeOffset RefreshedAt)> _observers = [];

    public override Task OnActivateAsync(CancellationToken cancellationToken)
    {
        // Observers stored before this activation (maybe on a silo that died) count as refreshed now.
        var now = TimeProvider.System.GetUtcNow();
        foreach (var id in state.State.Observers)
        {
            var grainId = GrainId.Parse(id);
            _observers[grainId] = (GrainFactory.GetGrain(grainId).AsReference<ISessionRevocationObserver>(), now);
        }

        return Task.CompletedTask;
    }

    public async Task SubscribeAsync(ISessionRevocationObserver observer)
    {
        ArgumentNullException.ThrowIfNull(observer);
        var id = observer.GetGrainId();
        var isNew = !_observers.ContainsKey(id);
        _observers[id] = (observer, TimeProvider.System.GetUtcNow());
        if (isNew | DropExpiredObservers())
        {
            await WriteAsync();
        }
    }

    public async Task UnsubscribeAsync(ISessionRevocationObserver observer)
    {
        ArgumentNullException.ThrowIfNull(observer);
        if (_observers.Remove(observer.GetGrainId()))
        {
            await WriteAsync();
        }
    }

    public Task PublishAsync(SessionRevocation revocation)
    {
        ArgumentNullException.ThrowIfNull(revocation);
        foreach (var (observer, _) in _observers.Values)
        {
            try
            {
                // One-way: returns once queued. A push lost on the way is bounded by the gateways' cache lifetime.
                _ = observer.OnSessionRevokedAsync(revocation);
            }
            catch (Exception exception) when (exception is not OperationCanceledException)
            {
                LogPushFailed(logger, exception);
            }
        }

        return Task.CompletedTask;
    }

    /// <returns>Whether any observer expired (the caller writes the state).</returns>
    private bool DropExpiredObservers()
    {
        // Real time, not product time: this is about gateways still being there (tests move the product clock).
        var cutoff = TimeProvider.System.GetUtcNow() - SessionRevocationDelivery.ObserverExpiry;
        var expired = _observers.Where(o => o.Value.RefreshedAt < cutoff).Select(o => o.Key).ToList();
        foreach (var id in expired)
        {
            _observers.Remove(id);
        }

        return expired.Count > 0;
    }

    private Task WriteAsync()
    {
        state.State.Observers = [.. _observers.Keys.Select(id => id.ToString())];
        return state.WriteStateAsync();
    }

    [LoggerMessage(EventId = 4020, Level = LogLevel.Warning, Message = "Could not queue a session revocation push to a gateway; its cache lifetime bounds the delay")]
    private static partial void LogPushFailed(ILogger logger, Exception exception);
}
