namespace Mindspace.Grains.Interfaces.Analytics;

/// <summary>
/// A look back over one week (Monday to Sunday), calendar month or calendar year of the user's own
/// local days: how their mood went, when, what went with better or harder days, and how often they
/// showed up. Nothing in it judges: runs are counted, breaks are not.
/// </summary>
/// <param name="Period"><c>week</c>, <c>month</c> or <c>year</c>.</param>
/// <param name="From">First local day of the period.</param>
/// <param name="To">Last local day of the period (inclusive).</param>
/// <param name="TimeZone">The IANA zone "today" was judged in (the profile's). Each check-in keeps the local day it was written on.</param>
/// <param name="Journal">How the period's journaling went: entries, days, kinds and the words' mean sentiment (never any text).</param>
[GenerateSerializer, Immutable, Alias("ms.analytics.MoodSummary")]
public sealed record MoodSummary(
    string Period,
    DateOnly From,
    DateOnly To,
    string TimeZone,
    MoodStats Mood,
    IReadOnlyList<WeekdayMood> ByWeekday,
    IReadOnlyList<HourMood> ByHourOfDay,
    TagMoods Tags,
    ShowingUp ShowingUp,
    CheckInCounts Counts,
    JournalCounts? Journal = null);

/// <summary>Journal entries of a period, each on the local day it was written.</summary>
/// <param name="ByKind">Entries per kind: <c>free</c>, <c>gratitude</c>, <c>thought-record</c> (kinds without entries are left out).</param>
/// <param name="WithMood">Entries where the writer gave their own mood (these count in the mood figures).</param>
/// <param name="AverageSentiment">Mean VADER compound of the entries' words, -1 to 1, two decimals; null without entries. A reading of the words, never a mood.</param>
[GenerateSerializer, Immutable, Alias("ms.analytics.JournalCounts")]
public sealed record JournalCounts(int Entries, int Days, IReadOnlyDictionary<string, int> ByKind, int WithMood, double? AverageSentiment);

/// <summary>Mood values (1–5) of the period: each mood record, each entry with a mood and each journal entry with the writer's own mood counts once.</summary>
/// <param name="Average">Mean, two decimals; null without any mood.</param>
/// <param name="Spread">Standard deviation, two decimals (0 = always the same); null without any mood.</param>
[GenerateSerializer, Immutable, Alias("ms.analytics.MoodStats")]
public sealed record MoodStats(int Count, double? Average, double? Spread, int? Lowest, int? Highest);

/// <param name="Weekday">Lower-case English name, <c>monday</c> first.</param>
[GenerateSerializer, Immutable, Alias("ms.analytics.WeekdayMood")]
public sealed record WeekdayMood(string Weekday, int Count, double? Average);

/// <param name="Hour">Local hour of day, 0–23, as the user's clock read when they checked in.</param>
[GenerateSerializer, Immutable, Alias("ms.analytics.HourMood")]
public sealed record HourMood(int Hour, int Count, double? Average);

/// <summary>A tag and how days carrying it compare with days without it (day mood = the mean of that day's moods).</summary>
/// <param name="Days">Days with a mood that carry the tag.</param>
/// <param name="OtherDays">Days with a mood that do not.</param>
/// <param name="Difference"><paramref name="AverageWith"/> minus <paramref name="AverageWithout"/>.</param>
[GenerateSerializer, Immutable, Alias("ms.analytics.TagMood")]
public sealed record TagMood(string Tag, int Days, int OtherDays, double AverageWith, double AverageWithout, double Difference);

/// <summary>Tags that go with better or harder days; only tags seen on enough days, with enough days without them, to say so.</summary>
/// <param name="MinimumDays">Least days with, and without, a tag before it is reported.</param>
/// <param name="Note">A plain sentence when nothing could be said yet; null when something was.</param>
[GenerateSerializer, Immutable, Alias("ms.analytics.TagMoods")]
public sealed record TagMoods(IReadOnlyList<TagMood> BetterDays, IReadOnlyList<TagMood> HarderDays, int MinimumDays, string? Note);

/// <summary>Runs of days with at least one check-in. There is no "broken" streak: only runs, and the days shown up.</summary>
/// <param name="BestRun">Longest run of consecutive local days, ever.</param>
/// <param name="CurrentRun">The run that reaches today or yesterday (yesterday still counts: today is not over); else 0.</param>
/// <param name="DaysThisMonth">Days with a check-in in the calendar month of the period's last day (or of today, if sooner).</param>
/// <param name="DaysEver">Days with a check-in, ever.</param>
[GenerateSerializer, Immutable, Alias("ms.analytics.ShowingUp")]
public sealed record ShowingUp(int BestRun, int CurrentRun, int DaysThisMonth, int DaysEver, DateOnly? LastDay);

/// <param name="BySource">Check-ins of the period per kind: <c>entries</c>, <c>moods</c> (and each source added later, e.g. <c>journal</c>).</param>
/// <param name="DaysWithCheckIns">Local days of the period with at least one.</param>
[GenerateSerializer, Immutable, Alias("ms.analytics.CheckInCounts")]
public sealed record CheckInCounts(int Total, IReadOnlyDictionary<string, int> BySource, int DaysWithCheckIns);

/// <summary>Year in pixels: one value per local day of a calendar year.</summary>
[GenerateSerializer, Immutable, Alias("ms.analytics.YearInPixels")]
public sealed record YearInPixels(int Year, string TimeZone, IReadOnlyList<DayPixel> Days);

/// <param name="Mood">The day's mean mood, one decimal; null on a day without a mood.</param>
/// <param name="Level">The mean rounded to a whole 1–5 (what a pixel's colour shows); null without a mood.</param>
/// <param name="CheckIns">Check-ins of any kind that day (journal entries included).</param>
/// <param name="Journal">Journal entries written that day.</param>
[GenerateSerializer, Immutable, Alias("ms.analytics.DayPixel")]
public sealed record DayPixel(DateOnly Date, double? Mood, int? Level, int CheckIns, int Journal = 0);

/// <summary>
/// What the analytics module holds or derives about a user: the last "better days" finding it
/// stores, and this year's summary and pixels as computed from their check-ins at export time.
/// </summary>
[GenerateSerializer, Immutable, Alias("ms.analytics.AnalyticsExport")]
public sealed record AnalyticsExport(MoodSummary ThisYear, YearInPixels YearInPixels, BetterDaysInsight? BetterDays);

/// <summary>
/// "What goes with your better days", learnt from the user's own history in the background. Factors
/// are reported only when the model predicted held-out days better than the user's own average did.
/// </summary>
/// <param name="Status"><c>not-enough-check-ins</c>, <c>not-enough-signal</c>, <c>ready</c> or <c>pending</c> (being learnt).</param>
/// <param name="Message">One plain sentence to show.</param>
/// <param name="CheckIns">Check-ins with a mood the model saw.</param>
/// <param name="Needed">Check-ins with a mood needed before learning starts.</param>
/// <param name="ModelError">Mean absolute error of the model on held-out days (cross-validated); null when not trained.</param>
/// <param name="BaselineError">The same error when always predicting the user's average; null when not trained.</param>
/// <param name="TrainedAt">When it was learnt; null when never.</param>
[GenerateSerializer, Immutable, Alias("ms.analytics.BetterDaysInsight")]
public sealed record BetterDaysInsight(
    string Status,
    string Message,
    IReadOnlyList<BetterDaysFactor> Factors,
    int CheckIns,
    int Needed,
    double? ModelError,
    double? BaselineError,
    DateTimeOffset? TrainedAt);

/// <param name="Factor">Machine name, e.g. <c>tag:walk</c>, <c>weekday:saturday</c>, <c>time:evening</c>.</param>
/// <param name="Direction"><c>better</c> or <c>harder</c>.</param>
/// <param name="Sentence">Plain words: "goes with", never "causes".</param>
/// <param name="Weight">Importance in the model relative to the others, 0–1.</param>
/// <param name="Count">Check-ins that carried the factor.</param>
[GenerateSerializer, Immutable, Alias("ms.analytics.BetterDaysFactor")]
public sealed record BetterDaysFactor(string Factor, string Direction, string Sentence, double Weight, int Count);
