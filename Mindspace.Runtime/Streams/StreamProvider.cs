using Microsoft.Extensions.Logging;
using Mindspace.Runtime.Persistence;
using Mindspace.Runtime.Serialization;

namespace Mindspace.Runtime.Streams;

/// <summary>Durable streams on the storage provider's event store.</summary>
internal sealed class StreamProvider(
    IStorageProvider storage,
    GrainSerializer serializer,
    StreamWakeups wakeups,
    RuntimeOptions options,
    ILogger<StreamProvider> logger) : IStreamProvider
{
    private IStorageProvider Storage { get; } = storage;

    private GrainSerializer Serializer { get; } = serializer;

    private StreamWakeups Wakeups { get; } = wakeups;

    private RuntimeOptions Options { get; } = options;

    private ILogger Logger { get; } = logger;

    public IAsyncStream<T> GetStream<T>(StreamId streamId) => new AsyncStream<T>(streamId, this);

    private sealed class AsyncStream<T>(StreamId streamId, StreamProvider provider) : IAsyncStream<T>
    {
        private const int ReadBatch = 256;

        public StreamId StreamId => streamId;

        public async Task<StreamSequenceToken> OnNextAsync(T item, CancellationToken cancellationToken = default)
        {
            var sequence = await provider.Storage.Streams.AppendAsync(streamId, provider.Serializer.Serialize(item), cancellationToken).ConfigureAwait(false);
            provider.Wakeups.Published(streamId);
            return new StreamSequenceToken(sequence);
        }

        public async Task<IReadOnlyList<(T Item, StreamSequenceToken Token)>> ReadAsync(StreamSequenceToken after, int limit, CancellationToken cancellationToken = default)
        {
            var events = await provider.Storage.Streams.ReadAsync(streamId, after.SequenceNumber, limit, cancellationToken).ConfigureAwait(false);
            return [.. events.Select(e => (provider.Serializer.Deserialize<T>(e.Payload), new StreamSequenceToken(e.Sequence)))];
        }

        public async Task<StreamSequenceToken> GetLastTokenAsync(CancellationToken cancellationToken = default)
            => new(await provider.Storage.Streams.GetLastSequenceAsync(streamId, cancellationToken).ConfigureAwait(false));

        public Task EraseAsync(CancellationToken cancellationToken = default)
            => provider.Storage.Streams.DeleteStreamAsync(streamId, cancellationToken);

        public Task<StreamSubscriptionHandle> SubscribeAsync(Func<T, StreamSequenceToken, Task> onNextAsync, StreamSequenceToken? after = null, CancellationToken cancellationToken = default)
        {
            var stop = new CancellationTokenSource();
            var listener = provider.Wakeups.Listen(streamId);
            var completion = Task.Run(() => DeliverAsync(onNextAsync, after ?? StreamSequenceToken.Start, listener, stop.Token), CancellationToken.None);
            return Task.FromResult(new StreamSubscriptionHandle(streamId, stop, completion));
        }

        private async Task DeliverAsync(Func<T, StreamSequenceToken, Task> onNextAsync, StreamSequenceToken after, StreamWakeups.Listener listener, CancellationToken stop)
        {
            using var _ = listener;
            var cursor = after.SequenceNumber;
            while (!stop.IsCancellationRequested)
            {
                // Take the wake-up signal before reading, so an append between the read and the wait is not missed.
                var wakeup = listener.NextAsync();
                IReadOnlyList<StoredStreamEvent> events;
                try
                {
                    events = await provider.Storage.Streams.ReadAsync(streamId, cursor, ReadBatch, stop).ConfigureAwait(false);
                }
                catch (OperationCanceledException) when (stop.IsCancellationRequested)
                {
                    return;
                }
                catch (Exception exception)
                {
                    RuntimeLog.StreamReadFailed(provider.Logger, exception, streamId);
                    await DelayQuietly(provider.Options.StreamPollInterval, stop).ConfigureAwait(false);
                    continue;
                }

                foreach (var stored in events)
                {
                    if (stop.IsCancellationRequested)
                    {
                        return;
                    }

                    try
                    {
                        await onNextAsync(provider.Serializer.Deserialize<T>(stored.Payload), new StreamSequenceToken(stored.Sequence)).ConfigureAwait(false);
                    }
                    catch (Exception exception)
                    {
                        RuntimeLog.StreamHandlerFailed(provider.Logger, exception, streamId);
                        throw;
                    }

                    cursor = stored.Sequence;
                }

                if (events.Count < ReadBatch)
                {
                    await Task.WhenAny(wakeup, Task.Delay(provider.Options.StreamPollInterval, stop)).ConfigureAwait(false);
                }
            }
        }

        private static async Task DelayQuietly(TimeSpan delay, CancellationToken cancellationToken)
        {
            try
            {
                await Task.Delay(delay, cancellationToken).ConfigureAwait(false);
            }
            catch (OperationCanceledException)
            {
            }
        }
    }
}
