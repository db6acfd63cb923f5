namespace Mindspace.Runtime.Streams;

/// <summary>One durable stream event with its per-stream sequence number (1, 2, 3, … without gaps).</summary>
public sealed record StoredStreamEvent(long Sequence, byte[] Payload, DateTimeOffset CreatedAt);

/// <summary>
/// Durable stream events, (namespace, key, sequence) → payload. Appends to one stream get
/// consecutive sequence numbers in commit order, so a reader that remembers the last sequence it
/// saw can always resume without gaps or repeats.
/// </summary>
public interface IStreamEventStore
{
    /// <returns>The sequence number given to the event.</returns>
    Task<long> AppendAsync(StreamId streamId, ReadOnlyMemory<byte> payload, CancellationToken cancellationToken);

    /// <summary>Events with sequence &gt; <paramref name="afterSequence"/>, in order, at most <paramref name="limit"/>.</summary>
    Task<IReadOnlyList<StoredStreamEvent>> ReadAsync(StreamId streamId, long afterSequence, int limit, CancellationToken cancellationToken);

    /// <summary>The last sequence number given in the stream, 0 if none.</summary>
    Task<long> GetLastSequenceAsync(StreamId streamId, CancellationToken cancellationToken);

    /// <summary>Removes every event of the stream (erasure of a user's data).</summary>
    Task DeleteStreamAsync(StreamId streamId, CancellationToken cancellationToken);
}
