using System.Collections.Concurrent;
using Microsoft.AspNetCore.SignalR;
using Mindspace.Gateway.Auth;
using Mindspace.Grains.Interfaces.Notifications;
using Mindspace.Runtime.Streams;

namespace Mindspace.Gateway.Notifications;

/// <summary>
/// One durable-stream subscription per hub connection, keyed by connection id, pushing each
/// notification to that connection in stream order. Disposed when the connection ends.
/// </summary>
public sealed class NotificationSubscriptions(
    IStreamProvider streams,
    IHubContext<NotificationsHub> hub,
    ILoggerFactory loggers) : IAsyncDisposable
{
    private readonly ConcurrentDictionary<string, StreamSubscriptionHandle> _handles = new(StringComparer.Ordinal);
    private readonly ILogger _logger = AuthLog.Create(loggers);

    /// <summary>
    /// Starts pushing <paramref name="userId"/>'s notifications after <paramref name="afterSequence"/>,
    /// or, when null, only those that arrive from now on.
    /// </summary>
    public async Task SubscribeAsync(string connectionId, Guid userId, long? afterSequence, CancellationToken cancellationToken)
    {
        var stream = streams.GetStream<UserNotification>(NotificationStreams.ForUser(userId));
        var after = afterSequence is { } sequence ? new StreamSequenceToken(sequence) : await stream.GetLastTokenAsync(cancellationToken);
        var client = hub.Clients.Client(connectionId);
        var handle = await stream.SubscribeAsync(
            (notification, token) => client.SendAsync(NotificationsHub.NotificationMethod, NotificationMessage.From(notification, token.SequenceNumber), CancellationToken.None),
            after,
            cancellationToken);
        if (!_handles.TryAdd(connectionId, handle))
        {
            await handle.DisposeAsync();
            return;
        }

        _ = handle.Completion.ContinueWith(
            task => AuthLog.NotificationsPushFailed(_logger, task.Exception!, connectionId),
            CancellationToken.None,
            TaskContinuationOptions.OnlyOnFaulted,
            TaskScheduler.Default);
        AuthLog.NotificationsSubscribed(_logger, connectionId, userId, after.SequenceNumber);
    }

    public async Task UnsubscribeAsync(string connectionId)
    {
        if (_handles.TryRemove(connectionId, out var handle))
        {
            await handle.DisposeAsync();
        }
    }

    public async ValueTask DisposeAsync()
    {
        foreach (var connectionId in _handles.Keys)
        {
            await UnsubscribeAsync(connectionId);
        }
    }
}
