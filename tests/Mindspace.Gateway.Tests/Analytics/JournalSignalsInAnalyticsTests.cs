using Mindspace.Gateway.Tests.Reports;
using Mindspace.Grains.Analytics;
using Mindspace.Grains.Reports;
using NodaTime;

namespace Mindspace.Gateway.Tests.Analytics;

/// <summary>The journal's signals in the pure parts of analytics: the digest's word for journaling and the model's sentiment feature.</summary>
public sealed class JournalSignalsInAnalyticsTests
{
    private static readonly LocalDate WeekStart = new(2026, 3, 23);
    private static readonly DateTimeOffset Written = new(2026, 3, 30, 6, 0, 0, TimeSpan.Zero);
    private static readonly DateTimeOffset Start = new(2026, 2, 2, 8, 0, 0, TimeSpan.Zero);

    [Fact]
    public void The_digest_mentions_journaling_gently_and_only_when_there_was_some()
    {
        var moods = new[] { Signal("2026-03-24T09:00", "moods", 4), Signal("2026-03-26T09:00", "moods", 3) };
        var journal = new[] { Signal("2026-03-24T21:00", JournalSignalSource.Journal, null, 0.6, "gratitude"), Signal("2026-03-25T21:00", JournalSignalSource.Journal, null, -0.2, "free") };

        var with = WeeklyDigestWriter.Write(WeekStart, DayAggregate.ByDay([.. moods, .. journal]), Written);
        var without = WeeklyDigestWriter.Write(WeekStart, DayAggregate.ByDay(moods), Written);

        Assert.Contains("You also wrote in your journal on 2 days", with.WentWell);
        Assert.DoesNotContain("journal", without.WentWell);
        NoGuilt.Assert(with);
        var once = WeeklyDigestWriter.Write(WeekStart, DayAggregate.ByDay([.. moods, journal[0]]), Written);
        Assert.Contains("You also wrote in your journal once", once.WentWell);
    }

    [Fact]
    public void The_model_learns_from_the_sentiment_of_the_days_journal_and_not_without_it()
    {
        var random = new Random(5);
        var withSentiment = new List<MoodSignal>();
        var withoutSentiment = new List<MoodSignal>();
        for (var day = 0; day < 60; day++)
        {
            var at = Start.AddDays(day);
            var brighter = ((day % 7) + (day / 7)) % 2 == 0; // every weekday has brighter and heavier days alike
            var sentiment = brighter ? 0.3 + (random.NextDouble() * 0.6) : -0.3 - (random.NextDouble() * 0.6);
            var mood = new MoodSignal(at.AddHours(1), 60, "moods", brighter ? random.Next(4, 6) : random.Next(1, 3), []);
            withSentiment.AddRange([new MoodSignal(at, 60, JournalSignalSource.Journal, null, [], sentiment, "free"), mood]);
            withoutSentiment.AddRange([new MoodSignal(at, 60, JournalSignalSource.Journal, null, [], null, "free"), mood]);
        }

        var learnt = BetterDaysLearner.Learn(withSentiment, Written);
        var blind = BetterDaysLearner.Learn(withoutSentiment, Written);

        // A journal every day: only the words' sentiment tells the days apart.
        Assert.Equal(60, learnt.CheckIns);
        Assert.True(learnt.ModelError <= learnt.BaselineError * BetterDaysLearner.RequiredImprovement, $"model {learnt.ModelError} against average {learnt.BaselineError}");
        Assert.True(learnt.ModelError < blind.ModelError, $"with sentiment {learnt.ModelError}, without {blind.ModelError}");
    }

    [Fact]
    public void Journal_counts_per_kind_with_own_moods_and_mean_sentiment()
    {
        var days = DayAggregate.ByDay(
        [
            Signal("2026-03-24T09:00", JournalSignalSource.Journal, 4, 0.5, "gratitude"),
            Signal("2026-03-24T22:00", JournalSignalSource.Journal, null, -0.1, "thought-record"),
            Signal("2026-03-26T09:00", JournalSignalSource.Journal, null, 0.2, "gratitude"),
            Signal("2026-03-26T10:00", "moods", 2),
        ]);

        var counts = MoodSummaries.JournalOf(days.Values);

        Assert.Equal(3, counts.Entries);
        Assert.Equal(2, counts.Days);
        Assert.Equal(new Dictionary<string, int> { ["gratitude"] = 2, ["thought-record"] = 1 }, counts.ByKind);
        Assert.Equal(1, counts.WithMood);
        Assert.Equal(0.2, counts.AverageSentiment);
    }

    private static MoodSignal Signal(string local, string source, int? mood, double? sentiment = null, string? kind = null)
    {
        var wall = DateTime.Parse(local, System.Globalization.CultureInfo.InvariantCulture);
        return new MoodSignal(new DateTimeOffset(wall, TimeSpan.FromHours(2)), 120, source, mood, [], sentiment, kind);
    }
}
