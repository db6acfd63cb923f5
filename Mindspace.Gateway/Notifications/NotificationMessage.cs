using Mindspace.Grains.Interfaces.Notifications;

namespace Mindspace.Gateway.Notifications;

/// <summary>
/// The payload of the hub's <c>notification</c> client method.
/// </summary>
/// <param name="Sequence">Position in the user's notification stream (1, 2, 3…); pass the last one
/// you handled as <c>lastSequence</c> when reconnecting to receive exactly what you missed.</param>
public sealed record NotificationMessage(Guid Id, long Sequence, string Kind, string Title, string Body, DateTimeOffset CreatedAt)
{
    public static NotificationMessage From(InboxNotification stored)
        => new(stored.Notification.Id, stored.Sequence, stored.Notification.Kind, stored.Notification.Title, stored.Notification.Body, stored.Notification.CreatedAt);
}
