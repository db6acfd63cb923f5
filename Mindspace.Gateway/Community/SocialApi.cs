using System.Security.Claims;
using Microsoft.AspNetCore.Http.Connections;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Mvc;
using Mindspace.Gateway.Auth;
using Mindspace.Gateway.Hosting;
using Mindspace.Grains.Interfaces.Community;
using Mindspace.Grains.Interfaces.Users;

namespace Mindspace.Gateway.Community;

/// <summary>
/// Following tags and people (<c>/api/v1/me/following</c>), blocking people (<c>/api/v1/me/blocks</c>,
/// <c>/api/v1/posts/{id}/author-block</c>) and the live hub <c>/hubs/community</c>. Follows and blocks
/// are private: only their owner ever reads them.
/// </summary>
public static class SocialApi
{
    /// <summary>SignalR and this gateway's relay of live community events (one grain observer for the process).</summary>
    public static IServiceCollection AddMindspaceCommunityLive(this IServiceCollection services)
    {
        services.AddSignalR();
        services.AddObserverRelay<CommunityLiveRelay>();
        return services;
    }

    public static IEndpointRouteBuilder MapSocialApi(this IEndpointRouteBuilder app)
    {
        var following = app.MapMemberGroup("/api/v1/me/following", "Community");
        following.MapGet("", FollowingAsync).WithSummary("The tags and people you follow (only you see this)");
        following.MapPut("/tags/{tag}", (string tag, ClaimsPrincipal user, IGrainFactory grains) => FollowTagAsync(tag, true, user, grains))
            .WithSummary("Follow a tag (idempotent)")
            .WithDescription($"Its posts appear in `GET /api/v1/posts?following=true`. Up to {SocialRules.MaxFollowedTags} tags.");
        following.MapDelete("/tags/{tag}", (string tag, ClaimsPrincipal user, IGrainFactory grains) => FollowTagAsync(tag, false, user, grains))
            .WithSummary("Stop following a tag (idempotent)");
        following.MapPut("/people/{userId}", (string userId, ClaimsPrincipal user, IGrainFactory grains) => FollowPersonAsync(userId, true, user, grains))
            .WithSummary("Follow a person (idempotent)")
            .WithDescription($"Their posts under their own name appear in `GET /api/v1/posts?following=true` (never their anonymous ones). Up to {SocialRules.MaxFollowedPeople} people.")
            .ProducesProblem(StatusCodes.Status404NotFound);
        following.MapDelete("/people/{userId}", (string userId, ClaimsPrincipal user, IGrainFactory grains) => FollowPersonAsync(userId, false, user, grains))
            .WithSummary("Stop following a person (idempotent)");

        var blocks = app.MapMemberGroup("/api/v1/me/blocks", "Community");
        blocks.MapGet("", BlocksAsync).WithSummary("The people you blocked (only you see this)");
        blocks.MapPut("/{userId}", BlockPersonAsync)
            .WithSummary("Block a person")
            .WithDescription("Their posts and comments disappear for you, and they can no longer comment on your posts or reply to your comments. They are not told. To block the author of an anonymous post, use `PUT /api/v1/posts/{id}/author-block`.")
            .ProducesProblem(StatusCodes.Status404NotFound);
        blocks.MapDelete("/{id}", UnblockAsync)
            .WithSummary("Unblock (idempotent)")
            .WithDescription("`id` is a block's `id`: the person's id, or for an anonymous author the post's id.");

        var posts = app.MapMemberGroup("/api/v1/posts", "Community");
        posts.MapPut("/{id}/author-block", (string id, ClaimsPrincipal user, IGrainFactory grains) => BlockAuthorAsync(id, true, user, grains))
            .WithSummary("Block the author of this post")
            .WithDescription("Works for anonymous posts without telling you who wrote them: that post and its author's replies under its pseudonym disappear for you, and its author can no longer reply to you anywhere.")
            .ProducesProblem(StatusCodes.Status404NotFound);
        posts.MapDelete("/{id}/author-block", (string id, ClaimsPrincipal user, IGrainFactory grains) => BlockAuthorAsync(id, false, user, grains))
            .WithSummary("Unblock the author of this post (idempotent)");

        app.MapHub<CommunityHub>(CommunityHub.Path, options =>
        {
            options.CloseOnAuthenticationExpiration = true;
            options.Transports = HttpTransportType.WebSockets | HttpTransportType.ServerSentEvents | HttpTransportType.LongPolling;
        });
        return app;
    }

    public static async Task<Ok<Following>> FollowingAsync(ClaimsPrincipal user, [FromServices] IGrainFactory grains)
        => TypedResults.Ok(await grains.GetGrain<ICommunitySocialGrain>(user.GetUserId()).GetFollowingAsync());

    public static async Task<Results<Ok<FollowResponse>, ValidationProblem, ProblemHttpResult>> FollowTagAsync(string tag, bool follow, ClaimsPrincipal user, IGrainFactory grains)
    {
        if (CommunityRules.CheckTag(tag, out var normalized) is { } error)
        {
            return FieldErrors.Problem("tag", error);
        }

        var now = await grains.GetGrain<ICommunitySocialGrain>(user.GetUserId()).SetFollowTagAsync(normalized, follow);
        return follow && !now
            ? TooMany($"You can follow up to {SocialRules.MaxFollowedTags} tags; stop following some to add more.")
            : TypedResults.Ok(new FollowResponse(now));
    }

    public static async Task<Results<Ok<FollowResponse>, ValidationProblem, ProblemHttpResult>> FollowPersonAsync(string userId, bool follow, ClaimsPrincipal user, IGrainFactory grains)
    {
        var me = user.GetUserId();
        if (!Guid.TryParse(userId, out var other))
        {
            return PersonNotFound();
        }

        if (other == me)
        {
            return FieldErrors.Problem("userId", "You can't follow yourself.");
        }

        var social = grains.GetGrain<ICommunitySocialGrain>(me);
        if (!follow)
        {
            return TypedResults.Ok(new FollowResponse(await social.SetFollowPersonAsync(other, string.Empty, false)));
        }

        if (await grains.GetGrain<IUserGrain>(other).GetProfileAsync() is not { } profile)
        {
            return PersonNotFound();
        }

        var now = await social.SetFollowPersonAsync(other, profile.DisplayName is { Length: > 0 } name ? name : "Member", true);
        return now ? TypedResults.Ok(new FollowResponse(true)) : TooMany($"You can follow up to {SocialRules.MaxFollowedPeople} people; stop following some to add more.");
    }

    public static async Task<Ok<BlockListResponse>> BlocksAsync(ClaimsPrincipal user, [FromServices] IGrainFactory grains)
        => TypedResults.Ok(new BlockListResponse(await grains.GetGrain<ICommunitySocialGrain>(user.GetUserId()).ListBlocksAsync()));

    public static async Task<Results<Ok<BlockView>, ValidationProblem, ProblemHttpResult>> BlockPersonAsync(string userId, ClaimsPrincipal user, [FromServices] IGrainFactory grains)
    {
        var me = user.GetUserId();
        if (!Guid.TryParse(userId, out var other) || await grains.GetGrain<IUserGrain>(other).GetProfileAsync() is not { } profile)
        {
            return PersonNotFound();
        }

        if (other == me)
        {
            return FieldErrors.Problem("userId", "You can't block yourself.");
        }

        var name = profile.DisplayName is { Length: > 0 } n ? n : "Member";
        return await grains.GetGrain<ICommunitySocialGrain>(me).SetBlockAsync(new BlockTarget(other, name, null), true) is { } block
            ? TypedResults.Ok(block)
            : TooMany($"You can block up to {SocialRules.MaxBlocks:N0} people.");
    }

    public static async Task<NoContent> UnblockAsync(string id, ClaimsPrincipal user, [FromServices] IGrainFactory grains)
    {
        if (Guid.TryParse(id, out var blockId))
        {
            await grains.GetGrain<ICommunitySocialGrain>(user.GetUserId()).UnblockAsync(blockId);
        }

        return TypedResults.NoContent();
    }

    public static async Task<Results<Ok<BlockView>, NoContent, ValidationProblem, ProblemHttpResult>> BlockAuthorAsync(string id, bool block, ClaimsPrincipal user, IGrainFactory grains)
    {
        if (!Guid.TryParse(id, out var postId))
        {
            return CommunityApi.PostNotFound();
        }

        var result = await grains.GetGrain<IPostGrain>(postId).BlockAuthorAsync(user.GetUserId(), block);
        return result.Outcome switch
        {
            CommunityOutcome.Done when !block => TypedResults.NoContent(),
            CommunityOutcome.Done when result.Block is { } view => TypedResults.Ok(view),
            CommunityOutcome.Done => TooMany($"You can block up to {SocialRules.MaxBlocks:N0} people."),
            CommunityOutcome.Invalid => FieldErrors.Problem("id", "This post has no author you can block (it may be your own)."),
            _ => CommunityApi.PostNotFound(),
        };
    }

    /// <summary>The viewer's blocks (none when reading them fails is never assumed: failures surface as errors).</summary>
    internal static Task<BlockFilter> FilterOfAsync(IGrainFactory grains, Guid viewer) => grains.GetGrain<ICommunitySocialGrain>(viewer).GetBlockFilterAsync();

    /// <summary>
    /// Comments as the viewer may see them: a blocked person's comment goes; one that still has replies
    /// the viewer can read keeps its place as a placeholder (no author, no text), like a hidden one.
    /// </summary>
    internal static IReadOnlyList<CommentView> WithoutBlocked(IReadOnlyList<CommentView> comments, BlockFilter filter)
    {
        if (filter.IsEmpty)
        {
            return comments;
        }

        // Thread order puts every reply after its parent, so walking backwards sees replies first.
        var keep = new bool[comments.Count];
        var keptBelow = new HashSet<Guid>();
        for (var i = comments.Count - 1; i >= 0; i--)
        {
            var c = comments[i];
            keep[i] = !Hidden(c) || keptBelow.Contains(c.Id);
            if (keep[i] && c.ParentId is { } parent)
            {
                keptBelow.Add(parent);
            }
        }

        var shown = new List<CommentView>(comments.Count);
        for (var i = 0; i < comments.Count; i++)
        {
            if (keep[i])
            {
                shown.Add(Hidden(comments[i])
                    ? comments[i] with { Author = new PostAuthor(null, "—", false), Body = null, Status = PostStatuses.Hidden, IsMine = false, HeldLevel = null }
                    : comments[i]);
            }
        }

        return shown;

        bool Hidden(CommentView c) => !c.IsMine && c.Body is not null && filter.Hides(c.Author, c.PostId);
    }

    private static ProblemHttpResult PersonNotFound()
        => TypedResults.Problem(statusCode: StatusCodes.Status404NotFound, title: "Not found", detail: "There is no member with this id.");

    private static ProblemHttpResult TooMany(string detail)
        => TypedResults.Problem(statusCode: StatusCodes.Status422UnprocessableEntity, title: "Limit reached", detail: detail);
}

public sealed record FollowResponse(bool Following);

public sealed record BlockListResponse(IReadOnlyList<BlockView> Items);
