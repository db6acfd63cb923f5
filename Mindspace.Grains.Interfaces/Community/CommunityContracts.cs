using Mindspace.Grains.Interfaces.Safety;

namespace Mindspace.Grains.Interfaces.Community;

/// <summary>Who wrote a post or comment, as readers see it.</summary>
/// <param name="UserId">The author's id; null when the post is anonymous (or the author's account is gone).</param>
/// <param name="Name">Their display name, or the post's pseudonym when <paramref name="Anonymous"/>.</param>
[GenerateSerializer, Immutable, Alias("ms.community.PostAuthor")]
public sealed record PostAuthor(Guid? UserId, string Name, bool Anonymous);

/// <summary>What a new post holds; the grain checks it again with <see cref="CommunityRules"/>.</summary>
/// <param name="AuthorName">The author's display name now (shown unless <paramref name="Anonymous"/>).</param>
[GenerateSerializer, Immutable, Alias("ms.community.NewPost")]
public sealed record NewPost(Guid AuthorId, string AuthorName, string Title, string Body, IReadOnlyList<string> Tags, bool Anonymous);

/// <summary>Changes to a post: a null member keeps its value.</summary>
[GenerateSerializer, Immutable, Alias("ms.community.PostPatch")]
public sealed record PostPatch(string? Title = null, string? Body = null, IReadOnlyList<string>? Tags = null);

/// <summary>A post as one viewer sees it.</summary>
/// <param name="Body">Markdown as written (the gateway renders it safely); null for a deleted post's tombstone.</param>
/// <param name="Status">One of <see cref="PostStatuses"/>.</param>
/// <param name="IsMine">The viewer wrote it (true for an anonymous author too; others never see who).</param>
/// <param name="HeldLevel">For a held post, shown to its author only: the level that held it.</param>
[GenerateSerializer, Immutable, Alias("ms.community.PostView")]
public sealed record PostView(
    Guid Id,
    PostAuthor Author,
    string Title,
    string? Body,
    IReadOnlyList<string> Tags,
    DateTimeOffset CreatedAt,
    DateTimeOffset? EditedAt,
    string Status,
    int Likes,
    int Comments,
    bool LikedByMe,
    bool IsMine,
    RiskLevel? HeldLevel = null);

/// <summary>Whether an action on a post or comment could be done, and if not, why.</summary>
[GenerateSerializer, Alias("ms.community.CommunityOutcome")]
public enum CommunityOutcome
{
    Done = 0,

    /// <summary>No such post or comment for this person (including one they may not see).</summary>
    NotFound = 1,

    /// <summary>They can see it but it is not theirs to change.</summary>
    Forbidden = 2,

    /// <summary>The request breaks a rule (see the error's field and message).</summary>
    Invalid = 3,
}

/// <summary>The result of creating or editing a post.</summary>
/// <param name="Safety">How the safety classifier graded the text: high or imminent means the post is held.</param>
/// <param name="Field">With <see cref="CommunityOutcome.Invalid"/>: the field at fault.</param>
/// <param name="Error">With <see cref="CommunityOutcome.Invalid"/>: a message safe to show.</param>
[GenerateSerializer, Immutable, Alias("ms.community.PostResult")]
public sealed record PostResult(CommunityOutcome Outcome, PostView? Post = null, SafetyAssessment? Safety = null, string? Field = null, string? Error = null);

/// <summary>A new comment.</summary>
/// <param name="ParentId">The comment it replies to, or null for a reply to the post.</param>
[GenerateSerializer, Immutable, Alias("ms.community.NewComment")]
public sealed record NewComment(Guid AuthorId, string AuthorName, string Body, Guid? ParentId);

/// <summary>A comment as one viewer sees it.</summary>
/// <param name="Depth">0 for a reply to the post; a reply to a comment is one deeper.</param>
/// <param name="Body">Markdown as written; null once deleted (the place in the thread stays).</param>
[GenerateSerializer, Immutable, Alias("ms.community.CommentView")]
public sealed record CommentView(
    Guid Id,
    Guid PostId,
    Guid? ParentId,
    int Depth,
    PostAuthor Author,
    string? Body,
    DateTimeOffset CreatedAt,
    string Status,
    bool IsMine,
    RiskLevel? HeldLevel = null);

[GenerateSerializer, Immutable, Alias("ms.community.CommentResult")]
public sealed record CommentResult(CommunityOutcome Outcome, CommentView? Comment = null, SafetyAssessment? Safety = null, string? Field = null, string? Error = null);

/// <summary>A post's like count and whether this viewer likes it.</summary>
[GenerateSerializer, Immutable, Alias("ms.community.LikeState")]
public sealed record LikeState(bool Liked, int Likes);

/// <summary>What <see cref="IPostGrain.SetLikeAsync"/> did.</summary>
/// <param name="Outcome">Done (with <paramref name="State"/>); NotFound when the user may not see the post; Forbidden when its author blocked them.</param>
[GenerateSerializer, Immutable, Alias("ms.community.LikeResult")]
public sealed record LikeResult(CommunityOutcome Outcome, LikeState? State = null);

/// <summary>One post in a feed: everything a feed shows, kept in the feed grain's memory.</summary>
[GenerateSerializer, Immutable, Alias("ms.community.FeedItem")]
public sealed record FeedItem(
    Guid PostId, PostAuthor Author, string Title, string Excerpt, IReadOnlyList<string> Tags, DateTimeOffset CreatedAt, int Likes, int Comments);

/// <summary>A place in a feed's order: the sort key of the last item seen and its id (ties broken by id).</summary>
/// <param name="Key">Creation time in Unix milliseconds (new), hot score (hot) or likes (top).</param>
[GenerateSerializer, Immutable, Alias("ms.community.FeedPosition")]
public sealed record FeedPosition(double Key, Guid PostId);

/// <param name="Sort">One of <see cref="FeedSorts.All"/>.</param>
/// <param name="Period">For top: day, week, month or all.</param>
/// <param name="AsOf">Only posts created at or before this instant: the moment of the first page, carried in the cursor, so posts that arrive later never shift the pages.</param>
/// <param name="After">Continue after this place, or null for the first page.</param>
/// <param name="Hidden">The reader's blocks: their posts are skipped (the page is still filled).</param>
[GenerateSerializer, Immutable, Alias("ms.community.FeedQuery")]
public sealed record FeedQuery(string Sort, string Period, DateTimeOffset AsOf, FeedPosition? After, int Limit, BlockFilter? Hidden = null);

/// <param name="Next">Where the next page starts, or null at the end.</param>
[GenerateSerializer, Immutable, Alias("ms.community.FeedPage")]
public sealed record FeedPage(IReadOnlyList<FeedItem> Items, FeedPosition? Next);

/// <summary>A bookmark: which post, and when it was saved.</summary>
[GenerateSerializer, Immutable, Alias("ms.community.Bookmark")]
public sealed record Bookmark(Guid PostId, DateTimeOffset At);

/// <summary>A comment of this person's: on which post.</summary>
[GenerateSerializer, Immutable, Alias("ms.community.CommentRef")]
public sealed record CommentRef(Guid PostId, Guid CommentId);

/// <summary>Everything a member grain remembers about what a person did in the community (sealed links opened).</summary>
[GenerateSerializer, Immutable, Alias("ms.community.MemberActivity")]
public sealed record MemberActivity(
    IReadOnlyList<Guid> Posts, IReadOnlyList<Guid> AnonymousPosts, IReadOnlyList<CommentRef> Comments, IReadOnlyList<Guid> Likes, IReadOnlyList<Bookmark> Bookmarks);

/// <summary>A report of a post (or one of its comments) by a member.</summary>
[GenerateSerializer, Immutable, Alias("ms.community.NewReport")]
public sealed record NewReport(Guid PostId, Guid? CommentId, Guid ReporterId, string Reason, string? Note);

public static class ReportStatuses
{
    public const string Open = "open";
    public const string Resolved = "resolved";
}

/// <summary>A report in the review queue.</summary>
[GenerateSerializer, Immutable, Alias("ms.community.Report")]
public sealed record Report(
    Guid Id, Guid PostId, Guid? CommentId, Guid ReporterId, string Reason, string? Note, DateTimeOffset CreatedAt, string Status, Guid? ResolvedBy, DateTimeOffset? ResolvedAt, string? Resolution);

/// <summary>Moderator actions, as the moderation log names them.</summary>
public static class ModerationActions
{
    public const string Hide = "hide";
    public const string Remove = "remove";
    public const string Restore = "restore";
    public const string Reveal = "reveal";
    public const string Dismiss = "dismiss";
    public const string Hold = "hold";

    /// <summary>Hidden by the system after enough members reported it; its reports stay open for a moderator.</summary>
    public const string AutoHide = "auto-hide";

    public const string Warn = "warn";
    public const string Suspend = "suspend";
    public const string Lift = "lift";

    /// <summary>An author asked a moderator to look again (logged by the system: the log never names who appealed).</summary>
    public const string Appeal = "appeal";

    /// <summary>A moderator read an appeal and kept the decision.</summary>
    public const string AppealUpheld = "appeal-upheld";

    /// <summary>A moderator read an appeal and restored the content (a <see cref="Restore"/> line follows).</summary>
    public const string AppealRestored = "appeal-restored";

    /// <summary>What a moderator can do to a post's visibility.</summary>
    public static IReadOnlyList<string> OnPosts { get; } = [Hide, Remove, Restore];

    /// <summary>What a moderator can do to a comment's visibility.</summary>
    public static IReadOnlyList<string> OnComments { get; } = [Hide, Remove, Restore];

    /// <summary>What the public mod log shows: actions on what everyone could read, and suspensions (never who, never reveals or warnings).</summary>
    public static IReadOnlySet<string> Public { get; } = new HashSet<string>(StringComparer.Ordinal) { Hide, Remove, Restore, AutoHide, Suspend, Lift };
}

/// <summary>One line of the moderation log.</summary>
/// <param name="ActorId">The moderator (the system's empty id for automatic holds and hides).</param>
/// <param name="PostId">The post acted on (or whose comment was); null for an action on a member.</param>
/// <param name="MemberId">The member warned, suspended or lifted; null for an action on a post or comment.</param>
/// <param name="Until">For a suspension: when it ends.</param>
[GenerateSerializer, Immutable, Alias("ms.community.ModerationLogEntry")]
public sealed record ModerationLogEntry(
    Guid Id, Guid ActorId, string Action, Guid? PostId, Guid? CommentId, string? Reason, DateTimeOffset At, Guid? MemberId = null, DateTimeOffset? Until = null);

/// <summary>A line of the public mod log: what was done and why, never who did it or to whom.</summary>
/// <param name="Target">post, comment or member.</param>
/// <param name="PostId">For a post or comment: the post (so people can see which conversation it was).</param>
[GenerateSerializer, Immutable, Alias("ms.community.PublicLogEntry")]
public sealed record PublicLogEntry(Guid Id, string Action, string Target, Guid? PostId, string? Reason, DateTimeOffset At, DateTimeOffset? Until);

/// <summary>A post waiting for a person: held by the classifier or hidden by a moderator.</summary>
[GenerateSerializer, Immutable, Alias("ms.community.HeldPost")]
public sealed record HeldPost(Guid PostId, string Status, RiskLevel Level, DateTimeOffset At);

/// <summary>The result of blocking "the author of this post".</summary>
[GenerateSerializer, Immutable, Alias("ms.community.BlockResult")]
public sealed record BlockResult(CommunityOutcome Outcome, BlockView? Block = null);
