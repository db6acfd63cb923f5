using System.Text.Json;
using Mindspace.Grains.Interfaces.Shop;

namespace Mindspace.Gateway.Shop;

/// <summary>A webhook as a provider would send it: the raw body and its headers.</summary>
public sealed record SignedWebhook(string Body, IReadOnlyDictionary<string, string> Headers);

/// <summary>
/// Webhook bodies in the providers' own shapes (the fields we read, plus the envelope), signed
/// with the providers' schemes. The local fake provider completes payments with these, and tests
/// use them to play a provider (and a forger).
/// </summary>
public static class FakePaymentWebhooks
{
    /// <summary>A Stripe event about a payment intent (<c>payment_intent.succeeded</c>, <c>payment_intent.payment_failed</c>) or a charge (<c>charge.refunded</c>).</summary>
    public static string StripeEvent(string eventId, string type, Guid orderId, string paymentIntentId, long amount, string currency, DateTimeOffset created)
    {
        object data = type == "charge.refunded"
            ? new Dictionary<string, object?>
            {
                ["id"] = "ch_" + paymentIntentId.Replace("pi_", string.Empty, StringComparison.Ordinal),
                ["object"] = "charge",
                ["payment_intent"] = paymentIntentId,
                ["amount_refunded"] = amount,
                ["refunded"] = true,
                ["currency"] = currency.ToLowerInvariant(),
                ["metadata"] = new Dictionary<string, string> { ["order_id"] = orderId.ToString("D") },
            }
            : new Dictionary<string, object?>
            {
                ["id"] = paymentIntentId,
                ["object"] = "payment_intent",
                ["amount"] = amount,
                ["amount_received"] = type == "payment_intent.succeeded" ? amount : 0,
                ["currency"] = currency.ToLowerInvariant(),
                ["status"] = type == "payment_intent.succeeded" ? "succeeded" : "requires_payment_method",
                ["metadata"] = new Dictionary<string, string> { ["order_id"] = orderId.ToString("D") },
            };
        return JsonSerializer.Serialize(new Dictionary<string, object?>
        {
            ["id"] = eventId,
            ["object"] = "event",
            ["api_version"] = "2025-09-30.clover",
            ["created"] = created.ToUnixTimeSeconds(),
            ["livemode"] = false,
            ["type"] = type,
            ["data"] = new Dictionary<string, object?> { ["object"] = data },
        });
    }

    /// <summary>A Razorpay event (<c>payment.captured</c>, <c>payment.failed</c>, <c>refund.processed</c>).</summary>
    public static string RazorpayEvent(string type, Guid orderId, string razorpayOrderId, string paymentId, long amount, long amountRefunded, string currency, DateTimeOffset created)
        => JsonSerializer.Serialize(new Dictionary<string, object?>
        {
            ["entity"] = "event",
            ["account_id"] = "acc_fake",
            ["event"] = type,
            ["contains"] = new[] { "payment" },
            ["created_at"] = created.ToUnixTimeSeconds(),
            ["payload"] = new Dictionary<string, object?>
            {
                ["payment"] = new Dictionary<string, object?>
                {
                    ["entity"] = new Dictionary<string, object?>
                    {
                        ["id"] = paymentId,
                        ["entity"] = "payment",
                        ["amount"] = amount,
                        ["amount_refunded"] = amountRefunded,
                        ["currency"] = currency.ToUpperInvariant(),
                        ["status"] = type == "payment.failed" ? "failed" : "captured",
                        ["order_id"] = razorpayOrderId,
                        ["notes"] = new Dictionary<string, string> { ["order_id"] = orderId.ToString("D") },
                    },
                },
            },
        });

    /// <summary>The webhook the fake provider sends when a payment for <paramref name="order"/> succeeds or fails.</summary>
    public static SignedWebhook ForPayment(OrderView order, bool succeeded, ShopSettings settings, DateTimeOffset now)
    {
        var payment = order.Payment ?? throw new InvalidOperationException("The order has no payment.");
        if (payment.Provider == ShopSettings.Razorpay)
        {
            var body = RazorpayEvent(succeeded ? "payment.captured" : "payment.failed", order.Id, payment.Reference, $"pay_fake{Guid.NewGuid():N}"[..22], order.Total, 0, order.Currency, now);
            return new SignedWebhook(body, new Dictionary<string, string>
            {
                [PaymentSignatures.RazorpayHeader] = PaymentSignatures.SignRazorpay(body, settings.RazorpayWebhookSecret),
                [PaymentSignatures.RazorpayEventIdHeader] = $"evt_fake{Guid.NewGuid():N}",
            });
        }

        var stripeBody = StripeEvent($"evt_fake_{Guid.NewGuid():N}", succeeded ? "payment_intent.succeeded" : "payment_intent.payment_failed", order.Id, payment.Reference, order.Total, order.Currency, now);
        return new SignedWebhook(stripeBody, new Dictionary<string, string>
        {
            [PaymentSignatures.StripeHeader] = PaymentSignatures.SignStripe(stripeBody, now, settings.StripeWebhookSecrets[0]),
        });
    }
}
