using System.Net;
using System.Text.Json;
using Mindspace.Gateway.Shop;
using Mindspace.Gateway.Tests.Infrastructure;

namespace Mindspace.Gateway.Tests.Shop;

public sealed class BillingTests(ShopFixture shop) : IClassFixture<ShopFixture>
{
    private MindspaceTestHost Host => shop.Host;

    [Fact]
    public async Task A_subscription_moves_through_trial_active_past_due_and_cancelled_from_signed_webhooks()
    {
        var user = await Host.RegisterAndLoginAsync();
        var start = shop.Clock.GetUtcNow();
        Assert.Equal("free", (await PlanAsync(user)).GetProperty("plan").GetString());

        Assert.Equal("applied", await SendAsync(Event(user.UserId, "customer.subscription.created", "trialing", start)));
        var trial = await PlanAsync(user);
        Assert.Equal(("plus", "trialing"), (trial.GetProperty("plan").GetString(), trial.GetProperty("status").GetString()));
        Assert.Equal(1, trial.GetProperty("entitlements").GetProperty("therapist.model-replies").GetInt32());

        Assert.Equal("applied", await SendAsync(Event(user.UserId, "customer.subscription.updated", "active", start.AddSeconds(10))));
        var pastDue = Event(user.UserId, "customer.subscription.updated", "past_due", start.AddSeconds(20));
        Assert.Equal("applied", await SendAsync(pastDue));
        Assert.Equal(("plus", "past_due"), Plan(await PlanAsync(user)));

        // A replay and an older event change nothing.
        Assert.Equal("duplicate", await SendAsync(pastDue));
        Assert.Equal("stale", await SendAsync(Event(user.UserId, "customer.subscription.updated", "active", start.AddSeconds(5))));
        Assert.Equal(("plus", "past_due"), Plan(await PlanAsync(user)));

        Assert.Equal("applied", await SendAsync(Event(user.UserId, "customer.subscription.deleted", "canceled", start.AddSeconds(30))));
        var cancelled = await PlanAsync(user);
        Assert.Equal(("free", "cancelled"), Plan(cancelled));
        Assert.Equal(4, cancelled.GetProperty("entitlements").GetProperty("digest.history-weeks").GetInt32());
    }

    [Fact]
    public async Task A_forged_subscription_webhook_is_rejected_and_grants_nothing()
    {
        var user = await Host.RegisterAndLoginAsync();
        var body = Event(user.UserId, "customer.subscription.created", "active", shop.Clock.GetUtcNow());
        var request = new HttpRequestMessage(HttpMethod.Post, "/api/v1/billing/webhooks") { Content = new StringContent(body) };
        request.Headers.TryAddWithoutValidation(PaymentSignatures.StripeHeader, PaymentSignatures.SignStripe(body, shop.Clock.GetUtcNow(), "whsec_forged"));
        await (await Host.Client.SendAsync(request)).AssertProblemAsync(HttpStatusCode.BadRequest);
        Assert.Equal("free", (await PlanAsync(user)).GetProperty("plan").GetString());
    }

    private async Task<string?> SendAsync(string body)
    {
        var request = new HttpRequestMessage(HttpMethod.Post, "/api/v1/billing/webhooks") { Content = new StringContent(body) };
        request.Headers.TryAddWithoutValidation(PaymentSignatures.StripeHeader, PaymentSignatures.SignStripe(body, shop.Clock.GetUtcNow(), ShopFixture.StripeSecret));
        return (await (await Host.Client.SendAsync(request)).ReadJsonAsync()).GetProperty("outcome").GetString();
    }

    private static async Task<JsonElement> PlanAsync(TestUser user) => await (await user.Client.GetAsync("/api/v1/billing/plan")).ReadJsonAsync();

    private static (string?, string?) Plan(JsonElement plan) => (plan.GetProperty("plan").GetString(), plan.GetProperty("status").GetString());

    private static string Event(Guid userId, string type, string status, DateTimeOffset created) => JsonSerializer.Serialize(new Dictionary<string, object?>
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
}
