using System.Globalization;
using System.Security.Claims;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Mvc;
using Mindspace.Gateway.Auth;
using Mindspace.Gateway.Hosting;
using Mindspace.Grains.Interfaces.Notifications;
using Mindspace.Grains.Interfaces.Users;

namespace Mindspace.Gateway.Notifications;

/// <summary>
/// The signed-in user's notification inbox and preferences: <c>/api/v1/notifications</c>. Each
/// user's inbox is their own grain, so someone else's notification id is simply not found (404).
/// </summary>
public static class NotificationsInboxApi
{
    public const int DefaultPage = 20;
    public const int MaxPage = 100;

    public static RouteGroupBuilder MapNotificationsInboxApi(this IEndpointRouteBuilder app)
    {
        var api = app.MapMemberGroup("/api/v1/notifications", "Notifications")
            .ProducesProblem(StatusCodes.Status401Unauthorized)
            .ProducesProblem(StatusCodes.Status429TooManyRequests);

        api.MapGet("", ListAsync)
            .WithName("ListNotifications")
            .WithSummary("Your notifications, newest first")
            .WithDescription("Pages of `limit` (1–100, default 20); pass `nextCursor` back as `cursor` for older ones. Similar notifications come as one with a `count`. Deleted ones are not listed.");

        api.MapGet("/unread-count", UnreadCountAsync)
            .WithName("CountUnreadNotifications")
            .WithSummary("How many notifications you have not read");

        api.MapPost("/{id}/read", MarkReadAsync)
            .WithName("MarkNotificationRead")
            .WithSummary("Mark one notification read")
            .ProducesProblem(StatusCodes.Status404NotFound);

        api.MapPost("/read-all", MarkAllReadAsync)
            .WithName("MarkAllNotificationsRead")
            .WithSummary("Mark every notification read");

        api.MapDelete("/{id}", DeleteAsync)
            .WithName("DeleteNotification")
            .WithSummary("Delete one notification")
            .WithDescription("It disappears from the list, the unread count, exports and hub replays; its `sequence` number stays used.")
            .ProducesProblem(StatusCodes.Status404NotFound);

        api.MapGet("/preferences", GetPreferencesAsync)
            .WithName("GetNotificationPreferences")
            .WithSummary("How each category of notification reaches you, and your quiet hours");

        api.MapPut("/preferences", PutPreferencesAsync)
            .WithName("SetNotificationPreferences")
            .WithDescription("`delivery` maps categories (community, reminders, focus, digest, orders, safety, account) to `inApp`, `push` or `none`; categories left out are `inApp`. Safety and account cannot be `none`. `quietHours` {start, end} are `HH:mm` in your profile's time zone; null or absent means none. During quiet hours notifications wait and arrive when they end, except safety and account.")
            .WithSummary("Choose how notifications reach you");

        api.MapNotificationsPushApi();
        api.MapNotificationsRemindersApi();
        return api;
    }

    public static async Task<Results<Ok<NotificationListResponse>, ValidationProblem>> ListAsync(
        ClaimsPrincipal user, [FromServices] IGrainFactory grains, string? cursor = null, string? limit = null)
    {
        var errors = new FieldErrors();
        long? before = null;
        if (cursor is not null)
        {
            if (long.TryParse(cursor, NumberStyles.None, CultureInfo.InvariantCulture, out var sequence) && sequence > 0)
            {
                before = sequence;
            }
            else
            {
                errors.Add("cursor", "This cursor is not valid. Use the nextCursor of the previous page.");
            }
        }

        var size = DefaultPage;
        if (limit is not null && (!int.TryParse(limit, NumberStyles.None, CultureInfo.InvariantCulture, out size) || size is < 1 or > MaxPage))
        {
            errors.Add("limit", $"Limit must be a whole number from 1 to {MaxPage}.");
        }

        if (errors.Any)
        {
            return errors.ToProblem();
        }

        var page = await Inbox(grains, user).ListAsync(before, size);
        return TypedResults.Ok(new NotificationListResponse(
            [.. page.Items.Select(NotificationView.From)],
            page.NextBefore?.ToString(CultureInfo.InvariantCulture)));
    }

    public static async Task<Ok<UnreadCountResponse>> UnreadCountAsync(ClaimsPrincipal user, [FromServices] IGrainFactory grains)
        => TypedResults.Ok(new UnreadCountResponse(await Inbox(grains, user).GetUnreadCountAsync()));

    public static async Task<Results<NoContent, ProblemHttpResult>> MarkReadAsync(string id, ClaimsPrincipal user, [FromServices] IGrainFactory grains)
        => Guid.TryParse(id, out var notificationId) && await Inbox(grains, user).MarkReadAsync(notificationId)
            ? TypedResults.NoContent()
            : NotFound();

    public static async Task<Ok<MarkAllReadResponse>> MarkAllReadAsync(ClaimsPrincipal user, [FromServices] IGrainFactory grains)
        => TypedResults.Ok(new MarkAllReadResponse(await Inbox(grains, user).MarkAllReadAsync()));

    public static async Task<Results<NoContent, ProblemHttpResult>> DeleteAsync(string id, ClaimsPrincipal user, [FromServices] IGrainFactory grains)
        => Guid.TryParse(id, out var notificationId) && await Inbox(grains, user).DeleteAsync(notificationId)
            ? TypedResults.NoContent()
            : NotFound();

    public static async Task<Ok<PreferencesResponse>> GetPreferencesAsync(ClaimsPrincipal user, [FromServices] IGrainFactory grains)
    {
        var timeZone = await ProfileTimeZoneAsync(grains, user);
        var inbox = Inbox(grains, user);

        // Quiet hours follow the profile: a zone changed since preferences were saved is picked up here.
        await inbox.SyncTimeZoneAsync(timeZone);
        return TypedResults.Ok(PreferencesResponse.From(await inbox.GetPreferencesAsync(), timeZone));
    }

    public static async Task<Results<Ok<PreferencesResponse>, ValidationProblem>> PutPreferencesAsync(
        PreferencesRequest request, ClaimsPrincipal user, [FromServices] IGrainFactory grains)
    {
        var errors = new Dictionary<string, List<string>>(StringComparer.Ordinal);
        QuietHours? quietHours = null;
        if (request.QuietHours is { } quiet)
        {
            quietHours = new QuietHours(quiet.Start ?? "", quiet.End ?? "");
        }

        // PUT replaces: categories left out go back to in-app, absent quiet hours mean none.
        if (NotificationPreferenceRules.Merge(NotificationPreferences.Default, request.Delivery, quietHours, clearQuietHours: true, errors) is not { } preferences)
        {
            return FieldErrors.Problem(errors.ToDictionary(e => e.Key, e => e.Value.ToArray(), StringComparer.Ordinal));
        }

        var timeZone = await ProfileTimeZoneAsync(grains, user);
        var saved = await Inbox(grains, user).SetPreferencesAsync(preferences, timeZone);
        return TypedResults.Ok(PreferencesResponse.From(saved, timeZone));
    }

    private static async Task<string> ProfileTimeZoneAsync(IGrainFactory grains, ClaimsPrincipal user)
        => (await grains.GetGrain<IUserGrain>(user.GetUserId()).GetProfileAsync())?.TimeZone ?? UserRules.DefaultTimeZone;

    private static INotificationInboxGrain Inbox(IGrainFactory grains, ClaimsPrincipal user)
        => grains.GetGrain<INotificationInboxGrain>(user.GetUserId());

    private static ProblemHttpResult NotFound()
        => TypedResults.Problem(statusCode: StatusCodes.Status404NotFound, title: "Not found", detail: "There is no notification with this id.");
}

/// <param name="Category">See <see cref="NotificationCategories"/>.</param>
/// <param name="Count">How many similar notifications this one gathers (1 unless batched).</param>
public sealed record NotificationView(
    Guid Id, long Sequence, string Kind, string Category, string Title, string Body, DateTimeOffset CreatedAt, int Count, bool Read, DateTimeOffset? ReadAt)
{
    public static NotificationView From(InboxNotification stored)
    {
        ArgumentNullException.ThrowIfNull(stored);
        var n = stored.Notification;
        return new(n.Id, stored.Sequence, n.Kind, NotificationCategories.Of(n.Kind), n.Title, n.Body, n.CreatedAt, stored.Count, stored.ReadAt is not null, stored.ReadAt);
    }
}

public sealed record NotificationListResponse(IReadOnlyList<NotificationView> Items, string? NextCursor);

public sealed record UnreadCountResponse(int Unread);

public sealed record MarkAllReadResponse(int Marked);

public sealed record QuietHoursBody(string? Start, string? End);

public sealed record PreferencesRequest(Dictionary<string, string?>? Delivery, QuietHoursBody? QuietHours);

/// <param name="TimeZone">Your profile's time zone, which quiet hours follow.</param>
public sealed record PreferencesResponse(IReadOnlyDictionary<string, string> Delivery, QuietHoursBody? QuietHours, string TimeZone)
{
    public static PreferencesResponse From(NotificationPreferences preferences, string timeZone)
    {
        ArgumentNullException.ThrowIfNull(preferences);
        return new(
            NotificationCategories.All.ToDictionary(c => c, preferences.DeliveryOf, StringComparer.Ordinal),
            preferences.QuietHours is { } q ? new QuietHoursBody(q.Start, q.End) : null,
            timeZone);
    }
}
