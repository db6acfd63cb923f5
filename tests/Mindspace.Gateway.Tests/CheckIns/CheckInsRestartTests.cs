using Mindspace.Gateway.Tests.Infrastructure;

namespace Mindspace.Gateway.Tests.CheckIns;

/// <summary>Check-ins are durable, and read back in the same order, on both storage providers.</summary>
public sealed class CheckInsRestartTests
{
    [Fact]
    public Task Entries_and_moods_survive_a_restart() => SurvivesRestartAsync(MindspaceTestHost.StartAsync());

    [Fact]
    public Task Entries_and_moods_survive_a_restart_on_postgres() => SurvivesRestartAsync(MindspaceTestHost.StartOnPostgresAsync());

    private static async Task SurvivesRestartAsync(Task<MindspaceTestHost> start)
    {
        var host = await start;
        try
        {
            var user = await host.RegisterAndLoginAsync(timeZone: "Asia/Kolkata");
            var entries = new List<string>();
            for (var i = 0; i < 5; i++)
            {
                entries.Add((await user.Client.CreateEntryAsync(new { text = $"Entry {i}", mood = 3, tags = i % 2 == 0 ? new[] { "night" } : [] })).Id());
            }

            var first = await user.Client.GetJsonAsync($"/api/v1/entries/{entries[0]}");
            var mood = await user.Client.RecordMoodAsync(new { score = 4, note = "Calmer" });

            host = await host.RestartAsync();
            var (accessToken, _) = await host.LoginAsync(user.Email, user.Password);
            var client = host.CreateClient(accessToken);

            Assert.Equal(first.GetRawText(), (await client.GetJsonAsync($"/api/v1/entries/{entries[0]}")).GetRawText());
            Assert.Equal(Enumerable.Reverse(entries), await client.EntryIdsAsync());
            Assert.Equal([entries[4], entries[2], entries[0]], await client.EntryIdsAsync("&tag=night"));

            var page = await client.GetJsonAsync("/api/v1/entries?limit=3");
            var next = await client.GetJsonAsync($"/api/v1/entries?limit=3&cursor={page.GetProperty("nextCursor").GetString()}");
            Assert.Equal([entries[1], entries[0]], next.GetProperty("items").EnumerateArray().Select(e => e.Id()));

            Assert.Equal(mood.GetRawText(), (await client.GetJsonAsync($"/api/v1/mood/{mood.Id()}")).GetRawText());
            Assert.Equal([mood.Id()], await client.MoodIdsAsync());
        }
        finally
        {
            await host.DisposeAsync();
        }
    }
}
