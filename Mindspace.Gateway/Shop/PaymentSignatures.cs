using System.Security.Cryptography;
using System.Text;
using Stripe;

namespace Mindspace.Gateway.Shop;

/// <summary>
/// The two webhook signature schemes: Stripe's (<c>Stripe-Signature: t=…,v1=…[,v1=…]</c>, an
/// HMAC-SHA256 of <c>{t}.{body}</c>, checked by Stripe.net within a time tolerance) and Razorpay's
/// (<c>X-Razorpay-Signature</c>: hex HMAC-SHA256 of the raw body; checkout results sign
/// <c>order_id|payment_id</c>). The fake provider signs with the same functions.
/// </summary>
public static class PaymentSignatures
{
    public const string StripeHeader = "Stripe-Signature";
    public const string RazorpayHeader = "X-Razorpay-Signature";
    public const string RazorpayEventIdHeader = "X-Razorpay-Event-Id";

    /// <summary>
    /// Whether <paramref name="header"/> carries a valid signature of <paramref name="body"/> by any
    /// of <paramref name="secrets"/> (several during a rotation), made within
    /// <paramref name="toleranceSeconds"/> of <paramref name="now"/>.
    /// </summary>
    public static bool VerifyStripe(string body, string? header, IReadOnlyList<string> secrets, long toleranceSeconds, DateTimeOffset now)
    {
        if (string.IsNullOrEmpty(header))
        {
            return false;
        }

        foreach (var secret in secrets)
        {
            try
            {
                EventUtility.ValidateSignature(body, header, secret, toleranceSeconds, now.ToUnixTimeSeconds());
                return TimestampOf(header) is { } t && Math.Abs(now.ToUnixTimeSeconds() - t) <= toleranceSeconds;
            }
            catch (StripeException)
            {
                // Not this secret (or stale): try the next one.
            }
        }

        return false;
    }

    /// <summary>A <c>Stripe-Signature</c> header with one <c>v1</c> per secret, as Stripe sends during a rotation.</summary>
    public static string SignStripe(string body, DateTimeOffset at, params string[] secrets)
    {
        var t = at.ToUnixTimeSeconds();
        return $"t={t}," + string.Join(',', secrets.Select(s => "v1=" + Hex(s, $"{t}.{body}")));
    }

    public static bool VerifyRazorpay(string signedText, string? signature, string secret)
    {
        if (string.IsNullOrEmpty(signature))
        {
            return false;
        }

        var expected = Encoding.ASCII.GetBytes(Hex(secret, signedText));
        return CryptographicOperations.FixedTimeEquals(expected, Encoding.ASCII.GetBytes(signature.Trim().ToLowerInvariant()));
    }

    public static string SignRazorpay(string signedText, string secret) => Hex(secret, signedText);

    private static long? TimestampOf(string header)
        => header.Split(',').Select(p => p.Trim()).FirstOrDefault(p => p.StartsWith("t=", StringComparison.Ordinal)) is { } t
            && long.TryParse(t.AsSpan(2), out var value) ? value : null;

    private static string Hex(string secret, string text)
        => Convert.ToHexStringLower(HMACSHA256.HashData(Encoding.UTF8.GetBytes(secret), Encoding.UTF8.GetBytes(text)));
}
