using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.SignalR;
using Mindspace.Gateway.Auth;
using Mindspace.Gateway.Journal;
using Mindspace.Grains.Interfaces.Community;

namespace Mindspace.Gateway.Community;

/// <summary>
/// Live community updates (<c>/hubs/community</c>): join a feed (<c>JoinFeed(tag?)</c>) to hear of its
/// new posts (<c>postCreated</c>), join a post (<c>JoinPost(postId)</c>) to hear of its new comments
/// (<c>commentAdded</c>) and like counts (<c>likesChanged</c>). Only what everyone may see is sent, and
/// never what the listener blocked. See docs/realtime.md.
/// </summary>
[Authorize(Policy = AuthPolicies.Member)]
public sealed class CommunityHub(IGrainFactory grains, CommunityLiveRelay relay) : Hub
{
    public const string Path = "/hubs/community";
    public const string PostCreatedMethod = "postCreated";
    public const string CommentAddedMethod = "commentAdded";
    public const string LikesChangedMethod = "likesChanged";

    /// <summary>Listens to the global feed (no tag) or one tag's feed.</summary>
    public Task JoinFeed(string? tag = null) => JoinAsync(FeedTopic(tag));

    public Task LeaveFeed(string? tag = null) => relay.LeaveAsync(Context.ConnectionId, FeedTopic(tag));

    /// <summary>Listens to a post you can see (a post you cannot, or whose author you blocked, is "not found").</summary>
    public async Task JoinPost(string postId)
    {
        var userId = Context.User!.GetUserId();
        if (!Guid.TryParse(postId, out var id) || await grains.GetGrain<IPostGrain>(id).GetAsync(userId) is not { } post
            || (!post.IsMine && (await grains.GetGrain<ICommunitySocialGrain>(userId).GetBlockFilterAsync()).Hides(post.Author, post.Id)))
        {
            throw new HubException("There is no post with this id.");
        }

        await JoinAsync(LiveTopics.Post(id));
    }

    public Task LeavePost(string postId)
        => Guid.TryParse(postId, out var id) ? relay.LeaveAsync(Context.ConnectionId, LiveTopics.Post(id)) : Task.CompletedTask;

    public override async Task OnDisconnectedAsync(Exception? exception)
    {
        await relay.DisconnectAsync(Context.ConnectionId);
        await base.OnDisconnectedAsync(exception);
    }

    private async Task JoinAsync(string topic)
    {
        if (!await relay.JoinAsync(Context.ConnectionId, Context.User!.GetUserId(), topic))
        {
            throw new HubException($"A connection can follow at most {SocialRules.MaxLiveTopicsPerConnection} feeds and posts at once; leave some first.");
        }
    }

    private static string FeedTopic(string? tag)
    {
        if (string.IsNullOrEmpty(tag))
        {
            return LiveTopics.Feed(null);
        }

        if (CommunityRules.CheckTag(tag, out var normalized) is { } error)
        {
            throw new HubException("tag: " + error);
        }

        return LiveTopics.Feed(normalized);
    }
}

/// <summary>A new post in a feed you joined.</summary>
/// <param name="Tag">The tag feed it arrived in; null for the global feed.</param>
public sealed record LivePostCreated(string? Tag, FeedItem Post);

/// <summary>A new comment on a post you joined (as everyone sees it).</summary>
public sealed record LiveComment(Guid Id, Guid PostId, Guid? ParentId, int Depth, PostAuthor Author, string? Body, string? Html, DateTimeOffset CreatedAt)
{
    public static LiveComment From(CommentView comment)
    {
        ArgumentNullException.ThrowIfNull(comment);
        return new(comment.Id, comment.PostId, comment.ParentId, comment.Depth, comment.Author, comment.Body,
            comment.Body is null ? null : JournalMarkdown.ToSafeHtml(comment.Body), comment.CreatedAt);
    }
}

/// <summary>A post's like count now.</summary>
public sealed record LiveLikes(Guid PostId, int Likes);
