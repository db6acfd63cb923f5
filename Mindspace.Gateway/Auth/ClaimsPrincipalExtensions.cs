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
        return principal.FindFirstValue(claimType) is { } text && Guid.TryParseExact(text, "D", out value);
    }
}
