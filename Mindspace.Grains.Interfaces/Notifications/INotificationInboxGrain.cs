using Orleans.Concurrency;

namespace Mindspace.Grains.Interfaces.Notifications;

/// <summary>
/// One user's durable notification inbox, keyed by the user id. Each notification gets the next
/// number of a gapless sequence and is stored before it is acknowledged; then it is pushed to the
/// subscribed observers (the gateways holding that user's hub connections).
/// </summary>
/// <remarks>
/// The observer list is stored with the inbox, so a reactivation on another silo (after the one
/// holding it died) pushes again at once instead of waiting for gateways to re-subscribe. A push is
/// one-way and may be lost: gateways fill any gap in the sequence from <see cref="ReadAfterAsync"/>.
/// This grain calls no other grain.
/// </remarks>
[Alias("ms.notifications.INotificationInboxGrain")]
public interface INotificationInboxGrain : IGrainWithGuidKey
{
    /// <summary>Stores the notification at the next sequence number, then pushes it live.</summary>
    [Alias("append")]
    Task<InboxNotification> AppendAsync(UserNotification notification);

    /// <summary>Notifications after <paramref name="afterSequence"/>, oldest first, at most <paramref name="limit"/>.</summary>
    [Alias("read-after")]
    Task<InboxPage> ReadAfterAsync(long afterSequence, int limit);

    /// <summary>
    /// Adds (or refreshes) an observer; it expires unless refreshed within <see cref="NotificationDelivery.ObserverExpiry"/>.
    /// </summary>
    /// <returns>The newest sequence in the inbox, so the caller can tell whether it missed a push.</returns>
    [Alias("subscribe")]
    Task<long> SubscribeAsync(INotificationObserver observer);

    [Alias("unsubscribe")]
    Task UnsubscribeAsync(INotificationObserver observer);

    /// <summary>Deletes every notification and subscription (the account is being erased).</summary>
    [ResponseTimeout(GrainCallTimeouts.WholeHistory)]
    [Alias("erase")]
    Task EraseAsync();
}

/// <summary>Receives users' notifications as they are stored: implemented by each gateway process.</summary>
[Alias("ms.notifications.INotificationObserver")]
public interface INotificationObserver : IGrainObserver
{
    /// <summary>
    /// One-way, so an inbox never waits on a gateway that has gone (an awaited call to a lost
    /// client would hold the inbox for the whole response timeout).
    /// </summary>
    [OneWay]
    [Alias("on-notification")]
    Task OnNotificationAsync(Guid userId, InboxNotification notification);
}

/// <summary>Timing of live delivery, shared by the inbox grain and the gateways that subscribe.</summary>
public static class NotificationDelivery
{
    /// <summary>An observer not refreshed for this long is dropped (its gateway has gone).</summary>
    public static readonly TimeSpan ObserverExpiry = TimeSpan.FromMinutes(3);

    /// <summary>How often a gateway refreshes its subscriptions: well inside <see cref="ObserverExpiry"/>.</summary>
    public static readonly TimeSpan RefreshInterval = TimeSpan.FromSeconds(45);

    /// <summary>Most notifications one <see cref="INotificationInboxGrain.ReadAfterAsync"/> returns.</summary>
    public const int MaxPage = 200;
}
