namespace Mindspace.Grains.Interfaces.Users;

/// <summary>
/// The roles an account can hold. Every account is a <see cref="Member"/>; <see cref="Admin"/>
/// implies <see cref="Moderator"/> for authorization (the gateway's policies say so; the role list
/// itself stores only what was granted).
/// </summary>
public static class UserRoles
{
    public const string Member = "member";
    public const string Moderator = "moderator";
    public const string Admin = "admin";

    /// <summary>Sees and handles the therapist's escalation queue: a duty, not a rank (admins do not hold it by default).</summary>
    public const string CareTeam = "care-team";

    /// <summary>Every role: member, moderator and admin in order of increasing power, then <see cref="CareTeam"/>.</summary>
    public static IReadOnlyList<string> All { get; } = [Member, Moderator, Admin, CareTeam];

    /// <summary>Roles that can be granted and revoked (<see cref="Member"/> is every account's base role).</summary>
    public static IReadOnlyList<string> Grantable { get; } = [Moderator, Admin, CareTeam];

    /// <summary>The canonical spelling of <paramref name="role"/>, or null when it is not a role.</summary>
    public static string? Normalize(string? role)
        => role is null ? null : All.FirstOrDefault(r => string.Equals(r, role.Trim(), StringComparison.OrdinalIgnoreCase));

    /// <summary>The canonical spelling of <paramref name="role"/>, or null when it is not one of the <see cref="Grantable"/> roles.</summary>
    public static string? NormalizeGrantable(string? role)
        => Normalize(role) is { } known && Grantable.Contains(known) ? known : null;
}
