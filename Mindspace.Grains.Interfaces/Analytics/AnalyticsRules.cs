namespace Mindspace.Grains.Interfaces.Analytics;

/// <summary>What the analytics endpoints accept, shared by the gateway (validation) and the grain.</summary>
public static class AnalyticsRules
{
    public const string Week = "week";
    public const string Month = "month";
    public const string Year = "year";

    public static readonly IReadOnlyList<string> Periods = [Week, Month, Year];

    public const int MinYear = 1970;
    public const int MaxYear = 9000;

    /// <summary>Least days with, and without, a tag before the summary says it goes with better or harder days.</summary>
    public const int MinimumTagDays = 3;

    /// <summary>Least difference of day mood (on the 1–5 scale) worth naming.</summary>
    public const double MinimumTagDifference = 0.5;

    /// <summary>Check-ins with a mood before "what goes with your better days" is learnt.</summary>
    public const int BetterDaysMinimumCheckIns = 40;

    /// <summary>A "better days" result older than this is learnt again (in the background) when next asked for.</summary>
    public static readonly TimeSpan BetterDaysRefresh = TimeSpan.FromDays(1);

    public static bool IsPeriod(string? period) => period is Week or Month or Year;
}
