using System.Net;
using System.Net.Http.Json;
using Mindspace.Gateway.Tests.Infrastructure;

namespace Mindspace.Gateway.Tests.Community;

/// <summary>Following tags and people, and the <c>following=true</c> feed.</summary>
public sealed class FollowingTests(GatewayFixture fixture) : IClassFixture<GatewayFixture>
{
    private MindspaceTestHost Host => fixture.Host;

    [Fact]
    public async Task The_following_feed_has_the_followed_tags_and_peoples_named_posts_and_never_their_anonymous_ones()
    {
        var reader = await Host.RegisterAndLoginAsync();
        var friend = await Host.RegisterAndLoginAsync();
        var stranger = await Host.RegisterAndLoginAsync();
        var tag = CommunityHttp.NewTag();

        Assert.Equal(HttpStatusCode.OK, (await reader.Client.PutAsync($"/api/v1/me/following/tags/{tag}", null)).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await reader.Client.PutAsync($"/api/v1/me/following/people/{friend.UserId}", null)).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await reader.Client.PutAsync($"/api/v1/me/following/people/{friend.UserId}", null)).StatusCode);

        var friendsPost = (await friend.PostAsync(title: "From a friend")).Id();
        var friendsSecret = (await friend.PostAsync(title: "Quietly", anonymous: true)).Id();
        var tagged = (await stranger.PostAsync(title: "Tagged", tags: [tag])).Id();
        var other = (await stranger.PostAsync(title: "Elsewhere")).Id();
        var both = (await friend.PostAsync(title: "Both", tags: [tag])).Id();

        var feed = (await reader.FeedAsync("following=true&sort=new")).Select(p => p.Str("postId")).ToList();
        Assert.Equal([both, tagged, friendsPost], feed);
        Assert.DoesNotContain(friendsSecret, feed);
        Assert.DoesNotContain(other, feed);

        var following = await reader.Client.GetJsonAsync("/api/v1/me/following");
        Assert.Equal([tag], following.GetProperty("tags").EnumerateArray().Select(t => t.GetString()));
        Assert.Equal(friend.UserId.ToString(), following.GetProperty("people")[0].Str("userId"));

        // Only you see whom you follow.
        var theirs = await friend.Client.GetJsonAsync("/api/v1/me/following");
        Assert.Empty(theirs.GetProperty("tags").EnumerateArray());
        Assert.Empty(theirs.GetProperty("people").EnumerateArray());

        Assert.Equal(HttpStatusCode.OK, (await reader.Client.DeleteAsync($"/api/v1/me/following/people/{friend.UserId}")).StatusCode);
        Assert.Equal([both, tagged], (await reader.FeedAsync("following=true&sort=new")).Select(p => p.Str("postId")));
    }

    [Fact]
    public async Task The_following_feed_pages_by_cursor_and_stays_stable_while_posts_arrive()
    {
        var reader = await Host.RegisterAndLoginAsync();
        var a = await Host.RegisterAndLoginAsync();
        var b = await Host.RegisterAndLoginAsync();
        var tag = CommunityHttp.NewTag();
        await reader.Client.PutAsync($"/api/v1/me/following/tags/{tag}", null);
        await reader.Client.PutAsync($"/api/v1/me/following/people/{a.UserId}", null);

        var expected = new List<string>();
        for (var i = 0; i < 7; i++)
        {
            expected.Insert(0, (i % 2 == 0 ? await a.PostAsync(title: $"A {i}") : await b.PostAsync(title: $"B {i}", tags: [tag])).Id());
        }

        var seen = new List<string>();
        var page = await reader.Client.GetJsonAsync("/api/v1/posts?following=true&sort=new&limit=3");
        seen.AddRange(page.GetProperty("items").EnumerateArray().Select(p => p.Str("postId")));

        // Posts that arrive between pages neither shift nor repeat the later pages.
        await a.PostAsync(title: "Late arrival");
        while (page.GetProperty("nextCursor").GetString() is { } cursor)
        {
            page = await reader.Client.GetJsonAsync($"/api/v1/posts?following=true&sort=new&limit=3&cursor={cursor}");
            seen.AddRange(page.GetProperty("items").EnumerateArray().Select(p => p.Str("postId")));
        }

        Assert.Equal(expected, seen);

        // Every sort pages the merged feed too, each post once.
        foreach (var sort in new[] { "hot", "top" })
        {
            var all = new List<string>();
            string? next = null;
            do
            {
                var p = await reader.Client.GetJsonAsync($"/api/v1/posts?following=true&sort={sort}&limit=2" + (next is null ? "" : "&cursor=" + next));
                all.AddRange(p.GetProperty("items").EnumerateArray().Select(x => x.Str("postId")));
                next = p.GetProperty("nextCursor").GetString();
            }
            while (next is not null);

            Assert.Equal(8, all.Count);
            Assert.Equal(8, all.Distinct().Count());
        }
    }

    [Fact]
    public async Task Bad_follow_requests_are_problems_and_change_nothing()
    {
        var user = await Host.RegisterAndLoginAsync();
        await (await user.Client.GetAsync("/api/v1/posts?following=maybe")).AssertValidationProblemAsync("following");
        await (await user.Client.GetAsync("/api/v1/posts?following=true&tag=sleep")).AssertValidationProblemAsync("following");
        var cursor = (await user.Client.GetJsonAsync("/api/v1/posts?sort=new&limit=1")).GetProperty("nextCursor").GetString();
        if (cursor is not null)
        {
            // A cursor of another feed is refused.
            await (await user.Client.GetAsync($"/api/v1/posts?following=true&sort=new&cursor={cursor}")).AssertValidationProblemAsync("cursor");
        }

        await (await user.Client.PutAsync($"/api/v1/me/following/people/{user.UserId}", null)).AssertValidationProblemAsync("userId");
        await (await user.Client.PutAsync($"/api/v1/me/following/people/{Guid.NewGuid()}", null)).AssertProblemAsync(HttpStatusCode.NotFound);
        await (await user.Client.PutAsync("/api/v1/me/following/people/not-an-id", null)).AssertProblemAsync(HttpStatusCode.NotFound);
        await (await user.Client.PutAsync($"/api/v1/me/following/tags/{new string('a', 40)}", null)).AssertValidationProblemAsync("tag");

        var following = await user.Client.GetJsonAsync("/api/v1/me/following");
        Assert.Empty(following.GetProperty("tags").EnumerateArray());
        Assert.Empty(following.GetProperty("people").EnumerateArray());
        Assert.Empty((await user.FeedAsync("following=true")));
    }

    [Fact]
    public async Task Follows_are_exported_and_erased_with_the_account()
    {
        var user = await Host.RegisterAndLoginAsync();
        var friend = await Host.RegisterAndLoginAsync();
        var tag = CommunityHttp.NewTag();
        await user.Client.PutAsync($"/api/v1/me/following/tags/{tag}", null);
        await user.Client.PutAsync($"/api/v1/me/following/people/{friend.UserId}", null);

        var export = (await user.Client.GetJsonAsync("/api/v1/me/export")).GetProperty("communitySocial");
        Assert.Equal(tag, export.GetProperty("following").GetProperty("tags")[0].GetString());
        Assert.Equal(friend.UserId.ToString(), export.GetProperty("following").GetProperty("people")[0].Str("userId"));

        var deleted = await user.Client.SendAsync(new HttpRequestMessage(HttpMethod.Delete, "/api/v1/me") { Content = JsonContent.Create(new { password = user.Password }) });
        Assert.Equal(HttpStatusCode.NoContent, deleted.StatusCode);
        var left = await Host.Grains.GetGrain<Mindspace.Grains.Interfaces.Community.ICommunitySocialGrain>(user.UserId).ExportAsync();
        Assert.Empty(left.Following.Tags);
        Assert.Empty(left.Following.People);
    }
}
