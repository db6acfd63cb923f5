using System.Globalization;
using Microsoft.ML;
using Microsoft.ML.Data;
using Microsoft.ML.Trainers.FastTree;
using Mindspace.Grains.Interfaces.Analytics;
using NodaTime;

namespace Mindspace.Grains.Analytics;

/// <summary>
/// "What goes with your better days": a small regression model (FastTree) of mood from a user's own
/// check-ins — weekday, time of day, tags, which kinds of signal the day held, focus and browsing minutes (journaling and
/// sentiment as those sources land) — judged against the plainest guess, the user's own average.
/// </summary>
/// <remarks>
/// The model is cross-validated over whole days (every check-in of a day is held out together), and
/// factors are reported only when it beats the average on held-out days by a clear margin: a model
/// that cannot predict better than the average has found nothing worth telling someone. Factors are
/// read from the model's split gains; their direction from the user's own means with and without
/// them. Words say "goes with", never "causes": this is correlation in one person's diary.
/// </remarks>
public static class BetterDaysLearner
{
    public const int Folds = 5;

    /// <summary>The model's held-out error must be at most this share of the average's.</summary>
    public const double RequiredImprovement = 0.95;

    /// <summary>Tags worth a feature: seen on at least this many check-ins (at most <see cref="MaxTags"/> of them).</summary>
    public const int MinTagCount = 5;

    public const int MaxTags = 20;

    /// <summary>Least check-ins carrying a factor, and least mood difference, for it to be named.</summary>
    public const int MinFactorCount = 5;

    public const double MinFactorDifference = 0.3;

    public const int MaxFactors = 5;

    private static readonly string[] TimesOfDay = ["night", "morning", "afternoon", "evening"];

    private static readonly IsoDayOfWeek[] Weekdays =
        [IsoDayOfWeek.Monday, IsoDayOfWeek.Tuesday, IsoDayOfWeek.Wednesday, IsoDayOfWeek.Thursday, IsoDayOfWeek.Friday, IsoDayOfWeek.Saturday, IsoDayOfWeek.Sunday];

    /// <summary>Learns from every signal of a user (any order); pure apart from its CPU time.</summary>
    public static BetterDaysInsight Learn(IReadOnlyList<MoodSignal> signals, DateTimeOffset now, int seed = 7)
    {
        var days = DayAggregate.ByDay(signals);
        var rated = signals.Where(s => s.Mood is not null).ToList();
        var needed = AnalyticsRules.BetterDaysMinimumCheckIns;
        if (rated.Count < needed)
        {
            return new BetterDaysInsight(
                "not-enough-check-ins",
                $"Once you have {needed} check-ins with a mood ({rated.Count} so far), Mindspace will look for what goes with your better days.",
                [], rated.Count, needed, null, null, now);
        }

        var features = FeatureSet.For(rated, days);
        var rows = rated.Select(s => new Row
        {
            Label = s.Mood!.Value,
            Features = features.Of(s, days[s.Day]),
            DayKey = s.Day.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture),
            HasAttention = FeatureSet.HasAttention(days[s.Day]),
        }).ToList();
        var (modelError, baselineError) = CrossValidate(rows, features.Count, seed);
        if (modelError is null || baselineError is null || modelError > baselineError * RequiredImprovement)
        {
            return new BetterDaysInsight(
                "not-enough-signal",
                "There is not enough signal yet to say what goes with your better days. Your check-ins are still worth it: patterns take time to show.",
                [], rated.Count, needed, Round(modelError), Round(baselineError), now);
        }

        var weights = TrainAndWeigh(rows, features.Count, seed);
        var factors = Factors(features, weights, rows).ToList();
        var message = factors.Count == 0
            ? "Your check-ins can be predicted a little, but no single thing stands out clearly enough to name yet."
            : "Some things tend to go with better or harder days for you. They go together, which is not the same as one bringing about the other.";
        return new BetterDaysInsight(factors.Count == 0 ? "not-enough-signal" : "ready", message, factors, rated.Count, needed, Round(modelError), Round(baselineError), now);
    }

    /// <summary>Mean absolute error of the model and of predicting the training mean, over held-out days.</summary>
    private static (double? Model, double? Baseline) CrossValidate(List<Row> rows, int featureCount, int seed)
    {
        var dayKeys = rows.Select(r => r.DayKey).Distinct(StringComparer.Ordinal).Order(StringComparer.Ordinal).ToList();
        if (dayKeys.Count < Folds)
        {
            return (null, null);
        }

        // Days dealt to folds in turn after a seeded shuffle: every fold has days from the whole history.
        var random = new Random(seed);
        var foldOf = dayKeys.OrderBy(_ => random.Next()).Select((key, index) => (key, index % Folds)).ToDictionary(p => p.key, p => p.Item2, StringComparer.Ordinal);
        double modelTotal = 0, baselineTotal = 0;
        var count = 0;
        for (var fold = 0; fold < Folds; fold++)
        {
            var train = rows.Where(r => foldOf[r.DayKey] != fold).ToList();
            var test = rows.Where(r => foldOf[r.DayKey] == fold).ToList();
            if (test.Count == 0 || train.Count == 0)
            {
                continue;
            }

            var mean = train.Average(r => r.Label);
            var ml = new MLContext(seed);
            var model = Trainer(ml).Fit(Load(ml, train, featureCount));
            var scores = ml.Data.CreateEnumerable<Prediction>(model.Transform(Load(ml, test, featureCount)), reuseRowObject: false).ToList();
            for (var i = 0; i < test.Count; i++)
            {
                modelTotal += Math.Abs(Math.Clamp(scores[i].Score, 1, 5) - test[i].Label);
                baselineTotal += Math.Abs(mean - test[i].Label);
            }

            count += test.Count;
        }

        return count == 0 ? (null, null) : (modelTotal / count, baselineTotal / count);
    }

    private static float[] TrainAndWeigh(List<Row> rows, int featureCount, int seed)
    {
        var ml = new MLContext(seed);
        var model = Trainer(ml).Fit(Load(ml, rows, featureCount));
        var weights = default(VBuffer<float>);
        model.Model.GetFeatureWeights(ref weights);
        return weights.DenseValues().ToArray();
    }

    private static IEnumerable<BetterDaysFactor> Factors(FeatureSet features, float[] weights, List<Row> rows)
    {
        var total = weights.Sum();
        if (total <= 0)
        {
            yield break;
        }

        var named = 0;
        foreach (var index in Enumerable.Range(0, features.Count).OrderByDescending(i => weights[i]))
        {
            if (named >= MaxFactors || weights[index] <= 0)
            {
                yield break;
            }

            // A browsing factor compares days with browsing data only: a day the extension was off is neither.
            var among = features.IsAttention(index) ? rows.Where(r => r.HasAttention).ToList() : rows;
            var with = among.Where(r => r.Features[index] > 0).Select(r => (double)r.Label).ToList();
            var without = among.Where(r => r.Features[index] <= 0).Select(r => (double)r.Label).ToList();
            if (with.Count < MinFactorCount || without.Count < MinFactorCount || features.IsContinuous(index))
            {
                continue;
            }

            var difference = with.Average() - without.Average();
            if (Math.Abs(difference) < MinFactorDifference)
            {
                continue;
            }

            named++;
            var better = difference > 0;
            var sentence = $"{features.Phrase(index)} goes with {(better ? "a brighter" : "a heavier")} mood for you: {with.Average():0.0} on average, against {without.Average():0.0} otherwise.";
            yield return new BetterDaysFactor(features.Names[index], better ? "better" : "harder", sentence, Math.Round(weights[index] / total, 3), with.Count);
        }
    }

    /// <summary>
    /// Small trees for small data. One thread: a user's history is a few hundred rows, where FastTree's
    /// parallel set-up costs more than it saves, and many users learn side by side anyway.
    /// </summary>
    private static IEstimator<RegressionPredictionTransformer<FastTreeRegressionModelParameters>> Trainer(MLContext ml)
        => ml.Regression.Trainers.FastTree(new FastTreeRegressionTrainer.Options
        {
            NumberOfLeaves = 4,
            NumberOfTrees = 40,
            MinimumExampleCountPerLeaf = 5,
            LearningRate = 0.1,
            NumberOfThreads = 1,
        });

    private static IDataView Load(MLContext ml, List<Row> rows, int featureCount)
    {
        var schema = SchemaDefinition.Create(typeof(Row));
        schema[nameof(Row.Features)].ColumnType = new VectorDataViewType(NumberDataViewType.Single, featureCount);
        return ml.Data.LoadFromEnumerable(rows, schema);
    }

    private static double? Round(double? value) => value is { } v ? Math.Round(v, 3) : null;

    private static string TimeOfDayOf(int hour) => hour switch
    {
        < 5 => TimesOfDay[0],
        < 12 => TimesOfDay[1],
        < 17 => TimesOfDay[2],
        _ => TimesOfDay[3],
    };

    /// <summary>One check-in as the model sees it.</summary>
    private sealed class Row
    {
        public float Label { get; set; }

        public float[] Features { get; set; } = [];

        /// <summary>Not a column the model reads (it is not in Features): the held-out unit.</summary>
        public string DayKey { get; set; } = "";

        /// <summary>Not a column: the check-in's day has browsing attention data.</summary>
        [NoColumn]
        public bool HasAttention { get; set; }
    }

    private sealed class Prediction
    {
        public float Score { get; set; }
    }

    /// <summary>The features of one user's model: fixed ones, their frequent tags, and the kinds of signal present.</summary>
    private sealed class FeatureSet
    {
        private readonly List<string> _tags;
        private readonly List<string> _sources;
        private readonly List<string> _activities;
        private readonly List<(string Name, string Source, bool More, double Usual)> _browsing;

        private FeatureSet(List<string> tags, List<string> sources, List<(string Name, string Source, bool More, double Usual)> browsing, List<string> activities)
        {
            _tags = tags;
            _sources = sources;
            _browsing = browsing;
            _activities = activities;
            Names =
            [
                .. Weekdays.Select(d => "weekday:" + MoodSummaries.WeekdayName(d)),
                .. TimesOfDay.Select(t => "time:" + t),
                .. tags.Select(t => "tag:" + t),
                .. sources.Select(s => "day-has:" + s),
                .. browsing.Select(b => b.Name),
                .. activities.Select(a => "day-minutes:" + a),
                "day:sentiment",
            ];
            ContinuousFrom = Names.Count - 1 - activities.Count;
        }

        /// <summary>The first continuous feature (activity minutes, then sentiment): they help prediction but are never named.</summary>
        private int ContinuousFrom { get; }

        public List<string> Names { get; }

        public int Count => Names.Count;

        public static FeatureSet For(List<MoodSignal> rated, SortedDictionary<LocalDate, DayAggregate> days)
        {
            var tags = rated.SelectMany(s => s.Tags).GroupBy(t => t, StringComparer.Ordinal)
                .Where(g => g.Count() >= MinTagCount).OrderByDescending(g => g.Count()).ThenBy(g => g.Key, StringComparer.Ordinal)
                .Take(MaxTags).Select(g => g.Key).ToList();
            var activities = days.Values.SelectMany(d => d.Minutes.Where(m => m.Value > 0).Select(m => m.Key)).Distinct(StringComparer.Ordinal).Order(StringComparer.Ordinal).ToList();
            var sources = days.Values.SelectMany(d => d.Counts.Keys).Concat(activities.Where(a => !AttentionSignalSource.IsAttention(a)))
                .Distinct(StringComparer.Ordinal).Order(StringComparer.Ordinal).ToList();

            // Browsing is there most days someone uses the extension, so "a day with browsing" says little:
            // what can be named is a day with less distracting, or more focused, browsing than the user's own usual (mean).
            var browsingDays = days.Values.Where(HasAttention).ToList();
            var browsing = new List<(string Name, string Source, bool More, double Usual)>();
            foreach (var (name, source, more) in new[] { (LighterDistracting, AttentionSignalSource.Distracting, false), (MoreFocus, AttentionSignalSource.Focus, true) })
            {
                if (activities.Contains(source, StringComparer.Ordinal))
                {
                    browsing.Add((name, source, more, browsingDays.Average(d => d.Minutes.GetValueOrDefault(source))));
                }
            }

            return new FeatureSet(tags, sources, browsing, activities);
        }

        public const string LighterDistracting = "browsing:lighter-distracting";

        public const string MoreFocus = "browsing:more-focus";

        public static bool HasAttention(DayAggregate day) => day.Minutes.Any(m => m.Value > 0 && AttentionSignalSource.IsAttention(m.Key));

        public bool IsContinuous(int index) => index >= ContinuousFrom;

        public bool IsAttention(int index) => Names[index].StartsWith("browsing:", StringComparison.Ordinal);

        public float[] Of(MoodSignal signal, DayAggregate day)
        {
            var values = new float[Count];
            var local = signal.Local;
            values[Array.IndexOf(Weekdays, local.DayOfWeek)] = 1;
            values[Weekdays.Length + Array.IndexOf(TimesOfDay, TimeOfDayOf(local.Hour))] = 1;
            var offset = Weekdays.Length + TimesOfDay.Length;
            for (var i = 0; i < _tags.Count; i++)
            {
                values[offset + i] = signal.Tags.Contains(_tags[i], StringComparer.Ordinal) ? 1 : 0;
            }

            offset += _tags.Count;
            for (var i = 0; i < _sources.Count; i++)
            {
                values[offset + i] = day.Counts.ContainsKey(_sources[i]) || day.Minutes.GetValueOrDefault(_sources[i]) > 0 ? 1 : 0;
            }

            offset += _sources.Count;
            var browsed = HasAttention(day);
            for (var i = 0; i < _browsing.Count; i++)
            {
                var (_, source, more, usual) = _browsing[i];
                var minutes = day.Minutes.GetValueOrDefault(source);
                values[offset + i] = browsed && (more ? minutes > usual : minutes < usual) ? 1 : 0;
            }

            offset += _browsing.Count;
            for (var i = 0; i < _activities.Count; i++)
            {
                values[offset + i] = (float)day.Minutes.GetValueOrDefault(_activities[i]);
            }

            values[Count - 1] = day.Sentiments.Count == 0 ? 0 : (float)day.Sentiments.Average();
            return values;
        }

        /// <summary>The factor in words, as the subject of "goes with …".</summary>
        public string Phrase(int index)
        {
            var name = Names[index];
            var value = name[(name.IndexOf(':', StringComparison.Ordinal) + 1)..];
            return name[..name.IndexOf(':', StringComparison.Ordinal)] switch
            {
                "weekday" => CultureInfo.InvariantCulture.TextInfo.ToTitleCase(value),
                "time" => value == "night" ? "Checking in at night" : $"Checking in in the {value}",
                "tag" => $"“{value}”",
                "day-has" when value == JournalSignalSource.Journal => "A day you wrote in your journal",
                "day-has" when value == FocusSignalSource.Focus => "A day with a focus session",
                "day-has" => $"A day with {value}",
                "browsing" when name == LighterDistracting => "A day with less time than usual on sites counted as distracting",
                "browsing" when name == MoreFocus => "A day with more time than usual on focus sites",
                _ => value,
            };
        }
    }
}
