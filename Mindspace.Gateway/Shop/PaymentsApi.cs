using System.Security.Claims;
using System.Text;
using Microsoft.AspNetCore.Mvc;
using Mindspace.Gateway.Auth;
using Mindspace.Gateway.Hosting;
using Mindspace.Grains.Interfaces;
using Mindspace.Grains.Interfaces.Shop;

namespace Mindspace.Gateway.Shop;

/// <summary>
/// Payment webhooks (<c>/api/v1/payments/webhooks/{provider}</c>), the local fake provider's
/// "pay now" button, and the store-credit wallet.
/// </summary>
public static class PaymentsApi
{
    public static IEndpointRouteBuilder MapPaymentsApi(this IEndpointRouteBuilder app)
    {
        // Providers call from their own addresses, signed rather than signed in; the per-IP limit still applies.
        app.MapPost("/api/v1/payments/webhooks/{provider}", WebhookAsync)
            .WithTags("Shop")
            .RequireRateLimiting(RateLimitPolicies.User)
            .WithName("PaymentWebhook")
            .WithSummary("Payment provider webhooks: stripe or razorpay")
            .WithDescription("Stripe: `Stripe-Signature` checked against every configured secret (rotation), within 300 s. Razorpay: `X-Razorpay-Signature` (HMAC-SHA256 of the raw body) and `X-Razorpay-Event-Id`. A bad signature is 400 and changes nothing; a replayed event is acknowledged and changes nothing.");

        app.MapPost("/api/v1/payments/fake/orders/{id}", FakePayAsync)
            .WithTags("Shop")
            .RequireAuthorization(AuthPolicies.Member)
            .RequireRateLimiting(RateLimitPolicies.User)
            .WithName("FakePayment")
            .WithSummary("Development only: the fake provider completes (or fails) your order's payment")
            .WithDescription("Available while no real provider is configured. Sends the provider's signed webhook through the same verification as a real one. Body `{\"outcome\": \"succeeded\"|\"failed\"}`.");

        var wallet = app.MapMemberGroup("/api/v1/wallet", "Shop");
        wallet.MapGet("", WalletAsync).WithName("GetWallet").WithSummary("Your store credit and its newest entries");
        wallet.MapPost("/gift-cards", RedeemGiftCardAsync).WithName("RedeemGiftCard")
            .WithSummary("Redeem a gift card code into your store credit")
            .WithDescription("Body `{\"code\": \"XXXXX-XXXXX-XXXXX-XXXXX\"}` (dashes, spaces and case don't matter). A code is credited once: redeeming your own code again changes nothing (`alreadyRedeemed: true`); a code someone else redeemed, or whose order was refunded, is 409; an unknown code is 404.");

        app.MapPost("/api/v1/admin/wallets/{userId}/credits", CreditAsync)
            .WithTags("Shop")
            .RequireAuthorization(AuthPolicies.Admin)
            .RequireRateLimiting(RateLimitPolicies.User)
            .WithName("CreditWallet")
            .WithSummary("Give store credit (admins)");
        return app;
    }

    private static async Task<IResult> WebhookAsync(string provider, HttpRequest request, [FromServices] PaymentWebhookProcessor processor)
    {
        // The signature covers the exact bytes sent, so the body is read raw, never re-serialised.
        using var reader = new StreamReader(request.Body, Encoding.UTF8);
        var body = await reader.ReadToEndAsync(request.HttpContext.RequestAborted);
        var result = await processor.ProcessAsync(provider.ToLowerInvariant(), body, name => request.Headers[name].FirstOrDefault(), request.HttpContext.RequestAborted);
        return result.Accepted
            ? TypedResults.Ok(new WebhookResponse(true, result.Outcome))
            : TypedResults.Problem(statusCode: provider is ShopSettings.Stripe or ShopSettings.Razorpay ? StatusCodes.Status400BadRequest : StatusCodes.Status404NotFound,
                title: "Webhook rejected", detail: result.Outcome);
    }

    private static async Task<IResult> FakePayAsync(
        string id, FakePaymentRequest? request, ClaimsPrincipal user, [FromServices] IGrainFactory grains, [FromServices] ShopSettings settings,
        [FromServices] PaymentWebhookProcessor processor, [FromKeyedServices(MindspaceClock.Key)] TimeProvider clock, CancellationToken cancellationToken)
    {
        if (!settings.UsesFakeProvider)
        {
            return TypedResults.Problem(statusCode: StatusCodes.Status404NotFound, title: "Not found", detail: "The fake payment provider is off: a real provider is configured.");
        }

        var outcome = request?.Outcome?.Trim().ToLowerInvariant() ?? "succeeded";
        if (outcome is not ("succeeded" or "failed"))
        {
            return FieldErrors.Problem("outcome", "Choose succeeded or failed.");
        }

        if (!Guid.TryParse(id, out var orderId) || await grains.GetGrain<IOrderGrain>(orderId).GetAsync() is not { } order || order.OwnerId != user.GetUserId())
        {
            return TypedResults.Problem(statusCode: StatusCodes.Status404NotFound, title: "Not found", detail: "There is no order with this id.");
        }

        if (order.Payment is not { Provider: ShopSettings.Stripe or ShopSettings.Razorpay } payment)
        {
            return TypedResults.Problem(statusCode: StatusCodes.Status409Conflict, title: "Nothing to pay", detail: "This order has no card payment waiting.");
        }

        var webhook = FakePaymentWebhooks.ForPayment(order, outcome == "succeeded", settings, clock.GetUtcNow());
        var result = await processor.ProcessAsync(payment.Provider, webhook.Body, name => webhook.Headers.GetValueOrDefault(name), cancellationToken);
        return TypedResults.Ok(new WebhookResponse(result.Accepted, result.Outcome));
    }

    private static async Task<IResult> WalletAsync(ClaimsPrincipal user, [FromServices] IGrainFactory grains)
    {
        var view = await grains.GetGrain<IWalletGrain>(user.GetUserId()).GetAsync(ShopRules.DefaultPageSize);
        return TypedResults.Ok(new WalletResponse(view.Balance, view.Currency, view.Entries));
    }

    private static async Task<IResult> RedeemGiftCardAsync(GiftCardRedeemRequest request, ClaimsPrincipal user, [FromServices] IGrainFactory grains)
    {
        if (GiftCardCodes.Hash(request.Code) is not { } hash)
        {
            return FieldErrors.Problem("code", $"A gift card code has {GiftCardCodes.Length} letters and digits, like ABCDE-12345-FGHJK-67890.");
        }

        var result = await grains.GetGrain<IGiftCardGrain>(hash).RedeemAsync(user.GetUserId());
        return result.Status switch
        {
            GiftCardRedeemStatus.Redeemed or GiftCardRedeemStatus.AlreadyRedeemedByYou => TypedResults.Ok(new GiftCardRedeemResponse(
                result.Amount, result.Currency!, result.Status == GiftCardRedeemStatus.AlreadyRedeemedByYou,
                new WalletResponse(result.Wallet!.Balance, result.Wallet.Currency, result.Wallet.Entries))),
            GiftCardRedeemStatus.NotFound => TypedResults.Problem(statusCode: StatusCodes.Status404NotFound, title: "Gift card not found",
                detail: "No gift card has this code. Please check it for typos; letters and digits that look alike are read the same."),
            GiftCardRedeemStatus.Used => TypedResults.Problem(statusCode: StatusCodes.Status409Conflict, title: "Gift card already used",
                detail: "This gift card has already been redeemed, so it can't be used again."),
            GiftCardRedeemStatus.Voided => TypedResults.Problem(statusCode: StatusCodes.Status409Conflict, title: "Gift card no longer valid",
                detail: "The order this gift card came from was refunded, so the card can't be redeemed."),
            _ => TypedResults.Problem(statusCode: StatusCodes.Status409Conflict, title: "Different currency",
                detail: "Your store credit is in another currency than this gift card. Spend or ask us about your current credit first."),
        };
    }

    private static async Task<IResult> CreditAsync(string userId, WalletCreditRequest request, [FromServices] IGrainFactory grains)
    {
        var errors = new FieldErrors();
        errors.Add("amount", request.Amount is null or <= 0 or > ShopRules.MaxPrice ? $"Give an amount in minor units from 1 to {ShopRules.MaxPrice}." : null);
        errors.Add("currency", ShopRules.CheckCurrency(request.Currency, out var currency));
        var reason = request.Reason?.Trim() ?? string.Empty;
        errors.Add("reason", reason.Length is 0 or > OrdersApi.MaxReasonLength ? $"Give a reason of 1 to {OrdersApi.MaxReasonLength} characters." : null);
        if (errors.Any)
        {
            return errors.ToProblem();
        }

        if (!Guid.TryParse(userId, out var id) || !await grains.GetGrain<Mindspace.Grains.Interfaces.Users.IUserGrain>(id).ExistsAsync())
        {
            return TypedResults.Problem(statusCode: StatusCodes.Status404NotFound, title: "Not found", detail: "There is no user with this id.");
        }

        var result = await grains.GetGrain<IWalletGrain>(id).CreditAsync(request.Amount!.Value, currency, reason, $"admin:{Guid.NewGuid():N}");
        return result.Status == WalletStatus.Ok
            ? TypedResults.Ok(new WalletResponse(result.Wallet.Balance, result.Wallet.Currency, result.Wallet.Entries))
            : FieldErrors.Problem("currency", "This wallet holds credit in another currency.");
    }
}
