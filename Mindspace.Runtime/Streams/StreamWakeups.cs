using System.Collections.Concurrent;

namespace Mindspace.Runtime.Streams;

/// <summary>
/// Wakes subscriptions when their stream gets a new event. Only a hint: subscriptions also poll,
/// so a lost wake-up delays delivery but never loses an event. In a cluster, relays carry the
/// wake-up to other processes, which forward it here.
/// </summary>
public sealed class StreamWakeups(IEnumerable<IStreamWakeupRelay> relays)
{
    private readonly ConcurrentDictionary<StreamId, Signal> _signals = new();
    private readonly IStreamWakeupRelay[] _relays = [.. relays];

    /// <summary>An event was appended to <paramref name="streamId"/> here: wake local subscribers and tell the other processes.</summary>
    public void Published(StreamId streamId)
    {
        Notify(streamId);
        foreach (var relay in _relays)
        {
            relay.Relay(streamId);
        }
    }

    /// <summary>Wakes this process's subscribers of <paramref name="streamId"/>.</summary>
    public void Notify(StreamId streamId)
    {
        if (_signals.TryGetValue(streamId, out var signal))
        {
            signal.Fire();
        }
    }

    /// <summary>Wakes every subscriber, after wake-ups may have been missed (a relay reconnected).</summary>
    public void NotifyAll()
    {
        foreach (var signal in _signals.Values)
        {
            signal.Fire();
        }
    }

    /// <summary>Starts listening to a stream; dispose to stop.</summary>
    internal Listener Listen(StreamId streamId)
    {
        var signal = _signals.AddOrUpdate(streamId, static _ => new Signal(1), static (_, s) => s.AddListener());
        return new Listener(this, streamId, signal);
    }

    private void Release(StreamId streamId, Signal signal)
    {
        if (signal.RemoveListener() == 0)
        {
            _signals.TryRemove(new KeyValuePair<StreamId, Signal>(streamId, signal));
        }
    }

    internal sealed class Listener(StreamWakeups owner, StreamId streamId, Signal signal) : IDisposable
    {
        /// <summary>Completes at the next wake-up after this call.</summary>
        public Task NextAsync() => signal.Next;

        public void Dispose() => owner.Release(streamId, signal);
    }

    internal sealed class Signal(int listeners) : AsyncSignal
    {
        private int _listeners = listeners;

        public Signal AddListener()
        {
            Interlocked.Increment(ref _listeners);
            return this;
        }

        public int RemoveListener() => Interlocked.Decrement(ref _listeners);
    }
}
