using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Mindspace.Gateway.Tests.Infrastructure;
using static Mindspace.Gateway.Tests.Attention.AttentionHttp;

namespace Mindspace.Gateway.Tests.Focus;

/// <summary>
/// <c>GET /api/v1/focus/friction</c>: what a browser stops before the request leaves — the rule sets
/// whose schedule is on and whose limit is reached, a running session's distracting sites, live
/// unlocks — and when to ask again. The fixture's clock is frozen, so every instant is exact.
/// </summary>
public sealed class FocusFrictionTests(FocusApiFixture fixture) : IClassFixture<FocusApiFixture>
{
    private MindspaceTestHost Host => fixture.Host;

    [Fact]
    public async Task Rules_in_force_now_are_armed_and_the_answer_says_when_it_may_change()
    {
        var user = await Host.RegisterAndLoginAsync(timeZone: fixture.NoonZone);
        var now = fixture.Clock.GetUtcNow();
        var localNoon = now.AddMinutes(-now.Minute); // the zone reads 12:mm
        var always = await user.Client.CreateRuleAsync(new { name = "Always", sites = new[] { "always.example" }, allow = new[] { "always.example/help" }, action = "pause" });
        var during = await user.Client.CreateRuleAsync(new { name = "Midday", sites = new[] { "midday.example" }, action = "block", schedule = new { ranges = new[] { new { from = "11:00", to = "14:00" } } } });
        await user.Client.CreateRuleAsync(new { name = "Evening", sites = new[] { "evening.example" }, action = "pause", schedule = new { ranges = new[] { new { from = "20:00", to = "22:00" } } } });
        await user.Client.CreateRuleAsync(new { name = "Off", sites = new[] { "off.example" }, action = "block", enabled = false });
        await user.Client.CreateRuleAsync(new { name = "Let through", sites = new[] { "docs.example" }, action = "allow" });
        var limited = await user.Client.CreateRuleAsync(new { name = "Ten a day", sites = new[] { "news.example" }, action = "block", limit = new { minutes = 10, per = "day" } });
        await user.Client.SendTicksAsync(Tick("news.example", now.AddMinutes(-30), 240));

        var friction = await FrictionAsync(user);
        Assert.Equal(now, friction.GetProperty("at").GetDateTimeOffset());
        Assert.Equal([Id(always), Id(during)], Armed(friction).Select(a => a.GetProperty("ruleId").GetString()));
        var first = Armed(friction)[0];
        Assert.Equal("pause", first.GetProperty("action").GetString());
        Assert.Equal(["always.example"], Strings(first, "sites"));
        Assert.Equal(["always.example/help"], Strings(first, "allow"));
        Assert.Equal("block", Armed(friction)[1].GetProperty("action").GetString());
        // Six minutes of the limit are left: the earliest it can be reached, before midday ends at 14:00.
        Assert.Equal(now.AddMinutes(6), friction.GetProperty("until").GetDateTimeOffset());

        await user.Client.SendTicksAsync(Tick("news.example", now.AddMinutes(-15), 420));
        friction = await FrictionAsync(user);
        Assert.Equal([Id(always), Id(during), Id(limited)], Armed(friction).Select(a => a.GetProperty("ruleId").GetString()));
        Assert.Equal(localNoon.AddHours(2), friction.GetProperty("until").GetDateTimeOffset());

        // An unlock is listed (every device learns of it) and runs out before 14:00.
        (await user.Client.PostAsJsonAsync("/api/v1/focus/unlock", new { site = "always.example", minutes = 30, reason = "A form to fill in" })).EnsureSuccessStatusCode();
        friction = await FrictionAsync(user);
        var unlock = Assert.Single(friction.GetProperty("unlocks").EnumerateArray());
        Assert.Equal("always.example", unlock.GetProperty("site").GetString());
        Assert.Equal(now.AddMinutes(30), unlock.GetProperty("until").GetDateTimeOffset());
        Assert.Equal(now.AddMinutes(30), friction.GetProperty("until").GetDateTimeOffset());

        // Someone else has nothing in force.
        var other = await Host.RegisterAndLoginAsync(timeZone: fixture.NoonZone);
        var theirs = await FrictionAsync(other);
        Assert.Empty(Armed(theirs));
        Assert.Empty(theirs.GetProperty("unlocks").EnumerateArray());
        Assert.Equal(JsonValueKind.Null, theirs.GetProperty("until").ValueKind);
    }

    [Fact]
    public async Task A_running_focus_session_arms_the_distracting_sites_until_it_is_paused_or_ended()
    {
        var user = await Host.RegisterAndLoginAsync(timeZone: fixture.NoonZone);
        var settings = await user.Client.PatchJsonAsync("/api/v1/attention/settings", """{"categories":{"distract.example":"distracting","youtube.com":"focus"}}""");
        Assert.Equal(HttpStatusCode.OK, settings.StatusCode);
        await user.Client.CreateRuleAsync(new { name = "Reddit for work", sites = new[] { "reddit.com/r/dotnet" }, action = "allow" });
        Assert.Empty(Armed(await FrictionAsync(user)));

        var started = await user.Client.PostAsJsonAsync("/api/v1/focus/sessions", new { plannedMinutes = 25, strictness = "firm" });
        Assert.Equal(HttpStatusCode.Created, started.StatusCode);
        var id = (await started.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("id").GetString();

        var session = Assert.Single(Armed(await FrictionAsync(user)));
        Assert.Equal(JsonValueKind.Null, session.GetProperty("ruleId").ValueKind);
        Assert.Equal("pause", session.GetProperty("action").GetString());
        var sites = Strings(session, "sites");
        Assert.Contains("distract.example", sites);
        Assert.Contains("reddit.com", sites);
        Assert.DoesNotContain("youtube.com", sites);
        Assert.DoesNotContain("github.com", sites);
        Assert.Equal(["reddit.com/r/dotnet"], Strings(session, "allow"));

        (await user.Client.PostAsync($"/api/v1/focus/sessions/{id}/pause", null)).EnsureSuccessStatusCode();
        Assert.Empty(Armed(await FrictionAsync(user)));
        (await user.Client.PostAsync($"/api/v1/focus/sessions/{id}/resume", null)).EnsureSuccessStatusCode();
        Assert.Single(Armed(await FrictionAsync(user)));
        (await user.Client.PostAsync($"/api/v1/focus/sessions/{id}/end", null)).EnsureSuccessStatusCode();
        Assert.Empty(Armed(await FrictionAsync(user)));

        // A strict session blocks them.
        (await user.Client.PostAsJsonAsync("/api/v1/focus/sessions", new { plannedMinutes = 25, strictness = "strict" })).EnsureSuccessStatusCode();
        Assert.Equal("block", Assert.Single(Armed(await FrictionAsync(user))).GetProperty("action").GetString());
    }

    [Fact]
    public async Task Friction_needs_a_signed_in_member()
        => Assert.Equal(HttpStatusCode.Unauthorized, (await Host.Client.GetAsync("/api/v1/focus/friction")).StatusCode);

    private static async Task<JsonElement> FrictionAsync(TestUser user)
    {
        var response = await user.Client.GetAsync("/api/v1/focus/friction");
        var body = await response.Content.ReadAsStringAsync();
        Assert.True(response.StatusCode == HttpStatusCode.OK, $"{(int)response.StatusCode} {body}");
        return JsonDocument.Parse(body).RootElement;
    }

    private static List<JsonElement> Armed(JsonElement friction) => [.. friction.GetProperty("armed").EnumerateArray()];

    private static List<string?> Strings(JsonElement element, string property) => [.. element.GetProperty(property).EnumerateArray().Select(s => s.GetString())];

    private static string? Id(JsonElement rule) => rule.GetProperty("id").GetString();
}
