namespace Mindspace.Grains.Interfaces.Reports;

/// <summary>
/// A week in review, written like a kind friend: what went well, one pattern noticed and one small
/// suggestion, then a small chart. Covers the seven local days before the day it was written for.
/// </summary>
/// <param name="WeekStart">First local day covered.</param>
/// <param name="WeekEnd">Last local day covered (inclusive).</param>
/// <param name="Title">A heading, e.g. "Your week in review: 23–29 March".</param>
/// <param name="WentWell">One or two sentences on what went well.</param>
/// <param name="Pattern">One pattern noticed (or a kind word that there is not one yet).</param>
/// <param name="Suggestion">One small, optional suggestion.</param>
/// <param name="GentleWeek">True when the week looked heavy: the text names it gently and <paramref name="Support"/> points to help.</param>
/// <param name="Support">Where to find support, on a heavy week; null otherwise.</param>
[GenerateSerializer, Immutable, Alias("ms.reports.WeeklyDigest")]
public sealed record WeeklyDigest(
    DateOnly WeekStart,
    DateOnly WeekEnd,
    DateTimeOffset GeneratedAt,
    string Title,
    string WentWell,
    string Pattern,
    string Suggestion,
    bool GentleWeek,
    string? Support,
    DigestChart Chart,
    DigestStats Stats);

/// <summary>A small bar chart of the week's daily mood as accessible SVG.</summary>
/// <param name="Svg">An <c>svg</c> element with <c>role="img"</c>, a <c>title</c> and a <c>desc</c>.</param>
/// <param name="TextAlternative">The chart in words, one clause per day: for screen readers and plain-text clients.</param>
[GenerateSerializer, Immutable, Alias("ms.reports.DigestChart")]
public sealed record DigestChart(string Title, string Description, string TextAlternative, string Svg);

/// <param name="AverageMood">Mean of the week's moods, one decimal; null without any.</param>
[GenerateSerializer, Immutable, Alias("ms.reports.DigestStats")]
public sealed record DigestStats(int DaysCheckedIn, int CheckIns, double? AverageMood, IReadOnlyList<DigestDay> Days);

/// <param name="Weekday">Lower-case English name.</param>
/// <param name="Mood">The day's mean mood, one decimal; null without one.</param>
[GenerateSerializer, Immutable, Alias("ms.reports.DigestDay")]
public sealed record DigestDay(DateOnly Date, string Weekday, double? Mood, int CheckIns);

/// <summary>Digests newest first; pass <paramref name="NextBefore"/> as <c>before</c> for older ones (null at the end).</summary>
[GenerateSerializer, Immutable, Alias("ms.reports.WeeklyDigestPage")]
public sealed record WeeklyDigestPage(IReadOnlyList<WeeklyDigest> Items, DateOnly? NextBefore);

/// <summary>When the user's digest is written: a local weekday and time in their profile's time zone.</summary>
/// <param name="DayOfWeek">Lower-case English weekday, e.g. <c>monday</c>.</param>
/// <param name="Time">Local time, <c>HH:mm</c> (24-hour).</param>
/// <param name="TimeZone">The profile's IANA zone the time is read in (it follows the profile).</param>
/// <param name="NextAt">The UTC instant of the next digest; null when none is scheduled (no account).</param>
[GenerateSerializer, Immutable, Alias("ms.reports.DigestSchedule")]
public sealed record DigestSchedule(string DayOfWeek, string Time, string TimeZone, DateTimeOffset? NextAt);

/// <summary>Everything the reports module holds about a user.</summary>
[GenerateSerializer, Immutable, Alias("ms.reports.ReportsExport")]
public sealed record ReportsExport(DigestSchedule Schedule, IReadOnlyList<WeeklyDigest> WeeklyDigests);

/// <summary>The notification kinds this module sends.</summary>
public static class ReportNotificationKinds
{
    /// <summary>A new weekly digest is ready to read.</summary>
    public const string WeeklyDigestReady = "reports.weekly-ready";
}
