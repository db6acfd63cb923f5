namespace Mindspace.Gateway.Notifications;

/// <summary>Log messages of live notification delivery. User ids and sequences only: never the notifications' text.</summary>
internal static partial class NotificationsLog
{
    [LoggerMessage(4101, LogLevel.Debug, "Connection {ConnectionId} of user {UserId} receives notifications after sequence {Sequence}")]
    public static partial void Connected(ILogger logger, string connectionId, Guid userId, long sequence);

    [LoggerMessage(4102, LogLevel.Warning, "Pushing notifications to connection {ConnectionId} failed")]
    public static partial void PushFailed(ILogger logger, Exception exception, string connectionId);

    [LoggerMessage(4103, LogLevel.Warning, "Subscribing to the inbox of user {UserId} failed; retrying")]
    public static partial void SubscribeFailed(ILogger logger, Exception exception, Guid userId);

    [LoggerMessage(4104, LogLevel.Debug, "Filled notifications {From}..{To} of user {UserId} from the inbox")]
    public static partial void GapFilled(ILogger logger, long from, long to, Guid userId);

    [LoggerMessage(4105, LogLevel.Warning, "Watching cluster membership for lost notification pushes stopped; periodic refreshes still catch connections up")]
    public static partial void MembershipWatchFailed(ILogger logger, Exception exception);

    [LoggerMessage(4106, LogLevel.Warning, "Reading the newest notification sequence of user {UserId} failed; the connection starts from when the relay subscribes")]
    public static partial void NewestSequenceUnread(ILogger logger, Exception exception, Guid userId);
}
