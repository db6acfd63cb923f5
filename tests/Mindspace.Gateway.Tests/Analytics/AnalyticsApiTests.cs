using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Mindspace.Gateway.Tests.CheckIns;
using Mindspace.Gateway.Tests.Infrastructure;

namespace Mindspace.Gateway.Tests.Analytics;

/// <summary>Summaries and year in pixels through HTTP, on a manual clock, across zones and daylight saving.</summary>
public sealed class AnalyticsApiTests(InsightsHost shared) : IClassFixture<InsightsHost>
{
    private MindspaceTestHost Host => shared.Host;

    [Fact]
    public async Task Check_ins_keep_the_local_day_and_hour_they_were_written_at_after_the_user_moves()
    {
        var user = await Host.RegisterAndLoginAsync(timeZone: "America/New_York");

        shared.Set("2026-03-08T04:30:00Z"); // Saturday 23:30 in New York (UTC-5)
        var saturday = await user.Client.RecordMoodAsync(new { score = 2 });
        shared.Set("2026-03-08T12:00:00Z"); // Sunday 08:00: New York moved to UTC-4 at 07:00 UTC
        var sunday = await user.Client.CreateEntryAsync(new { text = "A walk in the park.", mood = 4, tags = new[] { "walk" } });

        var moved = await user.Client.PatchAsJsonAsync("/api/v1/me", new { timeZone = "Asia/Tokyo" });
        Assert.Equal(HttpStatusCode.OK, moved.StatusCode);
        shared.Set("2026-03-09T01:00:00Z"); // Monday 10:00 in Tokyo (UTC+9)
        var monday = await user.Client.RecordMoodAsync(new { score = 5 });

        Assert.Equal(("2026-03-07", -300), LocalOf(saturday));
        Assert.Equal(("2026-03-08", -240), LocalOf(sunday));
        Assert.Equal(("2026-03-09", 540), LocalOf(monday));
        Assert.Equal(("2026-03-07", -300), LocalOf(await user.Client.GetJsonAsync($"/api/v1/mood/{saturday.Id()}")));

        // In Tokyo's time the first two would be Sunday 13:30 and Sunday 21:00: the summary keeps them where they were lived.
        var lastWeek = await user.Client.GetJsonAsync("/api/v1/analytics/summary?period=week&at=2026-03-04");
        Assert.Equal("2026-03-02", lastWeek.GetProperty("from").GetString());
        Assert.Equal("2026-03-08", lastWeek.GetProperty("to").GetString());
        Assert.Equal("Asia/Tokyo", lastWeek.GetProperty("timeZone").GetString());
        Assert.Equal(2, lastWeek.GetProperty("mood").GetProperty("count").GetInt32());
        Assert.Equal(3.0, lastWeek.GetProperty("mood").GetProperty("average").GetDouble());
        Assert.Equal(1.0, lastWeek.GetProperty("mood").GetProperty("spread").GetDouble());
        Assert.Equal(2.0, Weekday(lastWeek, "saturday").GetProperty("average").GetDouble());
        Assert.Equal(4.0, Weekday(lastWeek, "sunday").GetProperty("average").GetDouble());
        Assert.Equal(2.0, Hour(lastWeek, 23).GetProperty("average").GetDouble());
        Assert.Equal(4.0, Hour(lastWeek, 8).GetProperty("average").GetDouble());
        Assert.Equal(1, lastWeek.GetProperty("counts").GetProperty("bySource").GetProperty("entries").GetInt32());
        Assert.Equal(1, lastWeek.GetProperty("counts").GetProperty("bySource").GetProperty("moods").GetInt32());

        var thisWeek = await user.Client.GetJsonAsync("/api/v1/analytics/summary"); // default: this week, today in Tokyo
        Assert.Equal("2026-03-09", thisWeek.GetProperty("from").GetString());
        Assert.Equal(5.0, Weekday(thisWeek, "monday").GetProperty("average").GetDouble());
        Assert.Equal(5.0, Hour(thisWeek, 10).GetProperty("average").GetDouble());
        var showingUp = thisWeek.GetProperty("showingUp");
        Assert.Equal(3, showingUp.GetProperty("currentRun").GetInt32());
        Assert.Equal(3, showingUp.GetProperty("bestRun").GetInt32());
        Assert.Equal(3, showingUp.GetProperty("daysThisMonth").GetInt32());
        Assert.Equal("2026-03-09", showingUp.GetProperty("lastDay").GetString());

        var year = await user.Client.GetJsonAsync("/api/v1/analytics/year?year=2026");
        var days = year.GetProperty("days").EnumerateArray().ToList();
        Assert.Equal(365, days.Count);
        Assert.Equal(["2026-03-07", "2026-03-08", "2026-03-09"], days.Where(d => d.GetProperty("checkIns").GetInt32() > 0).Select(d => d.GetProperty("date").GetString()));
        Assert.Equal([2.0, 4.0, 5.0], days.Where(d => d.GetProperty("mood").ValueKind == JsonValueKind.Number).Select(d => d.GetProperty("mood").GetDouble()));
    }

    [Fact]
    public async Task Hours_are_the_users_wall_clock_hours_across_the_spring_change()
    {
        var user = await Host.RegisterAndLoginAsync(timeZone: "Europe/London");
        shared.Set("2026-03-28T09:00:00Z"); // Saturday 09:00 GMT
        await user.Client.RecordMoodAsync(new { score = 3 });
        shared.Set("2026-03-29T09:00:00Z"); // Sunday 10:00 BST
        await user.Client.RecordMoodAsync(new { score = 5 });

        var summary = await user.Client.GetJsonAsync("/api/v1/analytics/summary?period=month");

        Assert.Equal("2026-03-01", summary.GetProperty("from").GetString());
        Assert.Equal("2026-03-31", summary.GetProperty("to").GetString());
        Assert.Equal(3.0, Hour(summary, 9).GetProperty("average").GetDouble());
        Assert.Equal(5.0, Hour(summary, 10).GetProperty("average").GetDouble());
        Assert.Equal(2, summary.GetProperty("showingUp").GetProperty("currentRun").GetInt32());
    }

    [Fact]
    public async Task A_month_names_the_tags_that_went_with_better_and_harder_days_with_their_counts()
    {
        var user = await Host.RegisterAndLoginAsync(timeZone: "UTC");
        for (var day = 1; day <= 8; day++)
        {
            shared.Set($"2026-07-{day:D2}T12:00:00Z");
            await user.Client.RecordMoodAsync(day <= 4 ? new { score = 5, tags = new[] { "friends" } } : new { score = 2, tags = new[] { "deadline" } });
        }

        var tags = (await user.Client.GetJsonAsync("/api/v1/analytics/summary?period=month&at=2026-07-15")).GetProperty("tags");

        var better = Assert.Single(tags.GetProperty("betterDays").EnumerateArray());
        Assert.Equal("friends", better.GetProperty("tag").GetString());
        Assert.Equal(4, better.GetProperty("days").GetInt32());
        Assert.Equal(4, better.GetProperty("otherDays").GetInt32());
        Assert.Equal(3.0, better.GetProperty("difference").GetDouble());
        Assert.Equal("deadline", Assert.Single(tags.GetProperty("harderDays").EnumerateArray()).GetProperty("tag").GetString());
        Assert.Equal(3, tags.GetProperty("minimumDays").GetInt32());
        Assert.Equal(JsonValueKind.Null, tags.GetProperty("note").ValueKind);
    }

    [Fact]
    public async Task A_user_without_check_ins_gets_an_empty_summary_not_an_error()
    {
        var user = await Host.RegisterAndLoginAsync(timeZone: "Europe/Berlin");

        var summary = await user.Client.GetJsonAsync("/api/v1/analytics/summary?period=year");

        Assert.Equal(0, summary.GetProperty("mood").GetProperty("count").GetInt32());
        Assert.Equal(JsonValueKind.Null, summary.GetProperty("mood").GetProperty("average").ValueKind);
        Assert.Equal(0, summary.GetProperty("showingUp").GetProperty("bestRun").GetInt32());
        Assert.Equal(0, summary.GetProperty("counts").GetProperty("total").GetInt32());
        Assert.NotNull(summary.GetProperty("tags").GetProperty("note").GetString());
    }

    [Theory]
    [InlineData("/api/v1/analytics/summary?period=decade", "period")]
    [InlineData("/api/v1/analytics/summary?at=yesterday", "at")]
    [InlineData("/api/v1/analytics/summary?at=2026-02-30", "at")]
    [InlineData("/api/v1/analytics/year?year=twenty", "year")]
    [InlineData("/api/v1/analytics/year?year=99999", "year")]
    public async Task Bad_queries_are_validation_problems_naming_the_field(string uri, string field)
    {
        var user = await Host.RegisterAndLoginAsync();
        await (await user.Client.GetAsync(uri)).AssertValidationProblemAsync(field);
    }

    [Fact]
    public async Task Analytics_need_a_signed_in_user()
        => Assert.Equal(HttpStatusCode.Unauthorized, (await Host.Client.GetAsync("/api/v1/analytics/summary")).StatusCode);

    private static (string?, int) LocalOf(JsonElement view) => (view.GetProperty("localDate").GetString(), view.GetProperty("utcOffsetMinutes").GetInt32());

    private static JsonElement Weekday(JsonElement summary, string day)
        => summary.GetProperty("byWeekday").EnumerateArray().Single(w => w.GetProperty("weekday").GetString() == day);

    private static JsonElement Hour(JsonElement summary, int hour)
        => summary.GetProperty("byHourOfDay").EnumerateArray().Single(h => h.GetProperty("hour").GetInt32() == hour);
}
