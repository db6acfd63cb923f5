using System.Text.Json;

namespace Mindspace.Grains.Interfaces.Users;

/// <summary>A new account, validated by the caller (the grain checks again).</summary>
/// <param name="Email">As typed (trimmed); shown back to the user. Its lookup form is derived (<c>EmailKeys.Normalize</c>).</param>
/// <param name="Password">Plain text: hashed by the grain, never stored or logged.</param>
/// <param name="GrantAdmin">The email is listed in <c>ADMIN_EMAILS</c>.</param>
[GenerateSerializer, Immutable, Alias("ms.users.NewUser")]
public sealed record NewUser(
    string Email,
    string DisplayName,
    string TimeZone,
    string Password,
    bool GrantAdmin,
    string? IpAddress);

/// <summary>What a user sees of their own account.</summary>
/// <param name="Preferences">A JSON object of the client's settings (never null: <c>{}</c> when empty).</param>
[GenerateSerializer, Immutable, Alias("ms.users.UserProfile")]
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
[GenerateSerializer, Immutable, Alias("ms.users.SignInAttempt")]
public sealed record SignInAttempt(
    string Password,
    Guid SessionId,
    string RefreshTokenHash,
    DateTimeOffset RefreshExpiresAt,
    bool GrantAdmin,
    string? IpAddress,
    string? UserAgent);

[GenerateSerializer, Alias("ms.users.SignInStatus")]
public enum SignInStatus
{
    Succeeded = 0,
    WrongPassword = 1,
    NoSuchUser = 2,
}

/// <summary>The outcome of <see cref="IUserGrain.SignInAsync"/>; roles are set when it succeeded.</summary>
[GenerateSerializer, Immutable, Alias("ms.users.SignInOutcome")]
public sealed record SignInOutcome(SignInStatus Status, IReadOnlyList<string> Roles);

/// <summary>A partial edit of the profile: null leaves a field as it is.</summary>
/// <param name="PreferencesPatch">A JSON merge patch (RFC 7386) applied to the preferences object.</param>
[GenerateSerializer, Immutable, Alias("ms.users.ProfileUpdate")]
public sealed record ProfileUpdate(string? DisplayName, string? TimeZone, JsonElement? PreferencesPatch, string? IpAddress);

[GenerateSerializer, Alias("ms.users.UpdateStatus")]
public enum UpdateStatus
{
    Updated = 0,
    Invalid = 1,
    NotFound = 2,
}

/// <summary>The profile after an edit, or field errors (camelCase field names) and nothing changed.</summary>
[GenerateSerializer, Immutable, Alias("ms.users.ProfileUpdateResult")]
public sealed record ProfileUpdateResult(UpdateStatus Status, UserProfile? Profile, IReadOnlyDictionary<string, string[]>? Errors);

/// <summary>A role granted or revoked by someone (<paramref name="Actor"/>: "an administrator", "configuration", "command line").</summary>
[GenerateSerializer, Immutable, Alias("ms.users.RoleChange")]
public sealed record RoleChange(string Role, string Actor, string? IpAddress);

/// <summary>The roles after a change; <paramref name="Found"/> is false (and roles empty) when the user does not exist.</summary>
[GenerateSerializer, Immutable, Alias("ms.users.RolesResult")]
public sealed record RolesResult(bool Found, bool Changed, IReadOnlyList<string> Roles);

/// <summary>
/// One entry of a user's own activity log. Never holds passwords or tokens.
/// </summary>
/// <param name="Id">Sorts by time (it is the record key).</param>
/// <param name="Details">Small facts about the event (role name, session id, reason, changed fields).</param>
[GenerateSerializer, Immutable, Alias("ms.users.ActivityEntry")]
public sealed record ActivityEntry(
    string Id,
    string Kind,
    DateTimeOffset OccurredAt,
    string? IpAddress,
    IReadOnlyDictionary<string, string>? Details);

/// <summary>A page of activity, newest first; <paramref name="NextCursor"/> is null on the last page.</summary>
[GenerateSerializer, Immutable, Alias("ms.users.ActivityPage")]
public sealed record ActivityPage(IReadOnlyList<ActivityEntry> Items, string? NextCursor);

/// <summary>What is kept about one session (refresh family): metadata only, never token hashes.</summary>
[GenerateSerializer, Immutable, Alias("ms.users.SessionInfo")]
public sealed record SessionInfo(
    Guid SessionId,
    DateTimeOffset CreatedAt,
    string? IpAddress,
    string? UserAgent,
    DateTimeOffset? EndedAt,
    string? EndReason);

/// <summary>Everything the user module holds about a user.</summary>
[GenerateSerializer, Immutable, Alias("ms.users.UserDataExport")]
public sealed record UserDataExport(
    UserProfile Profile,
    IReadOnlyList<SessionInfo> Sessions,
    IReadOnlyList<ActivityEntry> Activity);

[GenerateSerializer, Alias("ms.users.PasswordCheck")]
public enum PasswordCheck
{
    Correct = 0,
    Wrong = 1,
    NoSuchUser = 2,
}
