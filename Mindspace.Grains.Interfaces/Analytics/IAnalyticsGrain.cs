namespace Mindspace.Grains.Interfaces.Analytics;

/// <summary>
/// One user's mood analytics, keyed by the user id. Reads the user's check-ins (and any other
/// source of day signals) when asked; "today" is judged in the profile's time zone, and each
/// check-in keeps the local day and hour it was written at.
/// </summary>
/// <remarks>
/// Calls the check-ins and user grains, which never call it. The "better days" model is learnt in
/// the background on this grain's own schedule; a request only reads the last result.
/// </remarks>
[Alias("ms.analytics.IAnalyticsGrain")]
public interface IAnalyticsGrain : IGrainWithGuidKey
{
    /// <summary>The summary of the <paramref name="period"/> (<see cref="AnalyticsRules.Periods"/>) holding local day <paramref name="at"/> (today when null).</summary>
    [ResponseTimeout(GrainCallTimeouts.WholeHistory)]
    [Alias("get-summary")]
    Task<MoodSummary> GetSummaryAsync(string period, DateOnly? at, CancellationToken cancellationToken);

    /// <summary>Every local day of <paramref name="year"/> (this year when null).</summary>
    [ResponseTimeout(GrainCallTimeouts.WholeHistory)]
    [Alias("get-year")]
    Task<YearInPixels> GetYearAsync(int? year, CancellationToken cancellationToken);

    /// <summary>The last "what goes with your better days" result; asks for a fresh one in the background when it is stale.</summary>
    [Alias("get-better-days")]
    Task<BetterDaysInsight> GetBetterDaysAsync();

    [ResponseTimeout(GrainCallTimeouts.WholeHistory)]
    [Alias("export")]
    Task<AnalyticsExport> ExportAsync();

    /// <summary>Forgets everything learnt about this user.</summary>
    [Alias("erase")]
    Task EraseAsync();
}
