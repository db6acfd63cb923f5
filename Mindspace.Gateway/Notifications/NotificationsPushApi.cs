using System.Security.Claims;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Mvc;
using Mindspace.Gateway.Auth;
using Mindspace.Gateway.Hosting;
using Mindspace.Grains.Interfaces;
using Mindspace.Grains.Interfaces.Notifications;
using Mindspace.Grains.Notifications;

namespace Mindspace.Gateway.Notifications;

/// <summary>
/// Web Push subscriptions under <c>/api/v1/notifications/push</c>: the VAPID public key a browser
/// subscribes with, and adding or removing the signed-in user's browsers. Notifications whose category
/// is set to <c>push</c> then also go to these browsers.
/// </summary>
public static class NotificationsPushApi
{
    public static RouteGroupBuilder MapNotificationsPushApi(this RouteGroupBuilder notifications)
    {
        var push = notifications.MapGroup("/push");

        push.MapGet("/public-key", GetPublicKey)
            .WithName("GetPushPublicKey")
            .WithSummary("The VAPID public key to subscribe a browser with")
            .WithDescription("Pass `publicKey` as `applicationServerKey` to `pushManager.subscribe`. 404 when this server does not send Web Push.")
            .ProducesProblem(StatusCodes.Status404NotFound);

        push.MapPost("/subscriptions", SubscribeAsync)
            .WithName("AddPushSubscription")
            .WithSummary("Turn on push in this browser")
            .WithDescription("The body is the browser's `PushSubscription.toJSON()`: `{ endpoint, keys: { p256dh, auth } }`. Subscribing the same endpoint again replaces its keys. Up to 10 browsers; an 11th replaces the oldest.")
            .ProducesValidationProblem()
            .ProducesProblem(StatusCodes.Status404NotFound);

        push.MapDelete("/subscriptions", UnsubscribeAsync)
            .WithName("RemovePushSubscription")
            .WithSummary("Turn off push in a browser")
            .WithDescription("`?endpoint=` the subscription's endpoint.")
            .ProducesValidationProblem()
            .ProducesProblem(StatusCodes.Status404NotFound);

        return push;
    }

    public static Results<Ok<PushPublicKeyResponse>, ProblemHttpResult> GetPublicKey([FromServices] WebPushConfiguration configuration)
        => configuration.Keys is { } keys ? TypedResults.Ok(new PushPublicKeyResponse(keys.PublicKey)) : NotConfigured();

    public static async Task<Results<NoContent, ValidationProblem, ProblemHttpResult>> SubscribeAsync(
        PushSubscriptionRequest request, ClaimsPrincipal user, [FromServices] IGrainFactory grains, [FromServices] WebPushConfiguration configuration,
        [FromKeyedServices(MindspaceClock.Key)] TimeProvider clock)
    {
        if (!configuration.Enabled)
        {
            return NotConfigured();
        }

        var errors = new Dictionary<string, List<string>>(StringComparer.Ordinal);
        WebPushRules.Validate(request.Endpoint, request.Keys?.P256dh, request.Keys?.Auth, configuration.AllowLoopbackHttp, errors);
        if (errors.Count > 0)
        {
            return FieldErrors.Problem(errors.ToDictionary(e => e.Key, e => e.Value.ToArray(), StringComparer.Ordinal));
        }

        await grains.GetGrain<INotificationInboxGrain>(user.GetUserId())
            .AddPushSubscriptionAsync(new WebPushSubscription(request.Endpoint!, request.Keys!.P256dh!.TrimEnd('='), request.Keys.Auth!.TrimEnd('='), clock.GetUtcNow()));
        return TypedResults.NoContent();
    }

    public static async Task<Results<NoContent, ValidationProblem, ProblemHttpResult>> UnsubscribeAsync(
        ClaimsPrincipal user, [FromServices] IGrainFactory grains, string? endpoint = null)
    {
        if (string.IsNullOrWhiteSpace(endpoint) || endpoint.Length > WebPushRules.MaxEndpointLength)
        {
            return FieldErrors.Problem("endpoint", "Give the endpoint of the subscription to remove: ?endpoint=…");
        }

        return await grains.GetGrain<INotificationInboxGrain>(user.GetUserId()).RemovePushSubscriptionAsync(endpoint)
            ? TypedResults.NoContent()
            : TypedResults.Problem(statusCode: StatusCodes.Status404NotFound, title: "Not found", detail: "Push is not turned on for this endpoint.");
    }

    private static ProblemHttpResult NotConfigured()
        => TypedResults.Problem(statusCode: StatusCodes.Status404NotFound, title: "Push is not available", detail: "This server does not send Web Push; notifications arrive in the app.");
}

public sealed record PushPublicKeyResponse(string PublicKey);

public sealed record PushSubscriptionKeys(string? P256dh, string? Auth);

/// <param name="ExpirationTime">Sent by browsers; not used.</param>
public sealed record PushSubscriptionRequest(string? Endpoint, PushSubscriptionKeys? Keys, long? ExpirationTime = null);
