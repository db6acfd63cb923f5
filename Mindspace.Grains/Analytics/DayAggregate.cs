using NodaTime;

namespace Mindspace.Grains.Analytics;

/// <summary>What one local day of a user holds, whatever the sources: the unit every analysis works on.</summary>
public sealed class DayAggregate(LocalDate date)
{
    public LocalDate Date { get; } = date;

    /// <summary>Mood values of the day with the local hour each was given at.</summary>
    public List<(int Hour, int Mood)> Moods { get; } = [];

    /// <summary>Signals of the day per source name.</summary>
    public Dictionary<string, int> Counts { get; } = new(StringComparer.Ordinal);

    /// <summary>Distinct tags of the day.</summary>
    public HashSet<string> Tags { get; } = new(StringComparer.Ordinal);

    /// <summary>Signals of the day per source and kind, keyed <c>source:kind</c> (e.g. <c>journal:gratitude</c>), for sources with kinds.</summary>
    public Dictionary<string, int> Kinds { get; } = new(StringComparer.Ordinal);

    /// <summary>Signals of the day that carried the user's own mood, per source name.</summary>
    public Dictionary<string, int> MoodsBySource { get; } = new(StringComparer.Ordinal);

    /// <summary>Sentiment scores (-1 to 1) of the day's signals that carry one: never moods.</summary>
    public List<double> Sentiments { get; } = [];

    /// <summary>Minutes of activity (focus) of the day per source: never counted as signals, moods or showing up.</summary>
    public Dictionary<string, double> Minutes { get; } = new(StringComparer.Ordinal);

    /// <summary>Signals of the day from <paramref name="source"/>.</summary>
    public int CountOf(string source) => Counts.GetValueOrDefault(source);

    public int Total => Counts.Values.Sum();

    public double? MeanMood => Moods.Count == 0 ? null : Moods.Average(m => m.Mood);

    /// <summary>
    /// Groups signals by the local day each remembers, in day order. Activity minutes only join days
    /// that have a check-in or entry: a day with only focus minutes is not a day someone checked in.
    /// </summary>
    public static SortedDictionary<LocalDate, DayAggregate> ByDay(IEnumerable<MoodSignal> signals)
    {
        var days = new SortedDictionary<LocalDate, DayAggregate>();
        var activities = new List<MoodSignal>();
        foreach (var signal in signals)
        {
            if (signal.Minutes is not null)
            {
                activities.Add(signal);
                continue;
            }

            var local = signal.Local;
            if (!days.TryGetValue(local.Date, out var day))
            {
                days[local.Date] = day = new DayAggregate(local.Date);
            }

            day.Counts[signal.Source] = day.Counts.GetValueOrDefault(signal.Source) + 1;
            if (signal.Kind is { } kind)
            {
                var key = signal.Source + ":" + kind;
                day.Kinds[key] = day.Kinds.GetValueOrDefault(key) + 1;
            }

            if (signal.Mood is { } mood)
            {
                day.Moods.Add((local.Hour, mood));
                day.MoodsBySource[signal.Source] = day.MoodsBySource.GetValueOrDefault(signal.Source) + 1;
            }

            if (signal.Sentiment is { } sentiment)
            {
                day.Sentiments.Add(sentiment);
            }

            foreach (var tag in signal.Tags)
            {
                day.Tags.Add(tag);
            }
        }

        foreach (var activity in activities)
        {
            if (days.TryGetValue(activity.Day, out var day))
            {
                day.Minutes[activity.Source] = day.Minutes.GetValueOrDefault(activity.Source) + activity.Minutes!.Value;
            }
        }

        return days;
    }
}
