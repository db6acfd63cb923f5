using System.Globalization;
using System.Security;
using System.Text;
using Mindspace.Grains.Analytics;
using Mindspace.Grains.Interfaces.Analytics;
using Mindspace.Grains.Interfaces.Mindfulness;
using Mindspace.Grains.Interfaces.Reports;
using NodaTime;

namespace Mindspace.Grains.Reports;

/// <summary>
/// Writes a weekly digest from the user's local days: friendly words first (what went well, one
/// pattern, one small suggestion), then a small accessible chart. A pure function of its input.
/// </summary>
/// <remarks>
/// The words never judge. A week with few or no check-ins is a quiet week, not a failure; nothing
/// is "missed" or "broken"; a heavy week is named gently and points to support. Patterns say
/// "tended to go with", never that one thing causes another.
/// </remarks>
public static class WeeklyDigestWriter
{
    /// <summary>Weeks of history (including the digest's own) looked at for a pattern.</summary>
    public const int PatternWeeks = 4;

    /// <summary>A week whose mean mood is at or below this is named as a heavy one.</summary>
    public const double HeavyWeekMood = 2.3;

    public const string SupportText =
        "You don't have to carry this on your own. Talking with someone you trust can help, and if things feel like too much, " +
        "a local helpline or your doctor is there for you. If you are in danger right now, please call your local emergency number.";

    private static readonly CultureInfo English = CultureInfo.InvariantCulture;

    /// <param name="days">The user's local days: at least the week, ideally the <see cref="PatternWeeks"/> weeks up to its end.</param>
    /// <param name="practice">The week's mindfulness practice, if any: a line about it is added only when there was some.</param>
    public static WeeklyDigest Write(LocalDate weekStart, SortedDictionary<LocalDate, DayAggregate> days, DateTimeOffset generatedAt, PracticeWeek? practice = null)
    {
        var weekEnd = weekStart.PlusDays(6);
        var week = Enumerable.Range(0, 7).Select(i => days.GetValueOrDefault(weekStart.PlusDays(i)) ?? new DayAggregate(weekStart.PlusDays(i))).ToList();
        var moods = week.SelectMany(d => d.Moods).Select(m => m.Mood).ToList();
        double? average = moods.Count == 0 ? null : Math.Round(moods.Average(), 1, MidpointRounding.AwayFromZero);
        var daysIn = week.Count(d => d.Total > 0);
        var stats = new DigestStats(
            daysIn,
            week.Sum(d => d.Total),
            average,
            [.. week.Select(d => new DigestDay(d.Date.ToDateOnly(), MoodSummaries.WeekdayName(d.Date.DayOfWeek), Round1(d.MeanMood), d.Total))]);

        var range = RangeText(weekStart, weekEnd);
        var title = $"Your week in review: {range}";
        var chart = Chart(stats, range, weekStart);
        if (daysIn == 0)
        {
            return new WeeklyDigest(
                weekStart.ToDateOnly(), weekEnd.ToDateOnly(), generatedAt, title,
                "This was a quiet week here, and that is completely fine. Taking a moment to read this counts as looking after yourself too." + PracticeNote(practice),
                "There is nothing to look for patterns in this week. Rest and time away are part of things as well.",
                "If you feel like it, a single mood tap on any day this week is plenty. There is no pressure at all.",
                false, null, chart, stats);
        }

        var heavy = average is { } a && a <= HeavyWeekMood;
        var history = days.Values.Where(d => d.Date > weekEnd.PlusDays(-7 * PatternWeeks) && d.Date <= weekEnd).ToList();
        var tags = MoodSummaries.TagsOf(history);
        var better = tags.BetterDays.FirstOrDefault();
        return new WeeklyDigest(
            weekStart.ToDateOnly(), weekEnd.ToDateOnly(), generatedAt, title,
            WentWell(week, daysIn, heavy) + JournalNote(week) + PracticeNote(practice),
            Pattern(tags, history),
            Suggestion(better, heavy, daysIn),
            heavy,
            heavy ? SupportText : null,
            chart,
            stats);
    }

    private static string WentWell(List<DayAggregate> week, int daysIn, bool heavy)
    {
        var showedUp = daysIn == 1
            ? $"You checked in on {DayName(week.First(d => d.Total > 0).Date)}"
            : $"You checked in on {daysIn} days";
        if (heavy)
        {
            return $"This looks like it was a heavy week. {showedUp} even so — noticing how you feel when things are hard takes real care.";
        }

        var brightest = week.Where(d => d.MeanMood is not null).OrderByDescending(d => d.MeanMood).ThenBy(d => d.Date).FirstOrDefault();
        if (brightest is null)
        {
            return $"{showedUp} this week. Every note you leave for yourself is a small act of care.";
        }

        return daysIn == 1
            ? $"{showedUp} this week, and it was a {MoodWord(brightest.MeanMood!.Value)} day (mood {Format(brightest.MeanMood!.Value)}). Thank you for making a little time for yourself."
            : $"{showedUp} this week, and {DayName(brightest.Date)} was your brightest (mood {Format(brightest.MeanMood!.Value)}).";
    }

    /// <summary>A gentle word for journaling, only when there was some: a week without it is not mentioned.</summary>
    private static string JournalNote(List<DayAggregate> week)
    {
        var days = week.Count(d => d.CountOf(JournalSignalSource.Journal) > 0);
        return days switch
        {
            0 => "",
            1 => " You also wrote in your journal once; putting things into words is a kind thing to do for yourself.",
            _ => $" You also wrote in your journal on {days} days; putting things into words is a kind thing to do for yourself.",
        };
    }

    /// <summary>A gentle word for mindfulness practice, only when there was some: a week without it is not mentioned.</summary>
    private static string PracticeNote(PracticeWeek? practice)
    {
        if (practice is not { Sessions: > 0 } week)
        {
            return "";
        }

        var minutes = week.Minutes == 1 ? "1 minute" : $"{week.Minutes} minutes";
        var days = week.DaysPractised == 1 ? "one day" : $"{week.DaysPractised} days";
        return $" You made time for mindfulness on {days} ({minutes} in all), a quiet gift to yourself.";
    }

    private static string Pattern(TagMoods tags, List<DayAggregate> history)
    {
        if (tags.BetterDays.FirstOrDefault() is { } better)
        {
            return $"Over the last few weeks, days with “{better.Tag}” tended to go with a brighter mood ({Format(better.AverageWith)} on {better.Days} days, against {Format(better.AverageWithout)} on other days).";
        }

        if (tags.HarderDays.FirstOrDefault() is { } harder)
        {
            return $"Over the last few weeks, days with “{harder.Tag}” tended to be a bit heavier ({Format(harder.AverageWith)} against {Format(harder.AverageWithout)}). Just something to notice, nothing you need to fix.";
        }

        var moods = history.SelectMany(d => d.Moods).ToList();
        var mornings = moods.Where(m => m.Hour is >= 5 and < 12).Select(m => (double)m.Mood).ToList();
        var evenings = moods.Where(m => m.Hour is >= 17 and < 24).Select(m => (double)m.Mood).ToList();
        if (mornings.Count >= 3 && evenings.Count >= 3 && Math.Abs(mornings.Average() - evenings.Average()) >= 0.5)
        {
            var (brighter, other, high, low) = evenings.Average() > mornings.Average()
                ? ("evening", "mornings", evenings.Average(), mornings.Average())
                : ("morning", "evenings", mornings.Average(), evenings.Average());
            return $"Lately your {brighter} check-ins have tended to be a little brighter than your {other} ({Format(high)} against {Format(low)}).";
        }

        return "No clear pattern stands out yet, and that is normal: patterns take a few weeks of check-ins to show.";
    }

    private static string Suggestion(TagMood? better, bool heavy, int daysIn)
    {
        if (heavy)
        {
            return "Something small and kind might help this week: a glass of water, a few slow breaths, or a short message to someone you like.";
        }

        if (better is not null)
        {
            return $"If it feels right, you could make a little room for “{better.Tag}” in the days ahead.";
        }

        return daysIn <= 2
            ? "If it feels useful, a quick mood tap on a couple of days next week will help patterns show up. Whatever you manage is enough."
            : "Keep doing what feels good, and perhaps notice one small thing each day that went okay.";
    }

    /// <summary>Seven bars of daily mood, with the same facts in words in <c>desc</c> and the text alternative.</summary>
    private static DigestChart Chart(DigestStats stats, string range, LocalDate weekStart)
    {
        const int BarWidth = 28;
        const int Gap = 12;
        const int Top = 10;
        const int ChartHeight = 100;
        var title = $"Your mood each day, {range}";
        var description = $"Bar chart of your average mood each day from {range}, on a scale from 1 (very low) to 5 (very good). A day without a check-in has no bar.";
        var words = string.Join(" ", stats.Days.Select(d => $"{DayName(LocalDate.FromDateOnly(d.Date))}: {DayInWords(d)}."));
        var id = "digest-" + weekStart.ToString("yyyyMMdd", English);

        var svg = new StringBuilder();
        svg.Append(English, $"""<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {(7 * (BarWidth + Gap)) + Gap} {Top + ChartHeight + 24}" width="280" height="134" role="img" aria-labelledby="{id}-title {id}-desc">""");
        svg.Append(English, $"""<title id="{id}-title">{Xml(title)}</title><desc id="{id}-desc">{Xml(description + " " + words)}</desc>""");
        for (var i = 0; i < stats.Days.Count; i++)
        {
            var day = stats.Days[i];
            var x = Gap + (i * (BarWidth + Gap));
            if (day.Mood is { } mood)
            {
                var height = (int)Math.Round(mood / 5 * ChartHeight);
                svg.Append(English, $"""<rect x="{x}" y="{Top + ChartHeight - height}" width="{BarWidth}" height="{height}" rx="4" fill="#7aa6c2"><title>{Xml(DayName(LocalDate.FromDateOnly(day.Date)) + ": " + DayInWords(day))}</title></rect>""");
            }
            else if (day.CheckIns > 0)
            {
                svg.Append(English, $"""<circle cx="{x + (BarWidth / 2)}" cy="{Top + ChartHeight - 6}" r="4" fill="#b9cfdc"/>""");
            }

            svg.Append(English, $"""<text x="{x + (BarWidth / 2)}" y="{Top + ChartHeight + 18}" font-size="12" text-anchor="middle" fill="#4a5560">{DayName(LocalDate.FromDateOnly(day.Date))[..3]}</text>""");
        }

        svg.Append("</svg>");
        return new DigestChart(title, description, words, svg.ToString());
    }

    private static string DayInWords(DigestDay day) => day switch
    {
        { Mood: { } mood } => $"mood {Format(mood)} of 5",
        { CheckIns: > 0 } => "checked in, no mood given",
        _ => "no check-in",
    };

    private static string MoodWord(double mood) => mood switch
    {
        >= 4 => "bright",
        >= 3 => "steady",
        _ => "quieter",
    };

    private static double? Round1(double? value) => value is { } v ? Math.Round(v, 1, MidpointRounding.AwayFromZero) : null;

    private static string Format(double value) => Math.Round(value, 1, MidpointRounding.AwayFromZero).ToString("0.0", English);

    private static string DayName(LocalDate date) => English.DateTimeFormat.GetDayName(date.ToDateOnly().DayOfWeek);

    private static string RangeText(LocalDate first, LocalDate last)
    {
        var months = English.DateTimeFormat;
        return first.Month == last.Month
            ? $"{first.Day}–{last.Day} {months.GetMonthName(last.Month)} {last.Year}"
            : first.Year == last.Year
                ? $"{first.Day} {months.GetMonthName(first.Month)} – {last.Day} {months.GetMonthName(last.Month)} {last.Year}"
                : $"{first.Day} {months.GetMonthName(first.Month)} {first.Year} – {last.Day} {months.GetMonthName(last.Month)} {last.Year}";
    }

    private static string Xml(string text) => SecurityElement.Escape(text);
}
