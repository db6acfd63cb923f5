using Mindspace.Grains.Interfaces.Shop;
using Stripe;

namespace Mindspace.Gateway.Shop;

/// <summary>What the provider said about a refund.</summary>
public sealed record ProviderRefund(bool Succeeded, string? RefundId);

/// <summary>
/// The seam to a payment provider: start a payment for an order, send money back. Whether a
/// payment succeeded is never taken from here or from a client: only from the provider's signed
/// webhooks.
/// </summary>
public interface IPaymentProvider
{
    /// <summary>The webhook scheme and the name stored on the order: stripe or razorpay.</summary>
    string Name { get; }

    Task<PaymentInfo> CreatePaymentAsync(OrderView order, CancellationToken cancellationToken);

    Task<ProviderRefund> RefundAsync(RefundPlan plan, CancellationToken cancellationToken);
}

/// <summary>Stripe through Stripe.net (used when <c>STRIPE_SECRET_KEY</c> is set).</summary>
/// <param name="apiBase">Stripe's API address; null for the default.</param>
public sealed class StripePaymentProvider(string apiKey, Uri? apiBase = null) : IPaymentProvider
{
    private readonly StripeClient _client = new(apiKey, apiBase: apiBase?.ToString().TrimEnd('/'));

    public string Name => ShopSettings.Stripe;

    public async Task<PaymentInfo> CreatePaymentAsync(OrderView order, CancellationToken cancellationToken)
    {
        var intent = await new PaymentIntentService(_client).CreateAsync(
            new PaymentIntentCreateOptions
            {
                Amount = order.Total,
                Currency = order.Currency.ToLowerInvariant(),
                Metadata = new Dictionary<string, string> { ["order_id"] = order.Id.ToString("D") },
                AutomaticPaymentMethods = new PaymentIntentAutomaticPaymentMethodsOptions { Enabled = true },
            },
            new RequestOptions { IdempotencyKey = $"order-{order.Id:D}" },
            cancellationToken);
        return new PaymentInfo(Name, intent.Id, intent.ClientSecret);
    }

    public async Task<ProviderRefund> RefundAsync(RefundPlan plan, CancellationToken cancellationToken)
    {
        var refund = await new RefundService(_client).CreateAsync(
            new RefundCreateOptions { PaymentIntent = plan.Payment.Reference, Amount = plan.Amount },
            new RequestOptions { IdempotencyKey = $"refund-{plan.RefundId:D}" },
            cancellationToken);
        return new ProviderRefund(refund.Status is "succeeded" or "pending", refund.Id);
    }
}

/// <summary>
/// The local fake provider for development and tests: hands out Stripe- or Razorpay-shaped ids and
/// accepts refunds at once. Its payments complete only through signed webhooks
/// (<see cref="FakePaymentWebhooks"/>), exactly as real ones do.
/// </summary>
public sealed class FakePaymentProvider(string name) : IPaymentProvider
{
    public string Name { get; } = name;

    public Task<PaymentInfo> CreatePaymentAsync(OrderView order, CancellationToken cancellationToken)
    {
        var id = Guid.NewGuid().ToString("N");
        return Task.FromResult(Name == ShopSettings.Razorpay
            ? new PaymentInfo(Name, $"order_fake{id[..14]}", null)
            : new PaymentInfo(Name, $"pi_fake_{id}", $"pi_fake_{id}_secret_{Guid.NewGuid():N}"));
    }

    public Task<ProviderRefund> RefundAsync(RefundPlan plan, CancellationToken cancellationToken)
        => Task.FromResult(new ProviderRefund(true, (Name == ShopSettings.Razorpay ? "rfnd_fake" : "re_fake_") + plan.RefundId.ToString("N")[..14]));
}

/// <summary>The configured providers by name.</summary>
public sealed class PaymentProviders(ShopSettings settings, IHttpClientFactory httpClients)
{
    private readonly Dictionary<string, IPaymentProvider> _providers = new(StringComparer.Ordinal)
    {
        [ShopSettings.Stripe] = settings.StripeApiKey is { } key ? new StripePaymentProvider(key, settings.StripeApiBaseUrl) : new FakePaymentProvider(ShopSettings.Stripe),
        [ShopSettings.Razorpay] = settings.RazorpayKeyId is not null
            ? new RazorpayPaymentProvider(new RazorpayClient(httpClients.CreateClient(RazorpayClient.HttpClientName)))
            : new FakePaymentProvider(ShopSettings.Razorpay),
    };

    /// <summary>The provider for card payments (<c>PAYMENTS_PROVIDER</c>).</summary>
    public IPaymentProvider Card => _providers[settings.CardProvider];

    public IPaymentProvider? Find(string name) => _providers.GetValueOrDefault(name);
}
