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

    /// <summary>Removes a deleted user's items (the audit keeps only ids and actions).</summary>
    [Alias("erase-user")]
    Task EraseUserAsync(Guid userId);
}
