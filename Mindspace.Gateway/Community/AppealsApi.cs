using System.Security.Claims;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Mvc;
using Mindspace.Gateway.Auth;
using Mindspace.Gateway.Hosting;
using Mindspace.Grains.Interfaces.Community;

namespace Mindspace.Gateway.Community;

/// <summary>Body of <c>POST /api/v1/posts/{id}/appeal</c> and <c>…/comments/{commentId}/appeal</c>.</summary>
/// <param name="Message">Why you'd like a moderator to look again: 1 to 1,000 characters.</param>
public sealed record AppealRequest(string? Message);

/// <summary>Body of <c>POST /api/v1/moderation/appeals/{id}/decide</c>.</summary>
/// <param name="Decision">uphold (it stays hidden or removed) or restore (everyone can see it again).</param>
/// <param name="Note">Required; logged and told to the author.</param>
public sealed record AppealDecisionRequest(string? Decision, string? Note);

/// <summary>An appeal as its author sees it.</summary>
public sealed record AppealResponse(Guid Id, Guid PostId, Guid? CommentId, string Action, string? Message, DateTimeOffset CreatedAt, string Status, string Detail);

public sealed record AppealListResponse(IReadOnlyList<Appeal> Items);

/// <summary>The <c>communityAppeals</c> section of <c>/me/export</c>: the person's appeals, oldest first, without the deciding moderator.</summary>
public sealed record AppealsExport(IReadOnlyList<Appeal> Items);

/// <summary>
/// Appeals: the author of a hidden or removed post or comment asks a moderator to look again, once per
/// moderation action (<c>POST /api/v1/posts/{id}/appeal</c>, <c>…/comments/{commentId}/appeal</c>); moderators
/// and admins list them (<c>GET /api/v1/moderation/appeals</c>) and decide (<c>POST …/appeals/{id}/decide</c>).
/// The author is told the outcome; every step is in the moderation log, which never names who appealed.
/// </summary>
/// <remarks>
/// Appeals are open to a suspended member (the standing filter of the posts group does not apply here):
/// a pause from posting must not also take away the way to question a decision.
/// </remarks>
public static class AppealsApi
{
    public static IEndpointRouteBuilder MapAppealsApi(this IEndpointRouteBuilder app)
    {
        var posts = app.MapMemberGroup("/api/v1/posts", "Community");
        posts.MapPost("/{id}/appeal", (string id, AppealRequest? request, ClaimsPrincipal user, IGrainFactory grains) => AppealAsync(id, null, request, user, grains))
            .WithSummary("Appeal a moderator's hide or removal of your post")
            .WithDescription("`{message}` (1–1,000 characters). Only the post's author, only while it is hidden or removed, once per moderation action: 404 for a post that is not yours, 409 when there is nothing to appeal or it was appealed already. A moderator reads it and you are told the outcome.")
            .ProducesProblem(StatusCodes.Status404NotFound)
            .ProducesProblem(StatusCodes.Status409Conflict);
        posts.MapPost("/{id}/comments/{commentId}/appeal", (string id, string commentId, AppealRequest? request, ClaimsPrincipal user, IGrainFactory grains) => AppealAsync(id, commentId, request, user, grains))
            .WithSummary("Appeal a moderator's hide or removal of your comment")
            .WithDescription("As for a post: `{message}`, the comment's author only, while it is hidden or removed, once per moderation action.")
            .ProducesProblem(StatusCodes.Status404NotFound)
            .ProducesProblem(StatusCodes.Status409Conflict);

        var moderation = app.MapGroup("/api/v1/moderation/appeals")
            .WithTags("Moderation")
            .RequireAuthorization(AuthPolicies.Moderator)
            .RequireRateLimiting(RateLimitPolicies.User);
        moderation.MapGet("", ListAsync).WithSummary("Open appeals, oldest first (`includeDecided=true` for recent decided ones too); never who appealed");
        moderation.MapPost("/{id}/decide", DecideAsync)
            .WithSummary("Decide an appeal")
            .WithDescription("`{decision: uphold|restore, note}`: restore makes the post or comment visible again (logged as a restore); uphold keeps it as it is. The note is logged and told to the author.")
            .ProducesProblem(StatusCodes.Status403Forbidden)
            .ProducesProblem(StatusCodes.Status404NotFound)
            .ProducesProblem(StatusCodes.Status409Conflict);
        return app;
    }

    public static async Task<Results<Created<AppealResponse>, ValidationProblem, ProblemHttpResult>> AppealAsync(
        string id, string? commentId, AppealRequest? request, ClaimsPrincipal user, IGrainFactory grains)
    {
        Guid? comment = null;
        if (!Guid.TryParse(id, out var postId))
        {
            return NotYoursToAppeal(commentId is not null);
        }

        if (commentId is not null)
        {
            if (!Guid.TryParse(commentId, out var parsed))
            {
                return NotYoursToAppeal(true);
            }

            comment = parsed;
        }

        if (AppealRules.CheckMessage(request?.Message, out var message) is { } error)
        {
            return FieldErrors.Problem("message", error);
        }

        var userId = user.GetUserId();
        if (await StatusForAuthorAsync(grains, postId, comment, userId) is not { } status)
        {
            return NotYoursToAppeal(comment is not null);
        }

        var what = comment is null ? "post" : "comment";
        if (status is not (PostStatuses.Hidden or PostStatuses.Removed))
        {
            return NothingToAppeal($"Your {what} is not hidden or removed by a moderator, so there is nothing to appeal.");
        }

        var result = await grains.GetGrain<ICommunityModerationGrain>(0).AppealAsync(Guid.CreateVersion7(), postId, comment, status, message!);
        switch (result.Outcome)
        {
            case AppealOutcome.AlreadyDone:
                return TypedResults.Problem(
                    statusCode: StatusCodes.Status409Conflict,
                    title: "Already appealed",
                    detail: $"You've already appealed this decision about your {what}. A moderator will read it, and you'll hear from us in your inbox.");
            case AppealOutcome.Done when result.Appeal is { } appeal:
                await grains.GetGrain<IMemberAppealsGrain>(userId).AddAsync(appeal.Id);
                return TypedResults.Created(
                    (string?)null,
                    new AppealResponse(appeal.Id, appeal.PostId, appeal.CommentId, appeal.Action, appeal.Message, appeal.CreatedAt, appeal.Status,
                        "Thank you. A moderator will read your appeal and look again, and we'll tell you what they decide in your inbox."));
            default:
                return NothingToAppeal($"Your {what} is not hidden or removed by a moderator, so there is nothing to appeal.");
        }
    }

    public static async Task<Ok<AppealListResponse>> ListAsync(bool? includeDecided, [FromServices] IGrainFactory grains)
        => TypedResults.Ok(new AppealListResponse(await grains.GetGrain<ICommunityModerationGrain>(0).ListAppealsAsync(includeDecided ?? false, 200)));

    public static async Task<Results<Ok<Appeal>, ValidationProblem, ProblemHttpResult>> DecideAsync(
        string id, AppealDecisionRequest? request, ClaimsPrincipal user, [FromServices] IGrainFactory grains)
    {
        if (!Guid.TryParse(id, out var appealId))
        {
            return AppealNotFound();
        }

        var errors = new FieldErrors();
        var decision = request?.Decision?.Trim().ToLowerInvariant();
        if (decision is null || !AppealDecisions.All.Contains(decision))
        {
            errors.Add("decision", "Choose uphold or restore.");
        }

        errors.Add("note", CommunityRules.CheckReason(request?.Note, required: true, out var note));
        if (errors.Any)
        {
            return errors.ToProblem();
        }

        var moderation = grains.GetGrain<ICommunityModerationGrain>(0);
        if (await moderation.GetAppealAsync(appealId) is not { } appeal)
        {
            return AppealNotFound();
        }

        var moderator = user.GetUserId();

        // Nobody decides their own appeal (the check opens an anonymous author inside the post grain only).
        if (await StatusForAuthorAsync(grains, appeal.PostId, appeal.CommentId, moderator) is not null)
        {
            return TypedResults.Problem(statusCode: StatusCodes.Status403Forbidden, title: "Not your own appeal", detail: "Moderators can't decide an appeal about their own words; ask another moderator.");
        }

        var decided = await moderation.DecideAppealAsync(appealId, moderator, decision!, note!);
        if (decided is not { Outcome: AppealOutcome.Done, Appeal: { } done })
        {
            return decided.Outcome == AppealOutcome.NotFound
                ? AppealNotFound()
                : TypedResults.Problem(statusCode: StatusCodes.Status409Conflict, title: "Already decided", detail: "This appeal has already been decided.");
        }

        var post = grains.GetGrain<IPostGrain>(appeal.PostId);
        if (decision == AppealDecisions.Restore)
        {
            if (appeal.CommentId is { } comment)
            {
                await post.ModerateCommentAsync(comment, ModerationActions.Restore);
            }
            else if (await post.ModerateAsync(ModerationActions.Restore) is not null)
            {
                await moderation.ReleaseAsync(appeal.PostId);
            }

            await moderation.RecordActionAsync(moderator, ModerationActions.Restore, appeal.PostId, appeal.CommentId, note);
        }

        await post.TellAuthorAsync(
            appeal.CommentId,
            new ModerationNotice(decision == AppealDecisions.Restore ? ModerationActions.AppealRestored : ModerationActions.AppealUpheld, note));
        return TypedResults.Ok(done);
    }

    /// <returns>The status of the post or comment when <paramref name="userId"/> wrote it (and it is still there); otherwise null.</returns>
    private static async Task<string?> StatusForAuthorAsync(IGrainFactory grains, Guid postId, Guid? commentId, Guid userId)
    {
        var post = grains.GetGrain<IPostGrain>(postId);
        if (commentId is not { } comment)
        {
            return await post.GetAsync(userId) is { IsMine: true, Status: not PostStatuses.Deleted } view ? view.Status : null;
        }

        return (await post.ListCommentsAsync(userId))?.FirstOrDefault(c => c.Id == comment) is { IsMine: true, Status: not PostStatuses.Deleted } mine ? mine.Status : null;
    }

    private static ProblemHttpResult NotYoursToAppeal(bool comment)
        => TypedResults.Problem(
            statusCode: StatusCodes.Status404NotFound,
            title: "Not found",
            detail: comment ? "There is no comment of yours with this id on this post." : "There is no post of yours with this id.");

    private static ProblemHttpResult NothingToAppeal(string detail)
        => TypedResults.Problem(statusCode: StatusCodes.Status409Conflict, title: "Nothing to appeal", detail: detail);

    private static ProblemHttpResult AppealNotFound()
        => TypedResults.Problem(statusCode: StatusCodes.Status404NotFound, title: "Not found", detail: "There is no appeal with this id.");
}
