using Orleans.Concurrency;

namespace Mindspace.Grains.Interfaces.Community;

/// <summary>
/// Whom and what one person follows, and whom they block, keyed by their user id. Private: the
/// gateway only ever asks for the signed-in user's own; post grains ask it whether a would-be replier
/// is blocked, and never learn more. It calls no other grain (so post grains can call it freely).
/// </summary>
[Alias("ms.community.ICommunitySocialGrain")]
public interface ICommunitySocialGrain : IGrainWithGuidKey
{
    /// <returns>Whether the tag is followed now (false after asking to follow: the person already follows the most there can be).</returns>
    [Alias("set-follow-tag")]
    Task<bool> SetFollowTagAsync(string tag, bool follow);

    /// <returns>Whether the person is followed now (false after asking to follow: the most there can be).</returns>
    [Alias("set-follow-person")]
    Task<bool> SetFollowPersonAsync(Guid userId, string name, bool follow);

    [ReadOnly]
    [Alias("following")]
    Task<Following> GetFollowingAsync();

    /// <summary>Blocks (or unblocks) someone; <see cref="IPostGrain.BlockAuthorAsync"/> calls it for "the author of this post".</summary>
    /// <returns>The block as the blocker sees it (null after unblocking, or when there are too many blocks).</returns>
    [Alias("set-block")]
    Task<BlockView?> SetBlockAsync(BlockTarget target, bool block);

    /// <summary>Removes a block by the id <see cref="BlockView.Id"/> shows (a person's id, or an anonymous post's).</summary>
    [Alias("unblock")]
    Task<bool> UnblockAsync(Guid id);

    /// <summary>What this person must not see.</summary>
    [ReadOnly]
    [Alias("block-filter")]
    Task<BlockFilter> GetBlockFilterAsync();

    /// <summary>Whether this person blocked <paramref name="userId"/> (by name or as the author of an anonymous post).</summary>
    [ReadOnly]
    [Alias("has-blocked")]
    Task<bool> HasBlockedAsync(Guid userId);

    [ReadOnly]
    [Alias("list-blocks")]
    Task<IReadOnlyList<BlockView>> ListBlocksAsync();

    [ReadOnly]
    [ResponseTimeout(GrainCallTimeouts.WholeHistory)]
    [Alias("export")]
    Task<SocialExport> ExportAsync();

    [Alias("erase")]
    Task EraseAsync();
}

/// <summary>Who is blocked: a person by name, or the (sealed) author of one anonymous post.</summary>
/// <param name="Name">Their display name, or the post's pseudonym.</param>
/// <param name="AnonymousPostId">Set when the author is anonymous: the block is recorded against this post, never by name.</param>
[GenerateSerializer, Immutable, Alias("ms.community.BlockTarget")]
public sealed record BlockTarget(Guid UserId, string Name, Guid? AnonymousPostId);

/// <summary>A block as the blocker sees it. An anonymous author is shown by post and pseudonym only.</summary>
/// <param name="Id">The person's id, or for an anonymous author the post's id (unblock with it).</param>
/// <param name="Kind"><c>person</c> or <c>anonymous-author</c>.</param>
/// <param name="UserId">The person's id; null for an anonymous author.</param>
/// <param name="PostId">For an anonymous author: the post they wrote.</param>
[GenerateSerializer, Immutable, Alias("ms.community.BlockView")]
public sealed record BlockView(Guid Id, string Kind, Guid? UserId, string Name, Guid? PostId, DateTimeOffset BlockedAt);

public static class BlockKinds
{
    public const string Person = "person";
    public const string AnonymousAuthor = "anonymous-author";
}

/// <summary>
/// What one person must not see: the named posts and comments of <paramref name="People"/>, and the
/// anonymous posts in <paramref name="AnonymousPosts"/> with their author's replies under the pseudonym.
/// </summary>
/// <remarks>
/// A block by name never hides that person's anonymous posts, and a block of an anonymous author never
/// hides their named ones: either would let the blocker (with a second account to compare) learn who
/// wrote what. Replies are refused either way.
/// </remarks>
[GenerateSerializer, Immutable, Alias("ms.community.BlockFilter")]
public sealed record BlockFilter(IReadOnlyList<Guid> People, IReadOnlyList<Guid> AnonymousPosts)
{
    public static BlockFilter None { get; } = new([], []);

    public bool IsEmpty => People.Count == 0 && AnonymousPosts.Count == 0;

    /// <summary>Whether something by <paramref name="author"/> on post <paramref name="postId"/> is hidden.</summary>
    public bool Hides(PostAuthor author, Guid postId)
    {
        ArgumentNullException.ThrowIfNull(author);
        return author.Anonymous ? AnonymousPosts.Contains(postId) : author.UserId is { } id && People.Contains(id);
    }
}

/// <param name="People">Followed people, with the display name they had when followed.</param>
[GenerateSerializer, Immutable, Alias("ms.community.Following")]
public sealed record Following(IReadOnlyList<string> Tags, IReadOnlyList<FollowedPerson> People);

[GenerateSerializer, Immutable, Alias("ms.community.FollowedPerson")]
public sealed record FollowedPerson(Guid UserId, string Name, DateTimeOffset Since);

[GenerateSerializer, Immutable, Alias("ms.community.SocialExport")]
public sealed record SocialExport(Following Following, IReadOnlyList<BlockView> Blocks);

public static class SocialRules
{
    public const int MaxFollowedTags = 50;
    public const int MaxFollowedPeople = 200;
    public const int MaxBlocks = 1_000;

    /// <summary>Topics one hub connection may listen to at once.</summary>
    public const int MaxLiveTopicsPerConnection = 50;

    /// <summary>The feed of one person's named posts (never their anonymous ones), for "following".</summary>
    public static string AuthorFeed(Guid userId) => $"author:{userId:N}";
}

/// <summary>
/// One live topic (<see cref="LiveTopics"/>): the gateways with hub connections listening to it. A post
/// grain publishes what changed after it stored it; this grain passes it on to each gateway, which
/// filters it per person (blocks) and sends it to their connections.
/// </summary>
/// <remarks>
/// Observers live in memory only and are refreshed by their gateways every
/// <see cref="LiveDelivery.RefreshInterval"/>; after a silo loss a gateway subscribes again within a
/// second. Live events are hints for a screen already open, not a record: a client that reconnects
/// reads the post or feed again.
/// </remarks>
[Alias("ms.community.ICommunityLiveGrain")]
public interface ICommunityLiveGrain : IGrainWithStringKey
{
    [Alias("subscribe")]
    Task SubscribeAsync(ICommunityLiveObserver observer);

    [Alias("unsubscribe")]
    Task UnsubscribeAsync(ICommunityLiveObserver observer);

    /// <summary>One-way: a post grain never waits on live delivery.</summary>
    [OneWay]
    [Alias("publish")]
    Task PublishAsync(CommunityLiveEvent liveEvent);
}

/// <summary>Each gateway process's receiver of live community events (one per process).</summary>
[Alias("ms.community.ICommunityLiveObserver")]
public interface ICommunityLiveObserver : IGrainObserver
{
    [OneWay]
    [Alias("on-event")]
    Task OnLiveEventAsync(string topic, CommunityLiveEvent liveEvent);
}

/// <summary>
/// Something visible to everyone changed: a new post in a feed, a new comment or a like count on a
/// post. Held, hidden and removed content is never published.
/// </summary>
/// <param name="Kind">One of <see cref="LiveEventKinds"/>.</param>
/// <param name="Author">Who wrote the post or comment, as readers see it (no id for an anonymous author), for block filtering.</param>
[GenerateSerializer, Immutable, Alias("ms.community.CommunityLiveEvent")]
public sealed record CommunityLiveEvent(string Kind, Guid PostId, PostAuthor Author, FeedItem? Post = null, CommentView? Comment = null, int Likes = 0);

public static class LiveEventKinds
{
    public const string PostCreated = "post-created";
    public const string CommentAdded = "comment-added";
    public const string LikesChanged = "likes-changed";
}

public static class LiveTopics
{
    public static string Feed(string? tag) => tag is null ? "feed:" + FeedKeys.Global : "feed:" + FeedKeys.OfTag(tag);

    public static string Post(Guid postId) => $"post:{postId:N}";
}

public static class LiveDelivery
{
    /// <summary>An observer not refreshed for this long is dropped (its gateway has gone).</summary>
    public static readonly TimeSpan ObserverExpiry = TimeSpan.FromMinutes(3);

    /// <summary>How often a gateway refreshes its subscriptions: well inside <see cref="ObserverExpiry"/>.</summary>
    public static readonly TimeSpan RefreshInterval = TimeSpan.FromSeconds(45);
}

/// <summary>"3 people like your post": the inbox batches these per post while unread.</summary>
public static class CommunityLikeNotifications
{
    public const string Kind = "community.post-liked";

    public static string Title(int likes) => likes <= 1 ? "Someone liked your post" : $"{likes} people liked your post";
}
