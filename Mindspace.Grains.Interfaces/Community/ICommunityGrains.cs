using Mindspace.Grains.Interfaces.Safety;
using Orleans.Concurrency;

namespace Mindspace.Grains.Interfaces.Community;

/// <summary>
/// One community post, keyed by its id (a version 7 <see cref="Guid"/>): its text, its comments,
/// its likes and its moderation state. Every text goes through <see cref="SafetyClassifier"/>: a high or
/// imminent one is held (only its author sees it), the care team is told and the author gets a caring
/// message. The post pushes its summary to the global feed and its tags' feeds whenever it changes.
/// </summary>
/// <remarks>
/// The viewer's id is passed in by the gateway (from the access token). A post a viewer may not see
/// is simply not found for them. An anonymous post stores its author sealed by the master key.
/// </remarks>
[Alias("ms.community.IPostGrain")]
public interface IPostGrain : IGrainWithGuidKey
{
    /// <summary>Creates the post (once; a second call for the same id is refused as invalid).</summary>
    [Alias("create")]
    Task<PostResult> CreateAsync(NewPost post);

    /// <returns>The post as <paramref name="viewer"/> sees it, or null when they may not see it.</returns>
    [Alias("get")]
    Task<PostView?> GetAsync(Guid viewer);

    /// <summary>Edits the post; only its author can (others get <see cref="CommunityOutcome.Forbidden"/> when they can see it).</summary>
    [Alias("edit")]
    Task<PostResult> EditAsync(Guid user, PostPatch patch);

    /// <summary>Deletes the post; only its author can.</summary>
    [Alias("delete")]
    Task<CommunityOutcome> DeleteAsync(Guid user);

    [Alias("add-comment")]
    Task<CommentResult> AddCommentAsync(NewComment comment);

    /// <summary>Comments in thread order (each reply right after its parent's subtree starts, oldest first among siblings).</summary>
    /// <returns>Null when the viewer may not see the post.</returns>
    [Alias("list-comments")]
    Task<IReadOnlyList<CommentView>?> ListCommentsAsync(Guid viewer);

    /// <summary>Deletes a comment (its author only); the place in the thread stays so replies keep their parent.</summary>
    [Alias("delete-comment")]
    Task<CommunityOutcome> DeleteCommentAsync(Guid user, Guid commentId);

    /// <summary>
    /// Likes or unlikes the post for <paramref name="user"/>; doing it twice changes nothing. Someone the
    /// post's author blocked cannot like it (Forbidden), but may take back a like given before the block.
    /// </summary>
    /// <returns>The state now; NotFound when the user may not see the post.</returns>
    [Alias("set-like")]
    Task<LikeResult> SetLikeAsync(Guid user, bool like);

    /// <summary>The feed summary, if the post is visible to everyone.</summary>
    [Alias("get-summary")]
    Task<FeedItem?> GetSummaryAsync();

    /// <summary>Whether a comment with this id exists on the post (for reports).</summary>
    [Alias("has-comment")]
    Task<bool> HasCommentAsync(Guid commentId);

    /// <summary>A moderator's hide, remove or restore (<see cref="ModerationActions.OnPosts"/>); restore also releases a held post.</summary>
    /// <returns>The post as a moderator sees it, or null when there is no such post.</returns>
    [Alias("moderate")]
    Task<PostView?> ModerateAsync(string action);

    /// <summary>The post as a moderator sees it (whatever its status, author hidden when anonymous).</summary>
    [Alias("get-for-moderator")]
    Task<PostView?> GetForModeratorAsync();

    /// <summary>
    /// A moderator's hide, remove or restore of one comment (<see cref="ModerationActions.OnComments"/>).
    /// Hide applies to a visible comment only; restore also releases a held one. A comment its author
    /// deleted stays deleted.
    /// </summary>
    /// <returns>The comment as a moderator sees it, or null when there is no such comment (or it was deleted).</returns>
    [Alias("moderate-comment")]
    Task<CommentView?> ModerateCommentAsync(Guid commentId, string action);

    /// <summary>
    /// Tells the author of the post (<paramref name="commentId"/> null) or of one of its comments what a
    /// moderator did (<see cref="ModerationNotices"/>), as an account notification. An anonymous author is
    /// found through the sealed link; nobody else learns who they are.
    /// </summary>
    /// <returns>Whether someone was told (false when there is no such content or no author left).</returns>
    [Alias("tell-author")]
    Task<bool> TellAuthorAsync(Guid? commentId, ModerationNotice notice);

    /// <summary>Opens the sealed author of an anonymous post. Callers log, audit and tell the author.</summary>
    /// <returns>The author, or null when the post is not anonymous or does not exist.</returns>
    [Alias("reveal-author")]
    Task<Guid?> RevealAuthorAsync();

    /// <summary>
    /// Blocks or unblocks "the author of this post" for <paramref name="blocker"/> (through their
    /// <see cref="ICommunitySocialGrain"/>), without telling anyone who an anonymous author is.
    /// </summary>
    /// <returns>NotFound when the blocker cannot see the post; Invalid for their own post or one with no author left.</returns>
    [Alias("block-author")]
    Task<BlockResult> BlockAuthorAsync(Guid blocker, bool block);

    /// <summary>The account of <paramref name="user"/> is being erased: their post or their comments here go.</summary>
    [Alias("erase-user")]
    Task EraseUserAsync(Guid user);
}

/// <summary>
/// What one person did in the community, keyed by their user id: their posts (anonymous ones only
/// as sealed links), comments, likes and bookmarks — for bookmarks, export and erasure. Nobody else
/// can reach it: the gateway only ever asks for the signed-in user's own.
/// </summary>
[Alias("ms.community.ICommunityMemberGrain")]
public interface ICommunityMemberGrain : IGrainWithGuidKey
{
    [Alias("add-post")]
    Task AddPostAsync(Guid postId, bool anonymous);

    [Idempotent]
    [Alias("remove-post")]
    Task RemovePostAsync(Guid postId);

    [Alias("add-comment")]
    Task AddCommentAsync(Guid postId, Guid commentId, bool anonymous);

    [Idempotent]
    [Alias("set-liked")]
    Task SetLikedAsync(Guid postId, bool liked);

    /// <returns>Whether the post is bookmarked now (false after asking for a bookmark: the person already keeps the most there can be).</returns>
    [Alias("set-bookmark")]
    Task<bool> SetBookmarkAsync(Guid postId, bool bookmarked);

    [Alias("is-bookmarked")]
    Task<bool> IsBookmarkedAsync(Guid postId);

    /// <summary>Bookmarks newest first, saved before <paramref name="before"/> when given.</summary>
    [Alias("list-bookmarks")]
    Task<IReadOnlyList<Bookmark>> ListBookmarksAsync(DateTimeOffset? before, Guid? beforePost, int limit);

    [ResponseTimeout(GrainCallTimeouts.WholeHistory)]
    [Alias("activity")]
    Task<MemberActivity> GetActivityAsync();

    /// <summary>Forgets everything (after the posts themselves were erased).</summary>
    [ResponseTimeout(GrainCallTimeouts.WholeHistory)]
    [Alias("clear")]
    Task ClearAsync();
}

/// <summary>
/// A feed held in memory: the global one (<see cref="FeedKeys.Global"/>) or one tag's
/// (<see cref="FeedKeys.OfTag"/>). Posts push their summaries here when they are created, change
/// score or leave; a page is read from sorted sets in memory, never by scanning a table.
/// </summary>
[Alias("ms.community.IPostFeedGrain")]
public interface IPostFeedGrain : IGrainWithStringKey
{
    [Idempotent]
    [Alias("upsert")]
    Task UpsertAsync(FeedItem item);

    [Idempotent]
    [Alias("remove")]
    Task RemoveAsync(Guid postId);

    [Alias("query")]
    Task<FeedPage> QueryAsync(FeedQuery query);
}

/// <summary>The moderators' queue (one grain, key 0): reports, held and hidden posts, and the moderation log.</summary>
[Alias("ms.community.ICommunityModerationGrain")]
public interface ICommunityModerationGrain : IGrainWithIntegerKey
{
    /// <returns>Whether this is a new report (one per reporter per post or comment).</returns>
    [Alias("report")]
    Task<bool> ReportAsync(NewReport report);

    /// <summary>Open reports oldest first (and recently resolved ones when asked).</summary>
    [Alias("list-reports")]
    Task<IReadOnlyList<Report>> ListReportsAsync(bool includeResolved, int limit);

    /// <summary>Records a moderator's action in the log and resolves the post's open reports.</summary>
    [Alias("record-action")]
    Task<ModerationLogEntry> RecordActionAsync(Guid actor, string action, Guid postId, Guid? commentId, string? reason);

    /// <summary>The log, newest first.</summary>
    [Alias("log")]
    Task<IReadOnlyList<ModerationLogEntry>> LogAsync(int limit);

    /// <summary>Records a moderator's action on a member (warn, suspend, lift) in the log.</summary>
    [Alias("record-member-action")]
    Task<ModerationLogEntry> RecordMemberActionAsync(Guid actor, string action, Guid member, string reason, DateTimeOffset? until);

    /// <summary>
    /// Whether this post (<paramref name="commentId"/> null) or comment has just reached
    /// <see cref="ModerationSettings.AutoHideReports"/> open reports from different members (true once per
    /// such set of reports: a moderator's action resolves them, and new reports count afresh).
    /// </summary>
    [ReadOnly]
    [Alias("should-auto-hide")]
    Task<bool> ShouldAutoHideAsync(Guid postId, Guid? commentId);

    /// <summary>The public mod log, newest first: <see cref="ModerationActions.Public"/> only, without actors or members.</summary>
    [ReadOnly]
    [Alias("public-log")]
    Task<IReadOnlyList<PublicLogEntry>> PublicLogAsync(int limit);

    /// <summary>The reason members most often gave in the open reports of this post (<paramref name="commentId"/> null) or comment; null when none.</summary>
    [ReadOnly]
    [Alias("report-reason")]
    Task<string?> ReportReasonAsync(Guid postId, Guid? commentId);

    /// <summary>
    /// Files an appeal against the latest hide, remove or auto-hide of a post or comment (the caller checked
    /// that the appellant wrote it and that it is <paramref name="status"/>, hidden or removed, now). One per
    /// moderation action; logged by the system without naming who appealed.
    /// </summary>
    [Alias("appeal")]
    Task<AppealResult> AppealAsync(Guid appealId, Guid postId, Guid? commentId, string status, string message);

    /// <summary>Open appeals oldest first (and recently decided ones when asked).</summary>
    [Alias("list-appeals")]
    Task<IReadOnlyList<Appeal>> ListAppealsAsync(bool includeDecided, int limit);

    [ReadOnly]
    [Alias("get-appeal")]
    Task<Appeal?> GetAppealAsync(Guid appealId);

    /// <summary>A moderator's decision (<see cref="AppealDecisions"/>) with a note: stored and logged. The caller restores the content and tells the author.</summary>
    [Alias("decide-appeal")]
    Task<AppealResult> DecideAppealAsync(Guid appealId, Guid moderator, string decision, string note);

    /// <summary>These appeals, for their author's export.</summary>
    [ReadOnly]
    [ResponseTimeout(GrainCallTimeouts.WholeHistory)]
    [Alias("get-appeals")]
    Task<IReadOnlyList<Appeal>> GetAppealsAsync(IReadOnlyList<Guid> appealIds);

    /// <summary>Their author's account is erased: each message goes, and open ones are withdrawn.</summary>
    [ResponseTimeout(GrainCallTimeouts.WholeHistory)]
    [Alias("erase-appeals")]
    Task EraseAppealsAsync(IReadOnlyList<Guid> appealIds);

    [Idempotent]
    [Alias("set-held")]
    Task SetHeldAsync(Guid postId, string status, RiskLevel level);

    [Alias("release")]
    Task ReleaseAsync(Guid postId);

    [Alias("list-held")]
    Task<IReadOnlyList<HeldPost>> ListHeldAsync();
}
