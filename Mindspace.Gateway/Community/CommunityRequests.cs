using Mindspace.Grains.Interfaces.Community;
using Mindspace.Grains.Interfaces.Safety;

namespace Mindspace.Gateway.Community;

/// <summary>Body of <c>POST /api/v1/posts</c>.</summary>
/// <param name="Title">1 to 200 characters, one line.</param>
/// <param name="Body">Markdown, 1 to 10,000 characters; raw HTML is shown as text, never rendered.</param>
/// <param name="Tags">Up to 5 tags (lower case, distinct, 1–32 characters).</param>
/// <param name="Anonymous">Post under a fresh pseudonym; only a moderator with a recorded reason can learn who wrote it, and you are told if one does.</param>
public sealed record CreatePostRequest(string? Title, string? Body, IReadOnlyList<string?>? Tags = null, bool? Anonymous = null);

/// <summary>Body of <c>PATCH /api/v1/posts/{id}</c>: members left out (or null) keep their value; <c>tags: []</c> clears the tags.</summary>
public sealed record UpdatePostRequest(string? Title = null, string? Body = null, IReadOnlyList<string?>? Tags = null);

/// <summary>Body of <c>POST /api/v1/posts/{id}/comments</c>.</summary>
/// <param name="ParentId">The comment this replies to; absent for a reply to the post.</param>
public sealed record CreateCommentRequest(string? Body, string? ParentId = null);

/// <summary>Body of <c>POST /api/v1/posts/{id}/reports</c>.</summary>
/// <param name="Reason">spam, harassment, hate, self-harm, misinformation or other.</param>
/// <param name="CommentId">Report one comment of the post rather than the post.</param>
/// <param name="Note">Anything the moderators should know (up to 1,000 characters).</param>
public sealed record CreateReportRequest(string? Reason, string? CommentId = null, string? Note = null);

/// <summary>Body of a moderator's action: the reason is required and kept in the log.</summary>
public sealed record ModerationRequest(string? Reason);

/// <summary>Query of <c>GET /api/v1/posts</c>.</summary>
/// <param name="Sort">new, hot (default) or top.</param>
/// <param name="Period">For top: day, week, month or all (default).</param>
/// <param name="Tag">Only posts with this tag.</param>
/// <param name="Cursor">The <c>nextCursor</c> of the previous page (it fixes sort, period, tag and the moment of the first page).</param>
/// <param name="Limit">1 to 100, default 20.</param>
/// <param name="Following"><c>true</c> for the posts of the tags and people you follow (not with <c>tag</c>).</param>
public sealed record FeedRequest(string? Sort, string? Period, string? Tag, string? Cursor, string? Limit, string? Following = null);

/// <summary>A post as the API shows it.</summary>
/// <param name="Html">The body rendered from Markdown, safe to insert into a page (raw HTML escaped, only http(s)/mailto/relative links).</param>
/// <param name="Status">visible; or, for the author only, held, hidden or removed; deleted for a tombstone kept for others' replies.</param>
/// <param name="Care">Only for the author of a held post: why it is held, and where support is.</param>
public sealed record PostResponse(
    Guid Id,
    PostAuthor Author,
    string Title,
    string? Body,
    string? Html,
    IReadOnlyList<string> Tags,
    DateTimeOffset CreatedAt,
    DateTimeOffset? EditedAt,
    string Status,
    int Likes,
    int Comments,
    bool LikedByMe,
    bool BookmarkedByMe,
    bool IsMine,
    CareResponse? Care);

/// <summary>What the author of a held post or comment is told.</summary>
/// <param name="Reason">Why it is held, in plain words.</param>
/// <param name="Message">The caring message also sent to their inbox.</param>
/// <param name="Resources">Crisis lines for their country (or international ones).</param>
public sealed record CareResponse(string Level, string Reason, string Message, CountryResources Resources);

public sealed record CommentResponse(
    Guid Id, Guid PostId, Guid? ParentId, int Depth, PostAuthor Author, string? Body, string? Html, DateTimeOffset CreatedAt, string Status, bool IsMine, CareResponse? Care);

public sealed record CommentListResponse(IReadOnlyList<CommentResponse> Items);

/// <param name="NextCursor">Pass as <c>cursor</c> for the next page; null on the last.</param>
public sealed record FeedResponse(IReadOnlyList<FeedItem> Items, string? NextCursor);

public sealed record LikeResponse(bool Liked, int Likes);

public sealed record BookmarkResponse(bool Bookmarked);

/// <summary>A bookmark; <paramref name="Post"/> is null when the post is no longer visible.</summary>
public sealed record BookmarkItem(Guid PostId, DateTimeOffset SavedAt, FeedItem? Post);

public sealed record BookmarkListResponse(IReadOnlyList<BookmarkItem> Items, string? NextCursor);

public sealed record ReportResponse(bool Received, string Message);

public sealed record ReportListResponse(IReadOnlyList<Report> Items);

public sealed record ModerationLogResponse(IReadOnlyList<ModerationLogEntry> Items);

public sealed record HeldListResponse(IReadOnlyList<HeldPost> Items);

public sealed record ModerationResult(PostView Post, ModerationLogEntry Log);

public sealed record RevealResponse(Guid PostId, Guid AuthorId, string? DisplayName, ModerationLogEntry Log);

/// <summary>Everything the community holds about a person, for the export.</summary>
public sealed record CommunityExport(
    IReadOnlyList<PostView> Posts, IReadOnlyList<PostView> AnonymousPosts, IReadOnlyList<CommentView> Comments, IReadOnlyList<Guid> Likes, IReadOnlyList<Bookmark> Bookmarks);

internal static class CareLevels
{
    public static string Name(RiskLevel? level) => RiskLevels.Name(level ?? RiskLevel.High);
}
