using System.Net;
using System.Net.Http.Json;
using Microsoft.AspNetCore.SignalR;
using Mindspace.Gateway.Tests.Infrastructure;

namespace Mindspace.Gateway.Tests.Community;

/// <summary>
/// <c>/hubs/community</c> with the real .NET SignalR client. "Never pushed" is shown by order, not by
/// waiting: something that must not arrive is followed by something that must, and the first push
/// that arrives is the second.
/// </summary>
public sealed class CommunityHubTests(GatewayFixture fixture) : IClassFixture<GatewayFixture>
{
    private MindspaceTestHost Host => fixture.Host;

    [Fact]
    public async Task New_posts_reach_the_feeds_joined_and_held_posts_never_do()
    {
        var listener = await Host.RegisterAndLoginAsync();
        var author = await Host.RegisterAndLoginAsync();
        var tag = CommunityHttp.NewTag();
        await using var hub = await CommunityHubClient.ConnectAsync(Host.BaseAddress, listener.AccessToken);
        await hub.JoinFeedAsync(tag);

        var held = await author.PostAsync(title: "I can't do this anymore", body: "I want to kill myself.", tags: [tag]);
        Assert.Equal("held", held.Str("status"));
        var visible = (await author.PostAsync(title: "A calmer day", body: "Tea and a walk.", tags: [tag])).Id();

        var (method, post) = await hub.NextAsync();
        Assert.Equal("postCreated", method);
        Assert.Equal(tag, post.Str("tag"));
        Assert.Equal(visible, post.GetProperty("post").Str("postId"));
        Assert.Equal("A calmer day", post.GetProperty("post").Str("title"));
    }

    [Fact]
    public async Task Comments_and_like_counts_reach_the_post_joined_and_held_comments_never_do()
    {
        var listener = await Host.RegisterAndLoginAsync();
        var author = await Host.RegisterAndLoginAsync();
        var commenter = await Host.RegisterAndLoginAsync();
        var postId = (await author.PostAsync()).Id();
        await using var hub = await CommunityHubClient.ConnectAsync(Host.BaseAddress, listener.AccessToken);
        await hub.JoinPostAsync(postId);

        Assert.Equal("held", (await commenter.CommentAsync(postId, "Tonight I am going to end my life.")).Str("status"));
        var comment = (await commenter.CommentAsync(postId, "**You** are not alone.")).Id();
        var (method, pushed) = await hub.NextAsync();
        Assert.Equal("commentAdded", method);
        Assert.Equal(comment, pushed.Id());
        Assert.Equal("<p><strong>You</strong> are not alone.</p>\n", pushed.Str("html"));
        Assert.Equal(commenter.UserId.ToString(), pushed.GetProperty("author").Str("userId"));

        Assert.Equal(HttpStatusCode.OK, (await commenter.Client.PutAsync($"/api/v1/posts/{postId}/like", null)).StatusCode);
        (method, pushed) = await hub.NextAsync();
        Assert.Equal("likesChanged", method);
        Assert.Equal(postId, pushed.Str("postId"));
        Assert.Equal(1, pushed.GetProperty("likes").GetInt32());
    }

    [Fact]
    public async Task A_blocked_persons_comments_are_never_pushed_to_the_blocker_and_their_posts_cannot_be_joined()
    {
        var blocker = await Host.RegisterAndLoginAsync();
        var blocked = await Host.RegisterAndLoginAsync();
        var other = await Host.RegisterAndLoginAsync();
        var postId = (await other.PostAsync()).Id();
        var blockedPost = (await blocked.PostAsync()).Id();
        var secret = (await blocked.PostAsync(title: "Anonymous", anonymous: true)).Id();
        Assert.Equal(HttpStatusCode.OK, (await blocker.Client.PutAsync($"/api/v1/me/blocks/{blocked.UserId}", null)).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await blocker.Client.PutAsync($"/api/v1/posts/{secret}/author-block", null)).StatusCode);

        await using var hub = await CommunityHubClient.ConnectAsync(Host.BaseAddress, blocker.AccessToken);
        await Assert.ThrowsAsync<HubException>(() => hub.JoinPostAsync(blockedPost));
        await Assert.ThrowsAsync<HubException>(() => hub.JoinPostAsync(secret));
        await Assert.ThrowsAsync<HubException>(() => hub.JoinPostAsync(Guid.NewGuid().ToString()));
        await hub.JoinPostAsync(postId);

        // Someone else listening to the same post gets both.
        await using var bystander = await CommunityHubClient.ConnectAsync(Host.BaseAddress, other.AccessToken);
        await bystander.JoinPostAsync(postId);

        var hidden = (await blocked.CommentAsync(postId, "From the blocked person")).Id();
        var shown = (await other.CommentAsync(postId, "From someone else")).Id();

        var (_, first) = await hub.NextAsync();
        Assert.Equal(shown, first.Id());
        Assert.Equal(hidden, (await bystander.NextAsync()).Argument.Id());
        Assert.Equal(shown, (await bystander.NextAsync()).Argument.Id());
    }

    [Fact]
    public async Task The_hub_refuses_anonymous_connections_and_bad_topics()
    {
        await Assert.ThrowsAnyAsync<HttpRequestException>(() => CommunityHubClient.ConnectAsync(Host.BaseAddress, null));
        var user = await Host.RegisterAndLoginAsync();
        await using var hub = await CommunityHubClient.ConnectAsync(Host.BaseAddress, user.AccessToken);
        await Assert.ThrowsAsync<HubException>(() => hub.JoinFeedAsync(new string('a', 40)));
        await Assert.ThrowsAsync<HubException>(() => hub.JoinPostAsync("not-an-id"));
        await hub.JoinFeedAsync();
        for (var i = 0; i < 49; i++)
        {
            await hub.JoinFeedAsync(CommunityHttp.NewTag());
        }

        await Assert.ThrowsAsync<HubException>(() => hub.JoinFeedAsync(CommunityHttp.NewTag()));
    }
}
