using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Mindspace.Gateway.Tests.Infrastructure;
using Mindspace.Grains.Interfaces.Users;

namespace Mindspace.Gateway.Tests.Community;

/// <summary>Care before moderation, the profanity screen, feeds, anonymity, moderation and personal data.</summary>
public sealed class CommunityCareAndModerationTests(GatewayFixture fixture) : IClassFixture<GatewayFixture>
{
    private MindspaceTestHost Host => fixture.Host;

    [Fact]
    public async Task A_high_risk_post_is_held_for_its_author_with_care_and_resources_and_reaches_the_care_team()
    {
        var author = await Host.RegisterAndLoginAsync();
        Assert.Equal(HttpStatusCode.OK, (await author.Client.PatchAsJsonAsync("/api/v1/me", new { preferences = new { country = "GB" } })).StatusCode);
        var other = await Host.RegisterAndLoginAsync();
        var tag = CommunityHttp.NewTag();

        var post = await author.PostAsync(title: "I can't do this anymore", body: "I want to kill myself.", tags: [tag]);

        Assert.Equal("held", post.Str("status"));
        var care = post.GetProperty("care");
        Assert.Equal("high", care.Str("level"));
        Assert.Contains("care team", care.Str("reason"), StringComparison.Ordinal);
        Assert.Equal("GB", care.GetProperty("resources").Str("country"));
        Assert.Contains(care.GetProperty("resources").GetProperty("lines").EnumerateArray(), l => l.Str("kind") == "suicide-crisis");

        // Only the author sees it: for anyone else it does not exist, and it is in no feed.
        Assert.Equal("held", (await author.Client.GetJsonAsync($"/api/v1/posts/{post.Id()}")).Str("status"));
        await (await other.Client.GetAsync($"/api/v1/posts/{post.Id()}")).AssertProblemAsync(HttpStatusCode.NotFound);
        Assert.Empty(await other.FeedAsync($"sort=new&tag={tag}"));
        await (await other.Client.PutAsync($"/api/v1/posts/{post.Id()}/like", null)).AssertProblemAsync(HttpStatusCode.NotFound);

        // The author gets a private, caring message that is never held or turned off.
        var inbox = await author.Client.GetJsonAsync("/api/v1/notifications");
        Assert.Contains(inbox.GetProperty("items").EnumerateArray(), n => n.Str("kind") == "safety.community-post-held");

        // The care team sees it; moderators see it held.
        var carer = await Host.WithRoleAsync(UserRoles.CareTeam);
        var queue = await carer.Client.GetJsonAsync("/api/v1/care/queue");
        Assert.Contains(queue.GetProperty("items").EnumerateArray(), i => i.Str("userId") == author.UserId.ToString() && i.Str("conversationId") == post.Id());
        var moderator = await Host.WithRoleAsync(UserRoles.Moderator);
        Assert.Contains((await moderator.Client.GetJsonAsync("/api/v1/moderation/held")).GetProperty("items").EnumerateArray(), h => h.Str("postId") == post.Id());

        // A moderator's restore releases it.
        var restored = await moderator.Client.PostAsJsonAsync($"/api/v1/moderation/posts/{post.Id()}/restore", new { reason = "Care team has reached out; the author wants it shared." });
        Assert.Equal(HttpStatusCode.OK, restored.StatusCode);
        Assert.Equal("visible", (await other.Client.GetJsonAsync($"/api/v1/posts/{post.Id()}")).Str("status"));
        Assert.DoesNotContain((await moderator.Client.GetJsonAsync("/api/v1/moderation/held")).GetProperty("items").EnumerateArray(), h => h.Str("postId") == post.Id());
    }

    [Fact]
    public async Task A_high_risk_comment_is_held_for_its_author_only()
    {
        var author = await Host.RegisterAndLoginAsync();
        var commenter = await Host.RegisterAndLoginAsync();
        var id = (await author.PostAsync()).Id();

        var comment = await commenter.CommentAsync(id, "Tonight I am going to end my life.");

        Assert.Equal("held", comment.Str("status"));
        Assert.Equal("imminent", comment.GetProperty("care").Str("level"));
        Assert.Empty((await author.Client.GetJsonAsync($"/api/v1/posts/{id}/comments")).GetProperty("items").EnumerateArray());
        Assert.Single((await commenter.Client.GetJsonAsync($"/api/v1/posts/{id}/comments")).GetProperty("items").EnumerateArray());
    }

    [Fact]
    public async Task A_slur_is_refused_with_a_422_naming_the_field_but_crisis_words_get_care_not_a_refusal()
    {
        var user = await Host.RegisterAndLoginAsync();
        var title = await (await user.Client.PostAsJsonAsync("/api/v1/posts", new { title = "you twat", body = "hello" })).AssertProblemAsync(HttpStatusCode.UnprocessableEntity);
        Assert.True(title.GetProperty("errors").TryGetProperty("title", out _));
        var body = await (await user.Client.PostAsJsonAsync("/api/v1/posts", new { title = "hello", body = "what a cunt" })).AssertProblemAsync(HttpStatusCode.UnprocessableEntity);
        Assert.True(body.GetProperty("errors").TryGetProperty("body", out _));
        var tags = await (await user.Client.PostAsJsonAsync("/api/v1/posts", new { title = "hello", body = "hi", tags = new[] { "bukkake" } })).AssertProblemAsync(HttpStatusCode.UnprocessableEntity);
        Assert.True(tags.GetProperty("errors").TryGetProperty("tags", out _));

        var id = (await user.PostAsync(title: "Scunthorpe meet-up", body: "A classic walk after my assessment.")).Id();
        var comment = await (await user.Client.PostAsJsonAsync($"/api/v1/posts/{id}/comments", new { body = "bukkake" })).AssertProblemAsync(HttpStatusCode.UnprocessableEntity);
        Assert.True(comment.GetProperty("errors").TryGetProperty("body", out _));

        var crisis = await user.PostAsync(title: "help", body: "I want to kill myself, I'm such a twat.");
        Assert.Equal("held", crisis.Str("status"));
    }

    [Fact]
    public async Task The_new_feed_pages_with_a_cursor_that_stays_stable_while_new_posts_arrive()
    {
        var user = await Host.RegisterAndLoginAsync();
        var tag = CommunityHttp.NewTag();
        var ids = new List<string>();
        for (var i = 0; i < 5; i++)
        {
            ids.Add((await user.PostAsync(title: $"Post {i}", tags: [tag])).Id());
        }

        var first = await user.Client.GetJsonAsync($"/api/v1/posts?sort=new&tag={tag}&limit=2");
        Assert.Equal([ids[4], ids[3]], first.GetProperty("items").EnumerateArray().Select(p => p.Str("postId")));
        var late = (await user.PostAsync(title: "Late", tags: [tag])).Id();

        var seen = first.GetProperty("items").EnumerateArray().Select(p => p.Str("postId")).ToList();
        var cursor = first.Str("nextCursor");
        while (cursor is not null)
        {
            var page = await user.Client.GetJsonAsync($"/api/v1/posts?sort=new&tag={tag}&limit=2&cursor={cursor}");
            seen.AddRange(page.GetProperty("items").EnumerateArray().Select(p => p.Str("postId")));
            cursor = page.GetProperty("nextCursor").GetString();
        }

        Assert.Equal([ids[4], ids[3], ids[2], ids[1], ids[0]], seen);
        Assert.Equal(late, (await user.FeedAsync($"sort=new&tag={tag}&limit=1"))[0].Str("postId"));

        // A cursor belongs to its feed: another sort or tag, or a made-up one, is refused.
        await (await user.Client.GetAsync($"/api/v1/posts?sort=hot&tag={tag}&cursor={first.Str("nextCursor")}")).AssertValidationProblemAsync("cursor");
        await (await user.Client.GetAsync($"/api/v1/posts?sort=new&cursor={first.Str("nextCursor")}")).AssertValidationProblemAsync("cursor");
        await (await user.Client.GetAsync("/api/v1/posts?cursor=bm9wZQ")).AssertValidationProblemAsync("cursor");
    }

    [Fact]
    public async Task Top_and_hot_put_the_most_liked_first_and_edits_move_a_post_between_tag_feeds()
    {
        var author = await Host.RegisterAndLoginAsync();
        var fans = new[] { await Host.RegisterAndLoginAsync(), await Host.RegisterAndLoginAsync(), await Host.RegisterAndLoginAsync() };
        var tag = CommunityHttp.NewTag();
        var quiet = (await author.PostAsync(title: "Quiet", tags: [tag])).Id();
        var loved = (await author.PostAsync(title: "Loved", tags: [tag])).Id();
        var newest = (await author.PostAsync(title: "Newest", tags: [tag])).Id();
        foreach (var fan in fans)
        {
            Assert.Equal(HttpStatusCode.OK, (await fan.Client.PutAsync($"/api/v1/posts/{loved}/like", null)).StatusCode);
        }

        Assert.Equal(HttpStatusCode.OK, (await fans[0].Client.PutAsync($"/api/v1/posts/{quiet}/like", null)).StatusCode);

        var top = await author.FeedAsync($"sort=top&period=day&tag={tag}");
        Assert.Equal([loved, quiet, newest], top.Select(p => p.Str("postId")));
        Assert.Equal(3, top[0].GetProperty("likes").GetInt32());
        Assert.Equal(loved, (await author.FeedAsync($"sort=hot&tag={tag}"))[0].Str("postId"));
        Assert.Contains(await author.FeedAsync("sort=new&limit=100"), p => p.Str("postId") == newest);

        var other = CommunityHttp.NewTag();
        Assert.Equal(HttpStatusCode.OK, (await author.Client.PatchAsJsonAsync($"/api/v1/posts/{newest}", new { tags = new[] { other } })).StatusCode);
        Assert.DoesNotContain(await author.FeedAsync($"sort=new&tag={tag}"), p => p.Str("postId") == newest);
        Assert.Equal(newest, (await author.FeedAsync($"sort=new&tag={other}")).Single().Str("postId"));
    }

    [Fact]
    public async Task An_anonymous_post_shows_a_pseudonym_and_only_a_moderator_with_a_reason_can_reveal_its_author_who_is_told()
    {
        var author = await Host.RegisterAndLoginAsync();
        var reader = await Host.RegisterAndLoginAsync();
        var tag = CommunityHttp.NewTag();
        var post = await author.PostAsync(title: "Hard to say out loud", body: "I feel lonely at work.", tags: [tag], anonymous: true);
        var id = post.Id();
        var pseudonym = post.GetProperty("author").Str("name");
        Assert.True(post.GetProperty("author").GetProperty("anonymous").GetBoolean());

        var asRead = await reader.Client.GetStringAsync($"/api/v1/posts/{id}");
        Assert.DoesNotContain(author.UserId.ToString(), asRead, StringComparison.OrdinalIgnoreCase);
        Assert.Contains(pseudonym, asRead, StringComparison.Ordinal);
        var feed = await reader.Client.GetStringAsync($"/api/v1/posts?sort=new&tag={tag}");
        Assert.DoesNotContain(author.UserId.ToString(), feed, StringComparison.OrdinalIgnoreCase);
        Assert.True((await author.Client.GetJsonAsync($"/api/v1/posts/{id}")).GetProperty("isMine").GetBoolean());

        // The author's own reply keeps the pseudonym; a reader's comment is named.
        await reader.CommentAsync(id, "You're not alone.");
        var reply = await author.CommentAsync(id, "Thank you, that means a lot.");
        Assert.Equal(pseudonym, reply.GetProperty("author").Str("name"));
        var comments = await reader.Client.GetStringAsync($"/api/v1/posts/{id}/comments");
        Assert.DoesNotContain(author.UserId.ToString(), comments, StringComparison.OrdinalIgnoreCase);

        // The author can still edit it; a reader cannot.
        Assert.Equal(HttpStatusCode.OK, (await author.Client.PatchAsJsonAsync($"/api/v1/posts/{id}", new { title = "Still hard to say" })).StatusCode);
        await (await reader.Client.PatchAsJsonAsync($"/api/v1/posts/{id}", new { title = "x" })).AssertProblemAsync(HttpStatusCode.Forbidden);

        // Reveal: members cannot; moderators need a reason; it is logged and the author is told.
        await (await reader.Client.PostAsJsonAsync($"/api/v1/moderation/posts/{id}/reveal", new { reason = "curious" })).AssertProblemAsync(HttpStatusCode.Forbidden);
        var moderator = await Host.WithRoleAsync(UserRoles.Moderator);
        await (await moderator.Client.PostAsJsonAsync($"/api/v1/moderation/posts/{id}/reveal", new { reason = "  " })).AssertValidationProblemAsync("reason");
        Assert.DoesNotContain(author.UserId.ToString(), JsonSerializer.Serialize(await moderator.Client.GetJsonAsync($"/api/v1/moderation/posts/{id}")), StringComparison.OrdinalIgnoreCase);
        var revealed = await moderator.Client.PostAsJsonAsync($"/api/v1/moderation/posts/{id}/reveal", new { reason = "Credible threat reported against another member." });
        var body = await revealed.Content.ReadFromJsonAsync<JsonElement>();
        Assert.Equal(HttpStatusCode.OK, revealed.StatusCode);
        Assert.Equal(author.UserId.ToString(), body.Str("authorId"));

        var log = await moderator.Client.GetJsonAsync("/api/v1/moderation/log");
        Assert.Contains(log.GetProperty("items").EnumerateArray(), e => e.Str("action") == "reveal" && e.Str("postId") == id && e.Str("actorId") == moderator.UserId.ToString() && e.Str("reason").StartsWith("Credible", StringComparison.Ordinal));
        var inbox = await author.Client.GetJsonAsync("/api/v1/notifications");
        Assert.Contains(inbox.GetProperty("items").EnumerateArray(), n => n.Str("kind") == "account.community-identity-revealed");
        await (await moderator.Client.PostAsJsonAsync($"/api/v1/moderation/posts/{(await reader.PostAsync()).Id()}/reveal", new { reason = "not anonymous" })).AssertProblemAsync(HttpStatusCode.NotFound);
    }

    [Fact]
    public async Task Reports_reach_the_review_queue_and_hide_remove_restore_are_logged_with_reasons()
    {
        var author = await Host.RegisterAndLoginAsync();
        var reporter = await Host.RegisterAndLoginAsync();
        var reader = await Host.RegisterAndLoginAsync();
        var id = (await author.PostAsync(title: "Buy cheap pills here")).Id();

        await (await reporter.Client.PostAsJsonAsync($"/api/v1/posts/{id}/reports", new { reason = "boring" })).AssertValidationProblemAsync("reason");
        await (await reporter.Client.PostAsJsonAsync($"/api/v1/posts/{id}/reports", new { reason = "spam", commentId = Guid.NewGuid() })).AssertValidationProblemAsync("commentId");
        Assert.Equal(HttpStatusCode.Accepted, (await reporter.Client.PostAsJsonAsync($"/api/v1/posts/{id}/reports", new { reason = "spam", note = "Selling things" })).StatusCode);
        Assert.Equal(HttpStatusCode.Accepted, (await reporter.Client.PostAsJsonAsync($"/api/v1/posts/{id}/reports", new { reason = "spam" })).StatusCode);
        await (await reporter.Client.PostAsJsonAsync($"/api/v1/posts/{Guid.NewGuid()}/reports", new { reason = "spam" })).AssertProblemAsync(HttpStatusCode.NotFound);

        await (await reporter.Client.GetAsync("/api/v1/moderation/reports")).AssertProblemAsync(HttpStatusCode.Forbidden);
        var moderator = await Host.WithRoleAsync(UserRoles.Moderator);
        var reports = (await moderator.Client.GetJsonAsync("/api/v1/moderation/reports")).GetProperty("items").EnumerateArray().Where(r => r.Str("postId") == id).ToList();
        Assert.Single(reports);
        Assert.Equal("spam", reports[0].Str("reason"));

        await (await moderator.Client.PostAsJsonAsync($"/api/v1/moderation/posts/{id}/hide", new { })).AssertValidationProblemAsync("reason");
        Assert.Equal(HttpStatusCode.OK, (await moderator.Client.PostAsJsonAsync($"/api/v1/moderation/posts/{id}/hide", new { reason = "Looks like spam" })).StatusCode);
        await (await reader.Client.GetAsync($"/api/v1/posts/{id}")).AssertProblemAsync(HttpStatusCode.NotFound);
        Assert.Equal("hidden", (await author.Client.GetJsonAsync($"/api/v1/posts/{id}")).Str("status"));
        Assert.DoesNotContain((await moderator.Client.GetJsonAsync("/api/v1/moderation/reports")).GetProperty("items").EnumerateArray(), r => r.Str("postId") == id);

        Assert.Equal(HttpStatusCode.OK, (await moderator.Client.PostAsJsonAsync($"/api/v1/moderation/posts/{id}/restore", new { reason = "Checked: a pharmacy discount, allowed" })).StatusCode);
        Assert.Equal("visible", (await reader.Client.GetJsonAsync($"/api/v1/posts/{id}")).Str("status"));
        Assert.Equal(HttpStatusCode.OK, (await moderator.Client.PostAsJsonAsync($"/api/v1/moderation/posts/{id}/remove", new { reason = "Second look: it is spam" })).StatusCode);
        await (await reader.Client.GetAsync($"/api/v1/posts/{id}")).AssertProblemAsync(HttpStatusCode.NotFound);
        await (await moderator.Client.PostAsJsonAsync($"/api/v1/moderation/posts/{Guid.NewGuid()}/remove", new { reason = "x" })).AssertProblemAsync(HttpStatusCode.NotFound);

        var actions = (await moderator.Client.GetJsonAsync("/api/v1/moderation/log")).GetProperty("items").EnumerateArray().Where(e => e.Str("postId") == id).Select(e => e.Str("action")).ToList();
        Assert.Equal(["remove", "restore", "hide"], actions);
    }

    [Fact]
    public async Task Export_lists_a_persons_posts_comments_likes_and_bookmarks_and_erasure_keeps_others_replies_under_a_tombstone()
    {
        var person = await Host.RegisterAndLoginAsync();
        var friend = await Host.RegisterAndLoginAsync();
        var replied = (await person.PostAsync(title: "Replied to")).Id();
        var alone = (await person.PostAsync(title: "Nobody replied")).Id();
        var secret = (await person.PostAsync(title: "Anonymous one", anonymous: true)).Id();
        var friendsPost = (await friend.PostAsync(title: "Friend's post")).Id();
        await friend.CommentAsync(replied, "I'm here for you");
        await person.CommentAsync(friendsPost, "Thanks for sharing");
        Assert.Equal(HttpStatusCode.OK, (await person.Client.PutAsync($"/api/v1/posts/{friendsPost}/like", null)).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await person.Client.PutAsync($"/api/v1/posts/{friendsPost}/bookmark", null)).StatusCode);

        var export = (await person.Client.GetJsonAsync("/api/v1/me/export")).GetProperty("community");
        Assert.Equal(2, export.GetProperty("posts").GetArrayLength());
        Assert.Equal(secret, export.GetProperty("anonymousPosts")[0].Str("id"));
        Assert.Equal("Thanks for sharing", export.GetProperty("comments")[0].Str("body"));
        Assert.Equal(friendsPost, export.GetProperty("likes")[0].GetString());
        Assert.Equal(friendsPost, export.GetProperty("bookmarks")[0].Str("postId"));
        var friendsExport = (await friend.Client.GetJsonAsync("/api/v1/me/export")).GetProperty("community");
        Assert.Empty(friendsExport.GetProperty("anonymousPosts").EnumerateArray());
        Assert.Empty(friendsExport.GetProperty("bookmarks").EnumerateArray());

        var deleted = await person.Client.SendAsync(new HttpRequestMessage(HttpMethod.Delete, "/api/v1/me") { Content = JsonContent.Create(new { password = person.Password }) });
        Assert.Equal(HttpStatusCode.NoContent, deleted.StatusCode);

        var tombstone = await friend.Client.GetJsonAsync($"/api/v1/posts/{replied}");
        Assert.Equal("deleted", tombstone.Str("status"));
        Assert.Equal(JsonValueKind.Null, tombstone.GetProperty("body").ValueKind);
        Assert.Equal("I'm here for you", (await friend.Client.GetJsonAsync($"/api/v1/posts/{replied}/comments")).GetProperty("items")[0].Str("body"));
        await (await friend.Client.GetAsync($"/api/v1/posts/{alone}")).AssertProblemAsync(HttpStatusCode.NotFound);
        await (await friend.Client.GetAsync($"/api/v1/posts/{secret}")).AssertProblemAsync(HttpStatusCode.NotFound);
        var friendsNow = await friend.Client.GetJsonAsync($"/api/v1/posts/{friendsPost}");
        Assert.Equal(0, friendsNow.GetProperty("likes").GetInt32());
        var theirComment = (await friend.Client.GetJsonAsync($"/api/v1/posts/{friendsPost}/comments")).GetProperty("items")[0];
        Assert.Equal("deleted", theirComment.Str("status"));
        Assert.Equal(JsonValueKind.Null, theirComment.GetProperty("author").GetProperty("userId").ValueKind);
    }
}
