using System.Net;
using Mindspace.Gateway.Tests.Cluster;
using Mindspace.Gateway.Tests.Infrastructure;
using Mindspace.Testing;

namespace Mindspace.Gateway.Tests.Community;

/// <summary>
/// A silo on a throwaway PostgreSQL and two gateway-only processes: a comment, a like and a new post
/// made through one gateway reach the hub connections listening on the other, and a block made through
/// one gateway applies at once to live pushes on the other.
/// </summary>
public sealed class CommunityHubAcrossGatewaysTests
{
    [Fact]
    public async Task Live_community_events_cross_gateways_and_blocks_apply_on_every_gateway()
    {
        var databaseUrl = await PostgresServer.Shared.CreateDatabaseAsync("community-gateways");
        await using var silo = await InProcessSilo.StartAsync(databaseUrl);
        await using var first = await MindspaceTestHost.StartGatewayOnlyAsync(databaseUrl);
        await using var second = await MindspaceTestHost.StartGatewayOnlyAsync(databaseUrl);
        var author = await first.RegisterAndLoginAsync();
        var listener = await first.RegisterAndLoginAsync();
        var pest = await first.RegisterAndLoginAsync();
        var tag = CommunityHttp.NewTag();
        var postId = (await author.PostAsync(tags: [tag])).Id();

        await using var hub = await CommunityHubClient.ConnectAsync(second.BaseAddress, listener.AccessToken);
        await hub.JoinPostAsync(postId);
        await hub.JoinFeedAsync(tag);

        var comment = (await author.CommentAsync(postId, "Thank you all")).Id();
        Assert.Equal(("commentAdded", comment), await NextAsync(hub));

        // A block made through the first gateway holds back the pest's comment on the second.
        Assert.Equal(HttpStatusCode.OK, (await listener.Client.PutAsync($"/api/v1/me/blocks/{pest.UserId}", null)).StatusCode);
        await pest.CommentAsync(postId, "Hello again");
        Assert.Equal(HttpStatusCode.OK, (await pest.Client.PutAsync($"/api/v1/posts/{postId}/like", null)).StatusCode);
        var (method, likes) = await hub.NextAsync();
        Assert.Equal("likesChanged", method);
        Assert.Equal(1, likes.GetProperty("likes").GetInt32());

        var newPost = (await author.PostAsync(title: "Another day", tags: [tag])).Id();
        var (created, post) = await hub.NextAsync();
        Assert.Equal("postCreated", created);
        Assert.Equal(newPost, post.GetProperty("post").Str("postId"));
    }

    private static async Task<(string, string)> NextAsync(CommunityHubClient hub)
    {
        var (method, argument) = await hub.NextAsync();
        return (method, argument.Id());
    }
}
