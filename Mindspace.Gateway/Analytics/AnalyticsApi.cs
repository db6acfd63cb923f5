using System.Globalization;
using System.Security.Claims;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Mvc;
using Mindspace.Gateway.Auth;
using Mindspace.Gateway.Hosting;
using Mindspace.Grains.Interfaces.Analytics;

namespace Mindspace.Gateway.Analytics;

/// <summary>Query of <c>GET /api/v1/analytics/summary</c>.</summary>
/// <param name="Period"><c>week</c> (default), <c>month</c> or <c>year</c>.</param>
/// <param name="At">A local date (<c>2026-03-14</c>) inside the period; today when absent.</param>
public sealed record SummaryQuery(string? Period, string? At);

/// <summary>
/// Mood analytics: <c>/api/v1/analytics</c>. Everything is counted in the user's own local days:
/// each check-in keeps the day it was written on, "today" is the profile's zone's.
/// </summary>
public static class AnalyticsApi
{
    public static RouteGroupBuilder MapAnalyticsApi(this IEndpointRouteBuilder app)
    {
        var api = app.MapMemberGroup("/api/v1/analytics", "Analytics");

        api.MapGet("/summary", GetSummaryAsync)
            .WithName("GetMoodSummary")
            .WithSummary("How a week, month or year went")
            .WithDescription("Average and spread of mood, mood by weekday and by hour of day, tags that go with better or harder days (only with at least 3 days with and without them), runs of days you showed up (never a broken streak), and counts. `period` is week (Monday–Sunday), month or year; `at` is a local date in it (default today).");

        api.MapGet("/year", GetYearAsync)
            .WithName("GetYearInPixels")
            .WithSummary("Year in pixels: one value per local day")
            .WithDescription("Every day of `year` (default this year) with its mean mood, a 1–5 level for colour and how many check-ins it had.");

        api.MapGet("/better-days", GetBetterDaysAsync)
            .WithName("GetBetterDays")
            .WithSummary("What goes with your better days")
            .WithDescription("Learnt in the background from your own history once you have at least 40 check-ins with a mood; factors are shown only when the model predicts held-out days better than your own average does. It says what goes with better days, never what causes them.");

        return api;
    }

    public static async Task<Results<Ok<MoodSummary>, ValidationProblem>> GetSummaryAsync(
        [AsParameters] SummaryQuery query, ClaimsPrincipal user, [FromServices] IGrainFactory grains, CancellationToken cancellationToken)
    {
        var errors = new FieldErrors();
        var period = string.IsNullOrWhiteSpace(query.Period) ? AnalyticsRules.Week : query.Period.Trim().ToLowerInvariant();
        errors.Add("period", AnalyticsRules.IsPeriod(period) ? null : "Choose week, month or year.");
        DateOnly? at = null;
        if (!string.IsNullOrWhiteSpace(query.At))
        {
            if (DateOnly.TryParseExact(query.At.Trim(), "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.None, out var date)
                && date.Year is >= AnalyticsRules.MinYear and <= AnalyticsRules.MaxYear)
            {
                at = date;
            }
            else
            {
                errors.Add("at", $"Use a date such as 2026-03-14, between the years {AnalyticsRules.MinYear} and {AnalyticsRules.MaxYear}.");
            }
        }

        if (errors.Any)
        {
            return errors.ToProblem();
        }

        return TypedResults.Ok(await grains.GetGrain<IAnalyticsGrain>(user.GetUserId()).GetSummaryAsync(period, at, cancellationToken));
    }

    public static async Task<Results<Ok<YearInPixels>, ValidationProblem>> GetYearAsync(
        string? year, ClaimsPrincipal user, [FromServices] IGrainFactory grains, CancellationToken cancellationToken)
    {
        int? value = null;
        if (!string.IsNullOrWhiteSpace(year))
        {
            if (int.TryParse(year.Trim(), NumberStyles.None, CultureInfo.InvariantCulture, out var y) && y is >= AnalyticsRules.MinYear and <= AnalyticsRules.MaxYear)
            {
                value = y;
            }
            else
            {
                return FieldErrors.Problem("year", $"Use a year from {AnalyticsRules.MinYear} to {AnalyticsRules.MaxYear}, such as 2026.");
            }
        }

        return TypedResults.Ok(await grains.GetGrain<IAnalyticsGrain>(user.GetUserId()).GetYearAsync(value, cancellationToken));
    }

    public static async Task<Ok<BetterDaysInsight>> GetBetterDaysAsync(ClaimsPrincipal user, [FromServices] IGrainFactory grains)
        => TypedResults.Ok(await grains.GetGrain<IBetterDaysGrain>(user.GetUserId()).GetAsync());
}
