using System.Globalization;
using System.Security.Claims;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Mvc;
using Mindspace.Gateway.Auth;
using Mindspace.Gateway.Hosting;
using Mindspace.Grains.Interfaces;
using Mindspace.Grains.Interfaces.Community;
using Mindspace.Grains.Interfaces.Users;

namespace Mindspace.Gateway.Community;

/// <summary>Body of <c>POST /api/v1/moderation/members/{id}/suspend</c>.</summary>
/// <param name="Reason">Required; logged and told to the member.</param>
/// <param name="Hours">How long: 1 to 168 for a moderator (7 days), up to 2,160 (90 days) for an admin.</param>
public sealed record SuspendRequest(string? Reason, int? Hours);

/// <summary>A comment after a moderator's action, and the log line.</summary>
public sealed record CommentModerationResult(CommentView Comment, ModerationLogEntry Log);

public sealed record PublicLogResponse(IReadOnlyList<PublicLogEntry> Items);

/// <summary>
/// Moderation of members and comments (<c>/api/v1/moderation/members/…</c>,
/// <c>/api/v1/moderation/posts/{id}/comments/{commentId}/…</c>) and the public mod log (<c>/api/v1/modlog</c>).
/// </summary>
/// <remarks>
/// Least privilege (docs/moderation.md): a moderator warns, suspends for up to 7 days, lifts suspensions and
/// moderates comments; only an admin suspends for longer (up to 90 days) or acts on another moderator or
/// admin; nobody acts on their own account.
/// </remarks>
public static class MemberModerationApi
{
    public static IEndpointRouteBuilder MapMemberModerationApi(this IEndpointRouteBuilder app)
    {
        var api = app.MapGroup("/api/v1/moderation")
            .WithTags("Moderation")
            .RequireAuthorization(AuthPolicies.Moderator)
            .RequireRateLimiting(RateLimitPolicies.User);

        api.MapGet("/members/{id}", StandingAsync).WithSummary("A member's standing: current suspension and past warnings and suspensions").ProducesProblem(StatusCodes.Status404NotFound);
        api.MapPost("/members/{id}/warn", WarnAsync)
            .WithSummary("Warn a member (reason required, logged; they are told kindly through their inbox)")
            .ProducesProblem(StatusCodes.Status403Forbidden)
            .ProducesProblem(StatusCodes.Status404NotFound);
        api.MapPost("/members/{id}/suspend", SuspendAsync)
            .WithSummary("Suspend a member from posting, commenting and liking for a time")
            .WithDescription("`{reason, hours}`: a moderator may suspend for up to 168 hours (7 days); longer, up to 90 days, is an admin's decision, as is any action on a moderator or admin. The member is told why and until when.")
            .ProducesProblem(StatusCodes.Status403Forbidden)
            .ProducesProblem(StatusCodes.Status404NotFound);
        api.MapPost("/members/{id}/lift", LiftAsync)
            .WithSummary("End a member's suspension early (reason required, logged; they are told)")
            .ProducesProblem(StatusCodes.Status403Forbidden)
            .ProducesProblem(StatusCodes.Status404NotFound)
            .ProducesProblem(StatusCodes.Status409Conflict);
        foreach (var action in ModerationActions.OnComments)
        {
            api.MapPost($"/posts/{{id}}/comments/{{commentId}}/{action}", (string id, string commentId, ModerationRequest? request, ClaimsPrincipal user, IGrainFactory grains) => ActOnCommentAsync(id, commentId, action, request, user, grains))
                .WithSummary($"{CultureInfo.InvariantCulture.TextInfo.ToTitleCase(action)} a comment (a reason is required and logged; the comment's open reports are resolved)")
                .ProducesProblem(StatusCodes.Status404NotFound);
        }

        app.MapMemberGroup("/api/v1/modlog", "Moderation")
            .MapGet("", PublicLogAsync)
            .WithSummary("The public mod log, newest first")
            .WithDescription("What moderators hid, removed, restored or suspended, and why, for every member to see: never who acted, whose post it was or who was suspended. Warnings and identity reveals are private and not listed. `limit` 1–500.");
        return app;
    }

    public static async Task<Results<Ok<MemberStanding>, ProblemHttpResult>> StandingAsync(string id, [FromServices] IGrainFactory grains)
        => Guid.TryParse(id, out var member) && await grains.GetGrain<IUserGrain>(member).GetProfileAsync() is not null
            ? TypedResults.Ok(await grains.GetGrain<IMemberStandingGrain>(member).GetAsync())
            : MemberNotFound();

    public static async Task<Results<Ok<StandingChange>, ValidationProblem, ProblemHttpResult>> WarnAsync(
        string id, ModerationRequest? request, ClaimsPrincipal user, [FromServices] IGrainFactory grains)
    {
        if (await CheckTargetAsync(id, user, grains) is (null, var refusal))
        {
            return refusal!;
        }

        if (CommunityRules.CheckReason(request?.Reason, required: true, out var reason) is { } error)
        {
            return FieldErrors.Problem("reason", error);
        }

        return TypedResults.Ok(await grains.GetGrain<IMemberStandingGrain>(Guid.Parse(id)).WarnAsync(user.GetUserId(), reason!));
    }

    public static async Task<Results<Ok<StandingChange>, ValidationProblem, ProblemHttpResult>> SuspendAsync(
        string id, SuspendRequest? request, ClaimsPrincipal user, [FromServices] IGrainFactory grains, [FromKeyedServices(MindspaceClock.Key)] TimeProvider clock)
    {
        if (await CheckTargetAsync(id, user, grains) is (null, var refusal))
        {
            return refusal!;
        }

        var errors = new FieldErrors();
        errors.Add("reason", CommunityRules.CheckReason(request?.Reason, required: true, out var reason));
        var maxHours = (int)ModerationSettings.MaxSuspension.TotalHours;
        if (request?.Hours is not { } hours || hours < 1 || hours > maxHours)
        {
            errors.Add("hours", $"Choose how long in hours, from 1 to {maxHours} ({ModerationSettings.MaxSuspension.TotalDays:0} days).");
            hours = 0;
        }

        if (errors.Any)
        {
            return errors.ToProblem();
        }

        // A long suspension is a bigger decision about a person: a moderator's reach stops at 7 days.
        if (TimeSpan.FromHours(hours) > ModerationSettings.ModeratorMaxSuspension && !user.IsInRole(UserRoles.Admin))
        {
            return TypedResults.Problem(
                statusCode: StatusCodes.Status403Forbidden,
                title: "An admin's decision",
                detail: $"Moderators can suspend for up to {ModerationSettings.ModeratorMaxSuspension.TotalHours:0} hours (7 days). Ask an admin for a longer suspension.");
        }

        var until = clock.GetUtcNow().AddHours(hours);
        return TypedResults.Ok(await grains.GetGrain<IMemberStandingGrain>(Guid.Parse(id)).SuspendAsync(user.GetUserId(), reason!, until));
    }

    public static async Task<Results<Ok<StandingChange>, ValidationProblem, ProblemHttpResult>> LiftAsync(
        string id, ModerationRequest? request, ClaimsPrincipal user, [FromServices] IGrainFactory grains)
    {
        if (await CheckTargetAsync(id, user, grains) is (null, var refusal))
        {
            return refusal!;
        }

        if (CommunityRules.CheckReason(request?.Reason, required: true, out var reason) is { } error)
        {
            return FieldErrors.Problem("reason", error);
        }

        return await grains.GetGrain<IMemberStandingGrain>(Guid.Parse(id)).LiftAsync(user.GetUserId(), reason!) is { } change
            ? TypedResults.Ok(change)
            : TypedResults.Problem(statusCode: StatusCodes.Status409Conflict, title: "Not suspended", detail: "This member is not suspended now.");
    }

    public static async Task<Results<Ok<CommentModerationResult>, ValidationProblem, ProblemHttpResult>> ActOnCommentAsync(
        string id, string commentId, string action, ModerationRequest? request, ClaimsPrincipal user, IGrainFactory grains)
    {
        if (!Guid.TryParse(id, out var postId) || !Guid.TryParse(commentId, out var comment))
        {
            return CommentNotFound();
        }

        if (CommunityRules.CheckReason(request?.Reason, required: true, out var reason) is { } error)
        {
            return FieldErrors.Problem("reason", error);
        }

        var moderation = grains.GetGrain<ICommunityModerationGrain>(0);
        var category = action == ModerationActions.Restore ? null : await moderation.ReportReasonAsync(postId, comment);
        var post = grains.GetGrain<IPostGrain>(postId);
        if (await post.ModerateCommentAsync(comment, action) is not { } view)
        {
            return CommentNotFound();
        }

        var log = await moderation.RecordActionAsync(user.GetUserId(), action, postId, comment, reason);

        // Told only when the comment is now what the action says (a hide leaves a comment held for care as it is).
        var now = action switch { ModerationActions.Hide => PostStatuses.Hidden, ModerationActions.Remove => PostStatuses.Removed, _ => PostStatuses.Visible };
        if (view.Status == now)
        {
            await post.TellAuthorAsync(comment, new ModerationNotice(action, reason, category));
        }

        return TypedResults.Ok(new CommentModerationResult(view, log));
    }

    public static async Task<Results<Ok<PublicLogResponse>, ValidationProblem>> PublicLogAsync(string? limit, [FromServices] IGrainFactory grains)
    {
        var size = 100;
        if (!string.IsNullOrEmpty(limit) && (!int.TryParse(limit, NumberStyles.None, CultureInfo.InvariantCulture, out size) || size is < 1 or > 500))
        {
            return FieldErrors.Problem("limit", "Choose a number from 1 to 500.");
        }

        return TypedResults.Ok(new PublicLogResponse(await grains.GetGrain<ICommunityModerationGrain>(0).PublicLogAsync(size)));
    }

    /// <summary>
    /// After a new report: when enough different members have reported the same post or comment, it is
    /// hidden until a moderator looks (its reports stay open in the review queue) and the log says so.
    /// </summary>
    public static async Task AfterReportAsync(IGrainFactory grains, bool added, Guid postId, Guid? commentId)
    {
        var moderation = grains.GetGrain<ICommunityModerationGrain>(0);
        if (!added || !await moderation.ShouldAutoHideAsync(postId, commentId))
        {
            return;
        }

        var reason = "Hidden automatically after several members reported it, until a moderator looks.";
        if (commentId is { } comment)
        {
            if (await grains.GetGrain<IPostGrain>(postId).ModerateCommentAsync(comment, ModerationActions.Hide) is { Status: PostStatuses.Hidden })
            {
                await moderation.RecordActionAsync(Guid.Empty, ModerationActions.AutoHide, postId, comment, reason);
                await grains.GetGrain<IPostGrain>(postId).TellAuthorAsync(comment, new ModerationNotice(ModerationActions.AutoHide, null, await moderation.ReportReasonAsync(postId, comment)));
            }

            return;
        }

        var post = grains.GetGrain<IPostGrain>(postId);
        if (await post.GetForModeratorAsync() is not { Status: PostStatuses.Visible } || await post.ModerateAsync(ModerationActions.Hide) is not { } hidden)
        {
            return;
        }

        await moderation.SetHeldAsync(postId, hidden.Status, Grains.Interfaces.Safety.RiskLevel.None);
        await moderation.RecordActionAsync(Guid.Empty, ModerationActions.AutoHide, postId, null, reason);
        await post.TellAuthorAsync(null, new ModerationNotice(ModerationActions.AutoHide, null, await moderation.ReportReasonAsync(postId, null)));
    }

    /// <returns>(the member, null) when the actor may act on them; otherwise (null, the refusal).</returns>
    private static async Task<(Guid? Member, ProblemHttpResult? Refusal)> CheckTargetAsync(string id, ClaimsPrincipal user, IGrainFactory grains)
    {
        if (!Guid.TryParse(id, out var member) || await grains.GetGrain<IUserGrain>(member).GetProfileAsync() is not { } profile)
        {
            return (null, MemberNotFound());
        }

        if (member == user.GetUserId())
        {
            return (null, TypedResults.Problem(statusCode: StatusCodes.Status403Forbidden, title: "Not your own account", detail: "Moderators can't act on their own account; ask another moderator."));
        }

        // Moderators do not act on their peers or on admins: a dispute between moderators is an admin's to settle.
        if (!user.IsInRole(UserRoles.Admin) && profile.Roles.Any(r => r is UserRoles.Moderator or UserRoles.Admin))
        {
            return (null, TypedResults.Problem(statusCode: StatusCodes.Status403Forbidden, title: "An admin's decision", detail: "Only an admin can warn or suspend a moderator or an admin."));
        }

        return (member, null);
    }

    private static ProblemHttpResult MemberNotFound()
        => TypedResults.Problem(statusCode: StatusCodes.Status404NotFound, title: "Not found", detail: "There is no member with this id.");

    private static ProblemHttpResult CommentNotFound()
        => TypedResults.Problem(statusCode: StatusCodes.Status404NotFound, title: "Not found", detail: "There is no comment with this id on this post.");
}
