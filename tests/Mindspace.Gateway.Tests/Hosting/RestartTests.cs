using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Mindspace.Gateway.Tests.Infrastructure;

namespace Mindspace.Gateway.Tests.Hosting;

public sealed class RestartTests
{
    [Fact]
    public async Task Accounts_tokens_and_check_ins_survive_a_restart_on_embedded_storage()
    {
        await using var host = await MindspaceTestHost.StartAsync();
        await AssertSurvivesRestartAsync(host);
    }

    [Fact]
    public async Task Accounts_tokens_and_check_ins_survive_a_restart_on_postgres()
    {
        await using var host = await MindspaceTestHost.StartOnPostgresAsync();
        await AssertSurvivesRestartAsync(host);
    }

    private static async Task AssertSurvivesRestartAsync(MindspaceTestHost first)
    {
        var user = await first.RegisterAndLoginAsync(timeZone: "Europe/Berlin");
        var created = await user.Client.PostAsJsonAsync("/api/v1/entries", new { text = "Walked by the river and felt lighter.", mood = 4, tags = new[] { "Walk" } });
        Assert.Equal(HttpStatusCode.Created, created.StatusCode);
        var entryId = (await created.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("id").GetString();

        await using var second = await first.RestartAsync();

        // The same access token still works: the signing key and the session were kept.
        var again = second.CreateClient(user.AccessToken);
        var me = await again.GetFromJsonAsync<JsonElement>("/api/v1/me");
        Assert.Equal("Europe/Berlin", me.GetProperty("timeZone").GetString());
        var entry = await again.GetFromJsonAsync<JsonElement>($"/api/v1/entries/{entryId}");
        Assert.Equal("Walked by the river and felt lighter.", entry.GetProperty("text").GetString());
        Assert.Equal("walk", entry.GetProperty("tags")[0].GetString());
        await second.LoginAsync(user.Email, user.Password);
    }
}
