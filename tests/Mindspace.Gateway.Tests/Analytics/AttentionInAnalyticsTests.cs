using System.Text.Json;
using Mindspace.Gateway.Tests.Attention;
using Mindspace.Gateway.Tests.CheckIns;
using Mindspace.Gateway.Tests.Infrastructure;
using Mindspace.Grains.Analytics;
using Mindspace.Grains.Interfaces.Analytics;
using Mindspace.Grains.Interfaces.Attention;
using NodaTime;

namespace Mindspace.Gateway.Tests.Analytics;

/// <summary>Browsing attention (focus, neutral, distracting minutes per local day) feeds "what goes with your better days".</summary>
public sealed class AttentionInAnalyticsTests(InsightsHost shared) : IClassFixture<InsightsHost>
{
    private const int Days = 40;

    [Fact]
    public async Task Better_days_that_follow_less_distracting_browsing_name_that_factor_and_a_user_without_browsing_sees_none()
    {
        var browser = await shared.Host.RegisterAndLoginAsync(timeZone: "Europe/Berlin");
        var walker = await shared.Host.RegisterAndLoginAsync(timeZone: "Europe/Berlin");
        var random = new Random(5);
        var start = DayStart(shared.ManualClock.GetUtcNow().AddDays(1));
        for (var d = 0; d < Days; d++)
        {
            var day = start.AddDays(d);
            var light = d % 2 == 0;
            shared.ManualClock.Set(day.AddHours(8));
            foreach (var user in new[] { browser, walker })
            {
                await user.Client.RecordMoodAsync(new { score = light ? random.Next(4, 6) : random.Next(1, 3), tags = user == walker && light ? new[] { "walk" } : [] });
            }

            // The browser: the same half hour on a focus site every day, and a little or a lot of distracting sites.
            shared.ManualClock.Set(day.AddHours(19));
            var distracting = light ? random.Next(10, 30) : random.Next(120, 170);
            await browser.Client.SendTicksAsync(
                AttentionHttp.Tick("github.com", day.AddHours(9), 30 * 60),
                AttentionHttp.Tick("youtube.com", day.AddHours(15), Math.Min(distracting, 60) * 60),
                AttentionHttp.Tick("youtube.com", day.AddHours(16), Math.Clamp(distracting - 60, 0, 60) * 60),
                AttentionHttp.Tick("youtube.com", day.AddHours(17), Math.Max(distracting - 120, 0) * 60));
            foreach (var user in new[] { browser, walker })
            {
                await user.Client.RecordMoodAsync(new { score = light ? random.Next(4, 6) : random.Next(1, 3), tags = user == walker && light ? new[] { "walk" } : [] });
            }
        }

        // Learn now (a request only ever reads the stored result), then read it as the person does.
        await shared.Host.Grains.GetGrain<IBetterDaysGrain>(browser.UserId).LearnNowAsync();
        await shared.Host.Grains.GetGrain<IBetterDaysGrain>(walker.UserId).LearnNowAsync();
        var seen = await browser.Client.GetJsonAsync("/api/v1/analytics/better-days");
        var walkerSees = await walker.Client.GetJsonAsync("/api/v1/analytics/better-days");

        Assert.Equal("ready", seen.GetProperty("status").GetString());
        Assert.Equal(Days * 2, seen.GetProperty("checkIns").GetInt32());
        var factor = Assert.Single(Factors(seen), f => f.GetProperty("factor").GetString() == "browsing:lighter-distracting");
        Assert.Equal("better", factor.GetProperty("direction").GetString());
        var sentence = factor.GetProperty("sentence").GetString()!;
        Assert.StartsWith("A day with less time than usual on sites counted as distracting goes with a brighter mood for you", sentence, StringComparison.Ordinal);
        Assert.Equal(Days, factor.GetProperty("count").GetInt32());
        Assert.DoesNotContain(Factors(seen), f => f.GetProperty("factor").GetString()!.StartsWith("day-minutes:", StringComparison.Ordinal));
        Assert.DoesNotContain(Factors(seen), f => f.GetProperty("factor").GetString()!.StartsWith("day-has:attention", StringComparison.Ordinal));
        foreach (var word in new[] { "caus", "too much", "wast", "should", "fail" })
        {
            Assert.DoesNotContain(word, sentence, StringComparison.OrdinalIgnoreCase);
        }

        // Same moods, no browsing: their own pattern ("walk") is found, and nothing of the other user's browsing.
        Assert.Equal("ready", walkerSees.GetProperty("status").GetString());
        Assert.Contains(Factors(walkerSees), f => f.GetProperty("factor").GetString() == "tag:walk");
        Assert.DoesNotContain(Factors(walkerSees), f => f.GetProperty("factor").GetString()!.Contains("browsing", StringComparison.Ordinal)
            || f.GetProperty("factor").GetString()!.Contains("attention", StringComparison.Ordinal));
        var (from, to) = AnalyticsSources.WholeHistory;
        Assert.Empty(await new AttentionSignalSource().ReadAsync(shared.Host.Grains, walker.UserId, from, to, CancellationToken.None));
        Assert.Equal(Days * 2, (await new AttentionSignalSource().ReadAsync(shared.Host.Grains, browser.UserId, from, to, CancellationToken.None)).Count);
    }

    [Fact]
    public async Task Minutes_are_counted_per_local_day_and_category_split_at_the_users_midnight()
    {
        var user = await shared.Host.RegisterAndLoginAsync(timeZone: "Europe/Berlin");
        var day = DayStart(shared.ManualClock.GetUtcNow().AddDays(60));
        shared.ManualClock.Set(day.AddDays(1).AddHours(6));

        // An hour on reddit from half an hour before the user's midnight: half on each local day.
        var zone = DateTimeZoneProviders.Tzdb["Europe/Berlin"];
        var date = DateOnly.FromDateTime(day.UtcDateTime);
        var midnight = zone.AtStartOfDay(LocalDate.FromDateOnly(date).PlusDays(1)).ToDateTimeOffset();
        await user.Client.SendTicksAsync(
            AttentionHttp.Tick("reddit.com", midnight.AddMinutes(-30), 60 * 60),
            AttentionHttp.Tick("example.org", day.AddHours(10), 15 * 60),
            AttentionHttp.Tick("wikipedia.org", day.AddHours(11), 20 * 60));

        var days = await shared.Host.Grains.GetGrain<IAttentionGrain>(user.UserId).GetDailyMinutesAsync(day.AddDays(-1), day.AddDays(2), "Europe/Berlin");

        Assert.Equal(new[] { new AttentionDay(date, 20, 15, 30), new AttentionDay(date.AddDays(1), 0, 0, 30) }, days);
        var other = await shared.Host.RegisterAndLoginAsync(timeZone: "Europe/Berlin");
        Assert.Empty(await shared.Host.Grains.GetGrain<IAttentionGrain>(other.UserId).GetDailyMinutesAsync(day.AddDays(-1), day.AddDays(2), "Europe/Berlin"));
    }

    [Fact]
    public void Browsing_minutes_join_days_with_check_ins_and_never_make_a_day_of_their_own()
    {
        var start = new DateTimeOffset(2026, 2, 2, 0, 0, 0, TimeSpan.Zero);
        MoodSignal[] signals =
        [
            new(start.AddHours(9), 60, "moods", 3, []),
            new(start.AddHours(11), 60, AttentionSignalSource.Distracting, null, [], Minutes: 40),
            new(start.AddDays(1).AddHours(11), 60, AttentionSignalSource.Focus, null, [], Minutes: 40),
        ];

        var day = Assert.Single(DayAggregate.ByDay(signals).Values);

        Assert.Equal(40, day.Minutes[AttentionSignalSource.Distracting]);
        Assert.Equal(1, day.Total);
        Assert.Contains(AnalyticsSources.All, s => s is AttentionSignalSource);
    }

    private static IEnumerable<JsonElement> Factors(JsonElement insight) => insight.GetProperty("factors").EnumerateArray();

    private static DateTimeOffset DayStart(DateTimeOffset instant) => new(instant.Year, instant.Month, instant.Day, 0, 0, 0, TimeSpan.Zero);
}
