using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Mindspace.Gateway.Tests.Infrastructure;
using static Mindspace.Gateway.Tests.Attention.AttentionHttp;

namespace Mindspace.Gateway.Tests.Attention;

public sealed class AttentionTicksTests(GatewayFixture fixture) : IClassFixture<GatewayFixture>
{
    private MindspaceTestHost Host => fixture.Host;

    [Fact]
    public async Task Ticks_are_kept_by_registrable_domain_and_summed_per_site()
    {
        var user = await Host.RegisterAndLoginAsync();
        var t = BaseHour();
        var ack = await user.Client.SendTicksAsync(
            Tick("www.bbc.co.uk", t, 30),
            Tick("https://m.youtube.com/watch?v=1", t.AddMinutes(10), 45),
            Tick("news.bbc.co.uk", t.AddMinutes(20), 15));

        Assert.Equal(3, ack.GetProperty("accepted").GetInt32());
        Assert.Equal(0, ack.GetProperty("duplicates").GetInt32());
        var summary = await user.Client.SummaryAsync(t, t.AddHours(1));
        Assert.Equal(new Dictionary<string, long> { ["bbc.co.uk"] = 45, ["youtube.com"] = 45 }, summary.Seconds());
        Assert.Equal(90, summary.TotalSeconds());
        var youtube = summary.GetProperty("summary").GetProperty("groups").EnumerateArray().Single(g => g.GetProperty("key").GetString() == "youtube.com");
        Assert.Equal("distracting", youtube.GetProperty("category").GetString());
    }

    [Fact]
    public async Task A_tick_sent_twice_counts_once()
    {
        var user = await Host.RegisterAndLoginAsync();
        var t = BaseHour();
        var tick = Tick("example.com", t, 20, id: "tick-1");
        await user.Client.SendTicksAsync(tick);
        var again = await user.Client.SendTicksAsync(tick, Tick("example.com", t.AddMinutes(30), 10, id: "tick-2"));

        Assert.Equal(1, again.GetProperty("accepted").GetInt32());
        Assert.Equal(1, again.GetProperty("duplicates").GetInt32());
        Assert.Equal(30, (await user.Client.SummaryAsync(t, t.AddHours(1))).TotalSeconds());
    }

    [Fact]
    public async Task Heartbeats_of_one_site_within_the_pulse_window_extend_one_span_even_out_of_order()
    {
        var user = await Host.RegisterAndLoginAsync();
        var t = BaseHour();

        // Three 10 s ticks 30 s apart, the last sent first: one span from t to t+70 s.
        await user.Client.SendTicksAsync(Tick("example.org", t.AddSeconds(60), 10));
        await user.Client.SendTicksAsync(Tick("example.org", t, 10), Tick("example.org", t.AddSeconds(30), 10));
        // Far apart (10 minutes later): a second span.
        await user.Client.SendTicksAsync(Tick("example.org", t.AddMinutes(10), 10));

        var export = await user.Client.GetFromJsonAsync<JsonElement>("/api/v1/me/export");
        var spans = export.GetProperty("attention").GetProperty("spans").EnumerateArray().ToList();
        Assert.Equal(2, spans.Count);
        Assert.Equal(t, spans[0].GetProperty("start").GetDateTimeOffset());
        Assert.Equal(t.AddSeconds(70), spans[0].GetProperty("end").GetDateTimeOffset());
        Assert.Equal(80, (await user.Client.SummaryAsync(t, t.AddHours(1))).TotalSeconds());
    }

    [Fact]
    public async Task Unfocused_or_idle_time_is_not_attention_unless_something_plays()
    {
        var user = await Host.RegisterAndLoginAsync();
        var t = BaseHour();
        await user.Client.SendTicksAsync(
            Tick("unfocused.example", t, 30, focused: false),
            Tick("idle.example", t.AddMinutes(5), 30, idle: true),
            Tick("music.example", t.AddMinutes(10), 30, focused: false, audible: true),
            Tick("reading.example", t.AddMinutes(15), 30));

        var summary = await user.Client.SummaryAsync(t, t.AddHours(1));
        Assert.Equal(new Dictionary<string, long> { ["music.example"] = 30, ["reading.example"] = 30 }, summary.Seconds());
    }

    public static TheoryData<string, string> BadBatches()
    {
        var t = DateTimeOffset.UtcNow;
        string Batch(object tick) => JsonSerializer.Serialize(new { ticks = new[] { Tick("ok.example", t.AddMinutes(-5), 5), tick } });
        return new()
        {
            { Batch(Tick("future.example", t.AddHours(1), 5)), "ticks[1].ts" },
            { Batch(Tick("negative.example", t.AddMinutes(-1), -5)), "ticks[1].durationSec" },
            { Batch(Tick("long.example", t.AddHours(-3), 7_200)), "ticks[1].durationSec" },
            { Batch(Tick("old.example", t.AddDays(-40), 5)), "ticks[1].ts" },
            { Batch(Tick("not a host!", t.AddMinutes(-1), 5)), "ticks[1].site" },
            { Batch(Tick("ftp://files.example/x", t.AddMinutes(-1), 5)), "ticks[1].site" },
            { Batch(Tick("ok.example", t.AddMinutes(-1), 5, id: "")), "ticks[1].id" },
            { Batch(Tick("ok.example", t.AddMinutes(-1), 5, id: new string('x', 65))), "ticks[1].id" },
            { Batch(new { id = "no-time", site = "ok.example", durationSec = 5 }), "ticks[1].ts" },
            { Batch(new { id = "no-duration", site = "ok.example", ts = t.AddMinutes(-1) }), "ticks[1].durationSec" },
            { Batch(Tick("ok.example", t.AddMinutes(-1), 5, title: new string('t', 301))), "ticks[1].title" },
            { JsonSerializer.Serialize(new { ticks = Enumerable.Range(0, 501).Select(i => Tick("ok.example", t.AddMinutes(-10).AddSeconds(i), 1)) }), "ticks" },
            { "{}", "ticks" },
            { """{"ticks":[null]}""", "ticks[0]" },
        };
    }

    [Theory]
    [MemberData(nameof(BadBatches))]
    public async Task A_bad_tick_rejects_the_whole_batch_and_stores_nothing(string body, string field)
    {
        var user = await Host.RegisterAndLoginAsync();
        var response = await user.Client.PostJsonAsync("/api/v1/attention/ticks", body);

        await response.AssertValidationProblemAsync(field);
        var now = DateTimeOffset.UtcNow;
        Assert.Equal(0, (await user.Client.SummaryAsync(now.AddDays(-60), now.AddDays(-60).AddDays(90))).TotalSeconds());
        var export = await user.Client.GetFromJsonAsync<JsonElement>("/api/v1/me/export");
        Assert.Empty(export.GetProperty("attention").GetProperty("spans").EnumerateArray());
    }

    [Theory]
    [InlineData("""{"ticks":""")]
    [InlineData("""{"ticks":[{"id":"a","ts":"yesterday","site":"ok.example","durationSec":5}]}""")]
    [InlineData("""{"ticks":[{"id":"a","ts":"2025-01-01T00:00:00Z","site":"ok.example","durationSec":"five"}]}""")]
    [InlineData("""{"ticks":[{"id":"a","ts":"2025-01-01T00:00:00Z","site":"ok.example","durationSec":5,"sessionId":"not-a-guid"}]}""")]
    public async Task Malformed_json_is_a_400(string body)
    {
        var user = await Host.RegisterAndLoginAsync();
        var response = await user.Client.PostJsonAsync("/api/v1/attention/ticks", body);
        await response.AssertProblemAsync(HttpStatusCode.BadRequest);
    }

    [Fact]
    public async Task A_tick_naming_someone_elses_focus_session_is_refused_and_nothing_is_stored()
    {
        var owner = await Host.RegisterAndLoginAsync();
        var other = await Host.RegisterAndLoginAsync();
        var start = await owner.Client.PostAsJsonAsync("/api/v1/focus/sessions", new { plannedMinutes = 25 });
        Assert.Equal(HttpStatusCode.Created, start.StatusCode);
        var sessionId = (await start.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("id").GetGuid();
        var t = BaseHour();

        var refused = await other.Client.PostTicksAsync(Tick("fine.example", t, 5), Tick("fine.example", t.AddMinutes(1), 5, sessionId: sessionId));
        await refused.AssertProblemAsync(HttpStatusCode.NotFound);
        Assert.Equal(0, (await other.Client.SummaryAsync(t, t.AddHours(1))).TotalSeconds());

        var unknown = await other.Client.PostTicksAsync(Tick("fine.example", t, 5, sessionId: Guid.NewGuid()));
        await unknown.AssertProblemAsync(HttpStatusCode.NotFound);

        var accepted = await owner.Client.SendTicksAsync(Tick("fine.example", t, 5, sessionId: sessionId));
        Assert.Equal(1, accepted.GetProperty("accepted").GetInt32());
    }

    [Fact]
    public async Task Incognito_ticks_are_dropped_at_the_door()
    {
        var user = await Host.RegisterAndLoginAsync();
        var t = BaseHour();
        var ack = await user.Client.SendTicksAsync(Tick("secret.example", t, 30, incognito: true), Tick("open.example", t.AddMinutes(1), 30));

        Assert.Equal(1, ack.GetProperty("accepted").GetInt32());
        Assert.Equal(1, ack.GetProperty("dropped").GetInt32());
        var export = await user.Client.GetStringAsync("/api/v1/me/export");
        Assert.DoesNotContain("secret.example", export, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Paths_and_titles_are_kept_only_after_opting_in()
    {
        var user = await Host.RegisterAndLoginAsync();
        var t = BaseHour();
        await user.Client.SendTicksAsync(Tick("docs.example.com", t, 10, path: "/private/diagnosis", title: "My diagnosis"));
        var before = await user.Client.GetStringAsync("/api/v1/me/export");
        Assert.DoesNotContain("diagnosis", before, StringComparison.Ordinal);
        Assert.Contains("example.com", before, StringComparison.Ordinal);

        var optIn = await user.Client.PatchAsJsonAsync("/api/v1/attention/settings", new { keepPathsAndTitles = true });
        Assert.Equal(HttpStatusCode.OK, optIn.StatusCode);
        await user.Client.SendTicksAsync(Tick("docs.example.com", t.AddMinutes(30), 10, path: "/notes/today", title: "Today's notes"));

        var export = await user.Client.GetFromJsonAsync<JsonElement>("/api/v1/me/export");
        var kept = export.GetProperty("attention").GetProperty("spans").EnumerateArray().Single(s => s.GetProperty("path").ValueKind == JsonValueKind.String);
        Assert.Equal("/notes/today", kept.GetProperty("path").GetString());
        Assert.Equal("Today's notes", kept.GetProperty("title").GetString());
        Assert.True(export.GetProperty("attention").GetProperty("settings").GetProperty("keepPathsAndTitles").GetBoolean());
    }

    [Fact]
    public async Task Another_users_ticks_never_show_in_my_summary()
    {
        var me = await Host.RegisterAndLoginAsync();
        var other = await Host.RegisterAndLoginAsync();
        var t = BaseHour();
        await other.Client.SendTicksAsync(Tick("theirs.example", t, 60));

        Assert.Equal(0, (await me.Client.SummaryAsync(t, t.AddHours(1))).TotalSeconds());
    }

    [Fact]
    public async Task Ticks_need_a_signed_in_user()
    {
        var response = await Host.Client.PostTicksAsync(Tick("example.com", BaseHour(), 5));
        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
    }

    [Fact]
    public async Task Deleting_the_account_erases_attention_and_focus_data()
    {
        var user = await Host.RegisterAndLoginAsync();
        var t = BaseHour();
        await user.Client.SendTicksAsync(Tick("example.com", t, 60));
        var rule = await user.Client.PostAsJsonAsync("/api/v1/focus/rules", new { name = "Evenings", sites = new[] { "example.com" }, action = "block" });
        Assert.Equal(HttpStatusCode.Created, rule.StatusCode);

        var delete = new HttpRequestMessage(HttpMethod.Delete, "/api/v1/me") { Content = JsonContent.Create(new { password = user.Password }) };
        Assert.Equal(HttpStatusCode.NoContent, (await user.Client.SendAsync(delete)).StatusCode);

        var attention = await Host.Grains.GetGrain<Mindspace.Grains.Interfaces.Attention.IAttentionGrain>(user.UserId).ExportAsync();
        Assert.Empty(attention.Spans);
        var focus = await Host.Grains.GetGrain<Mindspace.Grains.Interfaces.Focus.IFocusGrain>(user.UserId).ExportAsync();
        Assert.Empty(focus.Rules);
    }
}
