using Mindspace.Grains.Interfaces.Users;

namespace Mindspace.Gateway.Auth;

/// <summary>
/// Authorization policy names. A higher role satisfies every lower policy: an admin passes
/// "moderator" and "member". Roles come from the access token, so a change takes effect when the
/// client next refreshes (at most the access-token lifetime later).
/// </summary>
public static class AuthPolicies
{
    public const string Member = UserRoles.Member;
    public const string Moderator = UserRoles.Moderator;
    public const string Admin = UserRoles.Admin;

    /// <summary>The care team only (see <see cref="UserRoles.CareTeam"/>).</summary>
    public const string CareTeam = UserRoles.CareTeam;
}
