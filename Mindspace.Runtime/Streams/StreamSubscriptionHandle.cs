namespace Mindspace.Runtime.Streams;

/// <summary>A live subscription. Dispose it to stop delivery.</summary>
public sealed class StreamSubscriptionHandle : IAsyncDisposable
{
    private readonly CancellationTokenSource _stop;

    internal StreamSubscriptionHandle(StreamId streamId, CancellationTokenSource stop, Task completion)
    {
        StreamId = streamId;
        _stop = stop;
        Completion = completion;
    }

    public StreamId StreamId { get; }

    /// <summary>Ends when the subscription ends: disposed (completes) or a handler threw (faults with it).</summary>
    public Task Completion { get; }

    public async ValueTask DisposeAsync()
    {
        await _stop.CancelAsync().ConfigureAwait(false);
        try
        {
            await Completion.ConfigureAwait(false);
        }
        catch (Exception)
        {
            // The subscription's failure was reported through Completion; disposing only stops it.
        }

        _stop.Dispose();
    }
}
