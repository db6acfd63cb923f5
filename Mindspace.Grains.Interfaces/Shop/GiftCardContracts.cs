using System.Security.Cryptography;
using System.Text;
using Orleans.Concurrency;

namespace Mindspace.Grains.Interfaces.Shop;

[GenerateSerializer, Alias("ms.shop.GiftCardStatus")]
public enum GiftCardStatus
{
    Active,
    Redeemed,

    /// <summary>Its order was refunded or cancelled before anyone redeemed it.</summary>
    Voided,
}

/// <summary>A gift card as its buyer sees it on the order: the code (only there), its value and the product it came from.</summary>
[GenerateSerializer, Immutable, Alias("ms.shop.OrderGiftCard")]
public sealed record OrderGiftCard(string Code, long Amount, string Currency, Guid ProductId);

/// <summary>What the registry keeps about a code: never the code itself.</summary>
[GenerateSerializer, Immutable, Alias("ms.shop.GiftCardView")]
public sealed record GiftCardView(GiftCardStatus Status, long Amount, string Currency, Guid OrderId, Guid? RedeemedBy, DateTimeOffset? RedeemedAt);

[GenerateSerializer, Alias("ms.shop.GiftCardRedeemStatus")]
public enum GiftCardRedeemStatus
{
    /// <summary>Credited to the redeemer's wallet now.</summary>
    Redeemed,

    /// <summary>This user redeemed it before: the credit stands, nothing was added.</summary>
    AlreadyRedeemedByYou,

    /// <summary>Someone else redeemed it.</summary>
    Used,
    Voided,
    NotFound,

    /// <summary>The redeemer's wallet holds credit in another currency: nothing changed.</summary>
    CurrencyMismatch,
}

[GenerateSerializer, Immutable, Alias("ms.shop.GiftCardRedeemResult")]
public sealed record GiftCardRedeemResult(GiftCardRedeemStatus Status, long Amount, string? Currency, WalletView? Wallet);

/// <summary>
/// One gift card code, keyed by <see cref="GiftCardCodes.Hash"/> of the code: the registry stores
/// the hash, never the code, so its rows cannot be redeemed by whoever reads them. One call at a
/// time per code, so of two redemptions of one code exactly one wins.
/// </summary>
[Alias("ms.shop.IGiftCardGrain")]
public interface IGiftCardGrain : IGrainWithStringKey
{
    /// <summary>Registers the card for its paid order (once; a repeat for the same order is a no-op).</summary>
    [Alias("issue")]
    Task<bool> IssueAsync(Guid orderId, long amount, string currency);

    /// <summary>Credits the card's value to <paramref name="userId"/>'s wallet, once.</summary>
    [Alias("redeem")]
    Task<GiftCardRedeemResult> RedeemAsync(Guid userId);

    /// <summary>Voids an unredeemed card of <paramref name="orderId"/>; returns its status afterwards (null when unknown).</summary>
    [Alias("void")]
    Task<GiftCardStatus?> VoidAsync(Guid orderId);

    [ReadOnly]
    [Alias("get")]
    Task<GiftCardView?> GetAsync();
}

/// <summary>Gift card codes: made, normalised and hashed the same way by the order, the registry and the gateway.</summary>
public static class GiftCardCodes
{
    /// <summary>The product category whose units are gift cards (one code per unit, worth the unit price).</summary>
    public const string Category = "gift-cards";

    /// <summary>The inbox notification sent when a paid order's gift cards are ready (it never carries the code).</summary>
    public const string ReadyNotificationKind = "shop.gift-card-ready";

    /// <summary>Crockford's base 32: no I, L, O or U, so a code read aloud or typed is hard to get wrong.</summary>
    private const string Alphabet = "0123456789ABCDEFGHJKMNPQRSTVWXYZ";

    /// <summary>Characters of a code (5 bits each): 100 random bits, far beyond guessing.</summary>
    public const int Length = 20;

    /// <summary>A new random code, grouped for reading: <c>XXXXX-XXXXX-XXXXX-XXXXX</c>.</summary>
    public static string New()
    {
        Span<char> chars = stackalloc char[Length];
        for (var i = 0; i < Length; i++)
        {
            chars[i] = Alphabet[RandomNumberGenerator.GetInt32(Alphabet.Length)];
        }

        var text = new string(chars);
        return string.Join('-', Enumerable.Range(0, Length / 5).Select(g => text.Substring(g * 5, 5)));
    }

    /// <summary>The code as typed, upper-cased without spaces or dashes (O read as 0, I and L as 1); null when it cannot be a code.</summary>
    public static string? Normalize(string? code)
    {
        if (code is null || code.Length > 64)
        {
            return null;
        }

        var builder = new StringBuilder(Length);
        foreach (var c in code.ToUpperInvariant())
        {
            var mapped = c switch
            {
                'O' => '0',
                'I' or 'L' => '1',
                _ => c,
            };
            if (mapped is '-' or ' ')
            {
                continue;
            }

            if (!Alphabet.Contains(mapped, StringComparison.Ordinal))
            {
                return null;
            }

            builder.Append(mapped);
        }

        return builder.Length == Length ? builder.ToString() : null;
    }

    /// <summary>The registry key of a code (hex SHA-256 of the normalised code); null when it cannot be a code.</summary>
    public static string? Hash(string? code)
        => Normalize(code) is { } normalized
            ? Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes("mindspace/gift-card/v1\n" + normalized)))
            : null;
}
