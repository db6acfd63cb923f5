using System.Globalization;
using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Mindspace.Gateway.Tests.Infrastructure;
using static Mindspace.Gateway.Tests.Attention.AttentionHttp;

namespace Mindspace.Gateway.Tests.Focus;

public sealed class FocusRulesTests(FocusApiFixture fixture) : IClassFixture<FocusApiFixture>
{
    private MindspaceTestHost Host => fixture.Host;

    [Fact]
    public async Task A_rule_set_is_created_read_edited_and_deleted_by_its_owner_only()
    {
        var user = await Host.RegisterAndLoginAsync();
        var other = await Host.RegisterAndLoginAsync();
        var rule = await user.Client.CreateRuleAsync(new { name = " Social ", sites = new[] { "https://www.Instagram.com", "*.reddit.com", "instagram.com" }, action = "pause", pauseSeconds = 20 });

        Assert.Equal("Social", rule.GetProperty("name").GetString());
        Assert.Equal(["instagram.com", "*.reddit.com"], rule.GetProperty("sites").EnumerateArray().Select(s => s.GetString()));
        Assert.True(rule.GetProperty("enabled").GetBoolean());
        var id = rule.GetProperty("id").GetString();

        var listed = await user.Client.GetFromJsonAsync<JsonElement>("/api/v1/focus/rules");
        Assert.Equal(id, listed.EnumerateArray().Single().GetProperty("id").GetString());
        Assert.Empty((await other.Client.GetFromJsonAsync<JsonElement>("/api/v1/focus/rules")).EnumerateArray());
        await (await other.Client.GetAsync($"/api/v1/focus/rules/{id}")).AssertProblemAsync(HttpStatusCode.NotFound);
        await (await other.Client.PatchJsonAsync($"/api/v1/focus/rules/{id}", """{"enabled":false}""")).AssertProblemAsync(HttpStatusCode.NotFound);
        await (await other.Client.DeleteAsync($"/api/v1/focus/rules/{id}")).AssertProblemAsync(HttpStatusCode.NotFound);

        var patched = await user.Client.PatchJsonAsync($"/api/v1/focus/rules/{id}", """{"action":"block","limit":{"minutes":30,"per":"day"}}""");
        var edited = await patched.Content.ReadFromJsonAsync<JsonElement>();
        Assert.Equal(HttpStatusCode.OK, patched.StatusCode);
        Assert.Equal("block", edited.GetProperty("action").GetString());
        Assert.Equal(30, edited.GetProperty("limit").GetProperty("minutes").GetInt32());
        Assert.Equal("Social", edited.GetProperty("name").GetString());

        var cleared = await (await user.Client.PatchJsonAsync($"/api/v1/focus/rules/{id}", """{"limit":null}""")).Content.ReadFromJsonAsync<JsonElement>();
        Assert.Equal(JsonValueKind.Null, cleared.GetProperty("limit").ValueKind);

        Assert.Equal(HttpStatusCode.NoContent, (await user.Client.DeleteAsync($"/api/v1/focus/rules/{id}")).StatusCode);
        await (await user.Client.GetAsync($"/api/v1/focus/rules/{id}")).AssertProblemAsync(HttpStatusCode.NotFound);
        await (await user.Client.GetAsync("/api/v1/focus/rules/not-an-id")).AssertProblemAsync(HttpStatusCode.NotFound);
    }

    public static TheoryData<string, string> BadRules => new()
    {
        { """{"sites":["example.com"]}""", "name" },
        { """{"name":"x","sites":[]}""", "sites" },
        { """{"name":"x","sites":["not a site"]}""", "sites[0]" },
        { """{"name":"x","sites":["example.com"],"allow":["ftp://"]}""", "allow[0]" },
        { """{"name":"x","sites":["example.com"],"action":"shout"}""", "action" },
        { """{"name":"x","sites":["example.com"],"pauseSeconds":1}""", "pauseSeconds" },
        { """{"name":"x","sites":["example.com"],"schedule":{"days":["someday"]}}""", "schedule.days" },
        { """{"name":"x","sites":["example.com"],"schedule":{"ranges":[{"from":"25:00","to":"26:00"}]}}""", "schedule.ranges" },
        { """{"name":"x","sites":["example.com"],"limit":{"minutes":90,"per":"hour"}}""", "limit.minutes" },
        { """{"name":"x","sites":["example.com"],"limit":{"minutes":10,"per":"week"}}""", "limit.per" },
        { """{"name":"x","sites":["example.com"],"lockedUntil":"2001-01-01T00:00:00Z"}""", "lockedUntil" },
    };

    [Theory]
    [MemberData(nameof(BadRules))]
    public async Task A_bad_rule_is_a_400_naming_the_field_and_nothing_is_created(string body, string field)
    {
        var user = await Host.RegisterAndLoginAsync();
        await (await user.Client.PostJsonAsync("/api/v1/focus/rules", body)).AssertValidationProblemAsync(field);
        Assert.Empty((await user.Client.GetFromJsonAsync<JsonElement>("/api/v1/focus/rules")).EnumerateArray());
    }

    [Fact]
    public async Task Decisions_follow_domains_wildcards_allow_exceptions_and_the_strictest_rule()
    {
        var user = await Host.RegisterAndLoginAsync();
        var pause = await user.Client.CreateRuleAsync(new { name = "Video", sites = new[] { "youtube.com" }, allow = new[] { "youtube.com/feed/lectures" }, action = "pause", pauseSeconds = 20 });
        var block = await user.Client.CreateRuleAsync(new { name = "Forums", sites = new[] { "*.forum.example", "youtube.com/shorts" }, action = "block" });

        var paused = await user.Client.DecideAsync("https://m.youtube.com/watch?v=1");
        Assert.Equal("pause", paused.GetProperty("action").GetString());
        Assert.Equal(20, paused.GetProperty("delaySeconds").GetInt32());
        Assert.Equal(pause.GetProperty("id").GetString(), paused.GetProperty("ruleId").GetString());
        Assert.Contains("Video", paused.GetProperty("reason").GetString(), StringComparison.Ordinal);
        Assert.Equal(1, paused.GetProperty("attemptsToday").GetInt32());
        Assert.Equal(2, (await user.Client.DecideAsync("https://youtube.com/")).GetProperty("attemptsToday").GetInt32());

        var shorts = await user.Client.DecideAsync("https://www.youtube.com/shorts/abc");
        Assert.Equal("block", shorts.GetProperty("action").GetString());
        Assert.Equal(block.GetProperty("id").GetString(), shorts.GetProperty("ruleId").GetString());

        Assert.Equal("allow", await user.Client.ActionAsync("https://www.youtube.com/feed/lectures/week1"));
        Assert.Equal("block", await user.Client.ActionAsync("https://talk.forum.example/t/1"));
        Assert.Equal("allow", await user.Client.ActionAsync("https://forum.example/"));
        Assert.Equal("allow", await user.Client.ActionAsync("https://notyoutube.com/"));
        var allowed = await user.Client.DecideAsync("https://example.org/");
        Assert.Equal(0, allowed.GetProperty("attemptsToday").GetInt32());
        Assert.Equal(JsonValueKind.Null, allowed.GetProperty("ruleId").ValueKind);
    }

    [Theory]
    [InlineData("")]
    [InlineData("not a url")]
    [InlineData("chrome://settings")]
    [InlineData("/relative/path")]
    public async Task A_decision_needs_an_http_address(string url)
    {
        var user = await Host.RegisterAndLoginAsync();
        await (await user.Client.GetAsync("/api/v1/focus/decision?url=" + Uri.EscapeDataString(url))).AssertValidationProblemAsync("url");
    }

    [Fact]
    public async Task A_schedule_applies_on_its_local_days_and_hours_only()
    {
        var user = await Host.RegisterAndLoginAsync(timeZone: fixture.NoonZone);
        var local = fixture.Clock.GetUtcNow().ToOffset(TimeSpan.FromHours(12 - fixture.Clock.GetUtcNow().Hour));
        var minute = local.Hour * 60 + local.Minute;
        string Time(int m) => TimeSpan.FromMinutes(((m % 1440) + 1440) % 1440).ToString(@"hh\:mm", CultureInfo.InvariantCulture);
        var today = local.DayOfWeek.ToString()[..3].ToLowerInvariant();
        var tomorrow = local.AddDays(1).DayOfWeek.ToString()[..3].ToLowerInvariant();

        await user.Client.CreateRuleAsync(new { name = "Now", sites = new[] { "now.example" }, action = "block", schedule = new { days = new[] { today }, ranges = new[] { new { from = Time(minute - 30), to = Time(minute + 30) } } } });
        await user.Client.CreateRuleAsync(new { name = "Later", sites = new[] { "later.example" }, action = "block", schedule = new { ranges = new[] { new { from = Time(minute + 60), to = Time(minute + 120) } } } });
        await user.Client.CreateRuleAsync(new { name = "Tomorrow", sites = new[] { "tomorrow.example" }, action = "block", schedule = new { days = new[] { tomorrow } } });

        Assert.Equal("block", await user.Client.ActionAsync("https://now.example/"));
        Assert.Equal("allow", await user.Client.ActionAsync("https://later.example/"));
        Assert.Equal("allow", await user.Client.ActionAsync("https://tomorrow.example/"));
    }

    [Fact]
    public async Task Decisions_follow_every_edit_of_the_rule_sets_at_once()
    {
        // The focus grain keeps its rule sets' patterns parsed between decisions: each edit must show in the next answer.
        var user = await Host.RegisterAndLoginAsync();
        Assert.Equal("allow", await user.Client.ActionAsync("https://clips.example/a"));
        var rule = await user.Client.CreateRuleAsync(new { name = "Clips", sites = new[] { "clips.example" }, action = "pause" });
        var path = $"/api/v1/focus/rules/{rule.GetProperty("id").GetString()}";
        Assert.Equal("pause", await user.Client.ActionAsync("https://clips.example/a"));

        (await user.Client.PatchJsonAsync(path, """{"allow":["clips.example/a"]}""")).EnsureSuccessStatusCode();
        Assert.Equal("allow", await user.Client.ActionAsync("https://clips.example/a"));
        Assert.Equal("pause", await user.Client.ActionAsync("https://www.clips.example/b"));

        (await user.Client.PatchJsonAsync(path, """{"sites":["*.clips.example"],"action":"block"}""")).EnsureSuccessStatusCode();
        Assert.Equal("allow", await user.Client.ActionAsync("https://clips.example/b"));
        Assert.Equal("block", await user.Client.ActionAsync("https://www.clips.example/b"));

        (await user.Client.PatchJsonAsync(path, """{"enabled":false}""")).EnsureSuccessStatusCode();
        Assert.Equal("allow", await user.Client.ActionAsync("https://www.clips.example/b"));
        (await user.Client.PatchJsonAsync(path, """{"enabled":true}""")).EnsureSuccessStatusCode();
        Assert.Equal("block", await user.Client.ActionAsync("https://www.clips.example/b"));

        Assert.Equal(HttpStatusCode.NoContent, (await user.Client.DeleteAsync(path)).StatusCode);
        Assert.Equal("allow", await user.Client.ActionAsync("https://www.clips.example/b"));
    }

    [Fact]
    public async Task A_limit_lets_time_through_until_it_is_used_up()
    {
        var user = await Host.RegisterAndLoginAsync(timeZone: fixture.NoonZone);
        var now = fixture.Clock.GetUtcNow();
        await user.Client.CreateRuleAsync(new { name = "Ten a day", sites = new[] { "news.example" }, action = "block", limit = new { minutes = 10, per = "day" } });

        await user.Client.SendTicksAsync(Tick("news.example", now.AddMinutes(-30), 240));
        var before = await user.Client.DecideAsync("https://www.news.example/today");
        Assert.Equal("allow", before.GetProperty("action").GetString());
        Assert.Equal(4, before.GetProperty("usedTodayMinutes").GetInt32());

        await user.Client.SendTicksAsync(Tick("news.example", now.AddMinutes(-2), 120), Tick("news.example", now.AddMinutes(-15), 300));
        var after = await user.Client.DecideAsync("https://www.news.example/today");
        Assert.Equal("block", after.GetProperty("action").GetString());
        Assert.Equal(11, after.GetProperty("usedTodayMinutes").GetInt32());
        Assert.Contains("10", after.GetProperty("reason").GetString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_locked_rule_can_only_get_stricter_until_its_lock_ends()
    {
        var user = await Host.RegisterAndLoginAsync();
        var until = fixture.Clock.GetUtcNow().AddDays(7);
        var rule = await user.Client.CreateRuleAsync(new { name = "Locked", sites = new[] { "games.example" }, action = "pause", pauseSeconds = 30, lockedUntil = until });
        var path = $"/api/v1/focus/rules/{rule.GetProperty("id").GetString()}";

        foreach (var loosening in new[]
        {
            """{"action":"allow"}""",
            """{"pauseSeconds":10}""",
            """{"sites":["other.example"]}""",
            """{"allow":["games.example/free"]}""",
            """{"enabled":false}""",
            """{"lockedUntil":null}""",
            """{"limit":{"minutes":30,"per":"day"}}""",
            """{"schedule":{"days":["mon"]}}""",
        })
        {
            var refused = await (await user.Client.PatchJsonAsync(path, loosening)).AssertProblemAsync(HttpStatusCode.Conflict);
            Assert.Contains("locked", refused.GetProperty("detail").GetString(), StringComparison.OrdinalIgnoreCase);
        }

        await (await user.Client.DeleteAsync(path)).AssertProblemAsync(HttpStatusCode.Conflict);
        await (await user.Client.PostAsJsonAsync("/api/v1/focus/unlock", new { site = "games.example", minutes = 5, reason = "just one" })).AssertProblemAsync(HttpStatusCode.Conflict);
        await (await user.Client.PatchAsJsonAsync("/api/v1/focus/settings", new { unlocksPerDay = 10 })).AssertProblemAsync(HttpStatusCode.Conflict);

        var stricter = await user.Client.PatchJsonAsync(path, """{"action":"block","sites":["games.example","more-games.example"],"name":"Locked tighter"}""");
        Assert.Equal(HttpStatusCode.OK, stricter.StatusCode);
        Assert.Equal("block", await user.Client.ActionAsync("https://more-games.example/"));

        var current = await user.Client.GetFromJsonAsync<JsonElement>(path);
        Assert.Equal("Locked tighter", current.GetProperty("name").GetString());
        Assert.Equal(2, current.GetProperty("sites").GetArrayLength());
    }

    [Fact]
    public async Task An_unlock_lets_a_site_through_everywhere_for_its_window_within_a_daily_cap()
    {
        var user = await Host.RegisterAndLoginAsync(timeZone: fixture.NoonZone);
        var secondDevice = Host.CreateClient((await Host.LoginAsync(user.Email, user.Password)).AccessToken);
        await user.Client.CreateRuleAsync(new { name = "Shop", sites = new[] { "shop.example" }, action = "block" });
        Assert.Equal(HttpStatusCode.OK, (await user.Client.PatchAsJsonAsync("/api/v1/focus/settings", new { unlocksPerDay = 1 })).StatusCode);

        var unlock = await user.Client.PostAsJsonAsync("/api/v1/focus/unlock", new { site = "https://www.shop.example/cart", minutes = 2, reason = "Paying a bill" });
        var unlocked = await unlock.Content.ReadFromJsonAsync<JsonElement>();
        Assert.Equal(HttpStatusCode.OK, unlock.StatusCode);
        Assert.Equal("shop.example", unlocked.GetProperty("site").GetString());
        Assert.Equal("allow", await secondDevice.ActionAsync("https://shop.example/"));

        var capped = await user.Client.PostAsJsonAsync("/api/v1/focus/unlock", new { site = "shop.example", minutes = 2, reason = "Again" });
        await capped.AssertProblemAsync(HttpStatusCode.TooManyRequests);

        fixture.Clock.Advance(TimeSpan.FromMinutes(3));
        Assert.Equal("block", await secondDevice.ActionAsync("https://shop.example/"));
    }

    [Theory]
    [InlineData("""{"minutes":5,"reason":"x"}""", "site")]
    [InlineData("""{"site":"shop.example","minutes":0,"reason":"x"}""", "minutes")]
    [InlineData("""{"site":"shop.example","minutes":121,"reason":"x"}""", "minutes")]
    [InlineData("""{"site":"shop.example","minutes":5,"reason":"  "}""", "reason")]
    public async Task A_bad_unlock_is_a_400(string body, string field)
    {
        var user = await Host.RegisterAndLoginAsync();
        await (await user.Client.PostJsonAsync("/api/v1/focus/unlock", body)).AssertValidationProblemAsync(field);
    }

    [Fact]
    public async Task Dismissals_are_counted_per_site_today()
    {
        var user = await Host.RegisterAndLoginAsync();
        var first = await (await user.Client.PostAsJsonAsync("/api/v1/focus/dismiss", new { site = "https://reddit.com/r/all" })).Content.ReadFromJsonAsync<JsonElement>();
        Assert.Equal(1, first.GetProperty("dismissedToday").GetInt32());
        var second = await (await user.Client.PostAsJsonAsync("/api/v1/focus/dismiss", new { site = "old.reddit.com" })).Content.ReadFromJsonAsync<JsonElement>();
        Assert.Equal("reddit.com", second.GetProperty("site").GetString());
        Assert.Equal(2, second.GetProperty("dismissedToday").GetInt32());
        await (await user.Client.PostAsJsonAsync("/api/v1/focus/dismiss", new { site = "???" })).AssertValidationProblemAsync("site");
    }
}
