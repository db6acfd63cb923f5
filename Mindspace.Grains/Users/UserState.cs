using System.Text.Json;
using Mindspace.Grains.Interfaces.Users;

namespace Mindspace.Grains.Users;

/// <summary>Stored state of <see cref="UserGrain"/>. The activity log lives apart, in a record collection.</summary>
public sealed class UserState
{
    public string Email { get; set; } = string.Empty;

    public string NormalizedEmail { get; set; } = string.Empty;

    public string DisplayName { get; set; } = string.Empty;

    public string TimeZone { get; set; } = UserRules.DefaultTimeZone;

    /// <summary>ASP.NET Core Identity's <c>PasswordHasher</c> format (algorithm, salt and iterations inside).</summary>
    public string PasswordHash { get; set; } = string.Empty;

    public List<string> Roles { get; set; } = [];

    public DateTimeOffset CreatedAt { get; set; }

    public DateTimeOffset UpdatedAt { get; set; }

    /// <summary>A JSON object; null until the user sets a preference.</summary>
    public JsonElement? Preferences { get; set; }

    /// <summary>Sessions' metadata, oldest first (bounded; ended ones are dropped first).</summary>
    public List<SessionInfo> Sessions { get; set; } = [];
}
