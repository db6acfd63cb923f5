using System.Security.Claims;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Mvc;
using Mindspace.Gateway.Auth;
using Mindspace.Gateway.Hosting;
using Mindspace.Grains.Interfaces.Notifications;

namespace Mindspace.Gateway.Notifications;

/// <summary>
/// <c>/api/v1/notifications/reminders</c>: the signed-in user's check-in and meditation reminders,
/// at a local time on chosen weekdays. Both are off until turned on.
/// </summary>
public static class NotificationsRemindersApi
{
    public static RouteGroupBuilder MapNotificationsRemindersApi(this RouteGroupBuilder notifications)
    {
        notifications.MapGet("/reminders", GetAsync)
            .WithName("GetReminders")
            .WithSummary("Your check-in and meditation reminders");

        notifications.MapPut("/reminders", PutAsync)
            .WithName("SetReminders")
            .WithSummary("Choose your reminders")
            .WithDescription("`{ \"checkIn\": { \"enabled\": true, \"time\": \"20:00\", \"days\": [\"monday\", …] }, \"meditation\": { … } }`. Times are `HH:mm` in your profile's time zone; `days` left out means every day; a reminder left out is off. The check-in reminder is skipped on a day you already checked in. Reminders are notifications of category `reminders`: your delivery choice and quiet hours apply.")
            .ProducesValidationProblem();

        return notifications;
    }

    public static async Task<Ok<RemindersResponse>> GetAsync(ClaimsPrincipal user, [FromServices] IGrainFactory grains)
        => TypedResults.Ok(RemindersResponse.From(await grains.GetGrain<INotificationRemindersGrain>(user.GetUserId()).GetAsync()));

    public static async Task<Results<Ok<RemindersResponse>, ValidationProblem>> PutAsync(RemindersRequest request, ClaimsPrincipal user, [FromServices] IGrainFactory grains)
    {
        var errors = new Dictionary<string, List<string>>(StringComparer.Ordinal);
        var off = ReminderRules.Default;
        var checkIn = ReminderRules.Validate("checkIn", request.CheckIn?.Enabled ?? false, request.CheckIn?.Time, request.CheckIn?.Days, off.CheckIn, errors);
        var meditation = ReminderRules.Validate("meditation", request.Meditation?.Enabled ?? false, request.Meditation?.Time, request.Meditation?.Days, off.Meditation, errors);
        if (checkIn is null || meditation is null)
        {
            return FieldErrors.Problem(errors.ToDictionary(e => e.Key, e => e.Value.ToArray(), StringComparer.Ordinal));
        }

        var saved = await grains.GetGrain<INotificationRemindersGrain>(user.GetUserId()).SetAsync(new ReminderSettings(checkIn, meditation));
        return TypedResults.Ok(RemindersResponse.From(saved));
    }
}

public sealed record ReminderBody(bool? Enabled, string? Time, List<string?>? Days);

public sealed record RemindersRequest(ReminderBody? CheckIn, ReminderBody? Meditation);

/// <param name="NextAt">When it next comes (UTC); null while off.</param>
public sealed record ReminderView(bool Enabled, string Time, IReadOnlyList<string> Days, DateTimeOffset? NextAt);

/// <param name="TimeZone">Your profile's time zone, which the times follow.</param>
public sealed record RemindersResponse(ReminderView CheckIn, ReminderView Meditation, string TimeZone)
{
    public static RemindersResponse From(ReminderSchedule schedule)
    {
        ArgumentNullException.ThrowIfNull(schedule);
        var (checkIn, meditation) = (schedule.Settings.CheckIn, schedule.Settings.Meditation);
        return new(
            new ReminderView(checkIn.Enabled, checkIn.Time, checkIn.Days, schedule.CheckInNextAt),
            new ReminderView(meditation.Enabled, meditation.Time, meditation.Days, schedule.MeditationNextAt),
            schedule.TimeZone);
    }
}
