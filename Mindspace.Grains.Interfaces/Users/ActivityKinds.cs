namespace Mindspace.Grains.Interfaces.Users;

/// <summary>What an entry of a user's own activity log records.</summary>
public static class ActivityKinds
{
    public const string AccountCreated = "account.created";
    public const string SignIn = "sign-in";
    public const string SignInFailed = "sign-in.failed";
    public const string AccountLocked = "account.locked";
    public const string SignOut = "sign-out";
    public const string SessionRevoked = "session.revoked";
    public const string ProfileUpdated = "profile.updated";
    public const string RoleGranted = "role.granted";
    public const string RoleRevoked = "role.revoked";
    public const string DeletionRefused = "account.deletion-refused";
}

/// <summary>Why a session (refresh family) ended.</summary>
public static class SessionEndReasons
{
    public const string SignedOut = "signed-out";
    public const string SignedOutEverywhere = "signed-out-everywhere";
    public const string RefreshTokenReused = "refresh-token-reused";
    public const string AccountDeleted = "account-deleted";
    public const string SessionLimit = "session-limit";
}
