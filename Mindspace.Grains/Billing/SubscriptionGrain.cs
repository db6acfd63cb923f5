using Mindspace.Grains.Interfaces.Billing;

namespace Mindspace.Grains.Billing;

/// <summary>Stored state of <see cref="SubscriptionGrain"/>.</summary>
[GenerateSerializer, Alias("ms.state.SubscriptionState")]
public sealed class SubscriptionState
{
    [Id(0)]
    public string? Plan { get; set; }

    [Id(1)]
    public SubscriptionStatus Status { get; set; }

    [Id(2)]
    public DateTimeOffset? TrialEndsAt { get; set; }

    [Id(3)]
    public DateTimeOffset? CurrentPeriodEnd { get; set; }

    [Id(4)]
    public DateTimeOffset? LastEventAt { get; set; }

    /// <summary>Recent event ids (bounded), so a replay is recognised.</summary>
    [Id(5)]
    public List<string> RecentEvents { get; set; } = [];
}

/// <inheritdoc cref="ISubscriptionGrain"/>
public sealed class SubscriptionGrain([PersistentState("subscription")] IPersistentState<SubscriptionState> subscription) : Grain, ISubscriptionGrain
{
    private const int RememberedEvents = 50;

    public Task<SubscriptionView> GetAsync()
    {
        var s = subscription.State;
        var plan = s.Status is SubscriptionStatus.Trialing or SubscriptionStatus.Active or SubscriptionStatus.PastDue && s.Plan is { } subscribed ? subscribed : Plans.Free;
        return Task.FromResult(new SubscriptionView(plan, s.Status, s.Plan, s.TrialEndsAt, s.CurrentPeriodEnd, Plans.EntitlementsOf(plan)));
    }

    public async Task<SubscriptionEventOutcome> ApplyAsync(SubscriptionEvent subscriptionEvent)
    {
        var s = subscription.State;
        if (s.RecentEvents.Contains(subscriptionEvent.EventId))
        {
            return SubscriptionEventOutcome.Duplicate;
        }

        s.RecentEvents.Add(subscriptionEvent.EventId);
        if (s.RecentEvents.Count > RememberedEvents)
        {
            s.RecentEvents.RemoveAt(0);
        }

        if (s.LastEventAt is { } last && subscriptionEvent.OccurredAt < last)
        {
            await subscription.WriteStateAsync();
            return SubscriptionEventOutcome.Stale;
        }

        s.Plan = subscriptionEvent.Plan;
        s.Status = subscriptionEvent.Status;
        s.TrialEndsAt = subscriptionEvent.TrialEndsAt;
        s.CurrentPeriodEnd = subscriptionEvent.CurrentPeriodEnd;
        s.LastEventAt = subscriptionEvent.OccurredAt;
        await subscription.WriteStateAsync();
        return SubscriptionEventOutcome.Applied;
    }

    public Task EraseAsync() => subscription.ClearStateAsync();
}
