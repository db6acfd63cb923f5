using System.Security.Claims;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Mvc;
using Mindspace.Gateway.Auth;
using Mindspace.Gateway.CheckIns;
using Mindspace.Gateway.Hosting;
using Mindspace.Grains.Interfaces.CheckIns;

namespace Mindspace.Gateway.Apis;

/// <summary>Mood records: <c>/api/v1/mood</c>. Like entries, they live in the user's check-ins grain.</summary>
public static class MoodApi
{
    public static RouteGroupBuilder MapMoodApi(this IEndpointRouteBuilder app)
    {
        var api = app.MapMemberGroup("/api/v1/mood", "Mood");

        api.MapPost("", RecordMoodAsync)
            .WithName("RecordMood")
            .WithSummary("Record a mood")
            .WithDescription("A score from 1 (very low) to 5 (very good), up to 10 tags and an optional note of up to 500 characters.");

        api.MapGet("", ListMoodsAsync)
            .WithName("ListMoods")
            .WithSummary("List mood records, oldest first")
            .WithDescription("`from`/`to` are inclusive: an ISO 8601 instant, or a date (or date-time without offset) in your time zone. At most 1,000 records: when more match, the most recent 1,000 are returned and `truncated` is true.");

        api.MapGet("/{id}", GetMoodAsync)
            .WithName("GetMood")
            .WithSummary("Read one mood record")
            .ProducesProblem(StatusCodes.Status404NotFound);

        api.MapDelete("/{id}", DeleteMoodAsync)
            .WithName("DeleteMood")
            .WithSummary("Delete a mood record")
            .ProducesProblem(StatusCodes.Status404NotFound);

        return api;
    }

    public static async Task<Results<Created<MoodView>, ValidationProblem>> RecordMoodAsync(
        RecordMoodRequest request, ClaimsPrincipal user, [FromServices] IGrainFactory grains)
    {
        var errors = new FieldErrors();
        if (CheckInValidation.ToNewMood(request, errors) is not { } mood)
        {
            return errors.ToProblem();
        }

        var created = await grains.CheckIns(user).RecordMoodAsync(mood);
        return TypedResults.Created($"/api/v1/mood/{created.Id}", created);
    }

    public static async Task<Results<Ok<MoodListResponse>, ValidationProblem>> ListMoodsAsync(
        [AsParameters] ListMoodsQuery query, ClaimsPrincipal user, [FromServices] IGrainFactory grains, CancellationToken cancellationToken)
    {
        var errors = new FieldErrors();
        var (from, to) = await CheckInTimeRange.ParseAsync(query.From, query.To, () => CheckInUser.TimeZoneAsync(grains, user), errors);
        if (errors.Any)
        {
            return errors.ToProblem();
        }

        var page = await grains.CheckIns(user).ListMoodsAsync(new MoodQuery(from, to, CheckInRules.MaxMoodItems), cancellationToken);
        return TypedResults.Ok(new MoodListResponse(page.Items, page.Truncated));
    }

    public static async Task<Results<Ok<MoodView>, ProblemHttpResult>> GetMoodAsync(
        string id, ClaimsPrincipal user, [FromServices] IGrainFactory grains, CancellationToken cancellationToken)
    {
        return Guid.TryParse(id, out var moodId) && await grains.CheckIns(user).GetMoodAsync(moodId, cancellationToken) is { } mood
            ? TypedResults.Ok(mood)
            : MoodNotFound();
    }

    public static async Task<Results<NoContent, ProblemHttpResult>> DeleteMoodAsync(
        string id, ClaimsPrincipal user, [FromServices] IGrainFactory grains)
    {
        return Guid.TryParse(id, out var moodId) && await grains.CheckIns(user).DeleteMoodAsync(moodId)
            ? TypedResults.NoContent()
            : MoodNotFound();
    }

    private static ProblemHttpResult MoodNotFound()
        => TypedResults.Problem(statusCode: StatusCodes.Status404NotFound, title: "Not found", detail: "There is no mood record with this id.");
}
