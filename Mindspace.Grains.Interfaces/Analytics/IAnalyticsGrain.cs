using Orleans.Concurrency;

namespace Mindspace.Grains.Interfaces.Analytics;

/// <summary>
/// One user's mood analytics, keyed by the user id. Reads the user's check-ins (and any other
/// source of day signals) when asked; "today" is judged in the profile's time zone, and each
/// check-in keeps the local day and hour it was written at.
/// </summary>
/// <remarks>
/// Calls the check-ins, user and <see cref="IBetterDaysGrain"/> grains, none of which call it.
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

    [ResponseTimeout(GrainCallTimeouts.WholeHistory)]
    [Alias("export")]
    Task<AnalyticsExport> ExportAsync();

    /// <summary>Forgets everything learnt about this user (the better-days model included).</summary>
    [Alias("erase")]
    Task EraseAsync();
}

/// <summary>
/// "What goes with your better days" for one user, keyed by the user id: a small model learnt from
/// their own history in the background, never in a request. Requests read the last result.
/// </summary>
/// <remarks>Calls the check-ins grain (through the analytics sources), which never calls it.</remarks>
[Alias("ms.analytics.IBetterDaysGrain")]
public interface IBetterDaysGrain : IGrainWithGuidKey
{
    /// <summary>
    /// The last result at once; when it is missing or older than <see cref="AnalyticsRules.BetterDaysRefresh"/>,
    /// a fresh one is learnt afterwards, in the background.
    /// </summary>
    /// <remarks>
    /// Interleaves: it only reads the stored result (replaced whole, never changed in place) and
    /// queues a one-way refresh, so a request never waits behind a model being learnt.
    /// </remarks>
    [AlwaysInterleave]
    [Alias("get")]
    Task<BetterDaysInsight> GetAsync();

    /// <summary>Learns from the whole history now and stores the result. One-way: callers never wait for it.</summary>
    [OneWay]
    [Alias("refresh")]
    Task RefreshAsync();

    /// <summary>Learns now and returns the result (for tests and benchmarks; requests use <see cref="GetAsync"/>).</summary>
    [ResponseTimeout(GrainCallTimeouts.WholeHistory)]
    [Alias("learn-now")]
    Task<BetterDaysInsight> LearnNowAsync();

    [Idempotent]
    [Alias("erase")]
    Task EraseAsync();
}
