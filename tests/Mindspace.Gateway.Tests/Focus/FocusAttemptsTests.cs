using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Microsoft.Extensions.DependencyInjection;
using Mindspace.Gateway.Tests.Infrastructure;
using Mindspace.Grains.Focus;
using Mindspace.Grains.Interfaces.Focus;
using Mindspace.Grains.Records;
using Orleans.Core.Internal;

namespace Mindspace.Gateway.Tests.Focus;

/// <summary>
/// "Attempts today" is exact in every answer, and its rows are written behind the answers: by a timer
/// (every second in production) and whenever the focus grain deactivates. Here the timer waits an hour,
/// so what reaches storage during a test was written by a deactivation, a restart or nothing.
/// </summary>
public sealed class FocusAttemptsTests(HeldAttemptsFixture fixture) : IClassFixture<HeldAttemptsFixture>
{
    private MindspaceTestHost Host => fixture.Host;

    [Fact]
    public async Task Attempts_are_exact_at_once_written_behind_the_answers_and_written_when_the_grain_deactivates()
    {
        var user = await Host.RegisterAndLoginAsync(timeZone: AttemptsHttp.NoonZone());
        await user.Client.CreateRuleAsync(new { name = "Not now", sites = new[] { "example.org" }, action = "block" });
        await user.Client.CreateRuleAsync(new { name = "Breathe", sites = new[] { "example.net" }, action = "pause", pauseSeconds = 5 });

        Assert.Equal(1, await user.Client.AttemptsAsync("https://example.org/a"));
        Assert.Equal(2, await user.Client.AttemptsAsync("https://www.example.org/b"));
        Assert.Equal(1, await user.Client.AttemptsAsync("https://example.net/"));
        Assert.Equal(0, await user.Client.AttemptsAsync("https://example.com/"));

        // Nothing was written before those answers left (the flush is an hour away)...
        var focus = Host.Grains.GetGrain<IFocusGrain>(user.UserId);
        Assert.Empty(await AttemptsHttp.StoredAsync(Host, focus));

        // ...yet the export already has them: it says what the counts are, written or not.
        Assert.Equal(new Dictionary<string, int> { ["example.org"] = 2, ["example.net"] = 1 }, await user.Client.ExportedAttemptsAsync());

        // A deactivation writes them; the next activation reads them back and goes on counting.
        await focus.Cast<IGrainManagementExtension>().DeactivateOnIdle();
        Assert.Equal(3, await user.Client.AttemptsAsync("https://example.org/c"));
        Assert.Equal(new Dictionary<string, int> { ["example.org"] = 2, ["example.net"] = 1 }, await AttemptsHttp.StoredAsync(Host, focus));
        Assert.Equal(2, await user.Client.AttemptsAsync("https://example.net/"));
        Assert.Equal(new Dictionary<string, int> { ["example.org"] = 3, ["example.net"] = 2 }, await user.Client.ExportedAttemptsAsync());
    }

    [Fact]
    public async Task Erasing_the_account_drops_counts_not_yet_written_and_no_flush_writes_them_back()
    {
        var user = await Host.RegisterAndLoginAsync(timeZone: AttemptsHttp.NoonZone());
        await user.Client.CreateRuleAsync(new { name = "Not now", sites = new[] { "example.org" }, action = "block" });
        Assert.Equal(1, await user.Client.AttemptsAsync("https://example.org/"));
        Assert.Equal(2, await user.Client.AttemptsAsync("https://example.org/"));

        var deleted = await user.Client.SendAsync(new HttpRequestMessage(HttpMethod.Delete, "/api/v1/me") { Content = JsonContent.Create(new { password = user.Password }) });
        Assert.Equal(HttpStatusCode.NoContent, deleted.StatusCode);

        // The deactivation that would have written them finds nothing to write.
        var focus = Host.Grains.GetGrain<IFocusGrain>(user.UserId);
        Assert.Empty((await focus.ExportAsync()).Attempts ?? []);
        await focus.Cast<IGrainManagementExtension>().DeactivateOnIdle();
        Assert.Empty((await focus.ExportAsync()).Attempts ?? []);
        Assert.Empty(await AttemptsHttp.StoredAsync(Host, focus));
    }
}

/// <summary>Attempts with the production flush (every second), many decisions at once, on SQLite and PostgreSQL.</summary>
public sealed class FocusAttemptsFlushTests(FocusApiFixture fixture) : IClassFixture<FocusApiFixture>
{
    [Fact]
    public async Task Many_decisions_at_once_each_count_one_attempt_and_every_one_is_written()
    {
        var host = fixture.Host;
        var user = await host.RegisterAndLoginAsync(timeZone: fixture.NoonZone);
        await user.Client.CreateRuleAsync(new { name = "Breathe", sites = new[] { "example.org" }, action = "pause", pauseSeconds = 5 });

        var counts = await Task.WhenAll(Enumerable.Range(0, 100).Select(i => user.Client.AttemptsAsync($"https://example.org/{i}")));
        Assert.Equal(Enumerable.Range(1, 100), counts.Order());

        // Whatever the timer wrote meanwhile, the deactivation writes the rest: nothing is lost, nothing counted twice.
        var focus = host.Grains.GetGrain<IFocusGrain>(user.UserId);
        await focus.Cast<IGrainManagementExtension>().DeactivateOnIdle();
        Assert.Equal(101, await user.Client.AttemptsAsync("https://example.org/again"));
        Assert.Contains((await AttemptsHttp.StoredAsync(host, focus))["example.org"], new[] { 100, 101 });
        Assert.Equal(new Dictionary<string, int> { ["example.org"] = 101 }, await user.Client.ExportedAttemptsAsync());
    }

    [Fact]
    public async Task Attempts_survive_a_graceful_restart_on_PostgreSQL()
    {
        var host = await MindspaceTestHost.StartOnPostgresAsync(settings => settings[FocusGrain.AttemptsFlushIntervalKey] = "3600000");
        await using var _ = host;
        var user = await host.RegisterAndLoginAsync(timeZone: AttemptsHttp.NoonZone());
        await user.Client.CreateRuleAsync(new { name = "Not now", sites = new[] { "example.org" }, action = "block" });
        Assert.Equal(1, await user.Client.AttemptsAsync("https://example.org/"));
        Assert.Equal(2, await user.Client.AttemptsAsync("https://example.org/"));

        // The silo stops gracefully: its grains deactivate, and the focus grain writes its counts.
        await using var restarted = await host.RestartAsync();
        var (access, _) = await restarted.LoginAsync(user.Email, user.Password);
        using var client = restarted.CreateClient(access);
        Assert.Equal(3, await client.AttemptsAsync("https://example.org/"));
    }
}

/// <summary>A gateway whose focus grains flush their attempt counts only once an hour (and on deactivation).</summary>
public sealed class HeldAttemptsFixture : IAsyncLifetime
{
    public MindspaceTestHost Host { get; private set; } = null!;

    public async Task InitializeAsync() => Host = await MindspaceTestHost.StartAsync(settings => settings[FocusGrain.AttemptsFlushIntervalKey] = "3600000");

    public async Task DisposeAsync() => await Host.DisposeAsync();
}

internal static class AttemptsHttp
{
    public static async Task<int> AttemptsAsync(this HttpClient client, string url)
        => (await client.DecideAsync(url)).GetProperty("attemptsToday").GetInt32();

    public static async Task<Dictionary<string, int>> ExportedAttemptsAsync(this HttpClient client)
    {
        var export = await client.GetFromJsonAsync<JsonElement>("/api/v1/me/export");
        return export.GetProperty("focus").GetProperty("attempts").EnumerateArray().ToDictionary(a => a.GetProperty("site").GetString()!, a => a.GetProperty("count").GetInt32());
    }

    /// <summary>The attempt rows in storage, per site.</summary>
    public static async Task<Dictionary<string, int>> StoredAsync(MindspaceTestHost host, IFocusGrain focus)
    {
        var store = host.Services.GetRequiredService<IRecordStore>();
        var rows = await store.QueryAsync("focus_attempts", focus.GetGrainId().Key.ToString()!, new RecordQuery(), default);
        return rows.Select(r => JsonSerializer.Deserialize<FocusAttempts>(r.Payload, RecordJson.Options)!).ToDictionary(a => a.Site, a => a.Count);
    }

    /// <summary>A fixed-offset zone where the real clock reads about noon: "today" does not change during a test.</summary>
    public static string NoonZone()
    {
        var offset = 12 - DateTimeOffset.UtcNow.Hour;
        return offset switch
        {
            0 => "Etc/GMT",
            > 0 => $"Etc/GMT-{offset}",
            _ => $"Etc/GMT+{-offset}",
        };
    }
}
