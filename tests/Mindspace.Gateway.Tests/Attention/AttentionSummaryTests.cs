using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Mindspace.Gateway.Tests.Infrastructure;
using static Mindspace.Gateway.Tests.Attention.AttentionHttp;

namespace Mindspace.Gateway.Tests.Attention;

public sealed class AttentionSummaryTests(GatewayFixture fixture) : IClassFixture<GatewayFixture>
{
    private MindspaceTestHost Host => fixture.Host;

    [Fact]
    public async Task Time_per_category_uses_defaults_and_the_users_own_categories()
    {
        var user = await Host.RegisterAndLoginAsync();
        var t = BaseHour();
        await user.Client.SendTicksAsync(
            Tick("youtube.com", t, 60),
            Tick("github.com", t.AddMinutes(5), 120),
            Tick("mylibrary.example", t.AddMinutes(10), 30),
            Tick("news.example", t.AddMinutes(15), 40));

        var defaults = await user.Client.SummaryAsync(t, t.AddHours(1), by: "category");
        Assert.Equal(new Dictionary<string, long> { ["focus"] = 120, ["neutral"] = 70, ["distracting"] = 60 }, defaults.Seconds());

        var patch = await user.Client.PatchAsJsonAsync("/api/v1/attention/settings", new { categories = new Dictionary<string, string?> { ["mylibrary.example"] = "focus", ["www.news.example"] = "distracting" } });
        var settings = await patch.Content.ReadFromJsonAsync<JsonElement>();
        Assert.Equal(HttpStatusCode.OK, patch.StatusCode);
        Assert.Equal("distracting", settings.GetProperty("categories").GetProperty("news.example").GetString());

        var own = await user.Client.SummaryAsync(t, t.AddHours(1), by: "category");
        Assert.Equal(new Dictionary<string, long> { ["focus"] = 150, ["distracting"] = 100 }, own.Seconds());
        var categorySeconds = own.GetProperty("summary").GetProperty("categorySeconds");
        Assert.Equal(0, categorySeconds.GetProperty("neutral").GetInt64());
    }

    [Fact]
    public async Task Switches_are_counted_per_hour_and_hours_and_days_are_the_users_own()
    {
        // Kolkata is UTC+05:30: its hours start at :30 UTC, so a UTC hour splits in two local hours.
        var user = await Host.RegisterAndLoginAsync(timeZone: "Asia/Kolkata");
        var t = BaseHour();
        await user.Client.SendTicksAsync(
            Tick("a.example", t.AddMinutes(20), 600), // 20:00–30:00, crosses the local hour at :30
            Tick("b.example", t.AddMinutes(40), 60),
            Tick("a.example", t.AddMinutes(45), 60));

        var byHour = await user.Client.SummaryAsync(t, t.AddHours(2), by: "hour");
        var local = t.ToOffset(TimeSpan.FromHours(5.5));
        var firstHour = new DateTimeOffset(local.Year, local.Month, local.Day, local.Hour, 0, 0, local.Offset);
        string Key(DateTimeOffset hour) => hour.ToString("yyyy-MM-dd'T'HH:mm", System.Globalization.CultureInfo.InvariantCulture) + "+05:30";
        Assert.Equal(new Dictionary<string, long> { [Key(firstHour)] = 600, [Key(firstHour.AddHours(1))] = 120 }, byHour.Seconds());
        var groups = byHour.GetProperty("summary").GetProperty("groups").EnumerateArray().ToList();
        Assert.Equal(0, groups[0].GetProperty("switches").GetInt32());
        Assert.Equal(2, groups[1].GetProperty("switches").GetInt32());
        Assert.Equal(2, byHour.GetProperty("summary").GetProperty("switches").GetInt32());
        Assert.Equal(1.0, byHour.GetProperty("summary").GetProperty("switchesPerHour").GetDouble());

        var byDay = await user.Client.SummaryAsync(t.AddDays(-1), t.AddDays(1), by: "day");
        Assert.Equal(new Dictionary<string, long> { [local.ToString("yyyy-MM-dd", System.Globalization.CultureInfo.InvariantCulture)] = 720 }, byDay.Seconds());
        Assert.Equal("Asia/Kolkata", byDay.GetProperty("summary").GetProperty("timeZone").GetString());
    }

    [Fact]
    public async Task A_stretch_of_attention_across_an_hour_and_a_local_midnight_is_one_span_counted_once()
    {
        // Bogotá is UTC−05:00 all year: its midnight is 05:00 UTC, where one stored hour row ends and the next begins.
        var user = await Host.RegisterAndLoginAsync(timeZone: "America/Bogota");
        var midnight = BaseHour().AddHours(-1);
        await user.Client.SendTicksAsync(
            Tick("youtube.com", midnight.AddSeconds(-70), 60), // 23:58:50–23:59:50, in the 04:00 UTC row
            Tick("youtube.com", midnight.AddSeconds(-20), 60), // 23:59:40–00:00:40, overlaps it and crosses midnight
            Tick("youtube.com", midnight.AddSeconds(10), 60), // 00:00:10–00:01:10, in the 05:00 UTC row, overlapping
            Tick("youtube.com", midnight.AddSeconds(100), 50), // 00:01:40–00:02:30, 30 s later: within the pulse window, bridged
            Tick("github.com", midnight.AddMinutes(10), 60));

        // One span from 23:58:50 to 00:02:30: 220 s, not 250 s with the overlap counted twice.
        var bySite = await user.Client.SummaryAsync(midnight.AddHours(-1), midnight.AddHours(1));
        Assert.Equal(new Dictionary<string, long> { ["youtube.com"] = 220, ["github.com"] = 60 }, bySite.Seconds());
        Assert.Equal(280, bySite.TotalSeconds());
        Assert.Equal(1, bySite.GetProperty("summary").GetProperty("switches").GetInt32());

        // Split at the person's midnight, not at the rows' hour.
        var byDay = await user.Client.SummaryAsync(midnight.AddHours(-1), midnight.AddHours(1), by: "day");
        var day = midnight.ToOffset(TimeSpan.FromHours(-5));
        string Key(DateTimeOffset date) => date.ToString("yyyy-MM-dd", System.Globalization.CultureInfo.InvariantCulture);
        Assert.Equal(new Dictionary<string, long> { [Key(day.AddDays(-1))] = 70, [Key(day)] = 210 }, byDay.Seconds());

        // A window inside the stretch counts each second of it once.
        var inside = await user.Client.SummaryAsync(midnight.AddSeconds(-30), midnight.AddSeconds(30));
        Assert.Equal(60, inside.TotalSeconds());
    }

    [Fact]
    public async Task A_date_range_means_the_users_local_days()
    {
        var user = await Host.RegisterAndLoginAsync(timeZone: "America/New_York");
        var t = BaseHour();
        await user.Client.SendTicksAsync(Tick("example.com", t, 60));
        var localDate = TimeZoneInfo.ConvertTime(t, TimeZoneInfo.FindSystemTimeZoneById("America/New_York")).ToString("yyyy-MM-dd", System.Globalization.CultureInfo.InvariantCulture);

        var summary = await user.Client.GetFromJsonAsync<JsonElement>($"/api/v1/attention/summary?from={localDate}&to={localDate}&by=day");
        Assert.Equal(new Dictionary<string, long> { [localDate] = 60 }, summary.Seconds());
    }

    [Fact]
    public async Task Choosing_not_to_open_something_is_celebrated_in_the_summary()
    {
        var user = await Host.RegisterAndLoginAsync();
        var now = DateTimeOffset.UtcNow;
        Assert.Equal(HttpStatusCode.OK, (await user.Client.PostAsJsonAsync("/api/v1/focus/dismiss", new { site = "https://www.reddit.com/r/all" })).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await user.Client.PostAsJsonAsync("/api/v1/focus/dismiss", new { site = "reddit.com" })).StatusCode);

        var summary = await user.Client.SummaryAsync(now.AddHours(-1), now.AddHours(1));
        Assert.Equal(2, summary.GetProperty("choseNotToOpen").GetInt32());
        Assert.Contains("taking your attention back", summary.GetProperty("celebration").GetString(), StringComparison.Ordinal);

        var today = await user.Client.GetFromJsonAsync<JsonElement>("/api/v1/attention/summary");
        Assert.Equal(2, today.GetProperty("choseNotToOpen").GetInt32());
    }

    [Theory]
    [InlineData("?by=week", "by")]
    [InlineData("?from=2025-02-30", "from")]
    [InlineData("?from=2025-03-01T00:00:00Z&to=2025-02-01T00:00:00Z", "to")]
    [InlineData("?from=2025-01-01T00:00:00Z&to=2025-06-01T00:00:00Z", "to")]
    public async Task A_bad_summary_query_is_a_400_naming_the_field(string query, string field)
    {
        var user = await Host.RegisterAndLoginAsync();
        var response = await user.Client.GetAsync("/api/v1/attention/summary" + query);
        await response.AssertValidationProblemAsync(field);
    }

    [Fact]
    public async Task A_bad_category_changes_nothing()
    {
        var user = await Host.RegisterAndLoginAsync();
        var response = await user.Client.PatchAsJsonAsync("/api/v1/attention/settings", new { keepPathsAndTitles = true, categories = new Dictionary<string, string> { ["example.com"] = "evil" } });
        await response.AssertValidationProblemAsync("categories.example.com");

        var settings = await user.Client.GetFromJsonAsync<JsonElement>("/api/v1/attention/settings");
        Assert.False(settings.GetProperty("keepPathsAndTitles").GetBoolean());
        Assert.Empty(settings.GetProperty("categories").EnumerateObject());
    }
}
