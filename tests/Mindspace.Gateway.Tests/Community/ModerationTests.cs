using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Mindspace.Gateway.Tests.Infrastructure;
using Mindspace.Grains.Interfaces.Users;
using Mindspace.Testing;

namespace Mindspace.Gateway.Tests.Community;

/// <summary>One host for <see cref="ModerationTests"/>: a clock the tests move, new accounts limited (2 posts, 3 comments an hour), auto-hide at 2 reports.</summary>
public sealed class ModerationFixture : IAsyncLifetime
{
    public ManualClock Clock { get; } = new(DateTimeOffset.UtcNow);

    public MindspaceTestHost Host { get; private set; } = null!;

    public async Task InitializeAsync() => Host = await MindspaceTestHost.StartAsync(
        settings =>
        {
            settings["COMMUNITY_NEW_ACCOUNT_DAYS"] = "3";
            settings["COMMUNITY_NEW_ACCOUNT_POSTS_PER_HOUR"] = "2";
            settings["COMMUNITY_NEW_ACCOUNT_COMMENTS_PER_HOUR"] = "3";
            settings["COMMUNITY_AUTO_HIDE_REPORTS"] = "2";
        },
        Clock);

    public async Task DisposeAsync() => await Host.DisposeAsync();
}

/// <summary>Warnings, time-limited suspensions, least privilege, comment moderation, new accounts' limits, auto-hide and the public mod log.</summary>
/// <remarks>
/// Access tokens are validated against real time while the product's clock is the fixture's: each test
/// starts the clock at real time, and after moving it on a test keeps using the tokens it already has.
/// </remarks>
public sealed class ModerationTests : IClassFixture<ModerationFixture>
{
    private readonly ModerationFixture _fixture;

    public ModerationTests(ModerationFixture fixture)
    {
        _fixture = fixture;
        _fixture.Clock.Set(DateTimeOffset.UtcNow);
    }

    private MindspaceTestHost Host => _fixture.Host;

    [Fact]
    public async Task A_warning_needs_a_reason_is_logged_and_the_member_is_told_kindly()
    {
        var moderator = await Host.WithRoleAsync(UserRoles.Moderator);
        var member = await Host.RegisterAndLoginAsync();

        await (await moderator.Client.PostAsJsonAsync($"/api/v1/moderation/members/{member.UserId}/warn", new { reason = " " })).AssertValidationProblemAsync("reason");
        await (await moderator.Client.PostAsync($"/api/v1/moderation/members/{member.UserId}/warn", HttpJson.Json("{\"reason\": 5}"))).AssertProblemAsync(HttpStatusCode.BadRequest);
        await (await moderator.Client.PostAsJsonAsync($"/api/v1/moderation/members/{Guid.NewGuid()}/warn", new { reason = "x" })).AssertProblemAsync(HttpStatusCode.NotFound);
        await (await member.Client.PostAsJsonAsync($"/api/v1/moderation/members/{moderator.UserId}/warn", new { reason = "x" })).AssertProblemAsync(HttpStatusCode.Forbidden);

        var warned = await Ok(await moderator.Client.PostAsJsonAsync($"/api/v1/moderation/members/{member.UserId}/warn", new { reason = "Please keep replies about the post, not the person." }));
        Assert.Equal("warn", warned.GetProperty("log").Str("action"));
        Assert.Equal(member.UserId.ToString(), warned.GetProperty("log").Str("memberId"));

        var note = await NotificationAsync(member, "account.community-warning");
        Assert.Contains("Please keep replies about the post, not the person.", note.Str("body"), StringComparison.Ordinal);
        Assert.Contains("not a punishment", note.Str("body"), StringComparison.Ordinal);

        var log = (await moderator.Client.GetJsonAsync("/api/v1/moderation/log")).GetProperty("items").EnumerateArray();
        Assert.Contains(log, e => e.Str("action") == "warn" && e.Str("memberId") == member.UserId.ToString() && e.Str("actorId") == moderator.UserId.ToString());
        var standing = await moderator.Client.GetJsonAsync($"/api/v1/moderation/members/{member.UserId}");
        Assert.Equal("warn", standing.GetProperty("history")[0].Str("kind"));

        // A warning does not stop anyone posting, and it is in the member's own export.
        await member.PostAsync();
        var export = await member.Client.GetJsonAsync("/api/v1/me/export");
        Assert.Equal("warn", export.GetProperty("communityStanding").GetProperty("history")[0].Str("kind"));
    }

    [Fact]
    public async Task A_suspended_member_cannot_post_comment_like_or_edit_until_the_end_and_is_told_until_when()
    {
        var moderator = await Host.WithRoleAsync(UserRoles.Moderator);
        var member = await Host.RegisterAndLoginAsync(timeZone: "Europe/London");
        var other = await Host.RegisterAndLoginAsync();
        var own = (await member.PostAsync()).Id();
        var theirs = (await other.PostAsync()).Id();
        var myComment = (await member.CommentAsync(theirs)).Id();

        var suspended = await Ok(await moderator.Client.PostAsJsonAsync(
            $"/api/v1/moderation/members/{member.UserId}/suspend", new { reason = "Repeated unkind replies after a warning.", hours = 24 }));
        var until = suspended.GetProperty("standing").GetProperty("suspendedUntil").GetDateTimeOffset();
        Assert.Equal(_fixture.Clock.GetUtcNow().AddHours(24), until);

        var refused = await (await member.Client.PostAsJsonAsync("/api/v1/posts", new { title = "Hello", body = "Again" })).AssertProblemAsync(HttpStatusCode.Forbidden);
        Assert.Equal(until, refused.GetProperty("suspendedUntil").GetDateTimeOffset());
        Assert.Contains($"{until.UtcDateTime:yyyy-MM-dd HH:mm} UTC", refused.Str("detail"), StringComparison.Ordinal);
        await (await member.Client.PostAsJsonAsync($"/api/v1/posts/{theirs}/comments", new { body = "hi" })).AssertProblemAsync(HttpStatusCode.Forbidden);
        await (await member.Client.PutAsync($"/api/v1/posts/{theirs}/like", null)).AssertProblemAsync(HttpStatusCode.Forbidden);
        await (await member.Client.PatchAsJsonAsync($"/api/v1/posts/{own}", new { title = "Changed" })).AssertProblemAsync(HttpStatusCode.Forbidden);

        // Reading, and taking back one's own words, stay open.
        Assert.Equal(HttpStatusCode.OK, (await member.Client.GetAsync($"/api/v1/posts/{theirs}")).StatusCode);
        Assert.Equal(HttpStatusCode.NoContent, (await member.Client.DeleteAsync($"/api/v1/posts/{theirs}/comments/{myComment}")).StatusCode);

        var note = await NotificationAsync(member, "account.community-suspended");
        Assert.Contains("Repeated unkind replies after a warning.", note.Str("body"), StringComparison.Ordinal);
        Assert.Contains("(Europe/London)", note.Str("body"), StringComparison.Ordinal);
        var log = (await moderator.Client.GetJsonAsync("/api/v1/moderation/log")).GetProperty("items").EnumerateArray();
        Assert.Contains(log, e => e.Str("action") == "suspend" && e.Str("memberId") == member.UserId.ToString() && e.GetProperty("until").GetDateTimeOffset() == until);

        // When the suspension ends, everything is open again.
        _fixture.Clock.Advance(TimeSpan.FromHours(24) + TimeSpan.FromMinutes(1));
        Assert.Equal(HttpStatusCode.Created, (await member.Client.PostAsJsonAsync($"/api/v1/posts/{theirs}/comments", new { body = "Sorry for earlier." })).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await member.Client.PutAsync($"/api/v1/posts/{theirs}/like", null)).StatusCode);
    }

    [Fact]
    public async Task A_suspension_can_be_lifted_early_and_the_member_is_told()
    {
        var moderator = await Host.WithRoleAsync(UserRoles.Moderator);
        var member = await Host.RegisterAndLoginAsync();
        var post = (await member.PostAsync()).Id();
        await Ok(await moderator.Client.PostAsJsonAsync($"/api/v1/moderation/members/{member.UserId}/suspend", new { reason = "Cooling off.", hours = 48 }));
        await (await member.Client.PutAsync($"/api/v1/posts/{post}/like", null)).AssertProblemAsync(HttpStatusCode.Forbidden);

        await (await moderator.Client.PostAsJsonAsync($"/api/v1/moderation/members/{member.UserId}/lift", new { })).AssertValidationProblemAsync("reason");
        var lifted = await Ok(await moderator.Client.PostAsJsonAsync($"/api/v1/moderation/members/{member.UserId}/lift", new { reason = "They apologised." }));
        Assert.Equal(JsonValueKind.Null, lifted.GetProperty("standing").GetProperty("suspendedUntil").ValueKind);

        Assert.Equal(HttpStatusCode.OK, (await member.Client.PutAsync($"/api/v1/posts/{post}/like", null)).StatusCode);
        await NotificationAsync(member, "account.community-suspension-lifted");
        await (await moderator.Client.PostAsJsonAsync($"/api/v1/moderation/members/{member.UserId}/lift", new { reason = "Again." })).AssertProblemAsync(HttpStatusCode.Conflict);
    }

    [Fact]
    public async Task Moderators_suspend_for_at_most_a_week_and_never_peers_or_themselves_admins_can()
    {
        var moderator = await Host.WithRoleAsync(UserRoles.Moderator);
        var peer = await Host.WithRoleAsync(UserRoles.Moderator);
        var admin = await Host.WithRoleAsync(UserRoles.Admin);
        var member = await Host.RegisterAndLoginAsync();

        await (await moderator.Client.PostAsJsonAsync($"/api/v1/moderation/members/{member.UserId}/suspend", new { reason = "x", hours = 0 })).AssertValidationProblemAsync("hours");
        await (await moderator.Client.PostAsJsonAsync($"/api/v1/moderation/members/{member.UserId}/suspend", new { reason = "x", hours = 2161 })).AssertValidationProblemAsync("hours");
        await (await moderator.Client.PostAsJsonAsync($"/api/v1/moderation/members/{member.UserId}/suspend", new { reason = "x" })).AssertValidationProblemAsync("hours");
        var tooLong = await (await moderator.Client.PostAsJsonAsync($"/api/v1/moderation/members/{member.UserId}/suspend", new { reason = "x", hours = 169 })).AssertProblemAsync(HttpStatusCode.Forbidden);
        Assert.Contains("admin", tooLong.Str("detail"), StringComparison.Ordinal);
        await (await moderator.Client.PostAsJsonAsync($"/api/v1/moderation/members/{peer.UserId}/warn", new { reason = "x" })).AssertProblemAsync(HttpStatusCode.Forbidden);
        await (await moderator.Client.PostAsJsonAsync($"/api/v1/moderation/members/{admin.UserId}/suspend", new { reason = "x", hours = 1 })).AssertProblemAsync(HttpStatusCode.Forbidden);
        await (await moderator.Client.PostAsJsonAsync($"/api/v1/moderation/members/{moderator.UserId}/warn", new { reason = "x" })).AssertProblemAsync(HttpStatusCode.Forbidden);
        Assert.Equal(JsonValueKind.Null, (await admin.Client.GetJsonAsync($"/api/v1/moderation/members/{member.UserId}")).GetProperty("suspendedUntil").ValueKind);

        await Ok(await moderator.Client.PostAsJsonAsync($"/api/v1/moderation/members/{member.UserId}/suspend", new { reason = "A week to reset.", hours = 168 }));
        await Ok(await admin.Client.PostAsJsonAsync($"/api/v1/moderation/members/{member.UserId}/suspend", new { reason = "Threats against another member.", hours = 720 }));
        await Ok(await admin.Client.PostAsJsonAsync($"/api/v1/moderation/members/{peer.UserId}/warn", new { reason = "Please give reasons the member can understand." }));
        Assert.Equal(
            _fixture.Clock.GetUtcNow().AddHours(720),
            (await moderator.Client.GetJsonAsync($"/api/v1/moderation/members/{member.UserId}")).GetProperty("suspendedUntil").GetDateTimeOffset());
    }

    [Fact]
    public async Task A_moderator_hides_removes_and_restores_a_single_comment_and_each_is_logged()
    {
        var moderator = await Host.WithRoleAsync(UserRoles.Moderator);
        var author = await Host.RegisterAndLoginAsync();
        var commenter = await Host.RegisterAndLoginAsync();
        var reader = await Host.RegisterAndLoginAsync();
        var post = (await author.PostAsync()).Id();
        var comment = (await commenter.CommentAsync(post, "You are pathetic.")).Id();
        var kind = (await reader.CommentAsync(post, "Proud of you.")).Id();
        Assert.Equal(HttpStatusCode.Accepted, (await reader.Client.PostAsJsonAsync($"/api/v1/posts/{post}/reports", new { reason = "harassment", commentId = comment })).StatusCode);

        await (await moderator.Client.PostAsJsonAsync($"/api/v1/moderation/posts/{post}/comments/{comment}/hide", new { })).AssertValidationProblemAsync("reason");
        await (await moderator.Client.PostAsJsonAsync($"/api/v1/moderation/posts/{post}/comments/{Guid.NewGuid()}/hide", new { reason = "x" })).AssertProblemAsync(HttpStatusCode.NotFound);
        await (await reader.Client.PostAsJsonAsync($"/api/v1/moderation/posts/{post}/comments/{comment}/hide", new { reason = "x" })).AssertProblemAsync(HttpStatusCode.Forbidden);

        var hidden = await Ok(await moderator.Client.PostAsJsonAsync($"/api/v1/moderation/posts/{post}/comments/{comment}/hide", new { reason = "Name-calling." }));
        Assert.Equal("hidden", hidden.GetProperty("comment").Str("status"));
        Assert.Equal(comment, hidden.GetProperty("log").Str("commentId"));
        Assert.Equal([kind], await CommentIdsAsync(author, post));
        Assert.Equal("hidden", (await CommentsAsync(commenter, post)).Single(c => c.Id() == comment).Str("status"));
        Assert.Equal(1, (await author.Client.GetJsonAsync($"/api/v1/posts/{post}")).GetProperty("comments").GetInt32());

        // The report on the comment is resolved by the action.
        var reports = (await moderator.Client.GetJsonAsync("/api/v1/moderation/reports?includeResolved=true")).GetProperty("items").EnumerateArray();
        Assert.Contains(reports, r => r.GetProperty("commentId").GetString() == comment && r.Str("status") == "resolved" && r.Str("resolution") == "hide");

        await Ok(await moderator.Client.PostAsJsonAsync($"/api/v1/moderation/posts/{post}/comments/{comment}/remove", new { reason = "Harassment." }));
        Assert.Equal("removed", (await CommentsAsync(commenter, post)).Single(c => c.Id() == comment).Str("status"));
        await Ok(await moderator.Client.PostAsJsonAsync($"/api/v1/moderation/posts/{post}/comments/{comment}/restore", new { reason = "Context: friends joking, both said so." }));
        Assert.Equal([comment, kind], await CommentIdsAsync(author, post));

        var log = (await moderator.Client.GetJsonAsync("/api/v1/moderation/log")).GetProperty("items").EnumerateArray()
            .Where(e => e.GetProperty("commentId").GetString() == comment).Select(e => e.Str("action")).ToList();
        Assert.Equal(["restore", "remove", "hide"], log);
    }

    [Fact]
    public async Task New_accounts_post_and_comment_at_a_lower_rate_with_a_kind_429_and_retry_after()
    {
        var member = await Host.RegisterAndLoginAsync();

        // Refused input does not count against the limit.
        await (await member.Client.PostAsJsonAsync("/api/v1/posts", new { title = "", body = "x" })).AssertValidationProblemAsync("title");
        var first = (await member.PostAsync()).Id();
        _fixture.Clock.Advance(TimeSpan.FromMinutes(10));
        await member.PostAsync();
        var response = await member.Client.PostAsJsonAsync("/api/v1/posts", new { title = "Third", body = "Too soon" });
        var problem = await response.AssertProblemAsync(HttpStatusCode.TooManyRequests);
        Assert.Equal(TimeSpan.FromMinutes(50), response.Headers.RetryAfter?.Delta);
        Assert.Equal(3000, problem.GetProperty("retryAfterSeconds").GetInt32());
        Assert.Contains("New accounts can share up to 2 posts an hour", problem.Str("detail"), StringComparison.Ordinal);
        Assert.Contains("about 50 minutes", problem.Str("detail"), StringComparison.Ordinal);

        for (var i = 0; i < 3; i++)
        {
            await member.CommentAsync(first, $"Update {i}");
        }

        var comment = await member.Client.PostAsJsonAsync($"/api/v1/posts/{first}/comments", new { body = "One more" });
        await comment.AssertProblemAsync(HttpStatusCode.TooManyRequests);
        Assert.NotNull(comment.Headers.RetryAfter);

        // Likes are not limited; an hour after the first post, one more is allowed.
        Assert.Equal(HttpStatusCode.OK, (await member.Client.PutAsync($"/api/v1/posts/{first}/like", null)).StatusCode);
        _fixture.Clock.Advance(TimeSpan.FromMinutes(51));
        var client = member.Client;
        Assert.Equal(HttpStatusCode.Created, (await client.PostAsJsonAsync("/api/v1/posts", new { title = "Third", body = "Now" })).StatusCode);
        await (await client.PostAsJsonAsync("/api/v1/posts", new { title = "Fourth", body = "Too soon" })).AssertProblemAsync(HttpStatusCode.TooManyRequests);

        // After three days the account is not new any more: no community limit beyond the usual one.
        _fixture.Clock.Advance(TimeSpan.FromDays(3));
        for (var i = 0; i < 3; i++)
        {
            Assert.Equal(HttpStatusCode.Created, (await client.PostAsJsonAsync("/api/v1/posts", new { title = $"Settled {i}", body = "Hello" })).StatusCode);
        }
    }

    [Fact]
    public async Task Reports_from_enough_different_members_hide_a_post_or_comment_into_the_review_queue()
    {
        var moderator = await Host.WithRoleAsync(UserRoles.Moderator);
        var author = await Host.RegisterAndLoginAsync();
        var first = await Host.RegisterAndLoginAsync();
        var second = await Host.RegisterAndLoginAsync();
        var post = (await author.PostAsync(title: "Buy cheap followers", body: "Visit my site")).Id();
        var other = (await author.PostAsync()).Id();
        var comment = (await author.CommentAsync(other, "Buy cheap followers here")).Id();

        await ReportAsync(first, post, null);
        await ReportAsync(first, post, null);
        Assert.Equal(HttpStatusCode.OK, (await second.Client.GetAsync($"/api/v1/posts/{post}")).StatusCode);
        await ReportAsync(second, post, null);

        // Hidden for everyone but its author, held for review, reports still open, logged by the system.
        await (await first.Client.GetAsync($"/api/v1/posts/{post}")).AssertProblemAsync(HttpStatusCode.NotFound);
        Assert.Equal("hidden", (await author.Client.GetJsonAsync($"/api/v1/posts/{post}")).Str("status"));
        Assert.Contains((await moderator.Client.GetJsonAsync("/api/v1/moderation/held")).GetProperty("items").EnumerateArray(), h => h.Str("postId") == post && h.Str("status") == "hidden");
        Assert.Equal(2, (await moderator.Client.GetJsonAsync("/api/v1/moderation/reports")).GetProperty("items").EnumerateArray().Count(r => r.Str("postId") == post));
        var log = (await moderator.Client.GetJsonAsync("/api/v1/moderation/log")).GetProperty("items").EnumerateArray();
        Assert.Contains(log, e => e.Str("action") == "auto-hide" && e.Str("postId") == post && e.Str("actorId") == Guid.Empty.ToString());

        // A comment is hidden the same way; the post it is on stays.
        await ReportAsync(first, other, comment);
        await ReportAsync(second, other, comment);
        Assert.Empty(await CommentIdsAsync(first, other));
        Assert.Equal("hidden", (await CommentsAsync(author, other)).Single().Str("status"));

        // A moderator's restore resolves the reports and brings the post back.
        await Ok(await moderator.Client.PostAsJsonAsync($"/api/v1/moderation/posts/{post}/restore", new { reason = "Checked: a link to a charity sale." }));
        Assert.Equal(HttpStatusCode.OK, (await first.Client.GetAsync($"/api/v1/posts/{post}")).StatusCode);
    }

    [Fact]
    public async Task The_public_mod_log_shows_actions_and_reasons_but_never_who()
    {
        var moderator = await Host.WithRoleAsync(UserRoles.Moderator);
        var author = await Host.RegisterAndLoginAsync();
        var member = await Host.RegisterAndLoginAsync();
        var reader = await Host.RegisterAndLoginAsync();
        var post = (await author.PostAsync()).Id();
        var secret = (await author.PostAsync(anonymous: true)).Id();
        await Ok(await moderator.Client.PostAsJsonAsync($"/api/v1/moderation/posts/{post}/remove", new { reason = "Spam link (public reason)." }));
        await Ok(await moderator.Client.PostAsJsonAsync($"/api/v1/moderation/members/{member.UserId}/suspend", new { reason = "Harassment (public reason).", hours = 2 }));
        await Ok(await moderator.Client.PostAsJsonAsync($"/api/v1/moderation/members/{author.UserId}/warn", new { reason = "Private warning." }));
        await Ok(await moderator.Client.PostAsJsonAsync($"/api/v1/moderation/posts/{secret}/reveal", new { reason = "Private reveal." }));

        var response = await reader.Client.GetAsync("/api/v1/modlog?limit=20");
        var text = await response.Content.ReadAsStringAsync();
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var items = JsonDocument.Parse(text).RootElement.GetProperty("items").EnumerateArray().ToList();
        Assert.Contains(items, e => e.Str("action") == "remove" && e.Str("target") == "post" && e.Str("postId") == post && e.Str("reason") == "Spam link (public reason).");
        Assert.Contains(items, e => e.Str("action") == "suspend" && e.Str("target") == "member" && e.GetProperty("postId").ValueKind == JsonValueKind.Null && e.Str("reason") == "Harassment (public reason).");
        Assert.DoesNotContain(items, e => e.Str("action") is "warn" or "reveal");
        foreach (var id in new[] { moderator.UserId, author.UserId, member.UserId })
        {
            Assert.DoesNotContain(id.ToString(), text, StringComparison.OrdinalIgnoreCase);
        }

        Assert.DoesNotContain("Private", text, StringComparison.Ordinal);
        await (await reader.Client.GetAsync("/api/v1/modlog?limit=0")).AssertValidationProblemAsync("limit");
        await (await Host.Client.GetAsync("/api/v1/modlog")).AssertProblemAsync(HttpStatusCode.Unauthorized);
    }

    private static async Task<JsonElement> Ok(HttpResponseMessage response)
    {
        var text = await response.Content.ReadAsStringAsync();
        Assert.True(response.StatusCode == HttpStatusCode.OK, $"{(int)response.StatusCode} {text}");
        return JsonDocument.Parse(text).RootElement;
    }

    private static async Task ReportAsync(TestUser user, string post, string? comment)
        => Assert.Equal(HttpStatusCode.Accepted, (await user.Client.PostAsJsonAsync($"/api/v1/posts/{post}/reports", new { reason = "spam", commentId = comment })).StatusCode);

    private static async Task<List<JsonElement>> CommentsAsync(TestUser user, string post)
        => [.. (await user.Client.GetJsonAsync($"/api/v1/posts/{post}/comments")).GetProperty("items").EnumerateArray()];

    private static async Task<List<string>> CommentIdsAsync(TestUser user, string post) => [.. (await CommentsAsync(user, post)).Select(c => c.Id())];

    private static async Task<JsonElement> NotificationAsync(TestUser user, string kind)
    {
        var inbox = (await user.Client.GetJsonAsync("/api/v1/notifications")).GetProperty("items").EnumerateArray().ToList();
        Assert.Contains(inbox, n => n.Str("kind") == kind);
        return inbox.First(n => n.Str("kind") == kind);
    }
}
