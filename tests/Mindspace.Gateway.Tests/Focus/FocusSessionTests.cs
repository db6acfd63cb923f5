using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Mindspace.Gateway.Tests.Infrastructure;
using static Mindspace.Gateway.Tests.Attention.AttentionHttp;

namespace Mindspace.Gateway.Tests.Focus;

public sealed class FocusSessionTests(FocusApiFixture fixture) : IClassFixture<FocusApiFixture>
{
    private MindspaceTestHost Host => fixture.Host;

    [Fact]
    public async Task A_session_runs_pauses_resumes_and_ends_with_a_report_counting_interruptions_from_ticks()
    {
        var user = await Host.RegisterAndLoginAsync(timeZone: fixture.NoonZone);
        var started = await user.Client.PostAsJsonAsync("/api/v1/focus/sessions", new { plannedMinutes = 1, strictness = "gentle" });
        var session = await started.Content.ReadFromJsonAsync<JsonElement>();
        Assert.Equal(HttpStatusCode.Created, started.StatusCode);
        Assert.Equal("running", session.GetProperty("status").GetString());
        var id = session.GetProperty("id").GetString();
        var begin = session.GetProperty("startedAt").GetDateTimeOffset();

        await (await user.Client.PostAsJsonAsync("/api/v1/focus/sessions", new { plannedMinutes = 10 })).AssertProblemAsync(HttpStatusCode.Conflict);

        // Two visits to distracting sites during the session, one focus site, and one before it began.
        await user.Client.SendTicksAsync(
            Tick("youtube.com", begin.AddMinutes(-3), 60),
            Tick("youtube.com", begin.AddSeconds(5), 20),
            Tick("github.com", begin.AddSeconds(30), 30),
            Tick("reddit.com", begin.AddSeconds(70), 30));
        fixture.Clock.Advance(TimeSpan.FromMinutes(2));

        var current = await user.Client.GetFromJsonAsync<JsonElement>("/api/v1/focus/sessions/current");
        Assert.Equal(id, current.GetProperty("id").GetString());
        Assert.Equal(2, current.GetProperty("interruptions").GetInt32());

        Assert.Equal("paused", (await (await user.Client.PostAsync($"/api/v1/focus/sessions/{id}/pause", null)).Content.ReadFromJsonAsync<JsonElement>()).GetProperty("status").GetString());
        Assert.Equal("running", (await (await user.Client.PostAsync($"/api/v1/focus/sessions/{id}/resume", null)).Content.ReadFromJsonAsync<JsonElement>()).GetProperty("status").GetString());
        var ended = await (await user.Client.PostAsync($"/api/v1/focus/sessions/{id}/end", null)).Content.ReadFromJsonAsync<JsonElement>();

        Assert.Equal("ended", ended.GetProperty("status").GetString());
        var report = ended.GetProperty("report");
        Assert.Equal(2, report.GetProperty("interruptions").GetInt32());
        Assert.Equal(2, report.GetProperty("focusedMinutes").GetInt32());
        Assert.True(report.GetProperty("completed").GetBoolean());
        Assert.Equal(["reddit.com", "youtube.com"], report.GetProperty("topDistractions").EnumerateArray().Select(s => s.GetString()).Order());

        Assert.Equal(HttpStatusCode.NoContent, (await user.Client.GetAsync("/api/v1/focus/sessions/current")).StatusCode);
        await (await user.Client.PostAsync($"/api/v1/focus/sessions/{id}/pause", null)).AssertProblemAsync(HttpStatusCode.Conflict);
        var history = await user.Client.GetFromJsonAsync<JsonElement>("/api/v1/focus/sessions");
        Assert.Equal(id, history.EnumerateArray().Single().GetProperty("id").GetString());
        var read = await user.Client.GetFromJsonAsync<JsonElement>($"/api/v1/focus/sessions/{id}");
        Assert.Equal(2, read.GetProperty("report").GetProperty("interruptions").GetInt32());
    }

    [Fact]
    public async Task Someone_elses_session_is_not_found()
    {
        var owner = await Host.RegisterAndLoginAsync();
        var other = await Host.RegisterAndLoginAsync();
        var id = (await (await owner.Client.PostAsJsonAsync("/api/v1/focus/sessions", new { plannedMinutes = 25 })).Content.ReadFromJsonAsync<JsonElement>()).GetProperty("id").GetString();

        await (await other.Client.GetAsync($"/api/v1/focus/sessions/{id}")).AssertProblemAsync(HttpStatusCode.NotFound);
        await (await other.Client.PostAsync($"/api/v1/focus/sessions/{id}/end", null)).AssertProblemAsync(HttpStatusCode.NotFound);
        await (await other.Client.PostAsync("/api/v1/focus/sessions/nope/pause", null)).AssertProblemAsync(HttpStatusCode.NotFound);
        Assert.Equal("running", (await owner.Client.GetFromJsonAsync<JsonElement>($"/api/v1/focus/sessions/{id}")).GetProperty("status").GetString());
        await owner.Client.PostAsync($"/api/v1/focus/sessions/{id}/end", null);
    }

    [Theory]
    [InlineData("""{"plannedMinutes":0}""", "plannedMinutes")]
    [InlineData("""{"plannedMinutes":481}""", "plannedMinutes")]
    [InlineData("""{}""", "plannedMinutes")]
    [InlineData("""{"plannedMinutes":25,"strictness":"brutal"}""", "strictness")]
    public async Task A_bad_session_is_a_400(string body, string field)
    {
        var user = await Host.RegisterAndLoginAsync();
        await (await user.Client.PostJsonAsync("/api/v1/focus/sessions", body)).AssertValidationProblemAsync(field);
        Assert.Equal(HttpStatusCode.NoContent, (await user.Client.GetAsync("/api/v1/focus/sessions/current")).StatusCode);
    }

    [Fact]
    public async Task A_running_session_tightens_decisions_for_distracting_sites_and_a_pause_or_an_allow_rule_lifts_it()
    {
        var user = await Host.RegisterAndLoginAsync();
        await user.Client.CreateRuleAsync(new { name = "Music is fine", sites = new[] { "youtube.com/music" }, action = "allow" });
        Assert.Equal("allow", await user.Client.ActionAsync("https://www.instagram.com/"));

        var id = (await (await user.Client.PostAsJsonAsync("/api/v1/focus/sessions", new { plannedMinutes = 25, strictness = "strict" })).Content.ReadFromJsonAsync<JsonElement>()).GetProperty("id").GetString();
        var blocked = await user.Client.DecideAsync("https://www.instagram.com/");
        Assert.Equal("block", blocked.GetProperty("action").GetString());
        Assert.Contains("focus session", blocked.GetProperty("reason").GetString(), StringComparison.Ordinal);
        Assert.Equal("allow", await user.Client.ActionAsync("https://github.com/"));
        Assert.Equal("allow", await user.Client.ActionAsync("https://youtube.com/music/calm"));

        await user.Client.PostAsync($"/api/v1/focus/sessions/{id}/pause", null);
        Assert.Equal("allow", await user.Client.ActionAsync("https://www.instagram.com/"));
        await user.Client.PostAsync($"/api/v1/focus/sessions/{id}/resume", null);
        Assert.Equal("block", await user.Client.ActionAsync("https://www.instagram.com/"));
        await user.Client.PostAsync($"/api/v1/focus/sessions/{id}/end", null);
        Assert.Equal("allow", await user.Client.ActionAsync("https://www.instagram.com/"));

        var gentle = (await (await user.Client.PostAsJsonAsync("/api/v1/focus/sessions", new { plannedMinutes = 25 })).Content.ReadFromJsonAsync<JsonElement>()).GetProperty("id").GetString();
        var paused = await user.Client.DecideAsync("https://www.instagram.com/");
        Assert.Equal("pause", paused.GetProperty("action").GetString());
        Assert.Equal(10, paused.GetProperty("delaySeconds").GetInt32());
        await user.Client.PostAsync($"/api/v1/focus/sessions/{gentle}/end", null);
    }

    [Fact]
    public async Task Export_holds_rules_dismissals_and_sessions()
    {
        var user = await Host.RegisterAndLoginAsync();
        await user.Client.CreateRuleAsync(new { name = "Night", sites = new[] { "example.com" }, action = "block" });
        await user.Client.PostAsJsonAsync("/api/v1/focus/dismiss", new { site = "example.com" });
        var id = (await (await user.Client.PostAsJsonAsync("/api/v1/focus/sessions", new { plannedMinutes = 5 })).Content.ReadFromJsonAsync<JsonElement>()).GetProperty("id").GetString();
        await user.Client.PostAsync($"/api/v1/focus/sessions/{id}/end", null);

        var focus = (await user.Client.GetFromJsonAsync<JsonElement>("/api/v1/me/export")).GetProperty("focus");
        Assert.Equal("Night", focus.GetProperty("rules")[0].GetProperty("name").GetString());
        Assert.Equal("example.com", focus.GetProperty("dismissals")[0].GetProperty("site").GetString());
        Assert.Equal(id, focus.GetProperty("sessions")[0].GetProperty("id").GetString());
    }
}
