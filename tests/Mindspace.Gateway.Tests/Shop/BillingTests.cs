using System.Net;
using System.Text.Json;
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

        Assert.Equal("applied", await SendAsync(ShopHttp.SubscriptionEvent(user.UserId, "customer.subscription.created", "trialing", start)));
        var trial = await PlanAsync(user);
        Assert.Equal(("plus", "trialing"), (trial.GetProperty("plan").GetString(), trial.GetProperty("status").GetString()));
        Assert.Equal(1, trial.GetProperty("entitlements").GetProperty("therapist.model-replies").GetInt32());

        Assert.Equal("applied", await SendAsync(ShopHttp.SubscriptionEvent(user.UserId, "customer.subscription.updated", "active", start.AddSeconds(10))));
        var pastDue = ShopHttp.SubscriptionEvent(user.UserId, "customer.subscription.updated", "past_due", start.AddSeconds(20));
        Assert.Equal("applied", await SendAsync(pastDue));
        Assert.Equal(("plus", "past_due"), Plan(await PlanAsync(user)));

        // A replay and an older event change nothing.
        Assert.Equal("duplicate", await SendAsync(pastDue));
        Assert.Equal("stale", await SendAsync(ShopHttp.SubscriptionEvent(user.UserId, "customer.subscription.updated", "active", start.AddSeconds(5))));
        Assert.Equal(("plus", "past_due"), Plan(await PlanAsync(user)));

        Assert.Equal("applied", await SendAsync(ShopHttp.SubscriptionEvent(user.UserId, "customer.subscription.deleted", "canceled", start.AddSeconds(30))));
        var cancelled = await PlanAsync(user);
        Assert.Equal(("free", "cancelled"), Plan(cancelled));
        Assert.Equal(4, cancelled.GetProperty("entitlements").GetProperty("digest.history-weeks").GetInt32());
    }

    [Fact]
    public async Task A_forged_subscription_webhook_is_rejected_and_grants_nothing()
    {
        var user = await Host.RegisterAndLoginAsync();
        var body = ShopHttp.SubscriptionEvent(user.UserId, "customer.subscription.created", "active", shop.Clock.GetUtcNow());
        await (await Host.PostSubscriptionAsync(body, shop.Clock.GetUtcNow(), "whsec_forged")).AssertProblemAsync(HttpStatusCode.BadRequest);
        Assert.Equal("free", (await PlanAsync(user)).GetProperty("plan").GetString());
    }

    private async Task<string?> SendAsync(string body)
        => (await (await Host.PostSubscriptionAsync(body, shop.Clock.GetUtcNow(), ShopFixture.StripeSecret)).ReadJsonAsync()).GetProperty("outcome").GetString();

    private static async Task<JsonElement> PlanAsync(TestUser user) => await (await user.Client.GetAsync("/api/v1/billing/plan")).ReadJsonAsync();

    private static (string?, string?) Plan(JsonElement plan) => (plan.GetProperty("plan").GetString(), plan.GetProperty("status").GetString());
}
