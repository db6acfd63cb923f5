using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Mindspace.Gateway.Tests.Infrastructure;
using Mindspace.Grains.Interfaces.Users;

namespace Mindspace.Gateway.Tests.Community;

/// <summary>One host for <see cref="AppealsTests"/>: hidden automatically after 2 reports.</summary>
public sealed class AppealsFixture : IAsyncLifetime
{
    public MindspaceTestHost Host { get; private set; } = null!;

    public async Task InitializeAsync() => Host = await MindspaceTestHost.StartAsync(settings => settings["COMMUNITY_AUTO_HIDE_REPORTS"] = "2");

    public async Task DisposeAsync() => await Host.DisposeAsync();
}

/// <summary>Authors are told when a moderator (or enough reports) hides, removes or restores their words, and can appeal once per action.</summary>
public sealed class AppealsTests(AppealsFixture fixture) : IClassFixture<AppealsFixture>
{
    private MindspaceTestHost Host => fixture.Host;

    [Fact]
    public async Task A_hide_remove_and_restore_of_a_post_each_tell_its_author_kindly_with_the_reason_and_the_appeal()
    {
        var moderator = await Host.WithRoleAsync(UserRoles.Moderator);
        var author = await Host.RegisterAndLoginAsync();
        var reporter = await Host.RegisterAndLoginAsync();
        var post = (await author.PostAsync(title: "Selling my old course notes")).Id();
        await ReportAsync(reporter, post, null, "spam");

        await Ok(await moderator.Client.PostAsJsonAsync($"/api/v1/moderation/posts/{post}/hide", new { reason = "Links to a paid site." }));
        var hidden = await NotificationAsync(author, "account.community-content-hidden");
        Assert.Equal("A moderator has hidden your post for now", hidden.Str("title"));
        var body = hidden.Str("body");
        Assert.Contains("\"Selling my old course notes\"", body, StringComparison.Ordinal);
        Assert.Contains("\"Links to a paid site.\"", body, StringComparison.Ordinal);
        Assert.Contains("reported it as spam", body, StringComparison.Ordinal);
        Assert.Contains("you can appeal", body, StringComparison.Ordinal);
        Assert.Contains("You can still see it", body, StringComparison.Ordinal);
        AssertNamesNobody(hidden, moderator, reporter);

        await Ok(await moderator.Client.PostAsJsonAsync($"/api/v1/moderation/posts/{post}/remove", new { reason = "Advertising is not allowed." }));
        var removed = await NotificationAsync(author, "account.community-content-removed");
        Assert.Contains("\"Advertising is not allowed.\"", removed.Str("body"), StringComparison.Ordinal);
        Assert.Contains("still welcome", removed.Str("body"), StringComparison.Ordinal);
        AssertNamesNobody(removed, moderator, reporter);

        await Ok(await moderator.Client.PostAsJsonAsync($"/api/v1/moderation/posts/{post}/restore", new { reason = "They removed the link." }));
        var restored = await NotificationAsync(author, "account.community-content-restored");
        Assert.Equal("Your post is visible again", restored.Str("title"));
        Assert.Contains("\"They removed the link.\"", restored.Str("body"), StringComparison.Ordinal);

        // Nobody else is told.
        Assert.Equal(HttpStatusCode.OK, (await reporter.Client.GetAsync($"/api/v1/posts/{post}")).StatusCode);
        Assert.DoesNotContain(await InboxAsync(reporter), n => n.Str("kind").StartsWith("account.community-content", StringComparison.Ordinal));
    }

    [Fact]
    public async Task A_hidden_comment_tells_its_author_with_its_first_words_and_a_self_harm_report_is_met_with_care()
    {
        var moderator = await Host.WithRoleAsync(UserRoles.Moderator);
        var author = await Host.RegisterAndLoginAsync();
        var commenter = await Host.RegisterAndLoginAsync();
        var reporter = await Host.RegisterAndLoginAsync();
        var post = (await author.PostAsync(title: "Rough week")).Id();
        var comment = (await commenter.CommentAsync(post, "I think everyone here is overreacting about the exam results today")).Id();
        Assert.Equal(HttpStatusCode.Accepted, (await reporter.Client.PostAsJsonAsync($"/api/v1/posts/{post}/reports", new { reason = "self-harm", commentId = comment })).StatusCode);

        await Ok(await moderator.Client.PostAsJsonAsync($"/api/v1/moderation/posts/{post}/comments/{comment}/hide", new { reason = "Passing this to the care team." }));
        var notice = await NotificationAsync(commenter, "account.community-content-hidden");
        Assert.Equal("A moderator has hidden your comment for now", notice.Str("title"));
        Assert.Contains("your comment \"I think everyone here is overreacting", notice.Str("body"), StringComparison.Ordinal);
        Assert.Contains("on the post \"Rough week\"", notice.Str("body"), StringComparison.Ordinal);
        Assert.Contains("worried about you", notice.Str("body"), StringComparison.Ordinal);
        Assert.DoesNotContain("self-harm", notice.Str("body"), StringComparison.Ordinal);
        AssertNamesNobody(notice, moderator, reporter);

        // The post's author is not told about someone else's comment.
        Assert.DoesNotContain(await InboxAsync(author), n => n.Str("kind").StartsWith("account.community-content", StringComparison.Ordinal));
    }

    [Fact]
    public async Task Auto_hide_tells_an_anonymous_author_through_the_sealed_link_and_they_can_appeal()
    {
        var moderator = await Host.WithRoleAsync(UserRoles.Moderator);
        var author = await Host.RegisterAndLoginAsync();
        var first = await Host.RegisterAndLoginAsync();
        var second = await Host.RegisterAndLoginAsync();
        var post = (await author.PostAsync(title: "Something I never told anyone", anonymous: true)).Id();
        await ReportAsync(first, post, null, "harassment");
        await ReportAsync(second, post, null, "harassment");

        var notice = await NotificationAsync(author, "account.community-content-hidden");
        Assert.Equal("Your post is hidden until a moderator looks", notice.Str("title"));
        Assert.Contains("\"Something I never told anyone\"", notice.Str("body"), StringComparison.Ordinal);
        Assert.Contains("reported it as harassment", notice.Str("body"), StringComparison.Ordinal);
        Assert.Contains("isn't a judgement of you", notice.Str("body"), StringComparison.Ordinal);
        AssertNamesNobody(notice, moderator, first, second);

        var appeal = await AppealAsync(author, $"/api/v1/posts/{post}/appeal", "It's about my own past, not about anyone here.");
        Assert.Equal("auto-hide", appeal.Str("action"));

        // Moderators see the appeal and the post, never who wrote it; nor does the log.
        var listed = await moderator.Client.GetAsync("/api/v1/moderation/appeals");
        var text = await listed.Content.ReadAsStringAsync();
        Assert.Equal(HttpStatusCode.OK, listed.StatusCode);
        Assert.Contains(JsonDocument.Parse(text).RootElement.GetProperty("items").EnumerateArray(), a => a.Id() == appeal.Id() && a.Str("message") == "It's about my own past, not about anyone here.");
        Assert.DoesNotContain(author.UserId.ToString(), text, StringComparison.OrdinalIgnoreCase);
        var log = await moderator.Client.GetAsync("/api/v1/moderation/log?limit=500");
        Assert.DoesNotContain(author.UserId.ToString(), await log.Content.ReadAsStringAsync(), StringComparison.OrdinalIgnoreCase);
    }

    [Fact]
    public async Task The_author_appeals_once_a_moderator_restores_and_the_author_is_told_with_every_step_logged()
    {
        var moderator = await Host.WithRoleAsync(UserRoles.Moderator);
        var author = await Host.RegisterAndLoginAsync();
        var other = await Host.RegisterAndLoginAsync();
        var post = (await author.PostAsync(title: "My first run in months")).Id();
        await Ok(await moderator.Client.PostAsJsonAsync($"/api/v1/moderation/posts/{post}/hide", new { reason = "Looks like an advert." }));

        // Someone else cannot appeal it (it is not theirs: 404), bad input is a 400 and changes nothing.
        await (await other.Client.PostAsJsonAsync($"/api/v1/posts/{post}/appeal", new { message = "Please" })).AssertProblemAsync(HttpStatusCode.NotFound);
        await (await author.Client.PostAsJsonAsync($"/api/v1/posts/{post}/appeal", new { message = " " })).AssertValidationProblemAsync("message");
        await (await author.Client.PostAsJsonAsync($"/api/v1/posts/{post}/appeal", new { message = new string('a', 1_001) })).AssertValidationProblemAsync("message");
        await (await author.Client.PostAsync($"/api/v1/posts/{post}/appeal", HttpJson.Json("{\"message\": 5}"))).AssertProblemAsync(HttpStatusCode.BadRequest);
        await (await author.Client.PostAsJsonAsync($"/api/v1/posts/{Guid.NewGuid()}/appeal", new { message = "Please" })).AssertProblemAsync(HttpStatusCode.NotFound);

        var appeal = await AppealAsync(author, $"/api/v1/posts/{post}/appeal", "It's my own run, no links at all.");
        Assert.Equal("open", appeal.Str("status"));
        Assert.Equal("hide", appeal.Str("action"));
        var twice = await (await author.Client.PostAsJsonAsync($"/api/v1/posts/{post}/appeal", new { message = "Again" })).AssertProblemAsync(HttpStatusCode.Conflict);
        Assert.Equal("Already appealed", twice.Str("title"));

        var decided = await Ok(await moderator.Client.PostAsJsonAsync($"/api/v1/moderation/appeals/{appeal.Id()}/decide", new { decision = "restore", note = "You're right, sorry about that." }));
        Assert.Equal("restored", decided.Str("status"));
        Assert.Equal(HttpStatusCode.OK, (await other.Client.GetAsync($"/api/v1/posts/{post}")).StatusCode);
        Assert.DoesNotContain((await moderator.Client.GetJsonAsync("/api/v1/moderation/held")).GetProperty("items").EnumerateArray(), h => h.Str("postId") == post);

        var told = await NotificationAsync(author, "account.community-appeal-restored");
        Assert.Equal("Your appeal was accepted", told.Str("title"));
        Assert.Contains("\"You're right, sorry about that.\"", told.Str("body"), StringComparison.Ordinal);
        AssertNamesNobody(told, moderator);

        // Deciding again is a conflict; the log has each step, newest first; the public log shows the hide and the restore only.
        await (await moderator.Client.PostAsJsonAsync($"/api/v1/moderation/appeals/{appeal.Id()}/decide", new { decision = "uphold", note = "x" })).AssertProblemAsync(HttpStatusCode.Conflict);
        var steps = (await moderator.Client.GetJsonAsync("/api/v1/moderation/log?limit=500")).GetProperty("items").EnumerateArray()
            .Where(e => e.GetProperty("postId").GetString() == post).Select(e => e.Str("action")).ToList();
        Assert.Equal(["restore", "appeal-restored", "appeal", "hide"], steps);
        var publicSteps = (await other.Client.GetJsonAsync("/api/v1/modlog?limit=500")).GetProperty("items").EnumerateArray()
            .Where(e => e.GetProperty("postId").GetString() == post).Select(e => e.Str("action")).ToList();
        Assert.Equal(["restore", "hide"], publicSteps);

        // Visible again: nothing to appeal.
        var visible = await (await author.Client.PostAsJsonAsync($"/api/v1/posts/{post}/appeal", new { message = "Hm" })).AssertProblemAsync(HttpStatusCode.Conflict);
        Assert.Equal("Nothing to appeal", visible.Str("title"));
    }

    [Fact]
    public async Task An_upheld_appeal_keeps_the_comment_hidden_tells_the_author_and_a_new_action_can_be_appealed_again()
    {
        var moderator = await Host.WithRoleAsync(UserRoles.Moderator);
        var author = await Host.RegisterAndLoginAsync();
        var commenter = await Host.RegisterAndLoginAsync();
        var reader = await Host.RegisterAndLoginAsync();
        var post = (await author.PostAsync()).Id();
        var comment = (await commenter.CommentAsync(post, "Nobody asked for your opinion.")).Id();
        var path = $"/api/v1/posts/{post}/comments/{comment}/appeal";

        // A visible comment has nothing to appeal; a comment that is not yours is 404.
        await (await commenter.Client.PostAsJsonAsync(path, new { message = "Why?" })).AssertProblemAsync(HttpStatusCode.Conflict);
        await Ok(await moderator.Client.PostAsJsonAsync($"/api/v1/moderation/posts/{post}/comments/{comment}/hide", new { reason = "Unkind to the author." }));
        await (await author.Client.PostAsJsonAsync(path, new { message = "Why?" })).AssertProblemAsync(HttpStatusCode.NotFound);

        var appeal = await AppealAsync(commenter, path, "I was joking with a friend.");
        Assert.Equal(comment, appeal.GetProperty("commentId").GetString());
        var decided = await Ok(await moderator.Client.PostAsJsonAsync($"/api/v1/moderation/appeals/{appeal.Id()}/decide", new { decision = "uphold", note = "It reads as unkind to others." }));
        Assert.Equal("upheld", decided.Str("status"));
        Assert.Empty((await reader.Client.GetJsonAsync($"/api/v1/posts/{post}/comments")).GetProperty("items").EnumerateArray());

        var told = await NotificationAsync(commenter, "account.community-appeal-upheld");
        Assert.Contains("decided it stays hidden", told.Str("body"), StringComparison.Ordinal);
        Assert.Contains("\"It reads as unkind to others.\"", told.Str("body"), StringComparison.Ordinal);
        Assert.Contains("still welcome", told.Str("body"), StringComparison.Ordinal);

        // The same hide cannot be appealed twice, but a new action (a removal) can.
        await (await commenter.Client.PostAsJsonAsync(path, new { message = "Please look again" })).AssertProblemAsync(HttpStatusCode.Conflict);
        await Ok(await moderator.Client.PostAsJsonAsync($"/api/v1/moderation/posts/{post}/comments/{comment}/remove", new { reason = "Repeated." }));
        var second = await AppealAsync(commenter, path, "I apologised to them since.");
        Assert.Equal("remove", second.Str("action"));
        var decidedAll = (await moderator.Client.GetJsonAsync("/api/v1/moderation/appeals?includeDecided=true")).GetProperty("items").EnumerateArray().ToList();
        Assert.Contains(decidedAll, a => a.Id() == appeal.Id() && a.Str("status") == "upheld" && a.Str("note") == "It reads as unkind to others.");
        Assert.Contains(decidedAll, a => a.Id() == second.Id() && a.Str("status") == "open");
    }

    [Fact]
    public async Task Only_moderators_and_admins_list_and_decide_appeals()
    {
        var moderator = await Host.WithRoleAsync(UserRoles.Moderator);
        var admin = await Host.WithRoleAsync(UserRoles.Admin);
        var author = await Host.RegisterAndLoginAsync();
        var member = await Host.RegisterAndLoginAsync();
        var post = (await author.PostAsync()).Id();
        await Ok(await moderator.Client.PostAsJsonAsync($"/api/v1/moderation/posts/{post}/remove", new { reason = "Off topic." }));
        var appeal = await AppealAsync(author, $"/api/v1/posts/{post}/appeal", "It is on topic, I think.");

        await (await member.Client.GetAsync("/api/v1/moderation/appeals")).AssertProblemAsync(HttpStatusCode.Forbidden);
        await (await author.Client.GetAsync("/api/v1/moderation/appeals")).AssertProblemAsync(HttpStatusCode.Forbidden);
        await (await author.Client.PostAsJsonAsync($"/api/v1/moderation/appeals/{appeal.Id()}/decide", new { decision = "restore", note = "Mine" })).AssertProblemAsync(HttpStatusCode.Forbidden);
        await (await Host.Client.GetAsync("/api/v1/moderation/appeals")).AssertProblemAsync(HttpStatusCode.Unauthorized);
        Assert.Equal("removed", (await author.Client.GetJsonAsync($"/api/v1/posts/{post}")).Str("status"));

        await (await moderator.Client.PostAsJsonAsync($"/api/v1/moderation/appeals/{appeal.Id()}/decide", new { decision = "maybe", note = "x" })).AssertValidationProblemAsync("decision");
        await (await moderator.Client.PostAsJsonAsync($"/api/v1/moderation/appeals/{appeal.Id()}/decide", new { decision = "uphold" })).AssertValidationProblemAsync("note");
        await (await moderator.Client.PostAsJsonAsync($"/api/v1/moderation/appeals/{Guid.NewGuid()}/decide", new { decision = "uphold", note = "x" })).AssertProblemAsync(HttpStatusCode.NotFound);

        var decided = await Ok(await admin.Client.PostAsJsonAsync($"/api/v1/moderation/appeals/{appeal.Id()}/decide", new { decision = "uphold", note = "Still off topic, sorry." }));
        Assert.Equal(admin.UserId.ToString(), decided.Str("decidedBy"));
        var told = await NotificationAsync(author, "account.community-appeal-upheld");
        Assert.Contains("decided it stays removed", told.Str("body"), StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_moderator_cannot_decide_an_appeal_about_their_own_post()
    {
        var moderator = await Host.WithRoleAsync(UserRoles.Moderator);
        var peer = await Host.WithRoleAsync(UserRoles.Moderator);
        var post = (await moderator.PostAsync()).Id();
        await Ok(await peer.Client.PostAsJsonAsync($"/api/v1/moderation/posts/{post}/hide", new { reason = "Checking." }));
        var appeal = await AppealAsync(moderator, $"/api/v1/posts/{post}/appeal", "Please look again.");

        await (await moderator.Client.PostAsJsonAsync($"/api/v1/moderation/appeals/{appeal.Id()}/decide", new { decision = "restore", note = "Fine." })).AssertProblemAsync(HttpStatusCode.Forbidden);
        await Ok(await peer.Client.PostAsJsonAsync($"/api/v1/moderation/appeals/{appeal.Id()}/decide", new { decision = "restore", note = "Fine." }));
    }

    [Fact]
    public async Task Appeals_are_in_the_export_and_erasure_withdraws_them_and_erases_the_message()
    {
        var moderator = await Host.WithRoleAsync(UserRoles.Moderator);
        var author = await Host.RegisterAndLoginAsync();
        var named = (await author.PostAsync()).Id();
        var secret = (await author.PostAsync(anonymous: true)).Id();
        await Ok(await moderator.Client.PostAsJsonAsync($"/api/v1/moderation/posts/{named}/hide", new { reason = "Checking a link." }));
        await Ok(await moderator.Client.PostAsJsonAsync($"/api/v1/moderation/posts/{secret}/hide", new { reason = "Checking a claim." }));
        var first = await AppealAsync(author, $"/api/v1/posts/{named}/appeal", "The link is to a charity.");
        var second = await AppealAsync(author, $"/api/v1/posts/{secret}/appeal", "It's my own story.");
        await Ok(await moderator.Client.PostAsJsonAsync($"/api/v1/moderation/appeals/{first.Id()}/decide", new { decision = "uphold", note = "The link still needs checking." }));

        var export = await author.Client.GetAsync("/api/v1/me/export");
        var text = await export.Content.ReadAsStringAsync();
        Assert.Equal(HttpStatusCode.OK, export.StatusCode);
        var appeals = JsonDocument.Parse(text).RootElement.GetProperty("communityAppeals").GetProperty("items").EnumerateArray().ToList();
        Assert.Equal([first.Id(), second.Id()], appeals.Select(a => a.Id()));
        Assert.Equal("The link is to a charity.", appeals[0].Str("message"));
        Assert.Equal("upheld", appeals[0].Str("status"));
        Assert.Equal(JsonValueKind.Null, appeals[0].GetProperty("decidedBy").ValueKind);
        Assert.Equal(secret, appeals[1].GetProperty("postId").GetString());
        Assert.DoesNotContain(moderator.UserId.ToString(), text, StringComparison.OrdinalIgnoreCase);

        var deleted = await author.Client.SendAsync(new HttpRequestMessage(HttpMethod.Delete, "/api/v1/me") { Content = JsonContent.Create(new { password = author.Password }) });
        Assert.True(deleted.IsSuccessStatusCode, $"{(int)deleted.StatusCode}");

        var after = (await moderator.Client.GetJsonAsync("/api/v1/moderation/appeals?includeDecided=true")).GetProperty("items").EnumerateArray().ToList();
        var open = (await moderator.Client.GetJsonAsync("/api/v1/moderation/appeals")).GetProperty("items").EnumerateArray().ToList();
        Assert.DoesNotContain(open, a => a.Id() == second.Id());
        var withdrawn = after.Single(a => a.Id() == second.Id());
        Assert.Equal("withdrawn", withdrawn.Str("status"));
        Assert.Equal(JsonValueKind.Null, withdrawn.GetProperty("message").ValueKind);
        Assert.Equal(JsonValueKind.Null, after.Single(a => a.Id() == first.Id()).GetProperty("message").ValueKind);
    }

    private static void AssertNamesNobody(JsonElement notification, params TestUser[] people)
    {
        var text = notification.Str("title") + " " + notification.Str("body");
        foreach (var person in people)
        {
            Assert.DoesNotContain(person.UserId.ToString(), text, StringComparison.OrdinalIgnoreCase);
            Assert.DoesNotContain(person.Email, text, StringComparison.OrdinalIgnoreCase);
        }
    }

    private static async Task<JsonElement> AppealAsync(TestUser user, string path, string message)
    {
        var response = await user.Client.PostAsJsonAsync(path, new { message });
        var text = await response.Content.ReadAsStringAsync();
        Assert.True(response.StatusCode == HttpStatusCode.Created, $"{(int)response.StatusCode} {text}");
        return JsonDocument.Parse(text).RootElement;
    }

    private static async Task<JsonElement> Ok(HttpResponseMessage response)
    {
        var text = await response.Content.ReadAsStringAsync();
        Assert.True(response.StatusCode == HttpStatusCode.OK, $"{(int)response.StatusCode} {text}");
        return JsonDocument.Parse(text).RootElement;
    }

    private static async Task ReportAsync(TestUser user, string post, string? comment, string reason)
        => Assert.Equal(HttpStatusCode.Accepted, (await user.Client.PostAsJsonAsync($"/api/v1/posts/{post}/reports", new { reason, commentId = comment })).StatusCode);

    private static async Task<List<JsonElement>> InboxAsync(TestUser user)
        => [.. (await user.Client.GetJsonAsync("/api/v1/notifications")).GetProperty("items").EnumerateArray()];

    private static async Task<JsonElement> NotificationAsync(TestUser user, string kind)
    {
        var inbox = await InboxAsync(user);
        Assert.Contains(inbox, n => n.Str("kind") == kind);
        return inbox.First(n => n.Str("kind") == kind);
    }
}
