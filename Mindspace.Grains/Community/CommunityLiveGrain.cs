using Mindspace.Grains.Interfaces.Community;

namespace Mindspace.Grains.Community;

/// <inheritdoc cref="ICommunityLiveGrain"/>
/// <remarks>
/// The gateways listening are kept in memory (no storage: a topic is cheap to rebuild, and each gateway
/// subscribes again every <see cref="LiveDelivery.RefreshInterval"/> and right after a silo loss).
/// Uses the system clock for expiry: it measures real time between gateways' refreshes, not product time.
/// </remarks>
public sealed class CommunityLiveGrain : Grain, ICommunityLiveGrain
{
    private readonly Dictionary<GrainId, (ICommunityLiveObserver Observer, DateTimeOffset RefreshedAt)> _observers = [];

    public Task SubscribeAsync(ICommunityLiveObserver observer)
    {
        ArgumentNullException.ThrowIfNull(observer);
        _observers[observer.GetGrainId()] = (observer, TimeProvider.System.GetUtcNow());
        return Task.CompletedTask;
    }

    public Task UnsubscribeAsync(ICommunityLiveObserver observer)
    {
        ArgumentNullException.ThrowIfNull(observer);
        _observers.Remove(observer.GetGrainId());
        if (_observers.Count == 0)
        {
            DeactivateOnIdle();
        }

        return Task.CompletedTask;
    }

    public Task PublishAsync(CommunityLiveEvent liveEvent)
    {
        ArgumentNullException.ThrowIfNull(liveEvent);
        var cutoff = TimeProvider.System.GetUtcNow() - LiveDelivery.ObserverExpiry;
        foreach (var expired in _observers.Where(o => o.Value.RefreshedAt < cutoff).Select(o => o.Key).ToList())
        {
            _observers.Remove(expired);
        }

        var topic = this.GetPrimaryKeyString();
        foreach (var (observer, _) in _observers.Values)
        {
            // One-way: a gateway that has gone never holds up the others.
            _ = observer.OnLiveEventAsync(topic, liveEvent);
        }

        return Task.CompletedTask;
    }
}
