using System.Collections.Concurrent;

namespace Mindspace.Runtime.Streams;

/// <summary>
/// Wakes subscriptions when their stream gets a new event. Only a hint: subscriptions also poll,
/// so a lost wake-up delays delivery but never loses an event. The cluster forwards wake-ups from
/// other processes here.
/// </summary>
public sealed class StreamWakeups
{
    private readonly ConcurrentDictionary<StreamId, Signal> _signals = new();

    public void Notify(StreamId streamId)
    {
        if (_signals.TryGetValue(streamId, out var signal))
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
        public Task NextAsync() => signal.Current;

        public void Dispose() => owner.Release(streamId, signal);
    }

    internal sealed class Signal(int listeners)
    {
        private TaskCompletionSource _current = new(TaskCreationOptions.RunContinuationsAsynchronously);
        private int _listeners = listeners;

        public Task Current => Volatile.Read(ref _current).Task;

        public Signal AddListener()
        {
            Interlocked.Increment(ref _listeners);
            return this;
        }

        public int RemoveListener() => Interlocked.Decrement(ref _listeners);

        public void Fire()
            => Interlocked.Exchange(ref _current, new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously)).TrySetResult();
    }
}
