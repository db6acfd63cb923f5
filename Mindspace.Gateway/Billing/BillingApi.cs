using System.Security.Claims;
using System.Text;
using System.Text.Json;
using Microsoft.AspNetCore.Mvc;
using Mindspace.Gateway.Auth;
using Mindspace.Gateway.Hosting;
using Mindspace.Gateway.Shop;
using Mindspace.Grains.Interfaces;
using Mindspace.Grains.Interfaces.Billing;

namespace Mindspace.Gateway.Billing;

public sealed record PlanResponse(string Plan, string Status, string? SubscribedPlan, DateTimeOffset? TrialEndsAt, DateTimeOffset? CurrentPeriodEnd, IReadOnlyDictionary<string, int> Entitlements);

/// <summary>
/// Plans: <c>GET /api/v1/billing/plan</c> and the provider's subscription webhooks at
/// <c>POST /api/v1/billing/webhooks</c> (Stripe-signed: <c>customer.subscription.created|updated|deleted</c>
/// with <c>metadata.user_id</c> and <c>metadata.plan</c>).
/// </summary>
public static class BillingApi
{
    public static IEndpointRouteBuilder MapBillingApi(this IEndpointRouteBuilder app)
    {
        app.MapGet("/api/v1/billing/plan", GetPlanAsync)
            .WithTags("Billing")
            .RequireAuthorization(AuthPolicies.Member)
            .RequireRateLimiting(RateLimitPolicies.User)
            .WithSummary("Your plan, its status and what it includes");

        app.MapPost("/api/v1/billing/webhooks", WebhookAsync)
            .WithTags("Billing")
            .RequireRateLimiting(RateLimitPolicies.User)
            .WithSummary("Subscription webhooks from the payment provider (Stripe-signed)");
        return app;
    }

    /// <summary>Whether the user's plan includes <paramref name="entitlement"/> (a positive value).</summary>
    public static async Task<bool> HasEntitlementAsync(this IGrainFactory grains, Guid userId, string entitlement)
        => (await grains.GetGrain<ISubscriptionGrain>(userId).GetAsync()).Entitlements.GetValueOrDefault(entitlement) > 0;

    /// <summary>Lets only users whose plan includes <paramref name="entitlement"/> through (403 otherwise).</summary>
    public static TBuilder RequireEntitlement<TBuilder>(this TBuilder builder, string entitlement)
        where TBuilder : IEndpointConventionBuilder
        => builder.AddEndpointFilter(async (context, next) =>
        {
            var http = context.HttpContext;
            if (!http.User.TryGetUserId(out var userId) || !await http.RequestServices.GetRequiredService<IGrainFactory>().HasEntitlementAsync(userId, entitlement))
            {
                return TypedResults.Problem(statusCode: StatusCodes.Status403Forbidden, title: "Not in your plan", detail: "This is part of Mindspace Plus.");
            }

            return await next(context);
        });

    private static async Task<IResult> GetPlanAsync(ClaimsPrincipal user, [FromServices] IGrainFactory grains)
        => TypedResults.Ok(ToResponse(await grains.GetGrain<ISubscriptionGrain>(user.GetUserId()).GetAsync()));

    private static async Task<IResult> WebhookAsync(HttpRequest request, [FromServices] IGrainFactory grains, [FromServices] ShopSettings settings, [FromKeyedServices(MindspaceClock.Key)] TimeProvider clock)
    {
        using var reader = new StreamReader(request.Body, Encoding.UTF8);
        var body = await reader.ReadToEndAsync(request.HttpContext.RequestAborted);
        if (!PaymentSignatures.VerifyStripe(body, request.Headers[PaymentSignatures.StripeHeader].FirstOrDefault(), settings.BillingWebhookSecrets, ShopSettings.StripeToleranceSeconds, clock.GetUtcNow()))
        {
            return TypedResults.Problem(statusCode: StatusCodes.Status400BadRequest, title: "Webhook rejected", detail: "The signature does not verify.");
        }

        if (Read(body) is not (var userId, var subscriptionEvent))
        {
            return TypedResults.Ok(new WebhookResponse(true, "ignored"));
        }

        var outcome = await grains.GetGrain<ISubscriptionGrain>(userId).ApplyAsync(subscriptionEvent);
        return TypedResults.Ok(new WebhookResponse(true, outcome.ToString().ToLowerInvariant()));
    }

    private static (Guid, SubscriptionEvent)? Read(string body)
    {
        try
        {
            using var document = JsonDocument.Parse(body);
            var root = document.RootElement;
            var type = root.GetProperty("type").GetString();
            if (type is not ("customer.subscription.created" or "customer.subscription.updated" or "customer.subscription.deleted"))
            {
                return null;
            }

            var data = root.GetProperty("data").GetProperty("object");
            var metadata = data.GetProperty("metadata");
            if (!Guid.TryParse(metadata.GetProperty("user_id").GetString(), out var userId))
            {
                return null;
            }

            var plan = metadata.TryGetProperty("plan", out var p) && p.GetString() == Plans.Plus ? Plans.Plus : Plans.Free;
            var status = type == "customer.subscription.deleted" ? SubscriptionStatus.Cancelled : data.GetProperty("status").GetString() switch
            {
                "trialing" => SubscriptionStatus.Trialing,
                "active" => SubscriptionStatus.Active,
                "past_due" => SubscriptionStatus.PastDue,
                _ => SubscriptionStatus.Cancelled,
            };
            return (userId, new SubscriptionEvent(
                root.GetProperty("id").GetString()!,
                DateTimeOffset.FromUnixTimeSeconds(root.GetProperty("created").GetInt64()),
                plan,
                status,
                Time(data, "trial_end"),
                Time(data, "current_period_end")));
        }
        catch (Exception e) when (e is JsonException or KeyNotFoundException or InvalidOperationException)
        {
            return null;
        }
    }

    private static DateTimeOffset? Time(JsonElement data, string name)
        => data.TryGetProperty(name, out var value) && value.ValueKind == JsonValueKind.Number ? DateTimeOffset.FromUnixTimeSeconds(value.GetInt64()) : null;

    private static PlanResponse ToResponse(SubscriptionView v) => new(
        v.Plan,
        v.Status switch { SubscriptionStatus.PastDue => "past_due", var s => s.ToString().ToLowerInvariant() },
        v.SubscribedPlan, v.TrialEndsAt, v.CurrentPeriodEnd, v.Entitlements);
}
