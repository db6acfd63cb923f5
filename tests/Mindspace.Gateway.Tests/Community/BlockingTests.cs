using System.Net;
using System.Net.Http.Json;
using Mindspace.Gateway.Tests.Infrastructure;
using Mindspace.Grains.Interfaces.Community;

namespace Mindspace.Gateway.Tests.Community;

/// <summary>Blocking people: what disappears for the blocker, what the blocked cannot do, and who can see a block.</summary>
public sealed class BlockingTests(GatewayFixture fixture) : IClassFixture<GatewayFixture>
{
    private MindspaceTestHost Host => fixture.Host;

    [Fact]
    public async Task A_blocked_persons_posts_and_comments_disappear_for_the_blocker_only()
    {
        var blocker = await Host.RegisterAndLoginAsync();
        var blocked = await Host.RegisterAndLoginAsync();
        var other = await Host.RegisterAndLoginAsync();
        var tag = CommunityHttp.NewTag();
        var theirPost = (await blocked.PostAsync(title: "Blocked person's post", tags: [tag])).Id();
        var othersPost = (await other.PostAsync(title: "Someone else's post", tags: [tag])).Id();
        var theirComment = (await blocked.CommentAsync(othersPost, "A comment from the blocked person")).Id();
        var reply = (await other.CommentAsync(othersPost, "A reply under it", theirComment)).Id();
        var lone = (await blocked.CommentAsync(othersPost, "Another one, no replies")).Id();

        Assert.Equal(HttpStatusCode.OK, (await blocker.Client.PutAsync($"/api/v1/posts/{theirPost}/bookmark", null)).StatusCode);
        var block = await blocker.Client.PutAsync($"/api/v1/me/blocks/{blocked.UserId}", null);
        Assert.Equal(HttpStatusCode.OK, block.StatusCode);

        // Feeds (every sort, tag feeds too), the post itself and its comments.
        foreach (var query in new[] { "sort=new&limit=100", "sort=hot&limit=100", "sort=top&limit=100", $"tag={tag}" })
        {
            var ids = (await blocker.FeedAsync(query)).Select(p => p.Str("postId")).ToList();
            Assert.DoesNotContain(theirPost, ids);
        }

        Assert.Equal([othersPost], (await blocker.FeedAsync($"tag={tag}")).Select(p => p.Str("postId")));
        await (await blocker.Client.GetAsync($"/api/v1/posts/{theirPost}")).AssertProblemAsync(HttpStatusCode.NotFound);
        await (await blocker.Client.GetAsync($"/api/v1/posts/{theirPost}/comments")).AssertProblemAsync(HttpStatusCode.NotFound);
        var comments = (await blocker.Client.GetJsonAsync($"/api/v1/posts/{othersPost}/comments")).GetProperty("items").EnumerateArray().ToList();
        Assert.DoesNotContain(comments, c => c.Id() == lone);
        var placeholder = Assert.Single(comments, c => c.Id() == theirComment);
        Assert.Equal("hidden", placeholder.Str("status"));
        Assert.Equal(System.Text.Json.JsonValueKind.Null, placeholder.GetProperty("body").ValueKind);
        Assert.Equal(System.Text.Json.JsonValueKind.Null, placeholder.GetProperty("author").GetProperty("userId").ValueKind);
        Assert.DoesNotContain("blocked person", placeholder.GetRawText(), StringComparison.Ordinal);
        Assert.Contains(comments, c => c.Id() == reply && c.Str("body") == "A reply under it");
        var bookmark = Assert.Single((await blocker.Client.GetJsonAsync("/api/v1/me/bookmarks")).GetProperty("items").EnumerateArray());
        Assert.Equal(System.Text.Json.JsonValueKind.Null, bookmark.GetProperty("post").ValueKind);

        // Everyone else still sees everything.
        Assert.Equal(2, (await other.FeedAsync($"tag={tag}")).Count);
        Assert.Equal(3, (await other.Client.GetJsonAsync($"/api/v1/posts/{othersPost}/comments")).GetProperty("items").GetArrayLength());

        // Unblocking brings it all back.
        Assert.Equal(HttpStatusCode.NoContent, (await blocker.Client.DeleteAsync($"/api/v1/me/blocks/{blocked.UserId}")).StatusCode);
        Assert.Equal(2, (await blocker.FeedAsync($"tag={tag}")).Count);
        Assert.Equal(HttpStatusCode.OK, (await blocker.Client.GetAsync($"/api/v1/posts/{theirPost}")).StatusCode);
    }

    [Fact]
    public async Task A_blocked_person_cannot_comment_on_the_blockers_posts_or_reply_to_their_comments()
    {
        var blocker = await Host.RegisterAndLoginAsync();
        var blocked = await Host.RegisterAndLoginAsync();
        var other = await Host.RegisterAndLoginAsync();
        var blockersPost = (await blocker.PostAsync()).Id();
        var othersPost = (await other.PostAsync()).Id();
        var blockersComment = (await blocker.CommentAsync(othersPost, "The blocker's comment")).Id();
        Assert.Equal(HttpStatusCode.OK, (await blocker.Client.PutAsync($"/api/v1/me/blocks/{blocked.UserId}", null)).StatusCode);

        var onPost = await (await blocked.Client.PostAsJsonAsync($"/api/v1/posts/{blockersPost}/comments", new { body = "hello" })).AssertProblemAsync(HttpStatusCode.Forbidden);
        Assert.Equal("You can't reply here", onPost.Str("title"));
        await (await blocked.Client.PostAsJsonAsync($"/api/v1/posts/{othersPost}/comments", new { body = "hi", parentId = blockersComment })).AssertProblemAsync(HttpStatusCode.Forbidden);
        var stored = await other.Client.GetJsonAsync($"/api/v1/posts/{othersPost}/comments");
        Assert.Equal(1, stored.GetProperty("items").GetArrayLength());

        // They can still take part elsewhere; others can still reply to the blocker.
        await blocked.CommentAsync(othersPost, "On someone else's post");
        await other.CommentAsync(blockersPost, "Still welcome");
    }

    [Fact]
    public async Task Blocking_an_anonymous_author_hides_their_post_and_stops_their_replies_without_revealing_them()
    {
        var blocker = await Host.RegisterAndLoginAsync();
        var author = await Host.RegisterAndLoginAsync();
        var secret = await author.PostAsync(title: "An anonymous post", anonymous: true);
        var named = (await author.PostAsync(title: "A post under their name")).Id();
        var blockersPost = (await blocker.PostAsync()).Id();

        var response = await blocker.Client.PutAsync($"/api/v1/posts/{secret.Id()}/author-block", null);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var text = await response.Content.ReadAsStringAsync();
        Assert.DoesNotContain(author.UserId.ToString(), text, StringComparison.OrdinalIgnoreCase);
        var block = await response.Content.ReadFromJsonAsync<System.Text.Json.JsonElement>();
        Assert.Equal("anonymous-author", block.Str("kind"));
        Assert.Equal(secret.GetProperty("author").Str("name"), block.Str("name"));

        await (await blocker.Client.GetAsync($"/api/v1/posts/{secret.Id()}")).AssertProblemAsync(HttpStatusCode.NotFound);
        Assert.DoesNotContain(secret.Id(), (await blocker.FeedAsync("sort=new&limit=100")).Select(p => p.Str("postId")));

        // Their named posts stay: hiding them would tell the blocker who wrote the anonymous one.
        Assert.Equal(HttpStatusCode.OK, (await blocker.Client.GetAsync($"/api/v1/posts/{named}")).StatusCode);

        // The author still cannot reply to the blocker.
        await (await author.Client.PostAsJsonAsync($"/api/v1/posts/{blockersPost}/comments", new { body = "hello" })).AssertProblemAsync(HttpStatusCode.Forbidden);

        // The blocker's list and export never name the author.
        var list = await blocker.Client.GetStringAsync("/api/v1/me/blocks");
        var export = await blocker.Client.GetStringAsync("/api/v1/me/export");
        Assert.Contains(secret.Id(), list, StringComparison.Ordinal);
        Assert.DoesNotContain(author.UserId.ToString(), list, StringComparison.OrdinalIgnoreCase);
        Assert.DoesNotContain(author.UserId.ToString(), export, StringComparison.OrdinalIgnoreCase);

        // Unblocking by the block's id.
        Assert.Equal(HttpStatusCode.NoContent, (await blocker.Client.DeleteAsync($"/api/v1/me/blocks/{block.Str("id")}")).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await blocker.Client.GetAsync($"/api/v1/posts/{secret.Id()}")).StatusCode);
        await author.CommentAsync(blockersPost, "Now I can reply");
    }

    [Fact]
    public async Task Blocks_are_private_exported_and_erased()
    {
        var blocker = await Host.RegisterAndLoginAsync();
        var blocked = await Host.RegisterAndLoginAsync();
        Assert.Equal(HttpStatusCode.OK, (await blocker.Client.PutAsync($"/api/v1/me/blocks/{blocked.UserId}", null)).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await blocker.Client.PutAsync($"/api/v1/me/blocks/{blocked.UserId}", null)).StatusCode);

        var mine = await blocker.Client.GetJsonAsync("/api/v1/me/blocks");
        var item = Assert.Single(mine.GetProperty("items").EnumerateArray());
        Assert.Equal(blocked.UserId.ToString(), item.Str("userId"));
        Assert.Equal("person", item.Str("kind"));

        // The blocked person sees nothing of it: not in their blocks, not in their export.
        Assert.Empty((await blocked.Client.GetJsonAsync("/api/v1/me/blocks")).GetProperty("items").EnumerateArray());
        Assert.DoesNotContain(blocker.UserId.ToString(), await blocked.Client.GetStringAsync("/api/v1/me/export"), StringComparison.OrdinalIgnoreCase);

        var export = (await blocker.Client.GetJsonAsync("/api/v1/me/export")).GetProperty("communitySocial");
        Assert.Equal(blocked.UserId.ToString(), export.GetProperty("blocks")[0].Str("userId"));

        await (await blocker.Client.PutAsync($"/api/v1/me/blocks/{blocker.UserId}", null)).AssertValidationProblemAsync("userId");
        await (await blocker.Client.PutAsync($"/api/v1/me/blocks/{Guid.NewGuid()}", null)).AssertProblemAsync(HttpStatusCode.NotFound);
        var ownPost = (await blocker.PostAsync()).Id();
        await (await blocker.Client.PutAsync($"/api/v1/posts/{ownPost}/author-block", null)).AssertValidationProblemAsync("id");
        await (await blocker.Client.PutAsync($"/api/v1/posts/{Guid.NewGuid()}/author-block", null)).AssertProblemAsync(HttpStatusCode.NotFound);

        var deleted = await blocker.Client.SendAsync(new HttpRequestMessage(HttpMethod.Delete, "/api/v1/me") { Content = JsonContent.Create(new { password = blocker.Password }) });
        Assert.Equal(HttpStatusCode.NoContent, deleted.StatusCode);
        Assert.Empty(await Host.Grains.GetGrain<ICommunitySocialGrain>(blocker.UserId).ListBlocksAsync());
    }

    [Fact]
    public async Task A_blocked_person_cannot_like_the_blockers_posts_and_nothing_of_theirs_notifies_the_blocker()
    {
        var blocker = await Host.RegisterAndLoginAsync();
        var blocked = await Host.RegisterAndLoginAsync();
        var other = await Host.RegisterAndLoginAsync();
        var anonymous = await Host.RegisterAndLoginAsync();
        var earlier = (await blocker.PostAsync(title: "Liked before the block")).Id();
        var later = (await blocker.PostAsync(title: "Written after")).Id();
        var secret = (await anonymous.PostAsync(title: "Said without a name", anonymous: true)).Id();
        Assert.Equal(1, await blocked.Client.PutAsync($"/api/v1/posts/{earlier}/like", null).LikesAsync());
        Assert.Equal(HttpStatusCode.OK, (await blocker.Client.PostAsync("/api/v1/notifications/read-all", null)).StatusCode);

        Assert.Equal(HttpStatusCode.OK, (await blocker.Client.PutAsync($"/api/v1/me/blocks/{blocked.UserId}", null)).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await blocker.Client.PutAsync($"/api/v1/posts/{secret}/author-block", null)).StatusCode);

        // Like replies: 403, nothing stored, nobody told.
        var refused = await (await blocked.Client.PutAsync($"/api/v1/posts/{later}/like", null)).AssertProblemAsync(HttpStatusCode.Forbidden);
        Assert.Equal("You can't like this", refused.Str("title"));
        await (await anonymous.Client.PutAsync($"/api/v1/posts/{later}/like", null)).AssertProblemAsync(HttpStatusCode.Forbidden);
        await (await blocked.Client.PostAsJsonAsync($"/api/v1/posts/{later}/comments", new { body = "hello" })).AssertProblemAsync(HttpStatusCode.Forbidden);
        Assert.Equal(0, (await other.Client.GetJsonAsync($"/api/v1/posts/{later}")).GetProperty("likes").GetInt32());

        // A like given before the block stays counted; liking again changes nothing; taking it back is allowed, once.
        Assert.Equal(1, (await blocker.Client.GetJsonAsync($"/api/v1/posts/{earlier}")).GetProperty("likes").GetInt32());
        Assert.Equal(1, await blocked.Client.PutAsync($"/api/v1/posts/{earlier}/like", null).LikesAsync());
        Assert.Equal(0, await blocked.Client.DeleteAsync($"/api/v1/posts/{earlier}/like").LikesAsync());
        await (await blocked.Client.PutAsync($"/api/v1/posts/{earlier}/like", null)).AssertProblemAsync(HttpStatusCode.Forbidden);

        // Everyone else still can, and the blocker hears from them only.
        Assert.Equal(1, await other.Client.PutAsync($"/api/v1/posts/{later}/like", null).LikesAsync());
        await other.CommentAsync(later, "Glad you wrote this");
        var community = (await blocker.Client.GetJsonAsync("/api/v1/notifications?limit=100")).GetProperty("items").EnumerateArray()
            .Where(n => n.Str("category") == "community").ToList();
        Assert.Equal(
            [("community.post-replied", false, 1), ("community.post-liked", false, 1), ("community.post-liked", true, 1)],
            community.Select(n => (n.Str("kind"), n.GetProperty("read").GetBoolean(), n.GetProperty("count").GetInt32())));
        Assert.Contains("Written after", community[1].Str("body"), StringComparison.Ordinal);
        Assert.Contains("Liked before the block", community[2].Str("body"), StringComparison.Ordinal);

        // The blocked person can still like elsewhere.
        var othersPost = (await other.PostAsync()).Id();
        Assert.Equal(1, await blocked.Client.PutAsync($"/api/v1/posts/{othersPost}/like", null).LikesAsync());
    }

    [Fact]
    public async Task Likes_notify_the_author_once_per_batch_with_the_count()
    {
        var author = await Host.RegisterAndLoginAsync();
        var post = (await author.PostAsync(title: "Three walks this week")).Id();
        for (var i = 0; i < 3; i++)
        {
            var fan = await Host.RegisterAndLoginAsync();
            Assert.Equal(HttpStatusCode.OK, (await fan.Client.PutAsync($"/api/v1/posts/{post}/like", null)).StatusCode);
            Assert.Equal(HttpStatusCode.OK, (await fan.Client.PutAsync($"/api/v1/posts/{post}/like", null)).StatusCode);
        }

        // Liking your own post tells you nothing.
        Assert.Equal(HttpStatusCode.OK, (await author.Client.PutAsync($"/api/v1/posts/{post}/like", null)).StatusCode);

        var liked = (await author.Client.GetJsonAsync("/api/v1/notifications")).GetProperty("items").EnumerateArray().Where(n => n.Str("kind") == "community.post-liked").ToList();
        var single = Assert.Single(liked);
        Assert.Equal("3 people liked your post", single.Str("title"));
        Assert.Equal(3, single.GetProperty("count").GetInt32());
        Assert.Contains("Three walks this week", single.Str("body"), StringComparison.Ordinal);
    }
}

file static class LikeResponses
{
    /// <summary>The like count of a successful like or unlike response.</summary>
    public static async Task<int> LikesAsync(this Task<HttpResponseMessage> request)
    {
        using var response = await request;
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        return (await response.Content.ReadFromJsonAsync<System.Text.Json.JsonElement>()).GetProperty("likes").GetInt32();
    }
}
