using System.Globalization;
using System.Security.Claims;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Mvc;
using Mindspace.Gateway.Auth;
using Mindspace.Gateway.Hosting;
using Mindspace.Gateway.Journal;
using Mindspace.Gateway.Safety;
using Mindspace.Grains.Interfaces;
using Mindspace.Grains.Interfaces.Community;
using Mindspace.Grains.Interfaces.Safety;
using Mindspace.Grains.Interfaces.Users;

namespace Mindspace.Gateway.Community;

/// <summary>
/// The community: <c>/api/v1/posts</c> (posts, feeds, comments, likes, bookmarks, reports) and
/// <c>/api/v1/me/bookmarks</c>. Each post is its own grain; feeds are served from feed grains' memory.
/// A post someone may not see (held, hidden, removed, or not there) is 404 for them; a post they can see
/// but did not write is 403 to edit or delete.
/// </summary>
public static class CommunityApi
{
    public static IEndpointRouteBuilder MapCommunityApi(this IEndpointRouteBuilder app)
    {
        var api = app.MapMemberGroup("/api/v1/posts", "Community");
        api.AddEndpointFilter(CommunityStandingFilter.InvokeAsync);

        api.MapPost("", CreateAsync)
            .WithSummary("Write a post")
            .WithDescription("Title (1–200), Markdown body (1–10,000; raw HTML is never rendered), up to 5 tags, optionally anonymous. Every post is read by the safety classifier first: one that sounds like you may be in danger is held (only you see it), the care team is told, and the response says why and where support is. Slurs and explicit terms are refused with 422 naming the field.")
            .ProducesProblem(StatusCodes.Status422UnprocessableEntity);
        api.MapGet("", FeedAsync)
            .WithSummary("A feed of posts")
            .WithDescription("`sort` new, hot (default; Reddit-style time-decayed likes) or top with `period` day, week, month or all; `tag` for one tag's feed; `limit` 1–100. Pass `nextCursor` back as `cursor`: pages stay stable while new posts arrive.");
        api.MapGet("/{id}", GetAsync).WithSummary("Read a post").ProducesProblem(StatusCodes.Status404NotFound);
        api.MapPatch("/{id}", EditAsync)
            .WithSummary("Edit your post")
            .WithDescription("Members left out keep their value. Read by the safety classifier again.")
            .ProducesProblem(StatusCodes.Status403Forbidden)
            .ProducesProblem(StatusCodes.Status404NotFound);
        api.MapDelete("/{id}", DeleteAsync).WithSummary("Delete your post").ProducesProblem(StatusCodes.Status403Forbidden).ProducesProblem(StatusCodes.Status404NotFound);
        api.MapGet("/{id}/comments", CommentsAsync).WithSummary("The comments of a post, in thread order").ProducesProblem(StatusCodes.Status404NotFound);
        api.MapPost("/{id}/comments", CommentAsync)
            .WithSummary("Reply to a post or a comment")
            .WithDescription($"Markdown of 1–5,000 characters; `parentId` to reply to a comment (replies nest at most {CommunityRules.MaxCommentDepth} deep). Read by the safety classifier like a post.")
            .ProducesProblem(StatusCodes.Status404NotFound);
        api.MapDelete("/{id}/comments/{commentId}", DeleteCommentAsync).WithSummary("Delete your comment").ProducesProblem(StatusCodes.Status404NotFound);
        api.MapPut("/{id}/like", (string id, ClaimsPrincipal user, IGrainFactory grains) => LikeAsync(id, true, user, grains)).WithSummary("Like a post (idempotent)")
            .WithDescription("403 when the post's author has blocked you (a like given before the block stays, and you can still take it back).").ProducesProblem(StatusCodes.Status403Forbidden);
        api.MapDelete("/{id}/like", (string id, ClaimsPrincipal user, IGrainFactory grains) => LikeAsync(id, false, user, grains)).WithSummary("Take back your like (idempotent)");
        api.MapPut("/{id}/bookmark", (string id, ClaimsPrincipal user, IGrainFactory grains) => BookmarkAsync(id, true, user, grains)).WithSummary("Bookmark a post (idempotent; only you see your bookmarks)");
        api.MapDelete("/{id}/bookmark", (string id, ClaimsPrincipal user, IGrainFactory grains) => BookmarkAsync(id, false, user, grains)).WithSummary("Remove a bookmark (idempotent)");
        api.MapPost("/{id}/reports", ReportAsync)
            .WithSummary("Report a post or one of its comments to the moderators")
            .WithDescription("`reason`: spam, harassment, hate, self-harm, misinformation or other; optional `commentId` and `note`. One report per person per post or comment.");

        app.MapGet("/api/v1/me/bookmarks", BookmarksAsync)
            .WithTags("Community")
            .WithSummary("Your bookmarks, most recently saved first")
            .RequireAuthorization(AuthPolicies.Member)
            .RequireRateLimiting(RateLimitPolicies.User);

        app.MapModerationApi();
        return app;
    }

    public static async Task<Results<Created<PostResponse>, ValidationProblem, ProblemHttpResult>> CreateAsync(
        CreatePostRequest? request, ClaimsPrincipal user, [FromServices] IGrainFactory grains, [FromServices] CrisisDirectory directory)
    {
        if (request is null)
        {
            return FieldErrors.Problem("body", "Send the post as a JSON object.");
        }

        var errors = new FieldErrors();
        errors.Add("title", CommunityRules.CheckTitle(request.Title, out var title));
        errors.Add("body", CommunityRules.CheckBody(request.Body, out var body));
        errors.Add("tags", CommunityRules.CheckTags(request.Tags, out var tags));
        if (errors.Any)
        {
            return errors.ToProblem();
        }

        if (Profanity(title, body, tags) is { } profane)
        {
            return profane;
        }

        var userId = user.GetUserId();
        var anonymous = request.Anonymous ?? false;
        var name = anonymous ? string.Empty : await DisplayNameAsync(grains, userId);
        var postId = Guid.CreateVersion7();
        var result = await grains.GetGrain<IPostGrain>(postId).CreateAsync(new NewPost(userId, name, title, body, tags, anonymous));
        if (result is not { Outcome: CommunityOutcome.Done, Post: { } post })
        {
            return FieldErrors.Problem(result.Field ?? "body", result.Error ?? "This post could not be saved.");
        }

        return TypedResults.Created($"/api/v1/posts/{post.Id}", await ResponseAsync(post, grains, userId, directory));
    }

    public static async Task<Results<Ok<FeedResponse>, ValidationProblem>> FeedAsync(
        [AsParameters] FeedRequest query, ClaimsPrincipal user, [FromServices] IGrainFactory grains, [FromKeyedServices(MindspaceClock.Key)] TimeProvider clock)
    {
        var errors = new FieldErrors();
        var sort = (query.Sort ?? FeedSorts.Hot).Trim().ToLowerInvariant();
        if (!FeedSorts.All.Contains(sort))
        {
            errors.Add("sort", "Use new, hot or top.");
        }

        var period = (query.Period ?? "all").Trim().ToLowerInvariant();
        if (!FeedSorts.Periods.Contains(period))
        {
            errors.Add("period", "Use day, week, month or all.");
        }

        string? tag = null;
        if (!string.IsNullOrEmpty(query.Tag))
        {
            errors.Add("tag", CommunityRules.CheckTag(query.Tag, out var normalized));
            tag = normalized;
        }

        var limit = CommunityRules.DefaultPageSize;
        if (!string.IsNullOrEmpty(query.Limit) && (!int.TryParse(query.Limit, NumberStyles.None, CultureInfo.InvariantCulture, out limit) || limit is < 1 or > CommunityRules.MaxPageSize))
        {
            errors.Add("limit", $"Choose a page size from 1 to {CommunityRules.MaxPageSize}.");
        }

        var following = false;
        if (!string.IsNullOrEmpty(query.Following) && !bool.TryParse(query.Following, out following))
        {
            errors.Add("following", "Use true or false.");
        }
        else if (following && tag is not null)
        {
            errors.Add("following", "Choose either following=true or a tag.");
        }

        var cursorTag = following ? FollowingFeed.CursorTag : tag;
        var asOf = clock.GetUtcNow();
        FeedPosition? after = null;
        if (!errors.Any && !string.IsNullOrEmpty(query.Cursor))
        {
            if (FeedCursor.TryDecode(query.Cursor, sort, period, cursorTag, out var cursorAsOf, out var position))
            {
                asOf = cursorAsOf;
                after = position;
            }
            else
            {
                errors.Add("cursor", "This cursor is not valid for this feed. Use the nextCursor of the previous page with the same sort, period and tag.");
            }
        }

        if (errors.Any)
        {
            return errors.ToProblem();
        }

        var userId = user.GetUserId();
        var blocked = await SocialApi.FilterOfAsync(grains, userId);
        var feedQuery = new FeedQuery(sort, period, asOf, after, limit, blocked.IsEmpty ? null : blocked);
        var page = following
            ? await FollowingFeed.QueryAsync(grains, userId, feedQuery)
            : await grains.GetGrain<IPostFeedGrain>(tag is null ? FeedKeys.Global : FeedKeys.OfTag(tag)).QueryAsync(feedQuery);
        return TypedResults.Ok(new FeedResponse(page.Items, page.Next is { } next ? FeedCursor.Encode(sort, period, cursorTag, asOf, next) : null));
    }

    public static async Task<Results<Ok<PostResponse>, ProblemHttpResult>> GetAsync(
        string id, ClaimsPrincipal user, [FromServices] IGrainFactory grains, [FromServices] CrisisDirectory directory)
    {
        var userId = user.GetUserId();
        return Guid.TryParse(id, out var postId) && await grains.GetGrain<IPostGrain>(postId).GetAsync(userId) is { } post
            && (post.IsMine || !(await SocialApi.FilterOfAsync(grains, userId)).Hides(post.Author, post.Id))
            ? TypedResults.Ok(await ResponseAsync(post, grains, userId, directory))
            : PostNotFound();
    }

    public static async Task<Results<Ok<PostResponse>, ValidationProblem, ProblemHttpResult>> EditAsync(
        string id, UpdatePostRequest? request, ClaimsPrincipal user, [FromServices] IGrainFactory grains, [FromServices] CrisisDirectory directory)
    {
        if (!Guid.TryParse(id, out var postId))
        {
            return PostNotFound();
        }

        if (request is null)
        {
            return FieldErrors.Problem("body", "Send the changes as a JSON object.");
        }

        var errors = new FieldErrors();
        string? title = null;
        string? body = null;
        IReadOnlyList<string>? tags = null;
        if (request.Title is not null)
        {
            errors.Add("title", CommunityRules.CheckTitle(request.Title, out var t));
            title = t;
        }

        if (request.Body is not null)
        {
            errors.Add("body", CommunityRules.CheckBody(request.Body, out var b));
            body = b;
        }

        if (request.Tags is not null)
        {
            errors.Add("tags", CommunityRules.CheckTags(request.Tags, out var normalized));
            tags = normalized;
        }

        if (errors.Any)
        {
            return errors.ToProblem();
        }

        if (Profanity(title ?? string.Empty, body ?? string.Empty, tags ?? []) is { } profane)
        {
            return profane;
        }

        var userId = user.GetUserId();
        var result = await grains.GetGrain<IPostGrain>(postId).EditAsync(userId, new PostPatch(title, body, tags));
        return result.Outcome switch
        {
            CommunityOutcome.Done => TypedResults.Ok(await ResponseAsync(result.Post!, grains, userId, directory)),
            CommunityOutcome.Forbidden => NotYours("post"),
            CommunityOutcome.Invalid => FieldErrors.Problem(result.Field ?? "body", result.Error ?? "This change could not be saved."),
            _ => PostNotFound(),
        };
    }

    public static async Task<Results<NoContent, ProblemHttpResult>> DeleteAsync(string id, ClaimsPrincipal user, [FromServices] IGrainFactory grains)
    {
        var outcome = Guid.TryParse(id, out var postId) ? await grains.GetGrain<IPostGrain>(postId).DeleteAsync(user.GetUserId()) : CommunityOutcome.NotFound;
        return outcome switch
        {
            CommunityOutcome.Done => TypedResults.NoContent(),
            CommunityOutcome.Forbidden => NotYours("post"),
            _ => PostNotFound(),
        };
    }

    public static async Task<Results<Ok<CommentListResponse>, ProblemHttpResult>> CommentsAsync(
        string id, ClaimsPrincipal user, [FromServices] IGrainFactory grains, [FromServices] CrisisDirectory directory)
    {
        var userId = user.GetUserId();
        if (!Guid.TryParse(id, out var postId) || await grains.GetGrain<IPostGrain>(postId).ListCommentsAsync(userId) is not { } comments)
        {
            return PostNotFound();
        }

        var blocked = await SocialApi.FilterOfAsync(grains, userId);
        if (!blocked.IsEmpty && await grains.GetGrain<IPostGrain>(postId).GetAsync(userId) is { IsMine: false } post && blocked.Hides(post.Author, post.Id))
        {
            return PostNotFound();
        }

        comments = SocialApi.WithoutBlocked(comments, blocked);
        var items = new List<CommentResponse>(comments.Count);
        foreach (var comment in comments)
        {
            items.Add(await CommentResponseAsync(comment, grains, userId, directory));
        }

        return TypedResults.Ok(new CommentListResponse(items));
    }

    public static async Task<Results<Created<CommentResponse>, ValidationProblem, ProblemHttpResult>> CommentAsync(
        string id, CreateCommentRequest? request, ClaimsPrincipal user, [FromServices] IGrainFactory grains, [FromServices] CrisisDirectory directory)
    {
        if (!Guid.TryParse(id, out var postId))
        {
            return PostNotFound();
        }

        if (request is null)
        {
            return FieldErrors.Problem("body", "Send the comment as a JSON object.");
        }

        var errors = new FieldErrors();
        errors.Add("body", CommunityRules.CheckCommentBody(request.Body, out var body));
        Guid? parentId = null;
        if (request.ParentId is not null)
        {
            if (Guid.TryParse(request.ParentId, out var parent))
            {
                parentId = parent;
            }
            else
            {
                errors.Add("parentId", "This is not a comment id.");
            }
        }

        if (errors.Any)
        {
            return errors.ToProblem();
        }

        if (!RiskLevels.NeedsCrisisCare(SafetyClassifier.Assess(body).Level) && ProfanityScreen.Contains(body))
        {
            return ProfanityProblem("body");
        }

        var userId = user.GetUserId();
        var result = await grains.GetGrain<IPostGrain>(postId).AddCommentAsync(new NewComment(userId, await DisplayNameAsync(grains, userId), body, parentId));
        return result.Outcome switch
        {
            CommunityOutcome.Done => TypedResults.Created($"/api/v1/posts/{postId}/comments/{result.Comment!.Id}", await CommentResponseAsync(result.Comment, grains, userId, directory)),
            CommunityOutcome.Invalid when result.Field == "postId" => TypedResults.Problem(statusCode: StatusCodes.Status409Conflict, title: "Not open for replies", detail: result.Error),
            CommunityOutcome.Forbidden => CannotReply(result.Field),
            CommunityOutcome.Invalid => FieldErrors.Problem(result.Field ?? "body", result.Error ?? "This comment could not be saved."),
            _ => PostNotFound(),
        };
    }

    public static async Task<Results<NoContent, ProblemHttpResult>> DeleteCommentAsync(string id, string commentId, ClaimsPrincipal user, [FromServices] IGrainFactory grains)
    {
        var outcome = Guid.TryParse(id, out var postId) && Guid.TryParse(commentId, out var comment)
            ? await grains.GetGrain<IPostGrain>(postId).DeleteCommentAsync(user.GetUserId(), comment)
            : CommunityOutcome.NotFound;
        return outcome switch
        {
            CommunityOutcome.Done => TypedResults.NoContent(),
            CommunityOutcome.Forbidden => NotYours("comment"),
            _ => TypedResults.Problem(statusCode: StatusCodes.Status404NotFound, title: "Not found", detail: "There is no comment with this id on this post."),
        };
    }

    public static async Task<Results<Ok<LikeResponse>, ProblemHttpResult>> LikeAsync(string id, bool like, ClaimsPrincipal user, IGrainFactory grains)
    {
        var result = Guid.TryParse(id, out var postId) ? await grains.GetGrain<IPostGrain>(postId).SetLikeAsync(user.GetUserId(), like) : new LikeResult(CommunityOutcome.NotFound);
        return result switch
        {
            { Outcome: CommunityOutcome.Done, State: { } state } => TypedResults.Ok(new LikeResponse(state.Liked, state.Likes)),
            { Outcome: CommunityOutcome.Forbidden } => CannotLike(),
            _ => PostNotFound(),
        };
    }

    public static async Task<Results<Ok<BookmarkResponse>, ProblemHttpResult>> BookmarkAsync(string id, bool bookmark, ClaimsPrincipal user, IGrainFactory grains)
    {
        var userId = user.GetUserId();
        if (!Guid.TryParse(id, out var postId))
        {
            return PostNotFound();
        }

        var member = grains.GetGrain<ICommunityMemberGrain>(userId);

        // Removing a bookmark works whatever became of the post; adding one needs a post you can see.
        if (bookmark && await grains.GetGrain<IPostGrain>(postId).GetAsync(userId) is null)
        {
            return PostNotFound();
        }

        var now = await member.SetBookmarkAsync(postId, bookmark);
        return bookmark && !now
            ? TypedResults.Problem(statusCode: StatusCodes.Status422UnprocessableEntity, title: "Too many bookmarks", detail: $"You can keep up to {CommunityRules.MaxBookmarks:N0} bookmarks; remove some to save more.")
            : TypedResults.Ok(new BookmarkResponse(now));
    }

    public static async Task<Results<Ok<BookmarkListResponse>, ValidationProblem>> BookmarksAsync(
        string? cursor, string? limit, ClaimsPrincipal user, [FromServices] IGrainFactory grains)
    {
        var errors = new FieldErrors();
        var size = CommunityRules.DefaultPageSize;
        if (!string.IsNullOrEmpty(limit) && (!int.TryParse(limit, NumberStyles.None, CultureInfo.InvariantCulture, out size) || size is < 1 or > CommunityRules.MaxPageSize))
        {
            errors.Add("limit", $"Choose a page size from 1 to {CommunityRules.MaxPageSize}.");
        }

        DateTimeOffset? before = null;
        Guid? beforePost = null;
        if (!string.IsNullOrEmpty(cursor))
        {
            if (BookmarkCursor.TryDecode(cursor, out var at, out var post))
            {
                (before, beforePost) = (at, post);
            }
            else
            {
                errors.Add("cursor", "This cursor is not valid. Use the nextCursor of the previous page.");
            }
        }

        if (errors.Any)
        {
            return errors.ToProblem();
        }

        var page = await grains.GetGrain<ICommunityMemberGrain>(user.GetUserId()).ListBookmarksAsync(before, beforePost, size + 1);
        var shown = page.Take(size).ToList();
        var posts = await Task.WhenAll(shown.Select(b => grains.GetGrain<IPostGrain>(b.PostId).GetSummaryAsync()));
        var blocked = await SocialApi.FilterOfAsync(grains, user.GetUserId());
        var items = shown.Select((b, i) => new BookmarkItem(b.PostId, b.At, posts[i] is { } p && blocked.Hides(p.Author, p.PostId) ? null : posts[i])).ToList();
        return TypedResults.Ok(new BookmarkListResponse(items, page.Count > size ? BookmarkCursor.Encode(shown[^1]) : null));
    }

    public static async Task<Results<Accepted<ReportResponse>, ValidationProblem, ProblemHttpResult>> ReportAsync(
        string id, CreateReportRequest? request, ClaimsPrincipal user, [FromServices] IGrainFactory grains)
    {
        var userId = user.GetUserId();
        if (!Guid.TryParse(id, out var postId) || await grains.GetGrain<IPostGrain>(postId).GetAsync(userId) is null)
        {
            return PostNotFound();
        }

        if (request is null)
        {
            return FieldErrors.Problem("reason", "Send the report as a JSON object with a reason.");
        }

        var errors = new FieldErrors();
        var reason = request.Reason?.Trim().ToLowerInvariant();
        if (reason is null || !ReportReasons.All.Contains(reason))
        {
            errors.Add("reason", $"Choose one of: {string.Join(", ", ReportReasons.All)}.");
        }

        errors.Add("note", CommunityRules.CheckReason(request.Note, required: false, out var note));
        Guid? commentId = null;
        if (request.CommentId is not null)
        {
            if (Guid.TryParse(request.CommentId, out var comment) && await grains.GetGrain<IPostGrain>(postId).HasCommentAsync(comment))
            {
                commentId = comment;
            }
            else
            {
                errors.Add("commentId", "There is no comment with this id on this post.");
            }
        }

        if (errors.Any)
        {
            return errors.ToProblem();
        }

        var added = await grains.GetGrain<ICommunityModerationGrain>(0).ReportAsync(new NewReport(postId, commentId, userId, reason!, note));
        await MemberModerationApi.AfterReportAsync(grains, added, postId, commentId);
        return TypedResults.Accepted(
            (string?)null,
            new ReportResponse(true, added ? "Thank you for telling us. A moderator will look at it." : "You've already reported this; a moderator will look at it."));
    }

    internal static async Task<string> DisplayNameAsync(IGrainFactory grains, Guid userId)
        => (await grains.GetGrain<IUserGrain>(userId).GetProfileAsync())?.DisplayName is { Length: > 0 } name ? name : "Member";

    internal static ProblemHttpResult PostNotFound()
        => TypedResults.Problem(statusCode: StatusCodes.Status404NotFound, title: "Not found", detail: "There is no post with this id.");

    /// <summary>The author (of the post, or of the comment replied to) has blocked the replier; who blocked whom is not spelled out.</summary>
    private static ProblemHttpResult CannotReply(string? field)
        => TypedResults.Problem(
            statusCode: StatusCodes.Status403Forbidden,
            title: "You can't reply here",
            detail: field == "parentId"
                ? "The person who wrote this comment isn't taking replies from you. You can still reply to the post."
                : "The person who wrote this post isn't taking comments from you.");

    /// <summary>The post's author has blocked the liker; as with replies, who blocked whom is not spelled out.</summary>
    private static ProblemHttpResult CannotLike()
        => TypedResults.Problem(statusCode: StatusCodes.Status403Forbidden, title: "You can't like this", detail: "The person who wrote this post isn't taking likes from you.");

    private static ProblemHttpResult NotYours(string what)
        => TypedResults.Problem(statusCode: StatusCodes.Status403Forbidden, title: "Not yours", detail: $"Only the person who wrote this {what} can change it.");

    private static ProblemHttpResult? Profanity(string title, string body, IReadOnlyList<string> tags)
    {
        // Care comes before the screen: someone in crisis is held and cared for, never refused over a word.
        if (RiskLevels.NeedsCrisisCare(SafetyClassifier.Assess(title + "\n" + body).Level))
        {
            return null;
        }

        return ProfanityScreen.Contains(title) ? ProfanityProblem("title")
            : ProfanityScreen.Contains(body) ? ProfanityProblem("body")
            : tags.Any(ProfanityScreen.Contains) ? ProfanityProblem("tags")
            : null;
    }

    /// <summary>422 with the field named: the request is well formed, but one word in it is not allowed here.</summary>
    private static ProblemHttpResult ProfanityProblem(string field)
        => TypedResults.Problem(
            statusCode: StatusCodes.Status422UnprocessableEntity,
            title: "Please rephrase",
            detail: "Part of this uses a word we don't allow in the community (slurs and explicit terms). Everything else can stay.",
            extensions: new Dictionary<string, object?>
            {
                ["errors"] = new Dictionary<string, string[]> { [field] = ["This includes a word we don't allow in the community. Please rephrase it."] },
            });

    private static async Task<PostResponse> ResponseAsync(PostView post, IGrainFactory grains, Guid viewer, CrisisDirectory directory)
    {
        var bookmarked = await grains.GetGrain<ICommunityMemberGrain>(viewer).IsBookmarkedAsync(post.Id);
        var care = post.IsMine && post.Status == PostStatuses.Held ? await CareAsync(post.HeldLevel, grains, viewer, directory) : null;
        return new PostResponse(
            post.Id, post.Author, post.Title, post.Body, post.Body is null ? null : JournalMarkdown.ToSafeHtml(post.Body), post.Tags, post.CreatedAt, post.EditedAt,
            post.Status, post.Likes, post.Comments, post.LikedByMe, bookmarked, post.IsMine, care);
    }

    private static async Task<CommentResponse> CommentResponseAsync(CommentView comment, IGrainFactory grains, Guid viewer, CrisisDirectory directory)
    {
        var care = comment.IsMine && comment.Status == PostStatuses.Held ? await CareAsync(comment.HeldLevel, grains, viewer, directory) : null;
        return new CommentResponse(
            comment.Id, comment.PostId, comment.ParentId, comment.Depth, comment.Author, comment.Body,
            comment.Body is null ? null : JournalMarkdown.ToSafeHtml(comment.Body), comment.CreatedAt, comment.Status, comment.IsMine, care);
    }

    private static async Task<CareResponse> CareAsync(RiskLevel? level, IGrainFactory grains, Guid userId, CrisisDirectory directory)
        => new(CareLevels.Name(level), CommunityCare.HeldReason, CommunityCare.HeldBody, directory.For(await SafetyApi.CountryOfAsync(grains, userId)));
}
