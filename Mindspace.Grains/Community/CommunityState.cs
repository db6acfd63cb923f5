using Mindspace.Grains.Interfaces.Safety;
using Mindspace.Grains.Journal;

namespace Mindspace.Grains.Community;

/// <summary>Stored state of <see cref="PostGrain"/>: the post itself (comments and likes are rows of their own).</summary>
[GenerateSerializer, Alias("ms.state.community.PostState")]
public sealed class PostState
{
    [Id(0)]
    public bool Created { get; set; }

    /// <summary>The author, when the post is not anonymous.</summary>
    [Id(1)]
    public Guid? AuthorId { get; set; }

    /// <summary>The author of an anonymous post, sealed by the master key and bound to this post's id.</summary>
    [Id(2)]
    public WrappedDataKey? SealedAuthor { get; set; }

    /// <summary>The per-post pseudonym of an anonymous post.</summary>
    [Id(3)]
    public string? Pseudonym { get; set; }

    [Id(4)]
    public string AuthorName { get; set; } = string.Empty;

    [Id(5)]
    public string Title { get; set; } = string.Empty;

    [Id(6)]
    public string? Body { get; set; }

    [Id(7)]
    public List<string> Tags { get; set; } = [];

    [Id(8)]
    public DateTimeOffset CreatedAt { get; set; }

    [Id(9)]
    public DateTimeOffset? EditedAt { get; set; }

    [Id(10)]
    public string Status { get; set; } = "visible";

    /// <summary>The level that held the post (held posts only).</summary>
    [Id(11)]
    public RiskLevel? HeldLevel { get; set; }

    [Id(12)]
    public int Likes { get; set; }
}

/// <summary>One comment of a post, stored as a row of <c>community_comments</c> keyed by its version 7 id.</summary>
/// <param name="AuthorId">Null when the comment is the anonymous post author's (then <paramref name="SealedAuthor"/> holds them) or the author was erased.</param>
[GenerateSerializer, Immutable, Alias("ms.state.community.StoredComment")]
public sealed record StoredComment(
    Guid? ParentId,
    int Depth,
    Guid? AuthorId,
    WrappedDataKey? SealedAuthor,
    string AuthorName,
    bool Anonymous,
    string? Body,
    DateTimeOffset CreatedAt,
    string Status,
    RiskLevel? HeldLevel);

/// <summary>A person's link to something they did, as a row of their member grain: plain, or sealed when it would name an anonymous author.</summary>
/// <param name="PostId">The post (null when sealed).</param>
/// <param name="CommentId">The comment, for comment links.</param>
/// <param name="Sealed">Post id (and comment id) sealed by the master key and bound to the member's id.</param>
[GenerateSerializer, Immutable, Alias("ms.state.community.MemberLink")]
public sealed record MemberLink(Guid? PostId, Guid? CommentId, WrappedDataKey? Sealed, DateTimeOffset At);
