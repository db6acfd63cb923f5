using System.Security.Claims;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Mvc;
using Mindspace.Gateway.Auth;
using Mindspace.Gateway.CheckIns;
using Mindspace.Gateway.Hosting;
using Mindspace.Grains.Interfaces.CheckIns;

namespace Mindspace.Gateway.Apis;

/// <summary>
/// Journal entries: <c>/api/v1/entries</c>. Each user's entries live in their own check-ins
/// grain, so an id of someone else's entry is simply not found (404), as is a malformed id.
/// </summary>
public static class EntriesApi
{
    public static RouteGroupBuilder MapEntriesApi(this IEndpointRouteBuilder app)
    {
        var api = app.MapMemberGroup("/api/v1/entries", "Entries");

        api.MapPost("", CreateEntryAsync)
            .WithName("CreateEntry")
            .WithSummary("Write an entry")
            .WithDescription("Text of 1–2,000 characters (trimmed; an emoji counts as one), an optional mood from 1 to 5 and up to 10 tags (stored in lower case, duplicates dropped).");

        api.MapGet("", ListEntriesAsync)
            .WithName("ListEntries")
            .WithSummary("List entries, newest first")
            .WithDescription("Pages of `limit` (1–100, default 20) entries; pass `nextCursor` back as `cursor`. `from`/`to` are inclusive: an ISO 8601 instant, or a date (or date-time without offset) in your time zone.");

        api.MapGet("/{id}", GetEntryAsync)
            .WithName("GetEntry")
            .WithSummary("Read one entry")
            .ProducesProblem(StatusCodes.Status404NotFound);

        api.MapPatch("/{id}", UpdateEntryAsync)
            .WithName("UpdateEntry")
            .WithSummary("Edit an entry")
            .WithDescription("JSON merge patch: members you leave out stay as they are; `mood: null` clears the mood; `tags` replaces the tags (`null` or `[]` clears them); `text` cannot be null.")
            .ProducesProblem(StatusCodes.Status404NotFound);

        api.MapDelete("/{id}", DeleteEntryAsync)
            .WithName("DeleteEntry")
            .WithSummary("Delete an entry")
            .ProducesProblem(StatusCodes.Status404NotFound);

        return api;
    }

    public static async Task<Results<Created<EntryView>, ValidationProblem>> CreateEntryAsync(
        CreateEntryRequest request, ClaimsPrincipal user, [FromServices] IGrainFactory grains)
    {
        var errors = new FieldErrors();
        if (CheckInValidation.ToNewEntry(request, errors) is not { } entry)
        {
            return errors.ToProblem();
        }

        var created = await grains.CheckIns(user).CreateEntryAsync(entry);
        return TypedResults.Created($"/api/v1/entries/{created.Id}", created);
    }

    public static async Task<Results<Ok<EntryListResponse>, ValidationProblem>> ListEntriesAsync(
        [AsParameters] ListEntriesQuery query, ClaimsPrincipal user, [FromServices] IGrainFactory grains, CancellationToken cancellationToken)
    {
        var errors = new FieldErrors();
        var after = CheckInValidation.ParseCursor(query.Cursor, errors);

        var limit = CheckInValidation.ParseLimit(query.Limit, errors);
        var tag = CheckInValidation.ParseTag(query.Tag, errors);
        var (from, to) = await CheckInTimeRange.ParseAsync(query.From, query.To, () => CheckInUser.TimeZoneAsync(grains, user), errors);
        if (errors.Any)
        {
            return errors.ToProblem();
        }

        var page = await grains.CheckIns(user).ListEntriesAsync(new EntryQuery(after, limit, tag, from, to), cancellationToken);
        return TypedResults.Ok(new EntryListResponse(page.Items, page.Next is { } next ? EntryCursor.Encode(next) : null));
    }

    public static async Task<Results<Ok<EntryView>, ProblemHttpResult>> GetEntryAsync(
        string id, ClaimsPrincipal user, [FromServices] IGrainFactory grains, CancellationToken cancellationToken)
    {
        return Guid.TryParse(id, out var entryId) && await grains.CheckIns(user).GetEntryAsync(entryId, cancellationToken) is { } entry
            ? TypedResults.Ok(entry)
            : EntryNotFound();
    }

    public static async Task<Results<Ok<EntryView>, ValidationProblem, ProblemHttpResult>> UpdateEntryAsync(
        string id, UpdateEntryRequest request, ClaimsPrincipal user, [FromServices] IGrainFactory grains)
    {
        if (!Guid.TryParse(id, out var entryId))
        {
            return EntryNotFound();
        }

        var errors = new FieldErrors();
        if (CheckInValidation.ToEntryPatch(request, errors) is not { } patch)
        {
            return errors.ToProblem();
        }

        return await grains.CheckIns(user).UpdateEntryAsync(entryId, patch) is { } entry
            ? TypedResults.Ok(entry)
            : EntryNotFound();
    }

    public static async Task<Results<NoContent, ProblemHttpResult>> DeleteEntryAsync(
        string id, ClaimsPrincipal user, [FromServices] IGrainFactory grains)
    {
        return Guid.TryParse(id, out var entryId) && await grains.CheckIns(user).DeleteEntryAsync(entryId)
            ? TypedResults.NoContent()
            : EntryNotFound();
    }

    private static ProblemHttpResult EntryNotFound()
        => TypedResults.Problem(statusCode: StatusCodes.Status404NotFound, title: "Not found", detail: "There is no entry with this id.");
}
