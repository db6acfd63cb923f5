using System.Net;
using System.Net.Http.Json;
using Mindspace.Gateway.Tests.Infrastructure;

namespace Mindspace.Gateway.Tests.Community;

/// <summary>Posts, comments, likes, bookmarks, feeds and sealed anonymous authors survive a restart (feeds reload from their rows).</summary>
public sealed class CommunityRestartTests
{
    [Fact]
    public Task The_community_survives_a_restart() => SurvivesRestartAsync(MindspaceTestHost.StartAsync());

    [Fact]
    public Task The_community_survives_a_restart_on_postgres() => SurvivesRestartAsync(MindspaceTestHost.StartOnPostgresAsync());

    private static async Task SurvivesRestartAsync(Task<MindspaceTestHost> start)
    {
        var host = await start;
        try
        {
            var author = await host.RegisterAndLoginAsync();
            var reader = await host.RegisterAndLoginAsync();
            var tag = CommunityHttp.NewTag();
            var older = (await author.PostAsync(title: "Older", tags: [tag])).Id();
            var secret = (await author.PostAsync(title: "Anonymous", tags: [tag], anonymous: true)).Id();
            await reader.CommentAsync(older, "Hang in there");
            Assert.Equal(HttpStatusCode.OK, (await reader.Client.PutAsync($"/api/v1/posts/{older}/like", null)).StatusCode);
            Assert.Equal(HttpStatusCode.OK, (await reader.Client.PutAsync($"/api/v1/posts/{secret}/bookmark", null)).StatusCode);

            host = await host.RestartAsync();
            var authorClient = host.CreateClient((await host.LoginAsync(author.Email, author.Password)).AccessToken);
            var readerClient = host.CreateClient((await host.LoginAsync(reader.Email, reader.Password)).AccessToken);

            var feed = (await readerClient.GetJsonAsync($"/api/v1/posts?sort=top&tag={tag}")).GetProperty("items").EnumerateArray().ToList();
            Assert.Equal([older, secret], feed.Select(p => p.Str("postId")));
            Assert.Equal(1, feed[0].GetProperty("likes").GetInt32());
            Assert.Equal(1, feed[0].GetProperty("comments").GetInt32());
            Assert.Equal("Hang in there", (await readerClient.GetJsonAsync($"/api/v1/posts/{older}/comments")).GetProperty("items")[0].Str("body"));
            Assert.Equal(secret, (await readerClient.GetJsonAsync("/api/v1/me/bookmarks")).GetProperty("items")[0].Str("postId"));

            // The sealed author still opens: they own their anonymous post, the reader does not.
            Assert.True((await authorClient.GetJsonAsync($"/api/v1/posts/{secret}")).GetProperty("isMine").GetBoolean());
            Assert.False((await readerClient.GetJsonAsync($"/api/v1/posts/{secret}")).GetProperty("isMine").GetBoolean());
            Assert.Equal(HttpStatusCode.OK, (await authorClient.PatchAsJsonAsync($"/api/v1/posts/{secret}", new { title = "Still anonymous" })).StatusCode);
        }
        finally
        {
            await host.DisposeAsync();
        }
    }
}
