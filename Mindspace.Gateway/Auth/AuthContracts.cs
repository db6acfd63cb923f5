using System.Text.Json;
using System.Text.Json.Serialization;
using Mindspace.Grains.Interfaces.Analytics;
using Mindspace.Grains.Interfaces.CheckIns;
using Mindspace.Grains.Interfaces.Journal;
using Mindspace.Grains.Interfaces.Notifications;
using Mindspace.Grains.Interfaces.Reports;
using Mindspace.Grains.Interfaces.Users;

namespace Mindspace.Gateway.Auth;

// HTTP request and response bodies of the auth, me and admin APIs. Request fields are nullable so
// that a missing one is answered with a validation error naming it, not a binding failure.

public sealed record RegisterRequest(string? Email, string? Password, string? DisplayName, string? TimeZone);

public sealed record RegisterResponse(Guid UserId);

public sealed record LoginRequest(string? Email, string? Password);

public sealed record RefreshRequest(string? RefreshToken);

/// <param name="ExpiresIn">Seconds until the access token expires.</param>
public sealed record TokenResponse(string AccessToken, string RefreshToken, int ExpiresIn, string TokenType = "Bearer");

/// <param name="Streaks">Check-in streaks, counted in the user's time zone.</param>
public sealed record MeResponse(
    Guid UserId,
    string Email,
    string DisplayName,
    string TimeZone,
    IReadOnlyList<string> Roles,
    DateTimeOffset CreatedAt,
    JsonElement Preferences,
    CheckInStreaks Streaks);

/// <summary>A partial edit: absent (or null) fields stay as they are.</summary>
/// <param name="Preferences">A JSON merge patch (RFC 7386) of the preferences object: a null value removes its key.</param>
public sealed record UpdateMeRequest(string? DisplayName, string? TimeZone, JsonElement? Preferences);

public sealed record DeleteMeRequest(string? Password);

public sealed record ActivityResponse(IReadOnlyList<ActivityEntry> Items, string? NextCursor);

/// <param name="Current">Whether this is the session of the access token making the request.</param>
public sealed record SessionResponse(Guid SessionId, DateTimeOffset CreatedAt, string? IpAddress, string? UserAgent, DateTimeOffset? EndedAt, string? EndReason, bool Current);

/// <summary>Everything Mindspace holds about the user.</summary>
/// <summary>Everything Mindspace holds about the user: the account here, each module's data as one more property (see <c>PersonalDataSections</c>).</summary>
public sealed record ExportResponse(
    DateTimeOffset ExportedAt,
    UserProfile Profile,
    IReadOnlyList<SessionInfo> Sessions,
    IReadOnlyList<ActivityEntry> Activity)
{
    [JsonExtensionData]
    public IDictionary<string, object> Sections { get; init; } = new Dictionary<string, object>();
}

public sealed record RoleRequest(string? Role);

public sealed record RolesResponse(Guid UserId, IReadOnlyList<string> Roles);
