using Microsoft.Extensions.Logging;
using Mindspace.Grains.Interfaces.Auth;
using Mindspace.Grains.Observers;

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
    // Real time, not product time: this is about gateways still being there (tests move the product clock).
    private readonly ObserverSubscriptions<ISessionRevocationObserver> _observers = new(SessionRevocationDelivery.ObserverExpiry, TimeProvider.System);

    public override Task OnActivateAsync(CancellationToken cancellationToken)
    {
        _observers.Restore(state.State.Observers, GrainFactory);
        return Task.CompletedTask;
    }

    public async Task SubscribeAsync(ISessionRevocationObserver observer)
    {
        if (_observers.Subscribe(observer))
        {
            await WriteAsync();
        }
    }

    public async Task UnsubscribeAsync(ISessionRevocationObserver observer)
    {
        if (_observers.Unsubscribe(observer))
        {
            await WriteAsync();
        }
    }

    public Task PublishAsync(SessionRevocation revocation)
    {
        ArgumentNullException.ThrowIfNull(revocation);
        foreach (var observer in _observers)
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

    private Task WriteAsync()
    {
        state.State.Observers = _observers.StoredIds();
        return state.WriteStateAsync();
    }

    [LoggerMessage(EventId = 4020, Level = LogLevel.Warning, Message = "Could not queue a session revocation push to a gateway; its cache lifetime bounds the delay")]
    private static partial void LogPushFailed(ILogger logger, Exception exception);
}
