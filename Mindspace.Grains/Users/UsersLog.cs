using Microsoft.Extensions.Logging;

namespace Mindspace.Grains.Users;

/// <summary>Log messages of the user grains. User ids only: never emails, passwords or tokens.</summary>
internal static partial class UsersLog
{
    [LoggerMessage(3101, LogLevel.Warning, "Publishing a notification to user {UserId} failed; the sign-in itself succeeded")]
    public static partial void NotificationFailed(ILogger logger, Exception exception, Guid userId);

    [LoggerMessage(3103, LogLevel.Information, "User {UserId} erased ({Sessions} sessions, {ActivityEntries} activity entries)")]
    public static partial void Erased(ILogger logger, Guid userId, int sessions, long activityEntries);
}
