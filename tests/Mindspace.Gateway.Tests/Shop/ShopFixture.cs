using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using Microsoft.Extensions.DependencyInjection;
using Mindspace.Gateway.Shop;
using Mindspace.Gateway.Tests.Infrastructure;
using Mindspace.Grains.Interfaces.Shop;
using Mindspace.Testing;

namespace Mindspace.Gateway.Tests.Shop;

/// <summary>One gateway (embedded, starter catalogue seeded) per test class, on a clock tests move by hand.</summary>
public class ShopFixture : IAsyncLifetime
{
    public const string AdminEmail = "shop-admin@example.test";
    public const string StripeSecret = "whsec_test_current";
    public const string StripeOldSecret = "whsec_test_previous";
    public const string RazorpayWebhookSecret = "rzp_webhook_test";
    public const string RazorpayKeySecret = "rzp_key_test";

    private TestUser? _admin;

    public MindspaceTestHost Host { get; private set; } = null!;

    /// <summary>Starts at the real time (access tokens are checked against it) and moves only when a test says so.</summary>
    public ManualClock Clock { get; } = new(DateTimeOffset.UtcNow);

    public ShopSettings Settings => Host.Services.GetRequiredService<ShopSettings>();

    public virtual async Task InitializeAsync() => Host = await MindspaceTestHost.StartAsync(Configure, Clock);

    protected void SetHost(MindspaceTestHost host) => Host = host;

    public async Task DisposeAsync() => await Host.DisposeAsync();

    public static void Configure(IDictionary<string, string?> settings)
    {
        settings["ADMIN_EMAILS"] = AdminEmail;
        settings["STRIPE_WEBHOOK_SECRETS"] = $"{StripeSecret},{StripeOldSecret}";
        settings["RAZORPAY_WEBHOOK_SECRET"] = RazorpayWebhookSecret;
        settings["RAZORPAY_KEY_SECRET"] = RazorpayKeySecret;
    }

    public async Task<TestUser> AdminAsync() => _admin ??= await Host.RegisterAndLoginAsync(email: AdminEmail);

    /// <summary>A new active product (EUR) with <paramref name="stock"/> units.</summary>
    public async Task<JsonElement> CreateProductAsync(
        int stock = 10, long price = 1500, string? name = null, string category = "test-goods", string[]? tags = null, string? description = null, string currency = "EUR")
    {
        var admin = await AdminAsync();
        var response = await admin.Client.PostAsJsonAsync("/api/v1/products", new
        {
            name = name ?? $"Test product {Guid.NewGuid():N}",
            description = description ?? "A product made for a test.",
            price,
            currency,
            images = new[] { "/images/test.svg" },
            category,
            tags = tags ?? ["test"],
            stock,
            active = true,
        });
        return await response.ReadJsonAsync(HttpStatusCode.Created);
    }
}

/// <summary>A shop of its own for a test class that moves the clock (tokens issued after a move would not verify elsewhere).</summary>
public sealed class ClockShopFixture : ShopFixture
{
}

internal static class ShopHttp
{
    public static async Task<JsonElement> ReadJsonAsync(this HttpResponseMessage response, HttpStatusCode expected = HttpStatusCode.OK)
    {
        var text = await response.Content.ReadAsStringAsync();
        Assert.True(response.StatusCode == expected, $"Expected {(int)expected} but got {(int)response.StatusCode}: {text}");
        return JsonDocument.Parse(text).RootElement;
    }

    public static Guid Id(this JsonElement element) => element.GetProperty("id").GetGuid();

    public static string Status(this JsonElement order) => order.GetProperty("status").GetString()!;

    public static Task<HttpResponseMessage> AddToCartAsync(this HttpClient client, Guid productId, int quantity = 1, string? ifMatch = null, string? guestToken = null)
    {
        var request = new HttpRequestMessage(HttpMethod.Post, $"/api/v1/cart/items/{productId}") { Content = JsonContent.Create(new { quantity }) };
        if (ifMatch is not null)
        {
            request.Headers.TryAddWithoutValidation("If-Match", ifMatch);
        }

        if (guestToken is not null)
        {
            request.Headers.Add(GuestCartTokens.Header, guestToken);
        }

        return client.SendAsync(request);
    }

    public static Task<HttpResponseMessage> CreateOrderAsync(this HttpClient client, object? body = null, string? idempotencyKey = null)
    {
        var request = new HttpRequestMessage(HttpMethod.Post, "/api/v1/orders") { Content = JsonContent.Create(body ?? new { }) };
        if (idempotencyKey is not null)
        {
            request.Headers.Add("Idempotency-Key", idempotencyKey);
        }

        return client.SendAsync(request);
    }

    /// <summary>Buys <paramref name="quantity"/> of one product (not through the cart) and returns the order.</summary>
    public static async Task<JsonElement> BuyAsync(this HttpClient client, Guid productId, int quantity = 1, string paymentMethod = "card")
        => await (await client.CreateOrderAsync(new { items = new[] { new { productId, quantity } }, paymentMethod })).ReadJsonAsync(HttpStatusCode.Created);

    public static async Task<JsonElement> GetOrderAsync(this HttpClient client, Guid orderId)
        => await (await client.GetAsync($"/api/v1/orders/{orderId}")).ReadJsonAsync();

    public static async Task<int> AvailableAsync(this MindspaceTestHost host, Guid productId)
        => (await host.Grains.GetGrain<IStockGrain>(productId).GetAsync()).Available;

    /// <summary>Posts a Stripe event body signed with <paramref name="secrets"/> at <paramref name="at"/>.</summary>
    public static Task<HttpResponseMessage> PostStripeAsync(this MindspaceTestHost host, string body, DateTimeOffset at, params string[] secrets)
        => host.PostWebhookAsync("stripe", body, new() { [PaymentSignatures.StripeHeader] = PaymentSignatures.SignStripe(body, at, secrets) });

    public static Task<HttpResponseMessage> PostWebhookAsync(this MindspaceTestHost host, string provider, string body, Dictionary<string, string> headers)
    {
        var request = new HttpRequestMessage(HttpMethod.Post, $"/api/v1/payments/webhooks/{provider}") { Content = new StringContent(body, Encoding.UTF8, "application/json") };
        foreach (var (name, value) in headers)
        {
            request.Headers.TryAddWithoutValidation(name, value);
        }

        return host.Client.SendAsync(request);
    }

    /// <summary>The Stripe payment_intent.succeeded event for an order (as the provider would send it).</summary>
    public static string StripeSucceeded(JsonElement order, string? eventId = null, DateTimeOffset? at = null, long? amount = null)
        => FakePaymentWebhooks.StripeEvent(
            eventId ?? $"evt_{Guid.NewGuid():N}", "payment_intent.succeeded", order.Id(), order.GetProperty("payment").GetProperty("reference").GetString()!,
            amount ?? order.GetProperty("total").GetInt64(), order.GetProperty("currency").GetString()!, at ?? DateTimeOffset.UtcNow);

    /// <summary>Pays <paramref name="order"/> the way the provider does: a signed webhook.</summary>
    public static async Task PayAsync(this ShopFixture shop, JsonElement order)
    {
        var response = await shop.Host.PostStripeAsync(StripeSucceeded(order, at: shop.Clock.GetUtcNow()), shop.Clock.GetUtcNow(), ShopFixture.StripeSecret);
        var result = await response.ReadJsonAsync();
        Assert.Equal("applied", result.GetProperty("outcome").GetString());
    }

    /// <summary>A Stripe <c>customer.subscription.*</c> event putting <paramref name="userId"/> on Plus with <paramref name="status"/>.</summary>
    public static string SubscriptionEvent(Guid userId, string type, string status, DateTimeOffset created) => JsonSerializer.Serialize(new Dictionary<string, object?>
    {
        ["id"] = $"evt_{Guid.NewGuid():N}",
        ["object"] = "event",
        ["type"] = type,
        ["created"] = created.ToUnixTimeSeconds(),
        ["data"] = new Dictionary<string, object?>
        {
            ["object"] = new Dictionary<string, object?>
            {
                ["id"] = "sub_test",
                ["object"] = "subscription",
                ["status"] = status,
                ["trial_end"] = created.AddDays(14).ToUnixTimeSeconds(),
                ["current_period_end"] = created.AddDays(30).ToUnixTimeSeconds(),
                ["metadata"] = new Dictionary<string, string> { ["user_id"] = userId.ToString("D"), ["plan"] = "plus" },
            },
        },
    });

    /// <summary>Posts a subscription event to <c>/api/v1/billing/webhooks</c>, Stripe-signed with <paramref name="secret"/> at <paramref name="at"/>.</summary>
    public static Task<HttpResponseMessage> PostSubscriptionAsync(this MindspaceTestHost host, string body, DateTimeOffset at, string secret)
    {
        var request = new HttpRequestMessage(HttpMethod.Post, "/api/v1/billing/webhooks") { Content = new StringContent(body) };
        request.Headers.TryAddWithoutValidation(PaymentSignatures.StripeHeader, PaymentSignatures.SignStripe(body, at, secret));
        return host.Client.SendAsync(request);
    }
}
