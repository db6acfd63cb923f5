using System.Buffers.Text;
using System.Security.Claims;
using System.Security.Cryptography;
using System.Text;
using Microsoft.IdentityModel.JsonWebTokens;
using Microsoft.IdentityModel.Tokens;
using Mindspace.Grains.Interfaces;

namespace Mindspace.Gateway.Auth;

/// <summary>An access token and how many seconds it lives.</summary>
public sealed record AccessToken(string Token, int ExpiresIn);

/// <summary>A refresh token (given to the client once) and its SHA-256 hash (the only thing stored).</summary>
public sealed record RefreshToken(string Token, string Hash, DateTimeOffset ExpiresAt);

/// <summary>
/// Issues access tokens (HS256 JWT: <c>sub</c> = user id, <c>sid</c> = session id, <c>role</c>s; no
/// email or other personal data) and opaque refresh tokens (<c>{sessionId:N}.{32 random bytes, base64url}</c>).
/// </summary>
public sealed class TokenService(AuthSettings settings, [FromKeyedServices(MindspaceClock.Key)] TimeProvider time)
{
    public const string SubjectClaim = JwtRegisteredClaimNames.Sub;
    public const string SessionClaim = JwtRegisteredClaimNames.Sid;
    public const string RoleClaim = "role";

    private readonly JsonWebTokenHandler _handler = new();
    private readonly SigningCredentials _signing = new(new SymmetricSecurityKey(settings.SigningKey), SecurityAlgorithms.HmacSha256);

    public AccessToken IssueAccessToken(Guid userId, Guid sessionId, IEnumerable<string> roles)
    {
        var now = time.GetUtcNow();
        var token = _handler.CreateToken(new SecurityTokenDescriptor
        {
            Issuer = settings.Issuer,
            Audience = settings.Audience,
            IssuedAt = now.UtcDateTime,
            NotBefore = now.UtcDateTime,
            Expires = (now + settings.AccessTokenLifetime).UtcDateTime,
            SigningCredentials = _signing,
            Subject = new ClaimsIdentity(
            [
                new Claim(SubjectClaim, userId.ToString("D")),
                new Claim(SessionClaim, sessionId.ToString("D")),
                new Claim(JwtRegisteredClaimNames.Jti, Guid.NewGuid().ToString("N")),
                .. roles.Distinct().Select(role => new Claim(RoleClaim, role)),
            ]),
        });
        return new AccessToken(token, (int)Math.Ceiling(settings.AccessTokenLifetime.TotalSeconds));
    }

    public RefreshToken NewRefreshToken(Guid sessionId)
    {
        var token = $"{sessionId:N}.{Base64Url.EncodeToString(RandomNumberGenerator.GetBytes(32))}";
        return new RefreshToken(token, Hash(token), time.GetUtcNow() + settings.RefreshTokenLifetime);
    }

    /// <summary>Reads the session id out of a refresh token and hashes it; false when it is not one of ours.</summary>
    public static bool TryReadRefreshToken(string? token, out Guid sessionId, out string hash)
    {
        sessionId = Guid.Empty;
        hash = string.Empty;
        if (token is not { Length: > 33 and < 128 } || token[32] != '.'
            || !Guid.TryParseExact(token.AsSpan(0, 32), "N", out sessionId)
            || !Base64Url.IsValid(token.AsSpan(33)))
        {
            return false;
        }

        hash = Hash(token);
        return true;
    }

    private static string Hash(string token) => Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(token)));
}
