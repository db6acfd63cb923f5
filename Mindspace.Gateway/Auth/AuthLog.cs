namespace Mindspace.Gateway.Auth;

/// <summary>
/// Log messages of auth, users and notifications in the gateway. User and session ids only:
/// never emails, passwords, tokens or IP addresses.
/// </summary>
internal static partial class AuthLog
{
    public const string Category = "Mindspace.Gateway.Auth";

    public static ILogger Create(ILoggerFactory loggers) => loggers.CreateLogger(Category);

    [LoggerMessage(4001, LogLevel.Information, "User {UserId} registered")]
    public static partial void Registered(ILogger logger, Guid userId);

    [LoggerMessage(4002, LogLevel.Information, "User {UserId} signed in (session {SessionId})")]
    public static partial void SignedIn(ILogger logger, Guid userId, Guid sessionId);

    [LoggerMessage(4003, LogLevel.Information, "A sign-in failed")]
    public static partial void SignInFailed(ILogger logger);

    [LoggerMessage(4004, LogLevel.Warning, "Sign-in locked for an email after repeated failures, until {Until}")]
    public static partial void SignInLocked(ILogger logger, DateTimeOffset until);

    [LoggerMessage(4005, LogLevel.Warning, "Refresh-token reuse detected: session {SessionId} of user {UserId} revoked")]
    public static partial void RefreshTokenReused(ILogger logger, Guid userId, Guid sessionId);

    [LoggerMessage(4006, LogLevel.Information, "Session {SessionId} of user {UserId} ended ({Reason})")]
    public static partial void SessionEnded(ILogger logger, Guid userId, Guid sessionId, string reason);

    [LoggerMessage(4007, LogLevel.Information, "Role {Role} {Change} for user {UserId} by {Actor}")]
    public static partial void RoleChanged(ILogger logger, Guid userId, string role, string change, string actor);

    [LoggerMessage(4008, LogLevel.Information, "User {UserId} deleted their account")]
    public static partial void AccountDeleted(ILogger logger, Guid userId);

    [LoggerMessage(4009, LogLevel.Debug, "Access token refused: {Reason}")]
    public static partial void TokenRefused(ILogger logger, string reason);

    [LoggerMessage(4010, LogLevel.Warning, "Released the email of account {UserId}, which no longer exists, so it can register again")]
    public static partial void StaleEmailReleased(ILogger logger, Guid userId);
}
