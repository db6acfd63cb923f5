using System.Net;
using System.Net.Http.Json;
using Mindspace.Gateway.Tests.Infrastructure;
using Mindspace.Grains.Interfaces.Users;

namespace Mindspace.Gateway.Tests.Community;

/// <summary>Suspensions, a new account's count, hidden comments and the logs are stored: they survive a restart, on SQLite and PostgreSQL.</summary>
public sealed class ModerationRestartTests
{
    [Fact]
    public Task Moderation_survives_a_restart() => SurvivesRestartAsync(MindspaceTestHost.StartAsync(Limits));

    [Fact]
    public Task Moderation_survives_a_restart_on_postgres() => SurvivesRestartAsync(MindspaceTestHost.StartOnPostgresAsync(Limits));

    private static void Limits(IDictionary<string, string?> settings)
    {
        settings["COMMUNITY_NEW_ACCOUNT_DAYS"] = "3";
        settings["COMMUNITY_NEW_ACCOUNT_POSTS_PER_HOUR"] = "1";
    }

    private static async Task SurvivesRestartAsync(Task<MindspaceTestHost> start)
    {
        var host = await start;
        try
        {
            var moderator = await host.WithRoleAsync(UserRoles.Moderator);
            var member = await host.RegisterAndLoginAsync();
            var newcomer = await host.RegisterAndLoginAsync();
            var post = (await newcomer.PostAsync()).Id();
            var comment = (await member.CommentAsync(post, "Not kind.")).Id();
            Assert.Equal(HttpStatusCode.OK, (await moderator.Client.PostAsJsonAsync($"/api/v1/moderation/members/{member.UserId}/suspend", new { reason = "Unkind replies.", hours = 24 })).StatusCode);
            Assert.Equal(HttpStatusCode.OK, (await moderator.Client.PostAsJsonAsync($"/api/v1/moderation/posts/{post}/comments/{comment}/hide", new { reason = "Unkind." })).StatusCode);

            host = await host.RestartAsync();
            var memberClient = host.CreateClient((await host.LoginAsync(member.Email, member.Password)).AccessToken);
            var newcomerClient = host.CreateClient((await host.LoginAsync(newcomer.Email, newcomer.Password)).AccessToken);
            var moderatorClient = host.CreateClient((await host.LoginAsync(moderator.Email, moderator.Password)).AccessToken);

            await (await memberClient.PostAsJsonAsync($"/api/v1/posts/{post}/comments", new { body = "Again" })).AssertProblemAsync(HttpStatusCode.Forbidden);
            await (await newcomerClient.PostAsJsonAsync("/api/v1/posts", new { title = "Second", body = "Within the hour" })).AssertProblemAsync(HttpStatusCode.TooManyRequests);
            Assert.Empty((await newcomerClient.GetJsonAsync($"/api/v1/posts/{post}/comments")).GetProperty("items").EnumerateArray());
            var log = (await moderatorClient.GetJsonAsync("/api/v1/moderation/log")).GetProperty("items").EnumerateArray().Select(e => e.Str("action")).ToList();
            Assert.Equal(["hide", "suspend"], log.Take(2));
            Assert.Equal("Unkind replies.", (await moderatorClient.GetJsonAsync($"/api/v1/moderation/members/{member.UserId}")).Str("suspensionReason"));
        }
        finally
        {
            await host.DisposeAsync();
        }
    }
}
