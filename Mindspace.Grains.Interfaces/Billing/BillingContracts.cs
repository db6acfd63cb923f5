namespace Mindspace.Grains.Interfaces.Billing;

/// <summary>Plans and what each one allows. Everyone has at least <see cref="Free"/>.</summary>
public static class Plans
{
    public const string Free = "free";
    public const string Plus = "plus";

    /// <summary>Therapist replies from the language model (free: the built-in CBT engine).</summary>
    public const string ModelReplies = "therapist.model-replies";

    /// <summary>How many weeks of weekly digests are kept to look back on.</summary>
    public const string DigestHistoryWeeks = "digest.history-weeks";

    public static IReadOnlyDictionary<string, int> EntitlementsOf(string plan) => plan == Plus
        ? new Dictionary<string, int> { [ModelReplies] = 1, [DigestHistoryWeeks] = 52 }
        : new Dictionary<string, int> { [ModelReplies] = 0, [DigestHistoryWeeks] = 4 };
}

[GenerateSerializer, Alias("ms.billing.SubscriptionStatus")]
public enum SubscriptionStatus
{
    None,
    Trialing,
    Active,

    /// <summary>A renewal payment failed; the plan stays while the provider retries.</summary>
    PastDue,
    Cancelled,
}

/// <param name="Plan">The plan in force now: the subscribed one while trialing, active or past due; otherwise free.</param>
[GenerateSerializer, Immutable, Alias("ms.billing.SubscriptionView")]
public sealed record SubscriptionView(
    string Plan, SubscriptionStatus Status, string? SubscribedPlan, DateTimeOffset? TrialEndsAt, DateTimeOffset? CurrentPeriodEnd, IReadOnlyDictionary<string, int> Entitlements);

/// <summary>A verified subscription event from the provider.</summary>
/// <param name="OccurredAt">When the provider made the event: an older event than the last applied one changes nothing.</param>
[GenerateSerializer, Immutable, Alias("ms.billing.SubscriptionEvent")]
public sealed record SubscriptionEvent(
    string EventId, DateTimeOffset OccurredAt, string Plan, SubscriptionStatus Status, DateTimeOffset? TrialEndsAt, DateTimeOffset? CurrentPeriodEnd);

[GenerateSerializer, Alias("ms.billing.SubscriptionEventOutcome")]
public enum SubscriptionEventOutcome
{
    Applied,
    Duplicate,

    /// <summary>Older than the event already applied: nothing changed.</summary>
    Stale,
}

/// <summary>A user's subscription, driven only by the provider's verified webhooks.</summary>
[Alias("ms.billing.ISubscriptionGrain")]
public interface ISubscriptionGrain : IGrainWithGuidKey
{
    [Alias("get")]
    Task<SubscriptionView> GetAsync();

    [Alias("apply")]
    Task<SubscriptionEventOutcome> ApplyAsync(SubscriptionEvent subscriptionEvent);

    [Alias("erase")]
    Task EraseAsync();
}
