using System.Globalization;
using System.Security.Claims;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Mvc;
using Mindspace.Gateway.Auth;
using Mindspace.Gateway.Hosting;
using Mindspace.Grains.Interfaces.Safety;
using Mindspace.Grains.Interfaces.Therapist;
using Mindspace.Grains.Interfaces.Users;

namespace Mindspace.Gateway.Therapist;

public sealed record CareItemView(
    Guid Id,
    Guid UserId,
    string? DisplayName,
    Guid ConversationId,
    string Level,
    IReadOnlyList<string> Signals,
    string Excerpt,
    DateTimeOffset CreatedAt,
    string Status,
    Guid? AcknowledgedBy,
    DateTimeOffset? AcknowledgedAt,
    Guid? ClosedBy,
    DateTimeOffset? ClosedAt,
    string? Note);

public sealed record CareQueueResponse(IReadOnlyList<CareItemView> Items);

public sealed record CloseCareItemRequest(string? Note);

public sealed record CareAuditResponse(IReadOnlyList<CareAuditEntry> Items);

/// <summary>The care team's escalation queue: <c>/api/v1/care</c>. Every view and action is audited by the queue grain.</summary>
public static class CareApi
{
    public const int MaxNoteLength = 1_000;

    public static IEndpointRouteBuilder MapCareApi(this IEndpointRouteBuilder app)
    {
        var api = app.MapGroup("/api/v1/care")
            .WithTags("Care team")
            .RequireAuthorization(AuthPolicies.CareTeam)
            .RequireRateLimiting(RateLimitPolicies.User);

        api.MapGet("/queue", ListAsync)
            .WithSummary("Open and acknowledged escalations, oldest first")
            .WithDescription("Who, when, level and a short excerpt of the message that raised it. `includeClosed=true` adds the 50 most recently closed. Audited.");
        api.MapPost("/queue/{id}/acknowledge", AcknowledgeAsync)
            .WithSummary("Acknowledge an escalation (someone is on it)")
            .ProducesProblem(StatusCodes.Status404NotFound);
        api.MapPost("/queue/{id}/close", CloseAsync)
            .WithSummary("Close an escalation, with an optional note")
            .ProducesProblem(StatusCodes.Status404NotFound);
        api.MapGet("/audit", AuditAsync)
            .WithSummary("Who viewed or handled the queue, newest first")
            .WithDescription("`limit` 1–500 (default 100). Reading the audit is itself audited.");
        return app;
    }

    public static async Task<Ok<CareQueueResponse>> ListAsync(bool? includeClosed, ClaimsPrincipal user, [FromServices] IGrainFactory grains)
    {
        var items = await grains.GetGrain<ICareQueueGrain>(0).ListAsync(user.GetUserId(), includeClosed ?? false);
        var names = new Dictionary<Guid, string?>();
        foreach (var userId in items.Select(i => i.UserId).Distinct())
        {
            names[userId] = (await grains.GetGrain<IUserGrain>(userId).GetProfileAsync())?.DisplayName;
        }

        return TypedResults.Ok(new CareQueueResponse([.. items.Select(i => View(i, names.GetValueOrDefault(i.UserId)))]));
    }

    public static async Task<Results<Ok<CareItemView>, ProblemHttpResult>> AcknowledgeAsync(string id, ClaimsPrincipal user, [FromServices] IGrainFactory grains)
        => Guid.TryParse(id, out var itemId) && await grains.GetGrain<ICareQueueGrain>(0).AcknowledgeAsync(itemId, user.GetUserId()) is { } item
            ? TypedResults.Ok(View(item, null))
            : NotFound();

    public static async Task<Results<Ok<CareItemView>, ValidationProblem, ProblemHttpResult>> CloseAsync(
        string id, CloseCareItemRequest? request, ClaimsPrincipal user, [FromServices] IGrainFactory grains)
    {
        if (request?.Note is { Length: > MaxNoteLength })
        {
            return FieldErrors.Problem("note", $"A note can be at most {MaxNoteLength} characters.");
        }

        return Guid.TryParse(id, out var itemId) && await grains.GetGrain<ICareQueueGrain>(0).CloseAsync(itemId, user.GetUserId(), request?.Note) is { } item
            ? TypedResults.Ok(View(item, null))
            : NotFound();
    }

    public static async Task<Results<Ok<CareAuditResponse>, ValidationProblem>> AuditAsync(string? limit, ClaimsPrincipal user, [FromServices] IGrainFactory grains)
    {
        var size = 100;
        if (!string.IsNullOrEmpty(limit) && (!int.TryParse(limit, NumberStyles.None, CultureInfo.InvariantCulture, out size) || size < 1 || size > 500))
        {
            return FieldErrors.Problem("limit", "limit must be a whole number from 1 to 500.");
        }

        return TypedResults.Ok(new CareAuditResponse(await grains.GetGrain<ICareQueueGrain>(0).AuditAsync(user.GetUserId(), size)));
    }

    private static CareItemView View(CareItem i, string? displayName)
        => new(i.Id, i.UserId, displayName, i.ConversationId, RiskLevels.Name(i.Level), i.Signals, i.Excerpt, i.CreatedAt, i.Status, i.AcknowledgedBy, i.AcknowledgedAt, i.ClosedBy, i.ClosedAt, i.Note);

    private static ProblemHttpResult NotFound()
        => TypedResults.Problem(statusCode: StatusCodes.Status404NotFound, title: "Not found", detail: "There is no care item with this id.");
}
