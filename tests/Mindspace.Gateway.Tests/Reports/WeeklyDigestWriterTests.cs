using System.Xml.Linq;
using Mindspace.Grains.Analytics;
using Mindspace.Grains.Interfaces.Reports;
using Mindspace.Grains.Reports;
using NodaTime;

namespace Mindspace.Gateway.Tests.Reports;

/// <summary>What a digest says: kind words first, a chart people can read without seeing it, and never guilt.</summary>
public sealed class WeeklyDigestWriterTests
{
    private static readonly LocalDate WeekStart = new(2026, 3, 23);
    private static readonly DateTimeOffset Written = new(2026, 3, 30, 6, 0, 0, TimeSpan.Zero);

    [Fact]
    public void An_empty_week_gets_a_kind_short_digest()
    {
        var digest = WeeklyDigestWriter.Write(WeekStart, new(), Written);

        Assert.Equal("Your week in review: 23–29 March 2026", digest.Title);
        Assert.Contains("quiet week", digest.WentWell);
        Assert.False(digest.GentleWeek);
        Assert.Null(digest.Support);
        Assert.Equal(0, digest.Stats.DaysCheckedIn);
        Assert.Equal(7, digest.Stats.Days.Count);
        Assert.All(digest.Stats.Days, d => Assert.Null(d.Mood));
        Assert.Contains("Monday: no check-in.", digest.Chart.TextAlternative);
        NoGuilt.Assert(digest);
    }

    [Fact]
    public void A_heavy_week_is_named_gently_and_points_to_support()
    {
        var digest = WeeklyDigestWriter.Write(WeekStart, Days(("2026-03-24T09:00", 1, []), ("2026-03-25T21:00", 2, []), ("2026-03-27T12:00", 2, [])), Written);

        Assert.True(digest.GentleWeek);
        Assert.Contains("heavy week", digest.WentWell);
        Assert.Contains("You checked in on 3 days", digest.WentWell);
        Assert.Equal(WeeklyDigestWriter.SupportText, digest.Support);
        Assert.Contains("emergency number", digest.Support);
        NoGuilt.Assert(digest);
    }

    [Fact]
    public void What_went_well_a_pattern_and_a_suggestion_say_goes_with_not_causes()
    {
        var signals = new List<(string, int?, string[])>();
        for (var week = 0; week < 4; week++)
        {
            var monday = WeekStart.PlusDays(-7 * week);
            signals.Add(($"{monday.PlusDays(1):yyyy-MM-dd}T18:00", 5, ["walk"]));
            signals.Add(($"{monday.PlusDays(3):yyyy-MM-dd}T09:00", 3, ["work"]));
        }

        var digest = WeeklyDigestWriter.Write(WeekStart, Days([.. signals]), Written);

        Assert.False(digest.GentleWeek);
        Assert.Contains("Tuesday was your brightest (mood 5.0)", digest.WentWell);
        Assert.Contains("days with “walk” tended to go with a brighter mood", digest.Pattern);
        Assert.Contains("“walk”", digest.Suggestion);
        Assert.Equal(4.0, digest.Stats.AverageMood);
        NoGuilt.Assert(digest);
    }

    [Fact]
    public void The_chart_is_an_accessible_svg_with_a_title_a_description_and_the_same_facts_in_words()
    {
        var digest = WeeklyDigestWriter.Write(WeekStart, Days(("2026-03-23T09:00", 4, []), ("2026-03-25T09:00", null, [])), Written);

        var svg = XElement.Parse(digest.Chart.Svg);
        XNamespace ns = "http://www.w3.org/2000/svg";
        Assert.Equal("img", (string?)svg.Attribute("role"));
        var title = svg.Element(ns + "title")!;
        var desc = svg.Element(ns + "desc")!;
        Assert.Equal(digest.Chart.Title, title.Value);
        Assert.Contains($"{(string?)title.Attribute("id")} {(string?)desc.Attribute("id")}", (string?)svg.Attribute("aria-labelledby"));
        Assert.Contains(digest.Chart.TextAlternative, desc.Value);
        Assert.Single(svg.Elements(ns + "rect"));
        Assert.Equal("Monday: mood 4.0 of 5. Tuesday: no check-in. Wednesday: checked in, no mood given. Thursday: no check-in. Friday: no check-in. Saturday: no check-in. Sunday: no check-in.", digest.Chart.TextAlternative);
    }

    [Fact]
    public void No_generated_digest_ever_uses_words_of_guilt()
    {
        var random = new Random(20260330);
        string[] tags = ["walk", "work", "sleep", "friends", "rain"];
        for (var run = 0; run < 500; run++)
        {
            var signals = new List<(string, int?, string[])>();
            var count = random.Next(0, 40);
            for (var i = 0; i < count; i++)
            {
                var day = WeekStart.PlusDays(-random.Next(0, 28));
                int? mood = random.Next(0, 6) is var m && m == 0 ? null : m;
                signals.Add(($"{day:yyyy-MM-dd}T{random.Next(0, 24):D2}:{random.Next(0, 60):D2}", mood, [.. tags.Where(_ => random.Next(3) == 0)]));
            }

            NoGuilt.Assert(WeeklyDigestWriter.Write(WeekStart, Days([.. signals]), Written));
        }
    }

    private static SortedDictionary<LocalDate, DayAggregate> Days(params (string Local, int? Mood, string[] Tags)[] signals)
        => DayAggregate.ByDay(signals.Select(s =>
        {
            var wall = DateTime.Parse(s.Local, System.Globalization.CultureInfo.InvariantCulture);
            return new MoodSignal(new DateTimeOffset(wall, TimeSpan.FromHours(2)), 120, "moods", s.Mood, s.Tags);
        }));
}

/// <summary>The scan every generated digest text goes through.</summary>
internal static class NoGuilt
{
    /// <summary>Phrases a digest must never use: it never blames, counts failures or talks of broken streaks.</summary>
    public static readonly string[] GuiltPhrases =
        ["you failed", "failed", "failure", "you missed", "missed", "broke your streak", "broken", "streak", "lost your", "you should", "should have", "lazy", "disappoint", "only managed", "behind", "causes", "caused"];

    public static void Assert(WeeklyDigest digest)
    {
        var text = string.Join("\n", digest.Title, digest.WentWell, digest.Pattern, digest.Suggestion, digest.Support, digest.Chart.Title, digest.Chart.Description, digest.Chart.TextAlternative, digest.Chart.Svg);
        foreach (var phrase in GuiltPhrases)
        {
            Xunit.Assert.False(text.Contains(phrase, StringComparison.OrdinalIgnoreCase), $"The digest says '{phrase}':\n{text}");
        }
    }
}
