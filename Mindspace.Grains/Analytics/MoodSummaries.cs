using Mindspace.Grains.Interfaces.Analytics;
using NodaTime;

namespace Mindspace.Grains.Analytics;

/// <summary>The arithmetic of summaries and year in pixels: pure functions of local days, so tests need no clock or zone.</summary>
public static class MoodSummaries
{
    private static readonly IsoDayOfWeek[] WeekOrder =
        [IsoDayOfWeek.Monday, IsoDayOfWeek.Tuesday, IsoDayOfWeek.Wednesday, IsoDayOfWeek.Thursday, IsoDayOfWeek.Friday, IsoDayOfWeek.Saturday, IsoDayOfWeek.Sunday];

    /// <summary>The first and last local day of the <paramref name="period"/> holding <paramref name="at"/>: a Monday-to-Sunday week, a calendar month or year.</summary>
    public static (LocalDate First, LocalDate Last) PeriodOf(string period, LocalDate at) => period switch
    {
        AnalyticsRules.Week => (at.PlusDays(-((int)at.DayOfWeek - 1)), at.PlusDays(7 - (int)at.DayOfWeek)),
        AnalyticsRules.Month => (new LocalDate(at.Year, at.Month, 1), new LocalDate(at.Year, at.Month, 1).PlusMonths(1).PlusDays(-1)),
        AnalyticsRules.Year => (new LocalDate(at.Year, 1, 1), new LocalDate(at.Year, 12, 31)),
        _ => throw new ArgumentException($"Unknown period '{period}'.", nameof(period)),
    };

    /// <param name="days">The user's days, at least those of the period, and ideally all of them (runs are counted over what is given).</param>
    /// <param name="today">The user's today, in their zone now.</param>
    public static MoodSummary Summarize(string period, LocalDate at, LocalDate today, string timeZone, SortedDictionary<LocalDate, DayAggregate> days)
    {
        var (first, last) = PeriodOf(period, at);
        var inPeriod = days.Values.Where(d => d.Date >= first && d.Date <= last).ToList();
        var moods = inPeriod.SelectMany(d => d.Moods.Select(m => (Day: d.Date, m.Hour, m.Mood))).ToList();

        var stats = moods.Count == 0
            ? new MoodStats(0, null, null, null, null)
            : new MoodStats(moods.Count, Round2(moods.Average(m => m.Mood)), Round2(StandardDeviation(moods.Select(m => (double)m.Mood))), moods.Min(m => m.Mood), moods.Max(m => m.Mood));

        var byWeekday = WeekOrder.Select(weekday =>
        {
            var values = moods.Where(m => m.Day.DayOfWeek == weekday).Select(m => m.Mood).ToList();
            return new WeekdayMood(WeekdayName(weekday), values.Count, values.Count == 0 ? null : Round2(values.Average()));
        }).ToList();

        var byHour = Enumerable.Range(0, 24).Select(hour =>
        {
            var values = moods.Where(m => m.Hour == hour).Select(m => m.Mood).ToList();
            return new HourMood(hour, values.Count, values.Count == 0 ? null : Round2(values.Average()));
        }).ToList();

        var bySource = new Dictionary<string, int>(StringComparer.Ordinal);
        foreach (var day in inPeriod)
        {
            foreach (var (source, count) in day.Counts)
            {
                bySource[source] = bySource.GetValueOrDefault(source) + count;
            }
        }

        var counts = new CheckInCounts(bySource.Values.Sum(), bySource, inPeriod.Count(d => d.Total > 0));
        var monthOf = last < today ? last : today;
        return new MoodSummary(
            period, first.ToDateOnly(), last.ToDateOnly(), timeZone, stats, byWeekday, byHour, TagsOf(inPeriod), Runs(days.Keys, today, monthOf), counts, JournalOf(inPeriod));
    }

    /// <summary>The journal's share of some days: entries, days written on, kinds, own moods and mean sentiment.</summary>
    public static JournalCounts JournalOf(IReadOnlyCollection<DayAggregate> days)
    {
        const string Prefix = JournalSignalSource.Journal + ":";
        var byKind = new SortedDictionary<string, int>(StringComparer.Ordinal);
        foreach (var (key, count) in days.SelectMany(d => d.Kinds).Where(k => k.Key.StartsWith(Prefix, StringComparison.Ordinal)))
        {
            byKind[key[Prefix.Length..]] = byKind.GetValueOrDefault(key[Prefix.Length..]) + count;
        }

        var entries = days.Sum(d => d.CountOf(JournalSignalSource.Journal));
        var sentiments = days.SelectMany(d => d.Sentiments).ToList(); // only journal text carries a sentiment
        return new JournalCounts(
            entries,
            days.Count(d => d.CountOf(JournalSignalSource.Journal) > 0),
            byKind,
            days.Sum(d => d.MoodsBySource.GetValueOrDefault(JournalSignalSource.Journal)),
            sentiments.Count == 0 ? null : Round2(sentiments.Average()));
    }

    /// <summary>Tags whose days had a clearly different mean mood from the other days; only with enough days on both sides.</summary>
    public static TagMoods TagsOf(IReadOnlyCollection<DayAggregate> days)
    {
        var moodDays = days.Where(d => d.Moods.Count > 0).Select(d => (Day: d, Mean: d.MeanMood!.Value)).ToList();
        var found = new List<TagMood>();
        foreach (var tag in moodDays.SelectMany(d => d.Day.Tags).Distinct(StringComparer.Ordinal))
        {
            var with = moodDays.Where(d => d.Day.Tags.Contains(tag)).Select(d => d.Mean).ToList();
            var without = moodDays.Where(d => !d.Day.Tags.Contains(tag)).Select(d => d.Mean).ToList();
            if (with.Count < AnalyticsRules.MinimumTagDays || without.Count < AnalyticsRules.MinimumTagDays)
            {
                continue;
            }

            var difference = with.Average() - without.Average();
            if (Math.Abs(difference) >= AnalyticsRules.MinimumTagDifference)
            {
                found.Add(new TagMood(tag, with.Count, without.Count, Round2(with.Average()), Round2(without.Average()), Round2(difference)));
            }
        }

        var better = found.Where(t => t.Difference > 0).OrderByDescending(t => t.Difference).ThenBy(t => t.Tag, StringComparer.Ordinal).ToList();
        var harder = found.Where(t => t.Difference < 0).OrderBy(t => t.Difference).ThenBy(t => t.Tag, StringComparer.Ordinal).ToList();
        var note = found.Count > 0 ? null
            : moodDays.Count < 2 * AnalyticsRules.MinimumTagDays
                ? "There are not enough days with a mood here yet to say which tags go with better or harder days."
                : "No tag stands out yet: your days look much alike whichever tags they carry.";
        return new TagMoods(better, harder, AnalyticsRules.MinimumTagDays, note);
    }

    /// <summary>Runs of consecutive days with a check-in; <paramref name="monthOf"/> names the month whose days are counted.</summary>
    public static ShowingUp Runs(IEnumerable<LocalDate> daysWithCheckIns, LocalDate today, LocalDate monthOf)
    {
        var days = daysWithCheckIns.Where(d => d <= today).Order().ToList();
        if (days.Count == 0)
        {
            return new ShowingUp(0, 0, 0, 0, null);
        }

        var best = 0;
        var run = 0;
        LocalDate? previous = null;
        foreach (var day in days)
        {
            run = previous is { } p && p.PlusDays(1) == day ? run + 1 : 1;
            best = Math.Max(best, run);
            previous = day;
        }

        var lastDay = days[^1];
        var current = lastDay >= today.PlusDays(-1) ? run : 0;
        var thisMonth = days.Count(d => d.Year == monthOf.Year && d.Month == monthOf.Month);
        return new ShowingUp(best, current, thisMonth, days.Count, lastDay.ToDateOnly());
    }

    /// <summary>One pixel per local day of <paramref name="year"/>.</summary>
    public static YearInPixels Year(int year, string timeZone, SortedDictionary<LocalDate, DayAggregate> days)
    {
        var pixels = new List<DayPixel>(366);
        for (var date = new LocalDate(year, 1, 1); date.Year == year; date = date.PlusDays(1))
        {
            if (days.TryGetValue(date, out var day))
            {
                var mean = day.MeanMood;
                pixels.Add(new DayPixel(date.ToDateOnly(), mean is { } m ? Math.Round(m, 1, MidpointRounding.AwayFromZero) : null, mean is { } l ? (int)Math.Round(l, MidpointRounding.AwayFromZero) : null, day.Total, day.CountOf(JournalSignalSource.Journal)));
            }
            else
            {
                pixels.Add(new DayPixel(date.ToDateOnly(), null, null, 0));
            }
        }

        return new YearInPixels(year, timeZone, pixels);
    }

    public static string WeekdayName(IsoDayOfWeek day) => day.ToString().ToLowerInvariant();

    public static double Round2(double value) => Math.Round(value, 2, MidpointRounding.AwayFromZero);

    /// <summary>Population standard deviation.</summary>
    public static double StandardDeviation(IEnumerable<double> values)
    {
        var list = values.ToList();
        if (list.Count == 0)
        {
            return 0;
        }

        var mean = list.Average();
        return Math.Sqrt(list.Sum(v => (v - mean) * (v - mean)) / list.Count);
    }
}
