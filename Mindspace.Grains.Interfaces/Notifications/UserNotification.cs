using Mindspace.Runtime.Streams;

namespace Mindspace.Grains.Interfaces.Notifications;

/// <summary>
/// Something Mindspace tells one user, appended to their durable notification stream
/// (<see cref="NotificationStreams.ForUser"/>) and pushed live by the notifications hub.
/// </summary>
/// <param name="Kind">What happened, dotted (<see cref="NotificationKinds"/>); clients switch on it.</param>
/// <param name="Title">A short heading, ready to show.</param>
/// <param name="Body">One or two gentle sentences, ready to show.</param>
public sealed record UserNotification(Guid Id, string Kind, string Title, string Body, DateTimeOffset CreatedAt);

/// <summary>The kinds of <see cref="UserNotification"/>.</summary>
public static class NotificationKinds
{
    /// <summary>Someone (hopefully the user) signed in to the account.</summary>
    public const string SecuritySignIn = "security.sign-in";
}

/// <summary>Where users' notifications live.</summary>
public static class NotificationStreams
{
    public const string Namespace = "notifications";

    /// <summary>The durable stream of <paramref name="userId"/>'s notifications.</summary>
    public static StreamId ForUser(Guid userId) => new(Namespace, userId.ToString("D"));
}
