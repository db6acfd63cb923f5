using Mindspace.Gateway.Tests.Infrastructure;
using static Mindspace.Gateway.Tests.Attention.AttentionHttp;

namespace Mindspace.Gateway.Tests.Attention;

/// <summary>What a batch's acknowledgement promises: the ticks are stored, on SQLite and on PostgreSQL.</summary>
public sealed class AttentionDurabilityTests
{
    [Fact]
    public async Task Acknowledged_ticks_survive_a_restart_and_still_count_once()
    {
        var host = await MindspaceTestHost.StartAsync();
        await using var _ = host;
        var user = await host.RegisterAndLoginAsync();
        var t = BaseHour();
        var tick = Tick("example.com", t, 40, id: "kept");
        await user.Client.SendTicksAsync(tick, Tick("example.org", t.AddMinutes(5), 20));

        await using var restarted = await host.RestartAsync();
        var (access, _) = await restarted.LoginAsync(user.Email, user.Password);
        using var client = restarted.CreateClient(access);

        Assert.Equal(60, (await client.SummaryAsync(t, t.AddHours(1))).TotalSeconds());
        var resent = await client.SendTicksAsync(tick);
        Assert.Equal(1, resent.GetProperty("duplicates").GetInt32());
        Assert.Equal(60, (await client.SummaryAsync(t, t.AddHours(1))).TotalSeconds());
    }

    [Fact]
    public async Task Ticks_and_summaries_work_on_PostgreSQL()
    {
        await using var host = await MindspaceTestHost.StartOnPostgresAsync();
        var user = await host.RegisterAndLoginAsync(timeZone: "Europe/Berlin");
        var t = BaseHour();
        await user.Client.SendTicksAsync(Tick("youtube.com", t, 30), Tick("youtube.com", t.AddSeconds(40), 30), Tick("github.com", t.AddMinutes(2), 60));

        var summary = await user.Client.SummaryAsync(t, t.AddHours(1), by: "category");
        Assert.Equal(new Dictionary<string, long> { ["distracting"] = 70, ["focus"] = 60 }, summary.Seconds());
    }
}
