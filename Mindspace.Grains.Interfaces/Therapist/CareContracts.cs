using Mindspace.Grains.Interfaces.Safety;

namespace Mindspace.Grains.Interfaces.Therapist;

public static class CareStatuses
{
    public const string Open = "open";
    public const string Acknowledged = "acknowledged";
    public const string Closed = "closed";
}

/// <summary>Someone whose message was graded high or imminent, for the care team.</summary>
/// <param name="Excerpt">The start of the message (at most <see cref="TherapistRules.ExcerptLength"/> characters).</param>
[GenerateSerializer, Immutable, Alias("ms.care.CareItem")]
public sealed record CareItem(
    Guid Id,
    Guid UserId,
    Guid ConversationId,
    RiskLevel Level,
    IReadOnlyList<string> Signals,
    string Excerpt,
    DateTimeOffset CreatedAt,
    string Status,
    Guid? AcknowledgedBy,
    DateTimeOffset? AcknowledgedAt,
    Guid? ClosedBy,
    DateTimeOffset? ClosedAt,
    string? Note);

[GenerateSerializer, Immutable, Alias("ms.care.NewCareItem")]
public sealed record NewCareItem(Guid UserId, Guid ConversationId, RiskLevel Level, IReadOnlyList<string> Signals, string Excerpt);

/// <summary>Someone who holds the <c>care-team</c> role, as the care queue knows them (to notify them of new items).</summary>
[GenerateSerializer, Immutable, Alias("ms.care.CareTeamMember")]
public sealed record CareTeamMember(Guid UserId, DateTimeOffset Since);

/// <summary>What the care team's inbox says about a new item: never the person's words, only that someone needs a human.</summary>
public static class CareNotifications
{
    /// <summary>Category <c>safety</c>: always delivered, never held by quiet hours.</summary>
    public const string Kind = "safety.care-queue-item";

    public const string Title = "Someone may need a human now";

    /// <summary>Where the item is (the queue, with the item's id); the app opens it from here.</summary>
    public static string Link(Guid itemId) => $"/api/v1/care/queue?item={itemId:D}";

    public static string Body(RiskLevel level, Guid itemId)
        => $"A new {(level == RiskLevel.Imminent ? "imminent" : "high")}-risk item is waiting in the care queue. Please look at it as soon as you can: {Link(itemId)}";
}

/// <summary>One line of the care audit: who looked at or did what, when.</summary>
[GenerateSerializer, Immutable, Alias("ms.care.CareAuditEntry")]
public sealed record CareAuditEntry(Guid Actor, string Action, Guid? ItemId, DateTimeOffset At);

/// <summary>The care team's queue (one grain, key 0) and its audit trail.</summary>
[Alias("ms.care.ICareQueueGrain")]
public interface ICareQueueGrain : IGrainWithIntegerKey
{
    [Alias("add")]
    Task<CareItem> AddAsync(NewCareItem item);

    /// <summary>Open and acknowledged items, oldest first (and the most recent closed ones when asked); the view is audited.</summary>
    [Alias("list")]
    Task<IReadOnlyList<CareItem>> ListAsync(Guid actor, bool includeClosed);

    /// <returns>The item as it is now, or null when there is no such item.</returns>
    [Alias("acknowledge")]
    Task<CareItem?> AcknowledgeAsync(Guid itemId, Guid actor);

    /// <returns>The item as it is now, or null when there is no such item.</returns>
    [Alias("close")]
    Task<CareItem?> CloseAsync(Guid itemId, Guid actor, string? note);

    /// <summary>The newest audit entries first; reading the audit is itself audited.</summary>
    [Alias("audit")]
    Task<IReadOnlyList<CareAuditEntry>> AuditAsync(Guid actor, int limit);

    /// <summary>
    /// Adds or removes someone from the care team the queue notifies (the user grain calls this when
    /// the <c>care-team</c> role is granted or revoked; opening the queue also enlists the viewer).
    /// </summary>
    [Idempotent]
    [Alias("set-team-member")]
    Task SetTeamMemberAsync(Guid userId, bool member);

    /// <summary>
    /// Enlists, once ever, every holder of <c>care-team</c> whose role was granted before the queue
    /// kept its team (found from the users' own activity logs: their newest care-team grant or revoke
    /// decides). Idempotent: after its first success it only reads a marker. The queue runs it
    /// before it announces a new item, so nothing is done for it at start.
    /// </summary>
    /// <returns>How many members this call enlisted.</returns>
    [ResponseTimeout(GrainCallTimeouts.WholeHistory)]
    [Alias("backfill-team")]
    Task<int> BackfillTeamAsync();

    /// <summary>The care-team members new items are announced to.</summary>
    [Alias("team")]
    Task<IReadOnlyList<CareTeamMember>> TeamAsync();

    /// <summary>Removes a deleted user's items and their place on the care team (the audit keeps only ids and actions).</summary>
    [Alias("erase-user")]
    Task EraseUserAsync(Guid userId);
}
