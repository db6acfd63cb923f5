using Microsoft.Extensions.DependencyInjection;
using Mindspace.Grains.Interfaces;
using Mindspace.Grains.Interfaces.Analytics;

namespace Mindspace.Grains.Analytics;

/// <summary>Stored state of <see cref="BetterDaysGrain"/>: the last result.</summary>
[GenerateSerializer, Alias("ms.state.BetterDaysState")]
public sealed class BetterDaysState
{
    [Id(0)]
    public BetterDaysInsight? Insight { get; set; }
}

/// <inheritdoc cref="IBetterDaysGrain"/>
public sealed class BetterDaysGrain(
    [PersistentState("better-days")] IPersistentState<BetterDaysState> state,
    [FromKeyedServices(MindspaceClock.Key)] TimeProvider clock) : Grain, IBetterDaysGrain
{
    /// <summary>A refresh has been queued and not run yet (so interleaved gets queue only one).</summary>
    private bool _refreshQueued;

    public Task<BetterDaysInsight> GetAsync()
    {
        var insight = state.State.Insight;
        var stale = insight?.TrainedAt is not { } at || clock.GetUtcNow() - at > AnalyticsRules.BetterDaysRefresh;
        if (stale && !_refreshQueued)
        {
            _refreshQueued = true;
            _ = this.AsReference<IBetterDaysGrain>().RefreshAsync();
        }

        return Task.FromResult(insight ?? new BetterDaysInsight(
            "pending",
            "Mindspace is looking at your check-ins for what goes with your better days. Have a look again in a little while.",
            [], 0, AnalyticsRules.BetterDaysMinimumCheckIns, null, null, null));
    }

    public async Task RefreshAsync()
    {
        _refreshQueued = false;
        await LearnNowAsync();
    }

    public async Task<BetterDaysInsight> LearnNowAsync()
    {
        var (from, to) = AnalyticsSources.WholeHistory;
        var signals = await AnalyticsSources.ReadAsync(GrainFactory, this.GetPrimaryKey(), from, to, CancellationToken.None);
        var now = clock.GetUtcNow();

        // CPU work off the grain's scheduler turn's thread; the grain stays busy (one turn at a time) until it is stored.
        var insight = await Task.Run(() => BetterDaysLearner.Learn(signals, now));
        state.State.Insight = insight;
        await state.WriteStateAsync();
        return insight;
    }

    public async Task EraseAsync()
    {
        await state.ClearStateAsync();
        state.State = new BetterDaysState();
        DeactivateOnIdle();
    }
}
