using System.Security.Claims;

namespace Mindspace.Gateway.Auth;

/// <summary>Reads Mindspace's claims from a validated access token.</summary>
public static class ClaimsPrincipalExtensions
{
    /// <summary>
    /// The signed-in user's id (the <c>sub</c> claim). Only call it behind an authorization policy:
    /// a principal without a valid <c>sub</c> throws.
    /// </summary>
    public static Guid GetUserId(this ClaimsPrincipal principal)
        => principal.TryGetUserId(out var userId)
            ? userId
            : throw new InvalidOperationException("The principal has no valid 'sub' claim; is the endpoint missing RequireAuthorization?");

    public static bool TryGetUserId(this ClaimsPrincipal principal, out Guid userId)
        => principal.TryGetGuid(TokenService.SubjectClaim, out userId);

    /// <summary>The session (refresh family) the access token belongs to (the <c>sid</c> claim).</summary>
    public static Guid GetSessionId(this ClaimsPrincipal principal)
        => principal.TryGetSessionId(out var sessionId)
            ? sessionId
            : throw new InvalidOperationException("The principal has no valid 'sid' claim.");

    public static bool TryGetSessionId(this ClaimsPrincipal principal, out Guid sessionId)
        => principal.TryGetGuid(TokenService.SessionClaim, out sessionId);

    /// <summary>Ids are issued in the "D" format only; anything else is not one of ours.</summary>
    private static bool TryGetGuid(this ClaimsPrincipal principal, string claimType, out Guid value)
    {
        value = Guid.Empty;
        return FirstValue(principal, claimType) is { } text && Guid.TryParseExact(text, "D", out value);
    }

    /// <summary>
    /// The first <paramref name="claimType"/> claim's value, compared ordinally as the token handler's identities
    /// do. A loop rather than <see cref="ClaimsPrincipal.FindFirst(string)"/>, whose identities build a predicate
    /// for every lookup: this runs twice on every authenticated request.
    /// </summary>
    private static string? FirstValue(ClaimsPrincipal principal, string claimType)
    {
        foreach (var identity in principal.Identities)
        {
            foreach (var claim in identity.Claims)
            {
                if (string.Equals(claim.Type, claimType, StringComparison.Ordinal))
                {
                    return claim.Value;
                }
            }
        }

        return null;
    }
}
