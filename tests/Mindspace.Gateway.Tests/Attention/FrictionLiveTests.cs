using System.Net.Http.Json;
using System.Text.Json;
using Mindspace.Gateway.Tests.Focus;
using Mindspace.Gateway.Tests.Infrastructure;
using static Mindspace.Gateway.Tests.Attention.AttentionHttp;

namespace Mindspace.Gateway.Tests.Attention;

/// <summary>
/// One person, two devices, each with its own sign-in and live connection to <c>/hubs/attention</c>
/// (the real .NET SignalR client): a change to the friction in force made on one device (a rule set,
/// an unlock, a limit reached, a lockdown) reaches the other's <c>frictionChanged</c> handler at once,
/// and what that device then asks for is the new friction. Nobody else hears of it.
/// </summary>
public sealed class FrictionLiveTests(FocusApiFixture fixture) : IClassFixture<FocusApiFixture>
{
    private MindspaceTestHost Host => fixture.Host;

    [Fact]
    public async Task A_rule_set_created_edited_and_deleted_on_one_device_reaches_the_other_at_once_and_nobody_else()
    {
        var (laptop, phone) = await TwoDevicesAsync();
        var stranger = await Host.RegisterAndLoginAsync(timeZone: fixture.NoonZone);
        await using var laptopLive = await AttentionHubClient.ConnectAsync(Host, laptop.Token);
        await using var phoneLive = await AttentionHubClient.ConnectAsync(Host, phone.Token);
        await using var strangerLive = await AttentionHubClient.ConnectAsync(Host, stranger.AccessToken);

        // Created over HTTP on the phone: the laptop's handler hears of it, and its friction has the rule.
        var rule = await phone.Client.CreateRuleAsync(new { name = "Breathe first", sites = new[] { "feed.example" }, action = "pause", pauseSeconds = 10 });
        var id = rule.GetProperty("id").GetString();
        var pushed = await laptopLive.NextFrictionChangeAsync();
        Assert.Equal("rules", pushed.GetProperty("cause").GetString());
        Assert.Equal(fixture.Clock.GetUtcNow(), pushed.GetProperty("at").GetDateTimeOffset());
        Assert.Equal("rules", (await phoneLive.NextFrictionChangeAsync()).GetProperty("cause").GetString());
        Assert.Contains(id, ArmedRuleIds(await laptop.Client.GetFromJsonAsync<JsonElement>("/api/v1/focus/friction")));

        // Edited (switched off), then deleted: each reaches the laptop.
        (await phone.Client.PatchJsonAsync($"/api/v1/focus/rules/{id}", """{"enabled":false}""")).EnsureSuccessStatusCode();
        Assert.Equal("rules", (await laptopLive.NextFrictionChangeAsync()).GetProperty("cause").GetString());
        Assert.DoesNotContain(id, ArmedRuleIds(await laptop.Client.GetFromJsonAsync<JsonElement>("/api/v1/focus/friction")));
        (await phone.Client.DeleteAsync($"/api/v1/focus/rules/{id}")).EnsureSuccessStatusCode();
        Assert.Equal("rules", (await laptopLive.NextFrictionChangeAsync()).GetProperty("cause").GetString());

        // Someone else's connection got none of that: the first push it sees is for its own unlock, made after.
        (await stranger.Client.PostAsJsonAsync("/api/v1/focus/unlock", new { site = "feed.example", minutes = 5, reason = "mine" })).EnsureSuccessStatusCode();
        Assert.Equal("unlock", (await strangerLive.NextFrictionChangeAsync()).GetProperty("cause").GetString());
    }

    [Fact]
    public async Task An_unlock_on_one_device_reaches_the_other_and_its_friction_lets_the_site_through()
    {
        var (laptop, phone) = await TwoDevicesAsync();
        await laptop.Client.CreateRuleAsync(new { name = "Not now", sites = new[] { "games.example" }, action = "block" });
        await using var laptopLive = await AttentionHubClient.ConnectAsync(Host, laptop.Token);

        (await phone.Client.PostAsJsonAsync("/api/v1/focus/unlock", new { site = "games.example", minutes = 15, reason = "A birthday present" })).EnsureSuccessStatusCode();
        Assert.Equal("unlock", (await laptopLive.NextFrictionChangeAsync()).GetProperty("cause").GetString());
        var friction = await laptop.Client.GetFromJsonAsync<JsonElement>("/api/v1/focus/friction");
        var unlock = Assert.Single(friction.GetProperty("unlocks").EnumerateArray());
        Assert.Equal("games.example", unlock.GetProperty("site").GetString());
        Assert.Equal("allow", await laptop.Client.ActionAsync("https://games.example/"));
    }

    [Fact]
    public async Task A_limit_reached_with_time_spent_on_one_device_reaches_the_other()
    {
        var (laptop, phone) = await TwoDevicesAsync();
        var now = fixture.Clock.GetUtcNow();
        await using var laptopLive = await AttentionHubClient.ConnectAsync(Host, laptop.Token);
        var rule = await laptop.Client.CreateRuleAsync(new { name = "Five a day", sites = new[] { "news.example" }, action = "block", limit = new { minutes = 5, per = "day" } });
        Assert.Equal("rules", (await laptopLive.NextFrictionChangeAsync()).GetProperty("cause").GetString());
        Assert.Equal("allow", await phone.Client.ActionAsync("https://news.example/"));

        // Six minutes read on the phone; the phone's next question finds the limit reached, and the laptop hears of it.
        await phone.Client.SendTicksAsync(Tick("news.example", now.AddMinutes(-8), 360));
        Assert.Equal("block", await phone.Client.ActionAsync("https://news.example/"));
        Assert.Equal("limit", (await laptopLive.NextFrictionChangeAsync()).GetProperty("cause").GetString());
        Assert.Contains(rule.GetProperty("id").GetString(), ArmedRuleIds(await laptop.Client.GetFromJsonAsync<JsonElement>("/api/v1/focus/friction")));
    }

    [Fact]
    public async Task A_limit_reached_by_ticks_alone_reaches_a_listening_device_when_the_watch_wakes()
    {
        var (laptop, phone) = await TwoDevicesAsync();
        var now = fixture.Clock.GetUtcNow();
        await using var laptopLive = await AttentionHubClient.ConnectAsync(Host, laptop.Token);

        // One second short of the limit when the rule set is made: the grain's watch wakes again a second
        // later (the earliest the limit can be reached), and again each second while it is not.
        await phone.Client.SendTicksAsync(Tick("news.example", now.AddMinutes(-20), 299));
        var rule = await laptop.Client.CreateRuleAsync(new { name = "Five a day", sites = new[] { "news.example" }, action = "block", limit = new { minutes = 5, per = "day" } });
        Assert.Equal("rules", (await laptopLive.NextFrictionChangeAsync()).GetProperty("cause").GetString());

        // A minute more read on the phone and nobody asks for a decision: only the watch can see the limit reached.
        await phone.Client.SendTicksAsync(Tick("news.example", now.AddMinutes(-10), 60));
        Assert.Equal("limit", (await laptopLive.NextFrictionChangeAsync()).GetProperty("cause").GetString());
        Assert.Contains(rule.GetProperty("id").GetString(), ArmedRuleIds(await laptop.Client.GetFromJsonAsync<JsonElement>("/api/v1/focus/friction")));
    }

    [Fact]
    public async Task A_lockdown_reaches_the_other_device_when_it_begins_and_when_it_ends()
    {
        var (laptop, phone) = await TwoDevicesAsync();
        await using var laptopLive = await AttentionHubClient.ConnectAsync(Host, laptop.Token);

        // Locked for two seconds of product time; the clock then moves on a minute, and the grain's watch
        // (which wakes when the lock may end, and looks again until it has) sees the lock over.
        var until = fixture.Clock.GetUtcNow().AddSeconds(2);
        await phone.Client.CreateRuleAsync(new { name = "Locked", sites = new[] { "games.example" }, action = "block", lockedUntil = until });
        Assert.Equal("lockdown", (await laptopLive.NextFrictionChangeAsync()).GetProperty("cause").GetString());
        fixture.Clock.Advance(TimeSpan.FromMinutes(1));
        Assert.Equal("lockdown", (await laptopLive.NextFrictionChangeAsync()).GetProperty("cause").GetString());
    }

    /// <summary>A new person signed in twice: a laptop and a phone, each with its own token.</summary>
    private async Task<(Device Laptop, Device Phone)> TwoDevicesAsync()
    {
        var user = await Host.RegisterAndLoginAsync(timeZone: fixture.NoonZone);
        var (phoneToken, _) = await Host.LoginAsync(user.Email, user.Password);
        return (new Device(user.Client, user.AccessToken), new Device(Host.CreateClient(phoneToken), phoneToken));
    }

    private static List<string?> ArmedRuleIds(JsonElement friction)
        => [.. friction.GetProperty("armed").EnumerateArray().Select(a => a.GetProperty("ruleId").GetString())];

    private sealed record Device(HttpClient Client, string Token);
}
