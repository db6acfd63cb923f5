namespace Mindspace.Grains.Interfaces.Notifications;

/// <summary>
/// Something Mindspace tells one user: appended to their inbox (<see cref="INotificationInboxGrain"/>),
/// which numbers it and pushes it live to the notifications hub.
/// </summary>
/// <param name="Kind">What happened, dotted (<see cref="NotificationKinds"/>); clients switch on it.</param>
/// <param name="Title">A short heading, ready to show.</param>
/// <param name="Body">One or two gentle sentences, ready to show.</param>
[GenerateSerializer, Immutable, Alias("ms.notifications.UserNotification")]
public sealed record UserNotification(Guid Id, string Kind, string Title, string Body, DateTimeOffset CreatedAt);

/// <summary>A notification in a user's inbox, at its place in their gapless sequence (1, 2, 3…).</summary>
[GenerateSerializer, Immutable, Alias("ms.notifications.InboxNotification")]
public sealed record InboxNotification(long Sequence, UserNotification Notification);

/// <param name="Items">In sequence order.</param>
/// <param name="LastSequence">The newest sequence in the inbox (0 when empty).</param>
[GenerateSerializer, Immutable, Alias("ms.notifications.InboxPage")]
public sealed record InboxPage(IReadOnlyList<InboxNotification> Items, long LastSequence);

/// <summary>The kinds of <see cref="UserNotification"/>.</summary>
public static class NotificationKinds
{
    /// <summary>Someone (hopefully the user) signed in to the account.</summary>
    public const string SecuritySignIn = "security.sign-in";
}
