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
/// This grain calls no other grain: the profile's time zone, which quiet hours follow, is handed to
/// it by the gateway (<see cref="SetPreferencesAsync"/>, <see cref="SyncTimeZoneAsync"/>). Asking the
/// user grain instead could deadlock: that grain awaits this one when it sends a sign-in notification.
/// </remarks>
[Alias("ms.notifications.INotificationInboxGrain")]
public interface INotificationInboxGrain : IGrainWithGuidKey
{
    /// <summary>
    /// Stores the notification at the next sequence number now, whatever the preferences, then pushes
    /// it live. For account and safety notifications and tests; other senders use <see cref="NotifyAsync"/>.
    /// </summary>
    [Alias("append")]
    Task<InboxNotification> AppendAsync(UserNotification notification);

    /// <summary>
    /// Delivers a notification as the user chose: dropped when its category is set to none, held
    /// until their quiet hours end (not for safety and account), otherwise appended as <see cref="AppendAsync"/>.
    /// </summary>
    [Alias("notify")]
    Task<NotifyOutcome> NotifyAsync(UserNotification notification);

    /// <summary>Visible notifications (no tombstones), newest first, with sequence below <paramref name="beforeSequence"/> when given.</summary>
    [Alias("list")]
    Task<NotificationListPage> ListAsync(long? beforeSequence, int limit);

    [Alias("unread-count")]
    Task<int> GetUnreadCountAsync();

    /// <returns>False when the user has no (visible) notification with this id.</returns>
    [Alias("mark-read")]
    Task<bool> MarkReadAsync(Guid notificationId);

    /// <returns>How many were unread.</returns>
    [Alias("mark-all-read")]
    Task<int> MarkAllReadAsync();

    /// <summary>Replaces the notification by a tombstone (its sequence number stays taken).</summary>
    /// <returns>False when the user has no (visible) notification with this id.</returns>
    [Alias("delete")]
    Task<bool> DeleteAsync(Guid notificationId);

    [Alias("get-preferences")]
    Task<NotificationPreferences> GetPreferencesAsync();

    /// <summary>Stores validated preferences (the caller merges with <see cref="NotificationPreferenceRules.Merge"/>).</summary>
    /// <param name="timeZone">The profile's IANA time zone, which quiet hours follow.</param>
    [Alias("set-preferences")]
    Task<NotificationPreferences> SetPreferencesAsync(NotificationPreferences preferences, string timeZone);

    /// <summary>Notes the profile's current time zone for quiet hours (stored only when it changed).</summary>
    [Alias("sync-time-zone")]
    Task SyncTimeZoneAsync(string timeZone);

    /// <summary>Appends the held notifications whose quiet hours have ended (a reminder calls this too).</summary>
    [Alias("release-held")]
    Task<int> ReleaseHeldAsync();

    /// <summary>Everything kept: visible notifications, held ones and preferences.</summary>
    [ResponseTimeout(GrainCallTimeouts.WholeHistory)]
    [Alias("export")]
    Task<NotificationsExport> ExportAsync();

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

    /// <summary>
    /// Adds a browser's Web Push subscription (the same endpoint again replaces its keys). Beyond
    /// <see cref="WebPushRules.MaxSubscriptionsPerUser"/> the oldest goes. The caller validates with <see cref="WebPushRules.Validate"/>.
    /// </summary>
    [Alias("add-push-subscription")]
    Task AddPushSubscriptionAsync(WebPushSubscription subscription);

    /// <returns>False when no subscription has this endpoint.</returns>
    [Alias("remove-push-subscription")]
    Task<bool> RemovePushSubscriptionAsync(string endpoint);

    [Alias("push-subscriptions")]
    Task<IReadOnlyList<WebPushSubscriptionExport>> GetPushSubscriptionsAsync();

    /// <summary>
    /// The Web Push sender reports how one attempt of a pending delivery went: delivered or refused
    /// ends it, gone also removes the subscription, a failure waits its back-off and is sent again
    /// (or given up after the last attempt). A report for an attempt the inbox no longer waits on is ignored.
    /// </summary>
    [Alias("complete-push")]
    Task CompletePushAsync(Guid deliveryId, int attempt, WebPushOutcome outcome);

    /// <summary>Web Push deliveries not finished yet (being sent, or waiting to be sent again), for operations and tests.</summary>
    [ReadOnly]
    [Alias("pending-pushes")]
    Task<IReadOnlyList<PendingWebPush>> GetPendingPushesAsync();

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

/// <summary>What <see cref="INotificationInboxGrain.NotifyAsync"/> did.</summary>
[GenerateSerializer, Alias("ms.notifications.NotifyStatus")]
public enum NotifyStatus
{
    Delivered,
    Held,
    Dropped,
}

/// <param name="Stored">The stored notification when <see cref="NotifyStatus.Delivered"/>.</param>
/// <param name="HeldUntil">When a held one will be delivered.</param>
[GenerateSerializer, Immutable, Alias("ms.notifications.NotifyOutcome")]
public sealed record NotifyOutcome(NotifyStatus Status, InboxNotification? Stored = null, DateTimeOffset? HeldUntil = null);

/// <param name="NextBefore">Pass as beforeSequence for the next (older) page; null at the end.</param>
[GenerateSerializer, Immutable, Alias("ms.notifications.NotificationListPage")]
public sealed record NotificationListPage(IReadOnlyList<InboxNotification> Items, long? NextBefore);

/// <summary>A notification waiting for quiet hours to end.</summary>
[GenerateSerializer, Immutable, Alias("ms.notifications.HeldNotification")]
public sealed record HeldNotification(UserNotification Notification, DateTimeOffset Until);

[GenerateSerializer, Immutable, Alias("ms.notifications.NotificationsExport")]
public sealed record NotificationsExport(
    IReadOnlyList<InboxNotification> Items, IReadOnlyList<HeldNotification> Held, NotificationPreferences Preferences, IReadOnlyList<WebPushSubscriptionExport>? PushSubscriptions = null);
