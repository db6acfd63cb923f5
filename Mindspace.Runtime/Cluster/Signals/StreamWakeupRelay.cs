using System.Threading.Channels;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Mindspace.Runtime.Persistence.Postgres;
using Mindspace.Runtime.Streams;
using Npgsql;

namespace Mindspace.Runtime.Cluster.Signals;

/// <summary>
/// Sends stream wake-ups to the other processes over <c>NOTIFY</c>, batched: every stream that got an
/// event since the last send goes out in one <c>pg_notify</c> (notifying commits take a global lock
/// in PostgreSQL, so one per event would serialize publishers).
/// </summary>
internal sealed class StreamWakeupRelay(NpgsqlDataSource dataSource, ILogger<StreamWakeupRelay> logger) : BackgroundService, IStreamWakeupRelay
{
    private readonly Channel<StreamId> _pending = Channel.CreateUnbounded<StreamId>(new UnboundedChannelOptions { SingleReader = true });

    public void Relay(StreamId streamId) => _pending.Writer.TryWrite(streamId);

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        var batch = new HashSet<StreamId>();
        try
        {
            while (await _pending.Reader.WaitToReadAsync(stoppingToken).ConfigureAwait(false))
            {
                while (_pending.Reader.TryRead(out var streamId))
                {
                    batch.Add(streamId);
                }

                try
                {
                    foreach (var payload in ClusterChannels.EncodeStreams(batch))
                    {
                        await using var command = dataSource.CreateCommand("SELECT pg_notify(@channel, @payload)");
                        command.With("channel", ClusterChannels.Streams).With("payload", payload);
                        await command.ExecuteNonQueryAsync(stoppingToken).ConfigureAwait(false);
                    }
                }
                catch (Exception exception) when (exception is NpgsqlException or TimeoutException)
                {
                    // Subscribers elsewhere poll; they see the events a little later.
                    ClusterLog.WakeupRelayFailed(logger, exception, batch.Count);
                }

                batch.Clear();
            }
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
        }
    }
}
