using System.Collections.Concurrent;
using System.Net;
using System.Net.Http.Json;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Mindspace.Gateway.Tests.Infrastructure;
using Mindspace.Testing;

namespace Mindspace.Gateway.Tests.Shop;

/// <summary>
/// A stand-in for the two Stripe API calls the shop makes through Stripe.net: <c>POST /v1/payment_intents</c>
/// and <c>POST /v1/refunds</c>, form-encoded, with the secret key as a bearer token (401 otherwise).
/// With <see cref="RefuseRefunds"/> a refund gets Stripe's 400 <c>invalid_request_error</c>.
/// </summary>
public sealed class FakeStripe : IAsyncDisposable
{
    public const string SecretKey = "sk_test_fake_key";

    private LoopbackServer _server = null!;

    private FakeStripe()
    {
    }

    public Uri Url => _server.Url;

    public bool RefuseRefunds { get; set; }

    /// <summary>Each refund request: its form fields and its Idempotency-Key.</summary>
    public ConcurrentQueue<(Dictionary<string, string> Form, string? IdempotencyKey)> Refunds { get; } = new();

    public ConcurrentQueue<Dictionary<string, string>> PaymentIntents { get; } = new();

    public static async Task<FakeStripe> StartAsync()
    {
        var self = new FakeStripe();
        self._server = await LoopbackServer.StartAsync(app =>
        {
            app.Use(async (http, next) =>
            {
                if (http.Request.Headers.Authorization.ToString() != $"Bearer {SecretKey}")
                {
                    http.Response.StatusCode = 401;
                    await http.Response.WriteAsJsonAsync(new { error = new { type = "invalid_request_error", message = "Invalid API Key provided." } });
                    return;
                }

                await next(http);
            });
            app.MapPost("/v1/payment_intents", async (HttpContext http) =>
            {
                var form = await FormAsync(http);
                self.PaymentIntents.Enqueue(form);
                var id = $"pi_{Guid.NewGuid():N}"[..27];
                return Results.Json(new { id, @object = "payment_intent", amount = long.Parse(form["amount"], System.Globalization.CultureInfo.InvariantCulture), currency = form["currency"], client_secret = $"{id}_secret_fake", status = "requires_payment_method" });
            });
            app.MapPost("/v1/refunds", async (HttpContext http) =>
            {
                var form = await FormAsync(http);
                self.Refunds.Enqueue((form, http.Request.Headers["Idempotency-Key"].FirstOrDefault()));
                if (self.RefuseRefunds)
                {
                    return Results.Json(new { error = new { type = "invalid_request_error", code = "charge_already_refunded", message = "Charge ch_fake has already been refunded." } }, statusCode: 400);
                }

                return Results.Json(new { id = $"re_{Guid.NewGuid():N}"[..27], @object = "refund", amount = long.Parse(form["amount"], System.Globalization.CultureInfo.InvariantCulture), payment_intent = form["payment_intent"], currency = "eur", status = "succeeded" });
            });
        });
        return self;
    }

    public ValueTask DisposeAsync() => _server.DisposeAsync();

    private static async Task<Dictionary<string, string>> FormAsync(HttpContext http)
    {
        Assert.StartsWith("application/x-www-form-urlencoded", http.Request.ContentType, StringComparison.Ordinal);
        var form = await http.Request.ReadFormAsync();
        return form.ToDictionary(f => f.Key, f => f.Value.ToString());
    }
}

/// <summary>A shop on "real" Stripe (Stripe.net) whose API address is <see cref="FakeStripe"/>.</summary>
public sealed class StripeShopFixture : ShopFixture, IAsyncLifetime
{
    public FakeStripe Stripe { get; private set; } = null!;

    public override async Task InitializeAsync()
    {
        Stripe = await FakeStripe.StartAsync();
        SetHost(await MindspaceTestHost.StartAsync(
            settings =>
            {
                Configure(settings);
                settings["STRIPE_SECRET_KEY"] = FakeStripe.SecretKey;
                settings["STRIPE_API_BASE_URL"] = Stripe.Url.ToString();
            },
            Clock));
    }

    async Task IAsyncLifetime.DisposeAsync()
    {
        await DisposeAsync();
        await Stripe.DisposeAsync();
    }
}

/// <summary>Refunds through Stripe.net against a local fake of Stripe's API.</summary>
public sealed class StripeRefundTests(StripeShopFixture shop) : IClassFixture<StripeShopFixture>
{
    [Fact]
    public async Task A_refund_goes_to_Stripe_for_the_payment_intent_with_an_idempotency_key_and_a_refusal_is_a_502_that_pays_nothing_back()
    {
        var product = (await shop.CreateProductAsync(price: 2500)).Id();
        var buyer = await shop.Host.RegisterAndLoginAsync();
        var admin = await shop.AdminAsync();
        var order = await buyer.Client.BuyAsync(product);
        var intent = order.GetProperty("payment").GetProperty("reference").GetString()!;
        Assert.StartsWith("pi_", intent, StringComparison.Ordinal);
        Assert.Contains(shop.Stripe.PaymentIntents, f => f["amount"] == "2500" && f["currency"] == "eur" && f["metadata[order_id]"] == order.Id().ToString("D"));
        await shop.PayAsync(order);
        var refunds = $"/api/v1/orders/{order.Id()}/refunds";

        shop.Stripe.RefuseRefunds = true;
        try
        {
            var problem = await (await admin.Client.PostAsJsonAsync(refunds, new { amount = 2500 })).AssertProblemAsync(HttpStatusCode.BadGateway);
            Assert.Contains("already been refunded", problem.GetProperty("detail").GetString(), StringComparison.Ordinal);
        }
        finally
        {
            shop.Stripe.RefuseRefunds = false;
        }

        Assert.Equal(("paid", 0L), ((await buyer.Client.GetOrderAsync(order.Id())).Status(), (await buyer.Client.GetOrderAsync(order.Id())).GetProperty("refunded").GetInt64()));

        var refund = await (await admin.Client.PostAsJsonAsync(refunds, new { amount = 1000 })).ReadJsonAsync(HttpStatusCode.Created);

        Assert.Equal("succeeded", refund.GetProperty("status").GetString());
        Assert.StartsWith("re_", refund.GetProperty("providerRefundId").GetString(), StringComparison.Ordinal);
        var sent = shop.Stripe.Refunds.Last();
        Assert.Equal((intent, "1000", $"refund-{refund.Id():D}"), (sent.Form["payment_intent"], sent.Form["amount"], sent.IdempotencyKey));
        Assert.Equal(1000, (await buyer.Client.GetOrderAsync(order.Id())).GetProperty("refunded").GetInt64());
    }
}
