using System.Globalization;
using System.Security.Claims;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Mvc;
using Mindspace.Gateway.Auth;
using Mindspace.Gateway.Hosting;
using Mindspace.Grains.Interfaces;
using Mindspace.Grains.Interfaces.Community;
using Mindspace.Grains.Interfaces.Notifications;

namespace Mindspace.Gateway.Community;

/// <summary>
/// Moderators (and admins): <c>/api/v1/moderation</c>. The review queue of reports, posts held or
/// hidden, hide/remove/restore with a required reason, and the log every action lands in. Revealing
/// an anonymous author needs a reason, is logged, and the author is told.
/// </summary>
public static class ModerationApi
{
    public static IEndpointRouteBuilder MapModerationApi(this IEndpointRouteBuilder app)
    {
        var api = app.MapGroup("/api/v1/moderation")
            .WithTags("Moderation")
            .RequireAuthorization(AuthPolicies.Moderator)
            .RequireRateLimiting(RateLimitPolicies.User);

        api.MapGet("/reports", ReportsAsync).WithSummary("Open reports, oldest first (`includeResolved=true` for the recent ones too)");
        api.MapGet("/held", HeldAsync).WithSummary("Posts held by the safety classifier or hidden by a moderator");
        api.MapGet("/log", LogAsync).WithSummary("The moderation log, newest first (`limit` 1–500)");
        api.MapGet("/posts/{id}", PostAsync).WithSummary("A post whatever its status (an anonymous author stays hidden)").ProducesProblem(StatusCodes.Status404NotFound);
        foreach (var action in ModerationActions.OnPosts)
        {
            api.MapPost($"/posts/{{id}}/{action}", (string id, ModerationRequest? request, ClaimsPrincipal user, IGrainFactory grains) => ActAsync(id, action, request, user, grains))
                .WithSummary($"{CultureInfo.InvariantCulture.TextInfo.ToTitleCase(action)} a post (a reason is required and logged)")
                .ProducesProblem(StatusCodes.Status404NotFound);
        }

        api.MapPost("/posts/{id}/dismiss", DismissAsync).WithSummary("Close a post's open reports without acting on it (reason required, logged)");
        api.MapPost("/posts/{id}/reveal", RevealAsync)
            .WithSummary("Reveal who wrote an anonymous post")
            .WithDescription("Only with a reason, which is logged with who asked; the author is told at once that their identity was revealed to the moderators.")
            .ProducesProblem(StatusCodes.Status404NotFound);
        app.MapMemberModerationApi();
        app.MapAppealsApi();
        return app;
    }

    public static async Task<Ok<ReportListResponse>> ReportsAsync(bool? includeResolved, [FromServices] IGrainFactory grains)
        => TypedResults.Ok(new ReportListResponse(await grains.GetGrain<ICommunityModerationGrain>(0).ListReportsAsync(includeResolved ?? false, 200)));

    public static async Task<Ok<HeldListResponse>> HeldAsync([FromServices] IGrainFactory grains)
        => TypedResults.Ok(new HeldListResponse(await grains.GetGrain<ICommunityModerationGrain>(0).ListHeldAsync()));

    public static async Task<Results<Ok<ModerationLogResponse>, ValidationProblem>> LogAsync(string? limit, [FromServices] IGrainFactory grains)
    {
        var size = 100;
        if (!string.IsNullOrEmpty(limit) && (!int.TryParse(limit, NumberStyles.None, CultureInfo.InvariantCulture, out size) || size is < 1 or > 500))
        {
            return FieldErrors.Problem("limit", "Choose a number from 1 to 500.");
        }

        return TypedResults.Ok(new ModerationLogResponse(await grains.GetGrain<ICommunityModerationGrain>(0).LogAsync(size)));
    }

    public static async Task<Results<Ok<PostView>, ProblemHttpResult>> PostAsync(string id, [FromServices] IGrainFactory grains)
        => Guid.TryParse(id, out var postId) && await grains.GetGrain<IPostGrain>(postId).GetForModeratorAsync() is { } post
            ? TypedResults.Ok(post)
            : CommunityApi.PostNotFound();

    public static async Task<Results<Ok<ModerationResult>, ValidationProblem, ProblemHttpResult>> ActAsync(
        string id, string action, ModerationRequest? request, ClaimsPrincipal user, IGrainFactory grains)
    {
        if (!Guid.TryParse(id, out var postId))
        {
            return CommunityApi.PostNotFound();
        }

        if (CommunityRules.CheckReason(request?.Reason, required: true, out var reason) is { } error)
        {
            return FieldErrors.Problem("reason", error);
        }

        // The reports' reason is read before the action resolves them; it goes into the author's notice.
        var moderation = grains.GetGrain<ICommunityModerationGrain>(0);
        var category = action == ModerationActions.Restore ? null : await moderation.ReportReasonAsync(postId, null);
        if (await grains.GetGrain<IPostGrain>(postId).ModerateAsync(action) is not { } post)
        {
            return CommunityApi.PostNotFound();
        }

        if (action == ModerationActions.Restore)
        {
            await moderation.ReleaseAsync(postId);
        }
        else
        {
            await moderation.SetHeldAsync(postId, post.Status, Grains.Interfaces.Safety.RiskLevel.None);
        }

        var log = await moderation.RecordActionAsync(user.GetUserId(), action, postId, null, reason);
        await grains.GetGrain<IPostGrain>(postId).TellAuthorAsync(null, new ModerationNotice(action, reason, category));
        return TypedResults.Ok(new ModerationResult(post, log));
    }

    public static async Task<Results<Ok<ModerationLogEntry>, ValidationProblem, ProblemHttpResult>> DismissAsync(
        string id, ModerationRequest? request, ClaimsPrincipal user, [FromServices] IGrainFactory grains)
    {
        if (!Guid.TryParse(id, out var postId) || await grains.GetGrain<IPostGrain>(postId).GetForModeratorAsync() is null)
        {
            return CommunityApi.PostNotFound();
        }

        if (CommunityRules.CheckReason(request?.Reason, required: true, out var reason) is { } error)
        {
            return FieldErrors.Problem("reason", error);
        }

        return TypedResults.Ok(await grains.GetGrain<ICommunityModerationGrain>(0).RecordActionAsync(user.GetUserId(), ModerationActions.Dismiss, postId, null, reason));
    }

    public static async Task<Results<Ok<RevealResponse>, ValidationProblem, ProblemHttpResult>> RevealAsync(
        string id, ModerationRequest? request, ClaimsPrincipal user, [FromServices] IGrainFactory grains, [FromKeyedServices(MindspaceClock.Key)] TimeProvider clock)
    {
        if (!Guid.TryParse(id, out var postId))
        {
            return CommunityApi.PostNotFound();
        }

        if (CommunityRules.CheckReason(request?.Reason, required: true, out var reason) is { } error)
        {
            return FieldErrors.Problem("reason", error);
        }

        if (await grains.GetGrain<IPostGrain>(postId).RevealAuthorAsync() is not { } authorId)
        {
            return TypedResults.Problem(statusCode: StatusCodes.Status404NotFound, title: "Not found", detail: "There is no anonymous post with this id.");
        }

        // The log line comes first: no one learns an author without a record of who asked and why.
        var log = await grains.GetGrain<ICommunityModerationGrain>(0).RecordActionAsync(user.GetUserId(), ModerationActions.Reveal, postId, null, reason);

        // An account notification: always delivered, never held by quiet hours or turned off, so the author is told.
        await grains.GetGrain<INotificationInboxGrain>(authorId).NotifyAsync(new UserNotification(
            Guid.NewGuid(),
            "account.community-identity-revealed",
            "A moderator saw who wrote your anonymous post",
            "A community moderator looked up who wrote one of your anonymous posts. This is rare and is always recorded with a reason. " +
            "Other members still can't see it was you. If you have questions, you can contact support.",
            clock.GetUtcNow()));
        return TypedResults.Ok(new RevealResponse(postId, authorId, await CommunityApi.DisplayNameAsync(grains, authorId), log));
    }
}
