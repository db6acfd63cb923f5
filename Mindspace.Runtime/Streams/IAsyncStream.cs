namespace Mindspace.Runtime.Streams;

/// <summary>A position in a stream: the sequence number of an event (the first event is 1).</summary>
public readonly record struct StreamSequenceToken(long SequenceNumber)
{
    /// <summary>The position before the first event.</summary>
    public static StreamSequenceToken Start => new(0);
}

/// <summary>A durable, ordered stream of events of one type.</summary>
public interface IAsyncStream<T>
{
    StreamId StreamId { get; }

    /// <summary>Appends an event durably; it is committed when the task completes.</summary>
    Task<StreamSequenceToken> OnNextAsync(T item, CancellationToken cancellationToken = default);

    /// <summary>
    /// Delivers every event after <paramref name="after"/> (from the start when null), in order,
    /// once each, and then new events as they are appended, until the handle is disposed.
    /// A handler that throws ends the subscription (see <see cref="StreamSubscriptionHandle.Completion"/>):
    /// resubscribe from the last token you handled.
    /// </summary>
    Task<StreamSubscriptionHandle> SubscribeAsync(Func<T, StreamSequenceToken, Task> onNextAsync, StreamSequenceToken? after = null, CancellationToken cancellationToken = default);

    /// <summary>Events after <paramref name="after"/>, in order, at most <paramref name="limit"/>.</summary>
    Task<IReadOnlyList<(T Item, StreamSequenceToken Token)>> ReadAsync(StreamSequenceToken after, int limit, CancellationToken cancellationToken = default);

    /// <summary>The position of the newest event (<see cref="StreamSequenceToken.Start"/> when empty): subscribe after it to get only new events.</summary>
    Task<StreamSequenceToken> GetLastTokenAsync(CancellationToken cancellationToken = default);

    /// <summary>
    /// Erases every event of the stream. Sequence numbers are not reused, so a subscriber resuming
    /// from an old position misses nothing appended later.
    /// </summary>
    Task EraseAsync(CancellationToken cancellationToken = default);
}

/// <summary>Finds streams by id.</summary>
public interface IStreamProvider
{
    IAsyncStream<T> GetStream<T>(StreamId streamId);
}
