using System.Globalization;
using System.Security.Claims;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Mvc;
using Mindspace.Gateway.Auth;
using Mindspace.Gateway.Hosting;
using Mindspace.Grains.Interfaces;
using Mindspace.Grains.Interfaces.Mindfulness;
using Mindspace.Grains.Interfaces.Users;
using NodaTime;

namespace Mindspace.Gateway.Mindfulness;

/// <summary>
/// Mindfulness: <c>/api/v1/mindfulness</c> — the meditation catalogue and its audio (with HTTP range
/// requests), yoga poses, daily challenges, and each person's logged practice and weekly progress.
/// The catalogue and audio are public content (an <c>audio</c> element sends no bearer token);
/// everything about a person needs their sign-in.
/// </summary>
public static class MindfulnessApi
{
    private const int MaxCursorLength = 64;

    public static IEndpointRouteBuilder MapMindfulnessApi(this IEndpointRouteBuilder app)
    {
        var content = app.MapGroup("/api/v1/mindfulness")
            .WithTags("Mindfulness")
            .AllowAnonymous()
            .RequireRateLimiting(RateLimitPolicies.User);

        content.MapGet("/meditations", () => TypedResults.Ok(MindfulnessCatalogue.Meditations))
            .WithName("ListMeditations").WithSummary("The meditations")
            .WithDescription("Each with a title, description, duration, credit, licence, short guidance and its audio address. The built-in audio is generated tones (CC0-1.0).");
        content.MapGet("/meditations/{id}", GetMeditation).WithName("GetMeditation").WithSummary("One meditation").ProducesProblem(StatusCodes.Status404NotFound);
        content.MapGet("/meditations/{id}/audio", GetAudio).WithName("GetMeditationAudio").WithSummary("A meditation's audio (audio/wav)")
            .WithDescription("Supports Range (one range; 206 Partial Content with Content-Range, 416 when unsatisfiable), If-Range, If-None-Match and If-Modified-Since. Accept-Ranges: bytes.")
            .ProducesProblem(StatusCodes.Status404NotFound);
        content.MapGet("/yoga/poses", () => TypedResults.Ok(MindfulnessCatalogue.Poses))
            .WithName("ListYogaPoses").WithSummary("Gentle yoga poses with steps and cautions");
        content.MapGet("/yoga/poses/{id}", GetPose).WithName("GetYogaPose").WithSummary("One yoga pose").ProducesProblem(StatusCodes.Status404NotFound);
        content.MapGet("/challenges", () => TypedResults.Ok(MindfulnessCatalogue.Challenges))
            .WithName("ListDailyChallenges").WithSummary("Every daily challenge");

        var mine = app.MapMemberGroup("/api/v1/mindfulness", "Mindfulness");

        mine.MapGet("/challenges/today", GetTodaysChallengeAsync).WithName("GetTodaysChallenge").WithSummary("Today's small challenge")
            .WithDescription("Chosen by your local date in your profile's time zone: the same all day, another one tomorrow.");
        mine.MapPost("/sessions", LogSessionAsync).WithName("LogPracticeSession").WithSummary("Log a practice")
            .WithDescription("`{kind: meditation|yoga|challenge, itemId, minutes (1–240), completedAt (optional, ISO 8601, within the last 31 days)}`.");
        mine.MapGet("/sessions", ListSessionsAsync).WithName("ListPracticeSessions").WithSummary("Your practice, newest first")
            .WithDescription("`limit` (1–100, default 20) and `after` (the `next` of the previous page).");
        mine.MapGet("/progress", GetProgressAsync).WithName("GetPracticeProgress").WithSummary("This week's practice, kindly")
            .WithDescription("Minutes and sessions this local week (Monday to Sunday) and the days you practised this week. A break is never counted against you.");

        return app;
    }

    public static Results<Ok<Meditation>, ProblemHttpResult> GetMeditation(string id)
        => MindfulnessCatalogue.FindMeditation(id) is { } meditation ? TypedResults.Ok(meditation) : NotFound("meditation");

    /// <summary>ASP.NET Core's file result does the range, If-Range and conditional-request work.</summary>
    public static Results<FileContentHttpResult, ProblemHttpResult> GetAudio(string id)
        => MeditationAudio.Find(id) is { } audio
            ? TypedResults.File(audio.Bytes, MeditationAudio.ContentType, lastModified: MeditationAudio.LastModified, entityTag: audio.ETag, enableRangeProcessing: true)
            : NotFound("meditation");

    public static Results<Ok<YogaPose>, ProblemHttpResult> GetPose(string id)
        => MindfulnessCatalogue.FindPose(id) is { } pose ? TypedResults.Ok(pose) : NotFound("yoga pose");

    public static async Task<Ok<TodaysChallenge>> GetTodaysChallengeAsync(
        ClaimsPrincipal user, [FromServices] IGrainFactory grains, [FromKeyedServices(MindspaceClock.Key)] TimeProvider clock)
    {
        var zone = await ZoneAsync(grains, user.GetUserId());
        var today = Instant.FromDateTimeOffset(clock.GetUtcNow()).InZone(DateTimeZoneProviders.Tzdb.GetZoneOrNull(zone) ?? DateTimeZone.Utc).Date.ToDateOnly();
        return TypedResults.Ok(new TodaysChallenge(today, zone, MindfulnessCatalogue.ChallengeFor(today)));
    }

    public static async Task<Results<Created<PracticeSession>, ValidationProblem>> LogSessionAsync(
        LogSessionRequest request, ClaimsPrincipal user, [FromServices] IGrainFactory grains, [FromKeyedServices(MindspaceClock.Key)] TimeProvider clock)
    {
        var errors = new FieldErrors();
        var now = clock.GetUtcNow();
        var kindError = MindfulnessRules.CheckKind(request.Kind);
        errors.Add("kind", kindError);
        if (kindError is null)
        {
            errors.Add("itemId", MindfulnessRules.CheckItem(request.Kind!, request.ItemId));
        }

        errors.Add("minutes", MindfulnessRules.CheckMinutes(request.Minutes));
        var completedAt = now;
        if (request.CompletedAt is { } text)
        {
            if (!DateTimeOffset.TryParse(text, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out completedAt))
            {
                errors.Add("completedAt", "Give the time as ISO 8601, e.g. 2026-03-01T18:30:00Z.");
            }
            else
            {
                errors.Add("completedAt", MindfulnessRules.CheckCompletedAt(completedAt, now));
            }
        }

        if (errors.Any)
        {
            return errors.ToProblem();
        }

        var session = await grains.GetGrain<IMindfulnessGrain>(user.GetUserId())
            .LogAsync(new NewPracticeSession(request.Kind!, request.ItemId!, request.Minutes!.Value, completedAt));
        return TypedResults.Created($"/api/v1/mindfulness/sessions?limit=1", session);
    }

    public static async Task<Results<Ok<PracticeSessionPage>, ValidationProblem>> ListSessionsAsync(
        ClaimsPrincipal user, [FromServices] IGrainFactory grains, int? limit, string? after)
    {
        var errors = new FieldErrors();
        if (limit is < 1 or > MindfulnessRules.MaxPageSize)
        {
            errors.Add("limit", $"The limit is between 1 and {MindfulnessRules.MaxPageSize}.");
        }

        if (after is { Length: 0 or > MaxCursorLength })
        {
            errors.Add("after", "This is not a cursor from a previous page.");
        }

        return errors.Any
            ? errors.ToProblem()
            : TypedResults.Ok(await grains.GetGrain<IMindfulnessGrain>(user.GetUserId()).ListAsync(after, limit ?? MindfulnessRules.DefaultPageSize));
    }

    public static async Task<Ok<PracticeProgress>> GetProgressAsync(ClaimsPrincipal user, [FromServices] IGrainFactory grains)
    {
        var userId = user.GetUserId();
        return TypedResults.Ok(await grains.GetGrain<IMindfulnessGrain>(userId).GetProgressAsync(await ZoneAsync(grains, userId)));
    }

    private static async Task<string> ZoneAsync(IGrainFactory grains, Guid userId)
        => (await grains.GetGrain<IUserGrain>(userId).GetProfileAsync())?.TimeZone ?? "UTC";

    private static ProblemHttpResult NotFound(string what)
        => TypedResults.Problem(statusCode: StatusCodes.Status404NotFound, title: "Not found", detail: $"There is no {what} with this id.");
}
