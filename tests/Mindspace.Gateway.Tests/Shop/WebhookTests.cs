using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Mindspace.Gateway.Shop;
using Mindspace.Gateway.Tests.Infrastructure;
using Mindspace.Grains.Interfaces.Shop;

namespace Mindspace.Gateway.Tests.Shop;

public sealed class WebhookTests(ShopFixture shop) : IClassFixture<ShopFixture>
{
    private MindspaceTestHost Host => shop.Host;

    private DateTimeOffset Now => shop.Clock.GetUtcNow();

    [Fact]
    public async Task A_forged_Stripe_webhook_is_rejected_and_changes_nothing()
    {
        var (user, order) = await UnpaidOrderAsync();
        var body = ShopHttp.StripeSucceeded(order, at: Now);

        await (await Host.PostStripeAsync(body, Now, "whsec_guessed")).AssertProblemAsync(HttpStatusCode.BadRequest);
        await (await Host.PostWebhookAsync("stripe", body, [])).AssertProblemAsync(HttpStatusCode.BadRequest);

        // A genuine signature over a different body (amount raised to 1 cent) does not verify either.
        var header = PaymentSignatures.SignStripe(body, Now, ShopFixture.StripeSecret);
        var tampered = body.Replace("\"amount_received\":", "\"amount_received\":1", StringComparison.Ordinal);
        await (await Host.PostWebhookAsync("stripe", tampered, new() { [PaymentSignatures.StripeHeader] = header })).AssertProblemAsync(HttpStatusCode.BadRequest);

        Assert.Equal("awaiting_payment", (await user.Client.GetOrderAsync(order.Id())).Status());
        Assert.Contains(Host.Logs.Lines, line => line.Contains("webhook was rejected", StringComparison.Ordinal));
        Assert.DoesNotContain(Host.Logs.Lines, line => line.Contains(ShopFixture.StripeSecret, StringComparison.Ordinal));
    }

    [Fact]
    public async Task A_replayed_Stripe_webhook_is_acknowledged_once_applied_and_stale_ones_are_refused()
    {
        var (user, order) = await UnpaidOrderAsync();
        var body = ShopHttp.StripeSucceeded(order, eventId: "evt_replayed_" + Guid.NewGuid().ToString("N"), at: Now);
        var header = new Dictionary<string, string> { [PaymentSignatures.StripeHeader] = PaymentSignatures.SignStripe(body, Now, ShopFixture.StripeSecret) };

        Assert.Equal("applied", (await (await Host.PostWebhookAsync("stripe", body, header)).ReadJsonAsync()).GetProperty("outcome").GetString());
        var paid = await user.Client.GetOrderAsync(order.Id());
        Assert.Equal("duplicate", (await (await Host.PostWebhookAsync("stripe", body, header)).ReadJsonAsync()).GetProperty("outcome").GetString());
        var again = await user.Client.GetOrderAsync(order.Id());
        Assert.Equal(paid.GetProperty("invoiceNumber").GetString(), again.GetProperty("invoiceNumber").GetString());
        Assert.Equal(paid.GetProperty("history").GetArrayLength(), again.GetProperty("history").GetArrayLength());

        // Outside Stripe's 300 s tolerance, in either direction, a signature no longer counts.
        var (_, other) = await UnpaidOrderAsync();
        var late = ShopHttp.StripeSucceeded(other, at: Now);
        await (await Host.PostStripeAsync(late, Now.AddSeconds(-301), ShopFixture.StripeSecret)).AssertProblemAsync(HttpStatusCode.BadRequest);
        await (await Host.PostStripeAsync(late, Now.AddSeconds(301), ShopFixture.StripeSecret)).AssertProblemAsync(HttpStatusCode.BadRequest);
        Assert.Equal(OrderStatus.AwaitingPayment, (await Host.Grains.GetGrain<IOrderGrain>(other.Id()).GetAsync())!.Status);
    }

    [Fact]
    public async Task During_a_secret_rotation_either_secret_and_a_header_with_several_signatures_verify()
    {
        var (_, first) = await UnpaidOrderAsync();
        var (_, second) = await UnpaidOrderAsync();
        var (_, third) = await UnpaidOrderAsync();

        // Stripe signs with the old and the new secret while both are live: one v1 per secret.
        Assert.Equal(HttpStatusCode.OK, (await Host.PostStripeAsync(ShopHttp.StripeSucceeded(first, at: Now), Now, "whsec_retired", ShopFixture.StripeSecret)).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await Host.PostStripeAsync(ShopHttp.StripeSucceeded(second, at: Now), Now, ShopFixture.StripeOldSecret)).StatusCode);
        await (await Host.PostStripeAsync(ShopHttp.StripeSucceeded(third, at: Now), Now, "whsec_retired", "whsec_other")).AssertProblemAsync(HttpStatusCode.BadRequest);

        Assert.Equal(OrderStatus.Paid, (await Host.Grains.GetGrain<IOrderGrain>(first.Id()).GetAsync())!.Status);
        Assert.Equal(OrderStatus.Paid, (await Host.Grains.GetGrain<IOrderGrain>(second.Id()).GetAsync())!.Status);
        Assert.Equal(OrderStatus.AwaitingPayment, (await Host.Grains.GetGrain<IOrderGrain>(third.Id()).GetAsync())!.Status);
    }

    [Fact]
    public async Task Events_out_of_order_cannot_undo_each_other()
    {
        var (user, order) = await UnpaidOrderAsync(price: 4000);
        var reference = order.GetProperty("payment").GetProperty("reference").GetString()!;

        // A failure that was sent before the success but arrives after it changes nothing.
        await shop.PayAsync(order);
        var failed = FakePaymentWebhooks.StripeEvent($"evt_{Guid.NewGuid():N}", "payment_intent.payment_failed", order.Id(), reference, 4000, "EUR", Now.AddSeconds(-30));
        Assert.Equal("ignored", (await (await Host.PostStripeAsync(failed, Now, ShopFixture.StripeSecret)).ReadJsonAsync()).GetProperty("outcome").GetString());

        // Refund totals from the provider are cumulative: the later total (3000) then an earlier one (1000).
        var later = FakePaymentWebhooks.StripeEvent($"evt_{Guid.NewGuid():N}", "charge.refunded", order.Id(), reference, 3000, "EUR", Now);
        var earlier = FakePaymentWebhooks.StripeEvent($"evt_{Guid.NewGuid():N}", "charge.refunded", order.Id(), reference, 1000, "EUR", Now.AddSeconds(-60));
        Assert.Equal("applied", (await (await Host.PostStripeAsync(later, Now, ShopFixture.StripeSecret)).ReadJsonAsync()).GetProperty("outcome").GetString());
        Assert.Equal("ignored", (await (await Host.PostStripeAsync(earlier, Now, ShopFixture.StripeSecret)).ReadJsonAsync()).GetProperty("outcome").GetString());

        var now = await user.Client.GetOrderAsync(order.Id());
        Assert.Equal("paid", now.Status());
        Assert.Equal(3000, now.GetProperty("refunded").GetInt64());

        // What the provider already refunded counts against what can still be refunded here.
        var admin = await shop.AdminAsync();
        await (await admin.Client.PostAsJsonAsync($"/api/v1/orders/{order.Id()}/refunds", new { amount = 1001 })).AssertValidationProblemAsync("amount");
    }

    [Fact]
    public async Task A_payment_for_another_amount_does_not_pay_the_order()
    {
        var (user, order) = await UnpaidOrderAsync(price: 2500);
        var body = ShopHttp.StripeSucceeded(order, at: Now, amount: 1);
        Assert.Equal("mismatch", (await (await Host.PostStripeAsync(body, Now, ShopFixture.StripeSecret)).ReadJsonAsync()).GetProperty("outcome").GetString());
        Assert.Equal("awaiting_payment", (await user.Client.GetOrderAsync(order.Id())).Status());
    }

    [Fact]
    public async Task Razorpay_webhooks_verify_the_body_signature_and_dedupe_by_event_id()
    {
        var user = await Host.RegisterAndLoginAsync();
        var product = await shop.CreateProductAsync(price: 49900, currency: "INR");
        var order = await user.Client.BuyAsync(product.Id(), paymentMethod: "razorpay");
        var razorpayOrder = order.GetProperty("payment").GetProperty("reference").GetString()!;
        var body = FakePaymentWebhooks.RazorpayEvent("payment.captured", order.Id(), razorpayOrder, "pay_test123", 49900, 0, "INR", Now);
        var eventId = "evt_rzp_" + Guid.NewGuid().ToString("N");

        await (await Host.PostWebhookAsync("razorpay", body, new()
        {
            [PaymentSignatures.RazorpayHeader] = PaymentSignatures.SignRazorpay(body, "not-the-secret"),
            [PaymentSignatures.RazorpayEventIdHeader] = eventId,
        })).AssertProblemAsync(HttpStatusCode.BadRequest);
        await (await Host.PostWebhookAsync("razorpay", body, new()
        {
            [PaymentSignatures.RazorpayHeader] = PaymentSignatures.SignRazorpay(body, ShopFixture.RazorpayWebhookSecret),
        })).AssertProblemAsync(HttpStatusCode.BadRequest);
        Assert.Equal("awaiting_payment", (await user.Client.GetOrderAsync(order.Id())).Status());

        // The client's checkout result is checked, but only the provider's webhook makes the order paid.
        var checkout = $"/api/v1/orders/{order.Id()}/payments/razorpay";
        await (await user.Client.PostAsJsonAsync(checkout, new { razorpayOrderId = razorpayOrder, razorpayPaymentId = "pay_test123", razorpaySignature = "00ff" }))
            .AssertValidationProblemAsync("razorpaySignature");
        var signature = PaymentSignatures.SignRazorpay($"{razorpayOrder}|pay_test123", ShopFixture.RazorpayKeySecret);
        var accepted = await user.Client.PostAsJsonAsync(checkout, new { razorpayOrderId = razorpayOrder, razorpayPaymentId = "pay_test123", razorpaySignature = signature });
        Assert.Equal(HttpStatusCode.Accepted, accepted.StatusCode);
        Assert.Equal("awaiting_payment", (await user.Client.GetOrderAsync(order.Id())).Status());

        var headers = new Dictionary<string, string>
        {
            [PaymentSignatures.RazorpayHeader] = PaymentSignatures.SignRazorpay(body, ShopFixture.RazorpayWebhookSecret),
            [PaymentSignatures.RazorpayEventIdHeader] = eventId,
        };
        Assert.Equal("applied", (await (await Host.PostWebhookAsync("razorpay", body, headers)).ReadJsonAsync()).GetProperty("outcome").GetString());
        Assert.Equal("duplicate", (await (await Host.PostWebhookAsync("razorpay", body, headers)).ReadJsonAsync()).GetProperty("outcome").GetString());
        var paid = await user.Client.GetOrderAsync(order.Id());
        Assert.Equal("paid", paid.Status());
        Assert.Equal(49900, paid.GetProperty("paid").GetInt64());
    }

    [Fact]
    public async Task The_fake_provider_pays_through_the_same_signed_webhook_path()
    {
        var (user, order) = await UnpaidOrderAsync();
        var failed = await (await user.Client.PostAsJsonAsync($"/api/v1/payments/fake/orders/{order.Id()}", new { outcome = "failed" })).ReadJsonAsync();
        Assert.Equal("applied", failed.GetProperty("outcome").GetString());
        Assert.Equal("awaiting_payment", (await user.Client.GetOrderAsync(order.Id())).Status());
        await (await user.Client.PostAsJsonAsync($"/api/v1/payments/fake/orders/{order.Id()}", new { outcome = "succeeded" })).ReadJsonAsync();
        Assert.Equal("paid", (await user.Client.GetOrderAsync(order.Id())).Status());

        var stranger = await Host.RegisterAndLoginAsync();
        await (await stranger.Client.PostAsJsonAsync($"/api/v1/payments/fake/orders/{order.Id()}", new { })).AssertProblemAsync(HttpStatusCode.NotFound);
        await (await Host.PostWebhookAsync("paypal", "{}", [])).AssertProblemAsync(HttpStatusCode.NotFound);
    }

    private async Task<(TestUser User, JsonElement Order)> UnpaidOrderAsync(long price = 1500)
    {
        var user = await Host.RegisterAndLoginAsync();
        var product = await shop.CreateProductAsync(price: price);
        return (user, await user.Client.BuyAsync(product.Id()));
    }
}
