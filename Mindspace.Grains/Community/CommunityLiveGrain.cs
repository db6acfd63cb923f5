using Mindspace.Grains.Interfaces.Community;
using Mindspace.Grains.Observers;

namespace Mindspace.Grains.Community;

/// <inheritdoc cref="ICommunityLiveGrain"/>
/// <remarks>
/// The gateways listening are kept in memory (no storage: a topic is cheap to rebuild, and each gateway
/// subscribes again every <see cref="LiveDelivery.RefreshInterval"/> and right after a silo loss).
/// Uses the system clock for expiry: it measures real time between gateways' refreshes, not product time.
/// </remarks>
public sealed class CommunityLiveGrain : Grain, ICommunityLiveGrain
{
    private readonly ObserverSubscriptions<ICommunityLiveObserver> _observers = new(LiveDelivery.ObserverExpiry, TimeProvider.System);

    public Task SubscribeAsync(ICommunityLiveObserver observer)
    {
        _observers.Subscribe(observer);
        return Task.CompletedTask;
    }

    public Task UnsubscribeAsync(ICommunityLiveObserver observer)
    {
        _observers.Unsubscribe(observer);
        if (_observers.Count == 0)
        {
            DeactivateOnIdle();
        }

        return Task.CompletedTask;
    }

    public Task PublishAsync(CommunityLiveEvent liveEvent)
    {
        ArgumentNullException.ThrowIfNull(liveEvent);
        _observers.DropExpired();
        var topic = this.GetPrimaryKeyString();
        foreach (var observer in _observers)
        {
            // One-way: a gateway that has gone never holds up the others.
            _ = observer.OnLiveEventAsync(topic, liveEvent);
        }

        return Task.CompletedTask;
    }
}
