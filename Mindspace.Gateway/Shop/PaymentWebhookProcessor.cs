using System.Globalization;
using System.Text.Json;
using Mindspace.Grains.Interfaces;
using Mindspace.Grains.Interfaces.Shop;

namespace Mindspace.Gateway.Shop;

/// <summary>What became of a webhook: rejected (bad signature, unusable body) or accepted with an outcome.</summary>
public sealed record WebhookResult(bool Accepted, string Outcome);

/// <summary>
/// Verifies and applies payment webhooks. A body whose signature does not verify is rejected before
/// it is even parsed. A verified event is applied to its order by the order grain, which keeps the
/// ids of the events it applied, so a replay changes nothing; amounts that accumulate (refunds)
/// are taken as totals, so events arriving out of order cannot undo each other.
/// </summary>
public sealed class PaymentWebhookProcessor(
    ShopSettings settings,
    IGrainFactory grains,
    RefundExecutor refunds,
    [FromKeyedServices(MindspaceClock.Key)] TimeProvider clock,
    ILogger<PaymentWebhookProcessor> logger)
{
    public async Task<WebhookResult> ProcessAsync(string provider, string body, Func<string, string?> header, CancellationToken cancellationToken)
    {
        PaymentEvent? paymentEvent;
        Guid orderId;
        switch (provider)
        {
            case ShopSettings.Stripe:
                if (!PaymentSignatures.VerifyStripe(body, header(PaymentSignatures.StripeHeader), settings.StripeWebhookSecrets, ShopSettings.StripeToleranceSeconds, clock.GetUtcNow()))
                {
                    ShopLog.WebhookRejected(logger, provider);
                    return new WebhookResult(false, "The signature does not verify.");
                }

                (paymentEvent, orderId) = ReadStripe(body);
                break;

            case ShopSettings.Razorpay:
                var eventId = header(PaymentSignatures.RazorpayEventIdHeader);
                if (!PaymentSignatures.VerifyRazorpay(body, header(PaymentSignatures.RazorpayHeader), settings.RazorpayWebhookSecret) || string.IsNullOrWhiteSpace(eventId))
                {
                    ShopLog.WebhookRejected(logger, provider);
                    return new WebhookResult(false, "The signature does not verify.");
                }

                (paymentEvent, orderId) = ReadRazorpay(body, eventId.Trim());
                break;

            default:
                return new WebhookResult(false, "Unknown provider.");
        }

        if (paymentEvent is null)
        {
            return new WebhookResult(true, "ignored");
        }

        var order = grains.GetGrain<IOrderGrain>(orderId);
        var result = await order.ApplyPaymentEventAsync(paymentEvent);
        ShopLog.WebhookApplied(logger, provider, paymentEvent.Kind, result.Outcome);
        if (result.Refund is { } plan && await order.GetAsync() is { } view)
        {
            await refunds.ExecuteAsync(orderId, view.OwnerId, plan, cancellationToken);
        }

        return new WebhookResult(true, result.Outcome.ToString().ToLowerInvariant());
    }

    private static (PaymentEvent?, Guid) ReadStripe(string body)
    {
        try
        {
            using var document = JsonDocument.Parse(body);
            var root = document.RootElement;
            var id = root.GetProperty("id").GetString()!;
            var created = DateTimeOffset.FromUnixTimeSeconds(root.GetProperty("created").GetInt64());
            var type = root.GetProperty("type").GetString();
            var data = root.GetProperty("data").GetProperty("object");
            if (!TryOrderId(data, "order_id", out var orderId))
            {
                return (null, Guid.Empty);
            }

            var currency = data.GetProperty("currency").GetString()!.ToUpperInvariant();
            return type switch
            {
                "payment_intent.succeeded" => (new PaymentEvent(ShopSettings.Stripe, id, PaymentEventKind.Succeeded, data.GetProperty("id").GetString()!,
                    data.GetProperty("amount_received").GetInt64(), currency, created), orderId),
                "payment_intent.payment_failed" => (new PaymentEvent(ShopSettings.Stripe, id, PaymentEventKind.Failed, data.GetProperty("id").GetString()!,
                    data.GetProperty("amount").GetInt64(), currency, created), orderId),
                "charge.refunded" => (new PaymentEvent(ShopSettings.Stripe, id, PaymentEventKind.Refunded, data.GetProperty("payment_intent").GetString()!,
                    data.GetProperty("amount_refunded").GetInt64(), currency, created), orderId),
                _ => (null, Guid.Empty),
            };
        }
        catch (Exception e) when (e is JsonException or KeyNotFoundException or InvalidOperationException or FormatException)
        {
            // Signed by the provider but not a shape we act on.
            return (null, Guid.Empty);
        }
    }

    private static (PaymentEvent?, Guid) ReadRazorpay(string body, string eventId)
    {
        try
        {
            using var document = JsonDocument.Parse(body);
            var root = document.RootElement;
            var type = root.GetProperty("event").GetString();
            var created = DateTimeOffset.FromUnixTimeSeconds(root.GetProperty("created_at").GetInt64());
            var payment = root.GetProperty("payload").GetProperty("payment").GetProperty("entity");
            if (!payment.TryGetProperty("notes", out var notes) || !TryOrderId(payment, "order_id", out var orderId, notes))
            {
                return (null, Guid.Empty);
            }

            var reference = payment.GetProperty("order_id").GetString()!;
            var currency = payment.GetProperty("currency").GetString()!.ToUpperInvariant();
            return type switch
            {
                "payment.captured" => (new PaymentEvent(ShopSettings.Razorpay, eventId, PaymentEventKind.Succeeded, reference, payment.GetProperty("amount").GetInt64(), currency, created), orderId),
                "payment.failed" => (new PaymentEvent(ShopSettings.Razorpay, eventId, PaymentEventKind.Failed, reference, payment.GetProperty("amount").GetInt64(), currency, created), orderId),
                "refund.processed" => (new PaymentEvent(ShopSettings.Razorpay, eventId, PaymentEventKind.Refunded, reference, payment.GetProperty("amount_refunded").GetInt64(), currency, created), orderId),
                _ => (null, Guid.Empty),
            };
        }
        catch (Exception e) when (e is JsonException or KeyNotFoundException or InvalidOperationException or FormatException)
        {
            return (null, Guid.Empty);
        }
    }

    /// <summary>Our order id, from Stripe's <c>metadata</c> or Razorpay's <c>notes</c>.</summary>
    private static bool TryOrderId(JsonElement data, string name, out Guid orderId, JsonElement? notes = null)
    {
        orderId = Guid.Empty;
        var bag = notes ?? (data.TryGetProperty("metadata", out var metadata) ? metadata : default);
        return bag.ValueKind == JsonValueKind.Object
            && bag.TryGetProperty(name, out var value)
            && value.ValueKind == JsonValueKind.String
            && Guid.TryParse(value.GetString(), CultureInfo.InvariantCulture, out orderId);
    }
}

/// <summary>How a planned refund went: the order afterwards, and why the provider did not take it, if it did not.</summary>
/// <param name="TimedOut">The provider did not answer in time (and no refund of ours was found there afterwards).</param>
public sealed record RefundExecution(OrderChange Change, string? Failure = null, bool TimedOut = false);

/// <summary>Carries out a planned refund through the wallet or the payment provider and reports back to the order.</summary>
/// <remarks>A refund the provider refuses or does not answer is recorded as failed: nothing was paid back, and the amount can be refunded again.</remarks>
public sealed class RefundExecutor(IGrainFactory grains, PaymentProviders providers, ILogger<RefundExecutor> logger)
{
    public async Task<RefundExecution> ExecuteAsync(Guid orderId, Guid ownerId, RefundPlan plan, CancellationToken cancellationToken)
    {
        var order = grains.GetGrain<IOrderGrain>(orderId);
        if (plan.ToWallet)
        {
            var credit = await grains.GetGrain<IWalletGrain>(ownerId).CreditAsync(plan.Amount, plan.Currency, "Refund", $"refund:{plan.RefundId:D}");
            var ok = credit.Status is WalletStatus.Ok or WalletStatus.Duplicate;
            return new RefundExecution(
                await order.CompleteRefundAsync(plan.RefundId, ok, ok ? $"wallet:{plan.RefundId:N}" : null),
                ok ? null : "The store credit could not be booked (the wallet holds another currency).");
        }

        ProviderRefund result;
        string? failure = null;
        var timedOut = false;
        if (providers.Find(plan.Payment.Provider) is not { } provider)
        {
            result = new ProviderRefund(false, null);
            failure = $"No payment provider '{plan.Payment.Provider}' is configured.";
        }
        else
        {
            try
            {
                result = await provider.RefundAsync(plan, cancellationToken);
                failure = result.Succeeded ? null : "The payment provider declined the refund.";
            }
            catch (Exception e) when (e is Stripe.StripeException or HttpRequestException or TaskCanceledException)
            {
                ShopLog.RefundFailed(logger, orderId, e.GetType().Name);
                result = new ProviderRefund(false, null);
                (failure, timedOut) = e switch
                {
                    PaymentProviderException p => (p.Message, p.TimedOut),
                    Stripe.StripeException stripe => ($"Stripe refused the refund ({(int)stripe.HttpStatusCode}): {stripe.StripeError?.Message ?? stripe.Message}", false),
                    _ => ("The payment provider could not be reached.", e is TaskCanceledException),
                };
            }
        }

        return new RefundExecution(await order.CompleteRefundAsync(plan.RefundId, result.Succeeded, result.RefundId), failure, timedOut);
    }
}
