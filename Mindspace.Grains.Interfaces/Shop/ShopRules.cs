using System.Text.RegularExpressions;

namespace Mindspace.Grains.Interfaces.Shop;

/// <summary>
/// Limits and checks the gateway and the shop's grains share. Money is always an integer count of
/// the currency's minor unit (cents, paise) with an ISO 4217 code: no floating point anywhere.
/// </summary>
public static partial class ShopRules
{
    public const int MaxNameLength = 120;
    public const int MaxDescriptionLength = 4_000;
    public const int MaxImages = 10;
    public const int MaxImageUrlLength = 500;
    public const int MaxTags = 10;
    public const int MaxSlugLength = 40;
    public const long MaxPrice = 100_000_000;
    public const int MaxStock = 1_000_000;
    public const int MaxQuantityPerLine = 99;
    public const int MaxCartLines = 50;
    public const int DefaultPageSize = 20;
    public const int MaxPageSize = 100;
    public const int MaxIdempotencyKeyLength = 200;

    /// <summary>How long an item in a cart holds its stock after the cart last changed.</summary>
    public static readonly TimeSpan CartReservationLifetime = TimeSpan.FromMinutes(15);

    /// <summary>How long an unpaid order holds its stock before it is cancelled.</summary>
    public static readonly TimeSpan PaymentWindow = TimeSpan.FromMinutes(30);

    /// <summary>Currencies the shop accepts and the digits of their minor unit.</summary>
    public static IReadOnlyDictionary<string, int> Currencies { get; } = new Dictionary<string, int>(StringComparer.Ordinal)
    {
        ["EUR"] = 2,
        ["USD"] = 2,
        ["GBP"] = 2,
        ["INR"] = 2,
        ["CHF"] = 2,
        ["CAD"] = 2,
        ["AUD"] = 2,
        ["SEK"] = 2,
        ["JPY"] = 0,
    };

    /// <summary>Price bands for facet counts, in minor units: [lower, upper) with the last open-ended.</summary>
    public static IReadOnlyList<(string Label, long From, long? To)> PriceBands { get; } =
    [
        ("under-10", 0, 1_000),
        ("10-25", 1_000, 2_500),
        ("25-50", 2_500, 5_000),
        ("50-100", 5_000, 10_000),
        ("100-plus", 10_000, null),
    ];

    /// <summary>Sort orders of product search: relevance (with a query; otherwise newest), newest, price, -price, name.</summary>
    public static IReadOnlyList<string> Sorts { get; } = ["relevance", "newest", "price", "-price", "name"];

    /// <summary>
    /// Value-added tax in basis points by product category; prices are gross (tax included), as
    /// consumers see them. Books carry the reduced rate; a gift card is not taxed when sold (its tax
    /// is due when it is spent).
    /// </summary>
    public static int TaxRateBasisPoints(string category) => category switch
    {
        "books" => 700,
        "gift-cards" => 0,
        _ => 1_900,
    };

    public static string? CheckName(string? name, out string normalized)
    {
        normalized = name?.Trim() ?? string.Empty;
        return normalized.Length is 0 or > MaxNameLength ? $"Give a name of 1 to {MaxNameLength} characters." : null;
    }

    public static string? CheckDescription(string? description, out string normalized)
    {
        normalized = description?.Trim() ?? string.Empty;
        return normalized.Length > MaxDescriptionLength ? $"Keep the description to {MaxDescriptionLength} characters." : null;
    }

    public static string? CheckPrice(long price) => price is < 0 or > MaxPrice ? $"Price is in minor units, from 0 to {MaxPrice}." : null;

    public static string? CheckCurrency(string? currency, out string normalized)
    {
        normalized = currency?.Trim().ToUpperInvariant() ?? string.Empty;
        return Currencies.ContainsKey(normalized) ? null : $"Currency must be one of {string.Join(", ", Currencies.Keys)}.";
    }

    public static string? CheckStock(int stock) => stock is < 0 or > MaxStock ? $"Stock must be from 0 to {MaxStock}." : null;

    public static string? CheckSlug(string? slug, out string normalized)
    {
        normalized = slug?.Trim().ToLowerInvariant() ?? string.Empty;
        return normalized.Length <= MaxSlugLength && SlugPattern().IsMatch(normalized)
            ? null
            : $"Use 1 to {MaxSlugLength} lower-case letters, digits and dashes.";
    }

    public static string? CheckTags(IReadOnlyList<string>? tags, out string[] normalized)
    {
        normalized = [];
        if (tags is null)
        {
            return null;
        }

        var result = new List<string>();
        foreach (var tag in tags)
        {
            if (CheckSlug(tag, out var slug) is { } error)
            {
                return $"Each tag: {error}";
            }

            if (!result.Contains(slug))
            {
                result.Add(slug);
            }
        }

        normalized = [.. result];
        return result.Count > MaxTags ? $"At most {MaxTags} tags." : null;
    }

    public static string? CheckImages(IReadOnlyList<string>? images, out string[] normalized)
    {
        normalized = [.. (images ?? []).Select(i => i?.Trim() ?? string.Empty)];
        if (normalized.Length > MaxImages)
        {
            return $"At most {MaxImages} images.";
        }

        foreach (var image in normalized)
        {
            var ok = image.Length is > 0 and <= MaxImageUrlLength
                && ((image.StartsWith('/') && !image.StartsWith("//", StringComparison.Ordinal))
                    || (Uri.TryCreate(image, UriKind.Absolute, out var uri) && uri.Scheme == Uri.UriSchemeHttps));
            if (!ok)
            {
                return "Each image is an https URL or a path starting with /.";
            }
        }

        return null;
    }

    public static string? CheckQuantity(int quantity) => quantity is < 1 or > MaxQuantityPerLine ? $"Quantity must be from 1 to {MaxQuantityPerLine}." : null;

    /// <summary>The tax contained in a gross amount at <paramref name="basisPoints"/>, rounded half away from zero.</summary>
    public static long TaxIncluded(long gross, int basisPoints)
        => basisPoints == 0 ? 0 : gross - (long)Math.Round(gross * 10_000m / (10_000 + basisPoints), MidpointRounding.AwayFromZero);

    /// <summary>Formats minor units for people, e.g. 1999 EUR as "EUR 19.99".</summary>
    public static string Format(long minor, string currency)
    {
        var digits = Currencies.TryGetValue(currency, out var d) ? d : 2;
        var value = minor / (decimal)Math.Pow(10, digits);
        return $"{currency} {value.ToString("F" + digits, System.Globalization.CultureInfo.InvariantCulture)}";
    }

    [GeneratedRegex("^[a-z0-9]+(-[a-z0-9]+)*$")]
    private static partial Regex SlugPattern();
}
