using Microsoft.Extensions.DependencyInjection;
using Mindspace.Grains.Interfaces;
using Mindspace.Grains.Interfaces.Analytics;
using Mindspace.Grains.Interfaces.CheckIns;
using Mindspace.Grains.Interfaces.Users;
using NodaTime;

namespace Mindspace.Grains.Analytics;

/// <inheritdoc cref="IAnalyticsGrain"/>
/// <remarks>Holds no state of its own: summaries are computed from the sources when asked.</remarks>
public sealed class AnalyticsGrain([FromKeyedServices(MindspaceClock.Key)] TimeProvider clock) : Grain, IAnalyticsGrain
{
    private Guid UserId => this.GetPrimaryKey();

    public async Task<MoodSummary> GetSummaryAsync(string period, DateOnly? at, CancellationToken cancellationToken)
    {
        if (!AnalyticsRules.IsPeriod(period))
        {
            throw new ArgumentException($"Use one of: {string.Join(", ", AnalyticsRules.Periods)}.", nameof(period));
        }

        var (zoneId, today) = await TodayAsync();
        var days = await AllDaysAsync(cancellationToken);
        return MoodSummaries.Summarize(period, at is { } day ? LocalDate.FromDateOnly(day) : today, today, zoneId, days);
    }

    public async Task<YearInPixels> GetYearAsync(int? year, CancellationToken cancellationToken)
    {
        var (zoneId, today) = await TodayAsync();
        var y = year ?? today.Year;
        var signals = await AnalyticsSources.ReadDaysAsync(GrainFactory, UserId, new LocalDate(y, 1, 1), new LocalDate(y, 12, 31), cancellationToken);
        return MoodSummaries.Year(y, zoneId, DayAggregate.ByDay(signals));
    }

    public async Task<AnalyticsExport> ExportAsync()
        => new(
            await GetSummaryAsync(AnalyticsRules.Year, null, CancellationToken.None),
            await GetYearAsync(null, CancellationToken.None),
            await GrainFactory.GetGrain<IBetterDaysGrain>(UserId).GetAsync());

    public Task EraseAsync() => GrainFactory.GetGrain<IBetterDaysGrain>(UserId).EraseAsync();

    private async Task<SortedDictionary<LocalDate, DayAggregate>> AllDaysAsync(CancellationToken cancellationToken)
    {
        var (from, to) = AnalyticsSources.WholeHistory;
        return DayAggregate.ByDay(await AnalyticsSources.ReadAsync(GrainFactory, UserId, from, to, cancellationToken));
    }

    /// <summary>The profile's zone id (UTC when unknown) and the user's today in it.</summary>
    private async Task<(string ZoneId, LocalDate Today)> TodayAsync()
    {
        var profile = await GrainFactory.GetGrain<IUserGrain>(UserId).GetProfileAsync();
        var zone = CheckInTimeZones.FindOrUtc(profile?.TimeZone);
        return (zone.Id, Instant.FromDateTimeOffset(clock.GetUtcNow()).InZone(zone).Date);
    }
}
