namespace Mindspace.Grains.Interfaces.Notifications;

/// <summary>
/// Something Mindspace tells one user: appended to their inbox (<see cref="INotificationInboxGrain"/>),
/// which numbers it and pushes it live to the notifications hub.
/// </summary>
/// <param name="Kind">What happened, dotted (<see cref="NotificationKinds"/>); clients switch on it.</param>
/// <param name="Title">A short heading, ready to show.</param>
/// <param name="Body">One or two gentle sentences, ready to show.</param>
/// <param name="BatchKey">
/// Optional: notifications with the same key are similar ("someone liked your post" for one post).
/// While the previous one with this key is unread, a new one replaces it and carries the count on
/// (<see cref="InboxNotification.Count"/>), so the sender words its title for the count.
/// </param>
[GenerateSerializer, Immutable, Alias("ms.notifications.UserNotification")]
public sealed record UserNotification(Guid Id, string Kind, string Title, string Body, DateTimeOffset CreatedAt, string? BatchKey = null);

/// <summary>A notification in a user's inbox, at its place in their gapless sequence (1, 2, 3…).</summary>
/// <param name="Count">How many similar notifications this one stands for (1 unless batched).</param>
/// <param name="ReadAt">When the user marked it read; null while unread.</param>
/// <param name="Removed">
/// A tombstone: the user deleted it, or a later one with the same batch key replaced it. Its number
/// stays taken so the sequence the hub relays stays gapless; its title and body are gone, and the
/// REST list, counts and replays skip it.
/// </param>
[GenerateSerializer, Immutable, Alias("ms.notifications.InboxNotification")]
public sealed record InboxNotification(long Sequence, UserNotification Notification, int Count = 1, DateTimeOffset? ReadAt = null, bool Removed = false);

/// <param name="Items">In sequence order.</param>
/// <param name="LastSequence">The newest sequence in the inbox (0 when empty).</param>
[GenerateSerializer, Immutable, Alias("ms.notifications.InboxPage")]
public sealed record InboxPage(IReadOnlyList<InboxNotification> Items, long LastSequence);

/// <summary>The kinds of <see cref="UserNotification"/>.</summary>
public static class NotificationKinds
{
    /// <summary>Someone (hopefully the user) signed in to the account.</summary>
    public const string SecuritySignIn = "security.sign-in";

    /// <summary>The weekly report is ready (digest).</summary>
    public const string ReportsWeeklyReady = "reports.weekly-ready";
}
