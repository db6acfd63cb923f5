using System.Globalization;
using System.Security.Claims;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Mvc;
using Mindspace.Gateway.Auth;
using Mindspace.Gateway.Hosting;
using Mindspace.Grains.Interfaces;
using Mindspace.Grains.Interfaces.Billing;
using Mindspace.Grains.Interfaces.Reports;

namespace Mindspace.Gateway.Reports;

/// <summary>Body of <c>PUT /api/v1/reports/weekly/schedule</c>.</summary>
/// <param name="DayOfWeek">English weekday, e.g. <c>monday</c>.</param>
/// <param name="Time">24-hour local time, <c>HH:mm</c>.</param>
public sealed record DigestScheduleRequest(string? DayOfWeek, string? Time);

/// <summary>Query of <c>GET /api/v1/reports/weekly</c>.</summary>
/// <param name="Before">Only digests of weeks starting before this local date (the <c>nextBefore</c> of the previous page).</param>
/// <param name="Limit">1 to 52; default 10.</param>
public sealed record ListDigestsQuery(string? Before, string? Limit);

/// <summary>Weekly digests: <c>/api/v1/reports/weekly</c>.</summary>
public static class ReportsApi
{
    public static RouteGroupBuilder MapReportsApi(this IEndpointRouteBuilder app)
    {
        var api = app.MapMemberGroup("/api/v1/reports/weekly", "Reports");

        api.MapGet("/latest", GetLatestAsync)
            .WithName("GetLatestWeeklyDigest")
            .WithSummary("Your latest week in review")
            .WithDescription("Friendly words first (what went well, one pattern, one small suggestion), then a small chart as accessible SVG with a text alternative. 404 before the first one is written.")
            .ProducesProblem(StatusCodes.Status404NotFound);

        api.MapGet("", ListAsync)
            .WithName("ListWeeklyDigests")
            .WithSummary("Your weekly digests, newest first")
            .WithDescription("Pages of `limit` (1–52, default 10); pass `nextBefore` back as `before` for older ones. The plan sets how far back the list reaches (`digest.history-weeks`: free 4 weeks, Plus 52); older digests are kept and stay in the export.");

        api.MapGet("/schedule", GetScheduleAsync)
            .WithName("GetWeeklyDigestSchedule")
            .WithSummary("When your weekly digest is written")
            .WithDescription("A weekday and local time in your profile's time zone (default monday 08:00), and the UTC instant of the next one.");

        api.MapPut("/schedule", SetScheduleAsync)
            .WithName("SetWeeklyDigestSchedule")
            .WithSummary("Choose when your weekly digest is written")
            .WithDescription("`dayOfWeek` (monday … sunday) and `time` (24-hour HH:mm, local). It follows your profile's time zone and daylight saving.");

        return api;
    }

    public static async Task<Results<Ok<WeeklyDigest>, ProblemHttpResult>> GetLatestAsync(ClaimsPrincipal user, [FromServices] IGrainFactory grains)
    {
        var digest = grains.GetGrain<IWeeklyDigestGrain>(user.GetUserId());

        // Someone looking for their digest wants one, check-ins or not: one-way, cheap once scheduled.
        await digest.EnsureScheduledAsync();
        if (await digest.GetLatestAsync() is { } latest)
        {
            return TypedResults.Ok(latest);
        }

        var schedule = await digest.GetScheduleAsync();
        var when = schedule.NextAt is null ? "" : $" The first one is written on {CultureInfo.InvariantCulture.TextInfo.ToTitleCase(schedule.DayOfWeek)} at {schedule.Time}.";
        return TypedResults.Problem(statusCode: StatusCodes.Status404NotFound, title: "Not found", detail: "There is no weekly digest yet." + when);
    }

    public static async Task<Results<Ok<WeeklyDigestPage>, ValidationProblem>> ListAsync(
        [AsParameters] ListDigestsQuery query, ClaimsPrincipal user, [FromServices] IGrainFactory grains, [FromKeyedServices(MindspaceClock.Key)] TimeProvider clock)
    {
        var errors = new FieldErrors();
        DateOnly? before = null;
        if (!string.IsNullOrWhiteSpace(query.Before))
        {
            if (DateOnly.TryParseExact(query.Before.Trim(), "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.None, out var date))
            {
                before = date;
            }
            else
            {
                errors.Add("before", "Use a date such as 2026-03-16 (the nextBefore of the previous page).");
            }
        }

        var limit = DigestRules.DefaultPageSize;
        if (!string.IsNullOrWhiteSpace(query.Limit))
        {
            if (int.TryParse(query.Limit.Trim(), NumberStyles.None, CultureInfo.InvariantCulture, out var l) && l is >= 1 and <= DigestRules.MaxPageSize)
            {
                limit = l;
            }
            else
            {
                errors.Add("limit", $"Limit must be from 1 to {DigestRules.MaxPageSize}.");
            }
        }

        if (errors.Any)
        {
            return errors.ToProblem();
        }

        var userId = user.GetUserId();
        var page = await grains.GetGrain<IWeeklyDigestGrain>(userId).ListAsync(before, limit);
        var weeks = (await grains.GetGrain<ISubscriptionGrain>(userId).GetAsync()).Entitlements.GetValueOrDefault(Plans.DigestHistoryWeeks);
        return TypedResults.Ok(WithinHistory(page, weeks, DateOnly.FromDateTime(clock.GetUtcNow().UtcDateTime)));
    }

    /// <summary>
    /// The plan's look-back (<see cref="Plans.DigestHistoryWeeks"/>): the digests of the last
    /// <paramref name="weeks"/> weeks before the current one. Older digests are kept (they are in the
    /// export, and come back with a plan that looks further back); the list just stops there.
    /// </summary>
    internal static WeeklyDigestPage WithinHistory(WeeklyDigestPage page, int weeks, DateOnly today)
    {
        var oldest = today.AddDays(-7 * (weeks + 1));
        var kept = page.Items.Where(digest => digest.WeekStart > oldest).ToList();
        var more = kept.Count == page.Items.Count && page.NextBefore is { } next && next > oldest;
        return new WeeklyDigestPage(kept, more ? page.NextBefore : null);
    }

    public static async Task<Ok<DigestSchedule>> GetScheduleAsync(ClaimsPrincipal user, [FromServices] IGrainFactory grains)
    {
        var digest = grains.GetGrain<IWeeklyDigestGrain>(user.GetUserId());
        await digest.EnsureScheduledAsync();
        return TypedResults.Ok(await digest.GetScheduleAsync());
    }

    public static async Task<Results<Ok<DigestSchedule>, ValidationProblem>> SetScheduleAsync(
        DigestScheduleRequest request, ClaimsPrincipal user, [FromServices] IGrainFactory grains)
    {
        var errors = new FieldErrors();
        errors.Add("dayOfWeek", DigestRules.CheckDay(request.DayOfWeek));
        errors.Add("time", DigestRules.CheckTime(request.Time));
        if (errors.Any)
        {
            return errors.ToProblem();
        }

        return TypedResults.Ok(await grains.GetGrain<IWeeklyDigestGrain>(user.GetUserId()).SetScheduleAsync(request.DayOfWeek!, request.Time!));
    }
}
