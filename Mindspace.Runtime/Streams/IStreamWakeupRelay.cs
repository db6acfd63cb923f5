namespace Mindspace.Runtime.Streams;

/// <summary>Carries "this stream has a new event" to the other processes of a cluster; best effort, subscribers also poll.</summary>
public interface IStreamWakeupRelay
{
    /// <summary>Queues the wake-up; never blocks the publisher.</summary>
    void Relay(StreamId streamId);
}
