using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Mindspace.Gateway.Tests.CheckIns;
using Mindspace.Gateway.Tests.Infrastructure;

namespace Mindspace.Gateway.Tests.Analytics;

/// <summary>The journal feeding analytics through HTTP, on a manual clock: entries keep their day after a move, and the model sees journaling.</summary>
public sealed class JournalAnalyticsTests(InsightsHost shared) : IClassFixture<InsightsHost>
{
    private MindspaceTestHost Host => shared.Host;

    [Fact]
    public async Task Journal_entries_keep_their_local_day_after_a_move_and_are_counted_in_the_summary_and_year()
    {
        var user = await Host.RegisterAndLoginAsync(timeZone: "America/New_York");

        shared.Set("2026-03-08T04:30:00Z"); // Saturday 23:30 in New York (UTC-5)
        var saturday = await WriteAsync(user.Client, new { kind = "gratitude", body = "Grateful for a quiet evening.", mood = 4, tags = new[] { "home" } });
        shared.Set("2026-03-08T12:00:00Z"); // Sunday 08:00 in New York, now UTC-4
        var sunday = await WriteAsync(user.Client, new { kind = "thought-record", thoughtRecord = new { situation = "A message went unanswered.", automaticThought = "Nobody wants to hear from me." } });
        await user.Client.RecordMoodAsync(new { score = 2 });

        var moved = await user.Client.PatchAsJsonAsync("/api/v1/me", new { timeZone = "Asia/Tokyo" });
        Assert.Equal(HttpStatusCode.OK, moved.StatusCode);
        shared.Set("2026-03-09T01:00:00Z"); // Monday 10:00 in Tokyo (UTC+9)
        var monday = await WriteAsync(user.Client, new { body = "A good, happy morning. I love this new place!" });

        Assert.Equal(("2026-03-07", -300), LocalOf(saturday));
        Assert.Equal(("2026-03-08", -240), LocalOf(sunday));
        Assert.Equal(("2026-03-09", 540), LocalOf(monday));
        Assert.Equal(("2026-03-07", -300), LocalOf(await user.Client.GetJsonAsync($"/api/v1/journal/{saturday.Id()}")));

        // In Tokyo's time Saturday's entry would be Sunday 13:30: the summary keeps it on the Saturday it was written.
        var lastWeek = await user.Client.GetJsonAsync("/api/v1/analytics/summary?period=week&at=2026-03-04");
        var journal = lastWeek.GetProperty("journal");
        Assert.Equal(2, journal.GetProperty("entries").GetInt32());
        Assert.Equal(2, journal.GetProperty("days").GetInt32());
        Assert.Equal(1, journal.GetProperty("byKind").GetProperty("gratitude").GetInt32());
        Assert.Equal(1, journal.GetProperty("byKind").GetProperty("thought-record").GetInt32());
        Assert.False(journal.GetProperty("byKind").TryGetProperty("free", out _));
        Assert.Equal(1, journal.GetProperty("withMood").GetInt32());
        Assert.Equal(2, lastWeek.GetProperty("counts").GetProperty("bySource").GetProperty("journal").GetInt32());
        Assert.Equal(1, lastWeek.GetProperty("counts").GetProperty("bySource").GetProperty("moods").GetInt32());
        Assert.Equal(2, lastWeek.GetProperty("counts").GetProperty("daysWithCheckIns").GetInt32());

        // The writer's own mood is mood data (Saturday 4 at 23:00); the words' sentiment never is.
        Assert.Equal(2, lastWeek.GetProperty("mood").GetProperty("count").GetInt32());
        Assert.Equal(4.0, Weekday(lastWeek, "saturday").GetProperty("average").GetDouble());
        Assert.Equal(4.0, Hour(lastWeek, 23).GetProperty("average").GetDouble());
        Assert.Equal(2.0, Weekday(lastWeek, "sunday").GetProperty("average").GetDouble());

        var thisWeek = await user.Client.GetJsonAsync("/api/v1/analytics/summary");
        Assert.Equal("2026-03-09", thisWeek.GetProperty("from").GetString());
        Assert.Equal(1, thisWeek.GetProperty("journal").GetProperty("entries").GetInt32());
        Assert.Equal(1, thisWeek.GetProperty("journal").GetProperty("byKind").GetProperty("free").GetInt32());
        Assert.Equal(0, thisWeek.GetProperty("mood").GetProperty("count").GetInt32()); // no mood given: a positive text is no mood
        Assert.True(thisWeek.GetProperty("journal").GetProperty("averageSentiment").GetDouble() > 0.5);
        Assert.Equal(3, thisWeek.GetProperty("showingUp").GetProperty("currentRun").GetInt32());

        var year = await user.Client.GetJsonAsync("/api/v1/analytics/year?year=2026");
        var days = year.GetProperty("days").EnumerateArray().Where(d => d.GetProperty("checkIns").GetInt32() > 0).ToList();
        Assert.Equal(["2026-03-07", "2026-03-08", "2026-03-09"], days.Select(d => d.GetProperty("date").GetString()));
        Assert.Equal([1, 1, 1], days.Select(d => d.GetProperty("journal").GetInt32()));
        Assert.Equal([1, 2, 1], days.Select(d => d.GetProperty("checkIns").GetInt32()));
        Assert.Equal(JsonValueKind.Null, days[2].GetProperty("mood").ValueKind);
    }

    [Fact]
    public async Task Better_days_learns_from_journaling_when_days_with_an_entry_went_better()
    {
        var user = await Host.RegisterAndLoginAsync(timeZone: "Europe/Berlin");
        var random = new Random(11);
        var start = DateTimeOffset.Parse("2026-09-01T08:00:00Z", System.Globalization.CultureInfo.InvariantCulture);
        for (var day = 0; day < 48; day++)
        {
            var journaled = day % 2 == 0;
            shared.ManualClock.Set(start.AddDays(day));
            if (journaled)
            {
                // Neutral words and no mood of its own: only the fact of writing can carry the signal.
                await WriteAsync(user.Client, new { body = "Wrote down the plan for the day." });
            }

            shared.ManualClock.Set(start.AddDays(day).AddHours(1));
            await user.Client.RecordMoodAsync(new { score = journaled ? random.Next(4, 6) : random.Next(1, 3) });
        }

        var first = await user.Client.GetJsonAsync("/api/v1/analytics/better-days");
        Assert.Equal("pending", first.GetProperty("status").GetString());

        // Learning runs after the answer, on the grain's own turn: ask again until it has.
        JsonElement learnt;
        var deadline = DateTime.UtcNow.AddSeconds(90);
        do
        {
            await Task.Delay(200);
            learnt = await user.Client.GetJsonAsync("/api/v1/analytics/better-days");
        }
        while (learnt.GetProperty("status").GetString() == "pending" && DateTime.UtcNow < deadline);

        Assert.Equal("ready", learnt.GetProperty("status").GetString());
        Assert.Equal(48, learnt.GetProperty("checkIns").GetInt32());
        var journaling = Assert.Single(learnt.GetProperty("factors").EnumerateArray(), f => f.GetProperty("factor").GetString() == "day-has:journal");
        Assert.Equal("better", journaling.GetProperty("direction").GetString());
        Assert.StartsWith("A day you wrote in your journal goes with a brighter mood", journaling.GetProperty("sentence").GetString());
        Assert.Equal(24, journaling.GetProperty("count").GetInt32());
    }

    private static async Task<JsonElement> WriteAsync(HttpClient client, object body)
    {
        var response = await client.PostAsJsonAsync("/api/v1/journal", body);
        var text = await response.Content.ReadAsStringAsync();
        Assert.True(response.StatusCode == HttpStatusCode.Created, text);
        return JsonDocument.Parse(text).RootElement;
    }

    private static (string?, int) LocalOf(JsonElement view) => (view.GetProperty("localDate").GetString(), view.GetProperty("utcOffsetMinutes").GetInt32());

    private static JsonElement Weekday(JsonElement summary, string day)
        => summary.GetProperty("byWeekday").EnumerateArray().Single(w => w.GetProperty("weekday").GetString() == day);

    private static JsonElement Hour(JsonElement summary, int hour)
        => summary.GetProperty("byHourOfDay").EnumerateArray().Single(h => h.GetProperty("hour").GetInt32() == hour);
}
