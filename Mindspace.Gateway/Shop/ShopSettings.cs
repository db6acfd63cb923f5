using System.Security.Cryptography;
using System.Text;
using Mindspace.Gateway.Auth;
using Mindspace.Silo;

namespace Mindspace.Gateway.Shop;

/// <summary>
/// The shop's settings, read from configuration at start. Without a provider's API key the shop
/// runs on the local fake provider, whose webhooks are signed exactly like the real ones with
/// development secrets derived from the token signing key (stable across restarts).
/// </summary>
/// <param name="CardProvider"><c>PAYMENTS_PROVIDER</c>: stripe (default) or razorpay: who takes card payments.</param>
/// <param name="StripeApiKey"><c>STRIPE_SECRET_KEY</c>: real Stripe; without it the fake provider stands in.</param>
/// <param name="StripeWebhookSecrets"><c>STRIPE_WEBHOOK_SECRETS</c>: comma-separated; more than one while a secret is rotated.</param>
/// <param name="BillingWebhookSecrets"><c>STRIPE_BILLING_WEBHOOK_SECRETS</c>: for <c>/api/v1/billing/webhooks</c>; defaults to the payment ones.</param>
/// <param name="RazorpayWebhookSecret"><c>RAZORPAY_WEBHOOK_SECRET</c>: signs webhook bodies.</param>
/// <param name="RazorpayKeySecret"><c>RAZORPAY_KEY_SECRET</c>: signs checkout results (<c>order_id|payment_id</c>).</param>
/// <param name="RazorpayKeyId"><c>RAZORPAY_KEY_ID</c>: real Razorpay API calls (orders, refunds) with it and <c>RAZORPAY_KEY_SECRET</c>; without it the fake provider stands in.</param>
/// <param name="RazorpayApiBaseUrl"><c>RAZORPAY_API_BASE_URL</c>: default <c>https://api.razorpay.com/</c>.</param>
/// <param name="RazorpayApiTimeout"><c>RAZORPAY_API_TIMEOUT_SECONDS</c>: how long one API call may take (default 20 s).</param>
/// <param name="StripeApiBaseUrl"><c>STRIPE_API_BASE_URL</c>: Stripe's API address when not the default (a local fake in tests).</param>
/// <param name="SeedCatalog"><c>SHOP_SEED_CATALOG</c>: add the starter catalogue to an empty shop (default: in embedded mode).</param>
public sealed record ShopSettings(
    string CardProvider,
    string? StripeApiKey,
    IReadOnlyList<string> StripeWebhookSecrets,
    IReadOnlyList<string> BillingWebhookSecrets,
    string RazorpayWebhookSecret,
    string RazorpayKeySecret,
    bool SeedCatalog,
    string SellerName,
    string SellerAddress,
    string? SellerVatId,
    byte[] GuestCartKey,
    string? RazorpayKeyId,
    Uri RazorpayApiBaseUrl,
    TimeSpan RazorpayApiTimeout,
    Uri? StripeApiBaseUrl = null)
{
    public const string Stripe = "stripe";
    public const string Razorpay = "razorpay";
    public const string Wallet = "wallet";

    /// <summary>Stripe's own default: a signed webhook older (or newer) than this is refused.</summary>
    public const long StripeToleranceSeconds = 300;

    /// <summary>Whether payments go to the local fake provider (no API key configured).</summary>
    public bool UsesFakeProvider => StripeApiKey is null;

    public static ShopSettings From(IConfiguration configuration, AuthSettings auth)
    {
        var provider = (configuration["PAYMENTS_PROVIDER"] ?? Stripe).Trim().ToLowerInvariant();
        if (provider is not (Stripe or Razorpay))
        {
            throw new InvalidOperationException($"PAYMENTS_PROVIDER must be stripe or razorpay; it is '{provider}'.");
        }

        var stripeKey = configuration["STRIPE_SECRET_KEY"] is { Length: > 0 } key ? key : null;
        var stripeSecrets = List(configuration["STRIPE_WEBHOOK_SECRETS"]);
        if (stripeSecrets.Count == 0)
        {
            stripeSecrets = stripeKey is null ? [Derive(auth, "stripe-webhook", "whsec_dev_")] : [];
        }

        var billingSecrets = List(configuration["STRIPE_BILLING_WEBHOOK_SECRETS"]);
        return new ShopSettings(
            provider,
            stripeKey,
            stripeSecrets,
            billingSecrets.Count > 0 ? billingSecrets : stripeSecrets,
            configuration["RAZORPAY_WEBHOOK_SECRET"] is { Length: > 0 } rw ? rw : Derive(auth, "razorpay-webhook", "rzp_whsec_dev_"),
            configuration["RAZORPAY_KEY_SECRET"] is { Length: > 0 } rk ? rk : Derive(auth, "razorpay-key", "rzp_key_dev_"),
            ConfigurationValues.ReadBool(configuration, "SHOP_SEED_CATALOG", SiloSettings.From(configuration).IsEmbedded),
            configuration["SHOP_SELLER_NAME"] is { Length: > 0 } name ? name : "Mindspace Shop",
            configuration["SHOP_SELLER_ADDRESS"] is { Length: > 0 } address ? address : "Example Street 1, 10115 Berlin, Germany",
            configuration["SHOP_SELLER_VAT_ID"] is { Length: > 0 } vat ? vat : null,
            HMACSHA256.HashData(auth.SigningKey, "mindspace/shop/guest-cart"u8),
            configuration["RAZORPAY_KEY_ID"] is { Length: > 0 } keyId ? keyId : null,
            RazorpayBaseUrl(configuration["RAZORPAY_API_BASE_URL"]),
            RazorpayTimeout(configuration["RAZORPAY_API_TIMEOUT_SECONDS"]),
            configuration["STRIPE_API_BASE_URL"] is { Length: > 0 } stripeBase
                ? (Uri.TryCreate(stripeBase, UriKind.Absolute, out var stripeUrl) && stripeUrl.Scheme is "https" or "http"
                    ? stripeUrl
                    : throw new InvalidOperationException($"STRIPE_API_BASE_URL must be an absolute http(s) address; it is '{stripeBase}'."))
                : null);
    }

    private static TimeSpan RazorpayTimeout(string? value)
    {
        if (string.IsNullOrWhiteSpace(value))
        {
            return TimeSpan.FromSeconds(20);
        }

        return double.TryParse(value, System.Globalization.NumberStyles.Float, System.Globalization.CultureInfo.InvariantCulture, out var seconds) && seconds is > 0 and <= 300
            ? TimeSpan.FromSeconds(seconds)
            : throw new InvalidOperationException($"RAZORPAY_API_TIMEOUT_SECONDS must be a number of seconds from 0 to 300; it is '{value}'.");
    }

    /// <summary>The API's base address, ending in a slash so relative paths append to it.</summary>
    private static Uri RazorpayBaseUrl(string? value)
    {
        var text = string.IsNullOrWhiteSpace(value) ? "https://api.razorpay.com/" : value.Trim();
        if (!Uri.TryCreate(text.EndsWith('/') ? text : text + "/", UriKind.Absolute, out var url) || url.Scheme is not ("https" or "http"))
        {
            throw new InvalidOperationException($"RAZORPAY_API_BASE_URL must be an absolute http(s) address; it is '{value}'.");
        }

        return url;
    }

    private static List<string> List(string? value)
        => [.. (value ?? string.Empty).Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)];

    private static string Derive(AuthSettings auth, string purpose, string prefix)
        => prefix + Convert.ToHexStringLower(HMACSHA256.HashData(auth.SigningKey, Encoding.UTF8.GetBytes("mindspace/shop/" + purpose)))[..32];
}
