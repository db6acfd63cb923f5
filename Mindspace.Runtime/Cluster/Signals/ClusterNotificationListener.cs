using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Mindspace.Runtime.Streams;
using Npgsql;

namespace Mindspace.Runtime.Cluster.Signals;

/// <summary>
/// Listens on the cluster's NOTIFY channels on one dedicated session and turns notifications into
/// local wake-ups: stream subscribers, and the loops that rebalance partitions and refresh routing.
/// After a reconnect it wakes everything once, since notifications sent meanwhile are gone.
/// </summary>
internal sealed class ClusterNotificationListener(
    ClusterOptions options,
    StreamWakeups streamWakeups,
    ILogger<ClusterNotificationListener> logger) : BackgroundService
{
    /// <summary>Fires when members or partition owners changed somewhere in the cluster.</summary>
    public AsyncSignal MembershipChanged { get; } = new();

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        var builder = new NpgsqlConnectionStringBuilder(options.ConnectionString)
        {
            Pooling = false,
            ApplicationName = $"mindspace-listen:{options.SiloId}",
            KeepAlive = Math.Max(1, (int)options.HeartbeatInterval.TotalSeconds * 5),
            TcpKeepAlive = true,
        };

        while (!stoppingToken.IsCancellationRequested)
        {
            try
            {
                await using var connection = new NpgsqlConnection(builder.ConnectionString);
                connection.Notification += OnNotification;
                await connection.OpenAsync(stoppingToken).ConfigureAwait(false);
                await using (var listen = new NpgsqlCommand($"LISTEN {ClusterChannels.Membership}; LISTEN {ClusterChannels.Streams};", connection))
                {
                    await listen.ExecuteNonQueryAsync(stoppingToken).ConfigureAwait(false);
                }

                MembershipChanged.Fire();
                streamWakeups.NotifyAll();
                while (!stoppingToken.IsCancellationRequested)
                {
                    await connection.WaitAsync(stoppingToken).ConfigureAwait(false);
                }
            }
            catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
            {
                return;
            }
            catch (Exception exception)
            {
                ClusterLog.ListenerFailed(logger, exception);
                try
                {
                    await Task.Delay(options.HeartbeatInterval, stoppingToken).ConfigureAwait(false);
                }
                catch (OperationCanceledException)
                {
                    return;
                }
            }
        }
    }

    private void OnNotification(object sender, NpgsqlNotificationEventArgs notification)
    {
        if (notification.Channel == ClusterChannels.Membership)
        {
            MembershipChanged.Fire();
            return;
        }

        foreach (var streamId in ClusterChannels.DecodeStreams(notification.Payload))
        {
            streamWakeups.Notify(streamId);
        }
    }
}
