namespace Mindspace.Grains.Observers;

/// <summary>
/// The grain observers (gateway processes) a grain pushes to, each with when it last subscribed.
/// Observer pushes are one-way and an observer that is gone never says so, so every subscriber
/// subscribes again every so often and one that has not done so for <c>expiry</c> is dropped.
/// One place for what the notification inbox, the focus grain, the session revocations and the
/// community topics all do with their listeners.
/// </summary>
/// <remarks>
/// A grain that stores its observers (to push again at once after it moves to another silo) writes
/// <see cref="StoredIds"/> whenever <see cref="Subscribe"/>, <see cref="Unsubscribe"/> or
/// <see cref="DropExpired"/> say the set changed, and gives the stored ids back to <see cref="Restore"/>
/// when it activates. Not thread-safe: a grain's turns run one at a time.
/// </remarks>
/// <param name="expiry">How long an observer counts after its last subscription.</param>
/// <param name="time">The clock expiry is measured on (real time unless the grain has reason otherwise).</param>
public sealed class ObserverSubscriptions<TObserver>(TimeSpan expiry, TimeProvider time)
    where TObserver : IGrainObserver
{
    private readonly Dictionary<GrainId, (TObserver Observer, DateTimeOffset RefreshedAt)> _observers = [];

    public int Count => _observers.Count;

    /// <summary>Takes back the observers an earlier activation stored (maybe on a silo that died); they count as subscribed now.</summary>
    public void Restore(IEnumerable<string> storedIds, IGrainFactory grains)
    {
        ArgumentNullException.ThrowIfNull(storedIds);
        ArgumentNullException.ThrowIfNull(grains);
        var now = time.GetUtcNow();
        foreach (var id in storedIds)
        {
            var grainId = GrainId.Parse(id);
            _observers[grainId] = (grains.GetGrain(grainId).AsReference<TObserver>(), now);
        }
    }

    /// <summary>Adds <paramref name="observer"/> or renews its subscription, and drops the expired.</summary>
    /// <returns>Whether the set of observers changed (a new one, or expired ones dropped): a grain that stores them writes <see cref="StoredIds"/>.</returns>
    public bool Subscribe(TObserver observer)
    {
        ArgumentNullException.ThrowIfNull(observer);
        var id = observer.GetGrainId();
        var isNew = !_observers.ContainsKey(id);
        _observers[id] = (observer, time.GetUtcNow());
        return isNew | DropExpired();
    }

    /// <returns>Whether it was subscribed.</returns>
    public bool Unsubscribe(TObserver observer)
    {
        ArgumentNullException.ThrowIfNull(observer);
        return _observers.Remove(observer.GetGrainId());
    }

    /// <summary>Drops the observers that have not subscribed within the expiry. Runs before every push: allocates nothing unless one expired.</summary>
    /// <returns>Whether any was dropped.</returns>
    public bool DropExpired()
    {
        var cutoff = time.GetUtcNow() - expiry;
        var dropped = false;
        foreach (var (id, subscription) in _observers)
        {
            if (subscription.RefreshedAt < cutoff)
            {
                // Removing during enumeration is allowed for Dictionary<TKey, TValue> since .NET Core 3.0.
                _observers.Remove(id);
                dropped = true;
            }
        }

        return dropped;
    }

    public void Clear() => _observers.Clear();

    /// <summary>The observers' grain ids, as a grain stores them.</summary>
    public List<string> StoredIds() => [.. _observers.Keys.Select(id => id.ToString())];

    /// <summary>The observers to push to (<c>foreach</c> allocates nothing).</summary>
    public Enumerator GetEnumerator() => new(_observers.Values.GetEnumerator());

    public struct Enumerator(Dictionary<GrainId, (TObserver Observer, DateTimeOffset RefreshedAt)>.ValueCollection.Enumerator inner)
    {
        private Dictionary<GrainId, (TObserver Observer, DateTimeOffset RefreshedAt)>.ValueCollection.Enumerator _inner = inner;

        public readonly TObserver Current => _inner.Current.Observer;

        public bool MoveNext() => _inner.MoveNext();
    }
}
