using Mindspace.Grains.Analytics;
using Mindspace.Grains.Interfaces.Analytics;
using NodaTime;

namespace Mindspace.Gateway.Tests.Analytics;

/// <summary>The arithmetic of summaries on hand-made local days: periods, averages, tags and runs.</summary>
public sealed class MoodSummariesTests
{
    private static readonly LocalDate Monday = new(2026, 3, 2);

    [Theory]
    [InlineData("week", "2026-03-04", "2026-03-02", "2026-03-08")]
    [InlineData("week", "2026-03-08", "2026-03-02", "2026-03-08")]
    [InlineData("month", "2026-02-14", "2026-02-01", "2026-02-28")]
    [InlineData("year", "2028-07-01", "2028-01-01", "2028-12-31")]
    public void A_period_is_a_Monday_to_Sunday_week_a_calendar_month_or_year(string period, string at, string first, string last)
    {
        var (from, to) = MoodSummaries.PeriodOf(period, Date(at));
        Assert.Equal((Date(first), Date(last)), (from, to));
    }

    [Fact]
    public void Average_spread_weekday_and_hour_come_from_every_mood_of_the_period()
    {
        var days = Days(
            Signal("2026-03-02T08:15", 2, "moods"),
            Signal("2026-03-02T20:00", 4, "entries"),
            Signal("2026-03-03T08:40", 3, "moods"),
            Signal("2026-03-03T12:00", null, "entries"),
            Signal("2026-03-09T08:00", 1, "moods")); // the next week: not counted

        var summary = MoodSummaries.Summarize(AnalyticsRules.Week, Monday, new LocalDate(2026, 3, 10), "UTC", days);

        Assert.Equal(new MoodStats(3, 3.0, 0.82, 2, 4), summary.Mood);
        Assert.Equal(["monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday"], summary.ByWeekday.Select(w => w.Weekday));
        Assert.Equal(new WeekdayMood("monday", 2, 3.0), summary.ByWeekday[0]);
        Assert.Equal(new WeekdayMood("tuesday", 1, 3.0), summary.ByWeekday[1]);
        Assert.Equal(new WeekdayMood("sunday", 0, null), summary.ByWeekday[6]);
        Assert.Equal(24, summary.ByHourOfDay.Count);
        Assert.Equal(new HourMood(8, 2, 2.5), summary.ByHourOfDay[8]);
        Assert.Equal(new HourMood(20, 1, 4.0), summary.ByHourOfDay[20]);
        Assert.Equal(4, summary.Counts.Total);
        Assert.Equal(2, summary.Counts.BySource["moods"]);
        Assert.Equal(2, summary.Counts.BySource["entries"]);
        Assert.Equal(2, summary.Counts.DaysWithCheckIns);
    }

    [Fact]
    public void A_tag_is_named_only_with_enough_days_with_and_without_it()
    {
        var signals = new List<MoodSignal>();
        for (var i = 0; i < 3; i++)
        {
            signals.Add(Signal($"2026-03-{2 + i:D2}T09:00", 5, "moods", "walk"));
            signals.Add(Signal($"2026-03-{9 + i:D2}T09:00", 2, "moods", "work"));
        }

        signals.Add(Signal("2026-03-20T09:00", 3, "moods", "rain")); // one day: too few to say anything

        var tags = MoodSummaries.TagsOf(Days([.. signals]).Values);

        var walk = Assert.Single(tags.BetterDays);
        Assert.Equal(new TagMood("walk", 3, 4, 5.0, 2.25, 2.75), walk);
        Assert.Equal("work", Assert.Single(tags.HarderDays).Tag);
        Assert.DoesNotContain(tags.BetterDays.Concat(tags.HarderDays), t => t.Tag == "rain");
        Assert.Null(tags.Note);

        var few = MoodSummaries.TagsOf(Days(Signal("2026-03-02T09:00", 5, "moods", "walk"), Signal("2026-03-03T09:00", 1, "moods")).Values);
        Assert.Empty(few.BetterDays);
        Assert.Empty(few.HarderDays);
        Assert.Contains("not enough days", few.Note);
    }

    [Fact]
    public void Runs_count_what_was_done_and_a_gap_only_starts_a_new_run()
    {
        var days = new[] { 1, 2, 3, 4, 5, 8, 9 }.Select(d => new LocalDate(2026, 3, d)).ToList();

        Assert.Equal(new ShowingUp(5, 2, 7, 7, new DateOnly(2026, 3, 9)), MoodSummaries.Runs(days, new LocalDate(2026, 3, 9), new LocalDate(2026, 3, 9)));
        Assert.Equal(new ShowingUp(5, 2, 7, 7, new DateOnly(2026, 3, 9)), MoodSummaries.Runs(days, new LocalDate(2026, 3, 10), new LocalDate(2026, 3, 10))); // today is not over
        Assert.Equal(0, MoodSummaries.Runs(days, new LocalDate(2026, 3, 11), new LocalDate(2026, 3, 11)).CurrentRun);
        Assert.Equal(0, MoodSummaries.Runs(days, new LocalDate(2026, 4, 2), new LocalDate(2026, 4, 2)).DaysThisMonth);
        Assert.Equal(new ShowingUp(0, 0, 0, 0, null), MoodSummaries.Runs([], new LocalDate(2026, 3, 9), new LocalDate(2026, 3, 9)));
    }

    [Fact]
    public void A_new_source_is_counted_under_its_own_name_with_nothing_else_to_change()
    {
        // What the journal's source will hand in: its own name, the user's mood when given, and a sentiment.
        var days = Days(
            Signal("2026-03-02T21:00", 4, "journal", "gratitude") with { Sentiment = 0.6 },
            Signal("2026-03-02T08:00", 3, "moods"),
            Signal("2026-03-04T22:00", null, "journal") with { Sentiment = -0.2 });

        var summary = MoodSummaries.Summarize(AnalyticsRules.Week, Monday, Monday.PlusDays(2), "UTC", days);

        Assert.Equal(2, summary.Counts.BySource["journal"]);
        Assert.Equal(1, summary.Counts.BySource["moods"]);
        Assert.Equal(3, summary.Counts.Total);
        Assert.Equal(2, summary.Mood.Count);
        Assert.Equal(new ShowingUp(1, 1, 2, 2, new DateOnly(2026, 3, 4)), summary.ShowingUp);
        Assert.Equal([0.6], days[Monday].Sentiments);
    }

    [Fact]
    public void A_year_has_a_pixel_for_every_day_even_in_a_leap_year()
    {
        var days = Days(Signal("2028-02-29T09:00", 4, "moods"), Signal("2028-02-29T21:00", 1, "moods"), Signal("2028-12-31T23:59", null, "entries"));

        var year = MoodSummaries.Year(2028, "UTC", days);

        Assert.Equal(366, year.Days.Count);
        Assert.Equal(new DayPixel(new DateOnly(2028, 2, 29), 2.5, 3, 2), year.Days[59]);
        Assert.Equal(new DayPixel(new DateOnly(2028, 12, 31), null, null, 1), year.Days[365]);
        Assert.Equal(new DayPixel(new DateOnly(2028, 1, 1), null, null, 0), year.Days[0]);
    }

    private static LocalDate Date(string text) => LocalDate.FromDateOnly(DateOnly.Parse(text, System.Globalization.CultureInfo.InvariantCulture));

    /// <summary>A signal written at a local time, at UTC+1 (the offset changes nothing: local time is what counts).</summary>
    private static MoodSignal Signal(string local, int? mood, string source, params string[] tags)
    {
        var wall = DateTime.Parse(local, System.Globalization.CultureInfo.InvariantCulture);
        return new MoodSignal(new DateTimeOffset(wall, TimeSpan.FromHours(1)), 60, source, mood, tags);
    }

    private static SortedDictionary<LocalDate, DayAggregate> Days(params MoodSignal[] signals) => DayAggregate.ByDay(signals);
}
