using System.Text.Json;
using Mindspace.Grains.Interfaces.Users;

namespace Mindspace.Grains.Users;

/// <summary>Stored state of <see cref="UserGrain"/>. The activity log lives apart, in a record collection.</summary>
[GenerateSerializer, Alias("ms.state.UserState")]
public sealed class UserState
{
    [Id(0)]
    public string Email { get; set; } = string.Empty;

    [Id(1)]
    public string NormalizedEmail { get; set; } = string.Empty;

    [Id(2)]
    public string DisplayName { get; set; } = string.Empty;

    [Id(3)]
    public string TimeZone { get; set; } = UserRules.DefaultTimeZone;

    /// <summary>ASP.NET Core Identity's <c>PasswordHasher</c> format (algorithm, salt and iterations inside).</summary>
    [Id(4)]
    public string PasswordHash { get; set; } = string.Empty;

    [Id(5)]
    public List<string> Roles { get; set; } = [];

    [Id(6)]
    public DateTimeOffset CreatedAt { get; set; }

    [Id(7)]
    public DateTimeOffset UpdatedAt { get; set; }

    /// <summary>A JSON object; null until the user sets a preference.</summary>
    [Id(8)]
    public JsonElement? Preferences { get; set; }

    /// <summary>Sessions' metadata, oldest first (bounded; ended ones are dropped first).</summary>
    [Id(9)]
    public List<SessionInfo> Sessions { get; set; } = [];
}
