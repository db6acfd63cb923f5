using System.Text.Json;

namespace Mindspace.Grains.Interfaces.Users;

/// <summary>A new account, validated by the caller (the grain checks again).</summary>
/// <param name="Email">As typed (trimmed); shown back to the user. Its lookup form is derived (<c>EmailKeys.Normalize</c>).</param>
/// <param name="Password">Plain text: hashed by the grain, never stored or logged.</param>
/// <param name="GrantAdmin">The email is listed in <c>ADMIN_EMAILS</c>.</param>
public sealed record NewUser(
    string Email,
    string DisplayName,
    string TimeZone,
    string Password,
    bool GrantAdmin,
    string? IpAddress);

/// <summary>What a user sees of their own account.</summary>
/// <param name="Preferences">A JSON object of the client's settings (never null: <c>{}</c> when empty).</param>
public sealed record UserProfile(
    Guid UserId,
    string Email,
    string DisplayName,
    string TimeZone,
    IReadOnlyList<string> Roles,
    DateTimeOffset CreatedAt,
    DateTimeOffset UpdatedAt,
    JsonElement Preferences);

/// <summary>A sign-in with a password, and the refresh family to open if it is right.</summary>
/// <param name="RefreshTokenHash">SHA-256 (hex) of the first refresh token of the new session.</param>
/// <param name="GrantAdmin">The email is listed in <c>ADMIN_EMAILS</c>.</param>
public sealed record SignInAttempt(
    string Password,
    Guid SessionId,
    string RefreshTokenHash,
    DateTimeOffset RefreshExpiresAt,
    bool GrantAdmin,
    string? IpAddress,
    string? UserAgent);

public enum SignInStatus
{
    Succeeded = 0,
    WrongPassword = 1,
    NoSuchUser = 2,
}

/// <summary>The outcome of <see cref="IUserGrain.SignInAsync"/>; roles are set when it succeeded.</summary>
public sealed record SignInOutcome(SignInStatus Status, IReadOnlyList<string> Roles);

/// <summary>A partial edit of the profile: null leaves a field as it is.</summary>
/// <param name="PreferencesPatch">A JSON merge patch (RFC 7386) applied to the preferences object.</param>
public sealed record ProfileUpdate(string? DisplayName, string? TimeZone, JsonElement? PreferencesPatch, string? IpAddress);

public enum UpdateStatus
{
    Updated = 0,
    Invalid = 1,
    NotFound = 2,
}

/// <summary>The profile after an edit, or field errors (camelCase field names) and nothing changed.</summary>
public sealed record ProfileUpdateResult(UpdateStatus Status, UserProfile? Profile, IReadOnlyDictionary<string, string[]>? Errors);

/// <summary>A role granted or revoked by someone (<paramref name="Actor"/>: "an administrator", "configuration", "command line").</summary>
public sealed record RoleChange(string Role, string Actor, string? IpAddress);

/// <summary>The roles after a change; <paramref name="Found"/> is false (and roles empty) when the user does not exist.</summary>
public sealed record RolesResult(bool Found, bool Changed, IReadOnlyList<string> Roles);

/// <summary>
/// One entry of a user's own activity log. Never holds passwords or tokens.
/// </summary>
/// <param name="Id">Sorts by time (it is the record key).</param>
/// <param name="Details">Small facts about the event (role name, session id, reason, changed fields).</param>
public sealed record ActivityEntry(
    string Id,
    string Kind,
    DateTimeOffset OccurredAt,
    string? IpAddress,
    IReadOnlyDictionary<string, string>? Details);

/// <summary>A page of activity, newest first; <paramref name="NextCursor"/> is null on the last page.</summary>
public sealed record ActivityPage(IReadOnlyList<ActivityEntry> Items, string? NextCursor);

/// <summary>What is kept about one session (refresh family): metadata only, never token hashes.</summary>
public sealed record SessionInfo(
    Guid SessionId,
    DateTimeOffset CreatedAt,
    string? IpAddress,
    string? UserAgent,
    DateTimeOffset? EndedAt,
    string? EndReason);

/// <summary>Everything the user module holds about a user.</summary>
public sealed record UserDataExport(
    UserProfile Profile,
    IReadOnlyList<SessionInfo> Sessions,
    IReadOnlyList<ActivityEntry> Activity);

public enum PasswordCheck
{
    Correct = 0,
    Wrong = 1,
    NoSuchUser = 2,
}
