using System.Security.Cryptography;
using System.Text;

namespace Mindspace.Gateway.Shop;

/// <summary>
/// A guest's cart id, signed so nobody can guess or forge another guest's cart:
/// <c>{guid}.{base64url HMAC-SHA256}</c>, carried in the <c>X-Guest-Cart</c> header.
/// </summary>
public static class GuestCartTokens
{
    public const string Header = "X-Guest-Cart";

    public static string Issue(Guid guestId, byte[] key)
        => $"{guestId:N}.{Sign(guestId, key)}";

    public static bool TryRead(string? token, byte[] key, out Guid guestId)
    {
        guestId = Guid.Empty;
        if (token is null || token.Split('.') is not [var id, var signature] || !Guid.TryParseExact(id, "N", out var parsed))
        {
            return false;
        }

        var expected = Encoding.ASCII.GetBytes(Sign(parsed, key));
        if (!CryptographicOperations.FixedTimeEquals(expected, Encoding.ASCII.GetBytes(signature)))
        {
            return false;
        }

        guestId = parsed;
        return true;
    }

    private static string Sign(Guid guestId, byte[] key)
        => Convert.ToBase64String(HMACSHA256.HashData(key, Encoding.ASCII.GetBytes("guest-cart:" + guestId.ToString("N"))))
            .TrimEnd('=').Replace('+', '-').Replace('/', '_');
}
