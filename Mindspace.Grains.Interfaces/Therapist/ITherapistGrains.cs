using Mindspace.Grains.Interfaces.Safety;

namespace Mindspace.Grains.Interfaces.Therapist;

/// <summary>
/// One conversation with the companion, keyed by <see cref="TherapistRules.ConversationKey"/>:
/// its messages are rows (one per message), its summary and flow state a small state.
/// </summary>
/// <remarks>
/// A turn is two calls: <see cref="BeginTurnAsync"/> stores and grades the user's message (and
/// raises a care-team item when it is high or imminent), the gateway writes the reply, and
/// <see cref="CompleteTurnAsync"/> stores it. Both are idempotent by the client's message id.
/// </remarks>
[Alias("ms.therapist.IConversationGrain")]
public interface IConversationGrain : IGrainWithStringKey
{
    /// <summary>Creates the conversation (a second call returns the first one's summary).</summary>
    [Alias("create")]
    Task<ConversationSummary> CreateAsync(string title);

    /// <returns>The summary, or null when there is no such conversation.</returns>
    [Alias("get")]
    Task<ConversationSummary?> GetAsync();

    [Alias("begin-turn")]
    Task<TurnStart> BeginTurnAsync(string clientMessageId, string text);

    /// <returns>The stored reply (the first one stored, if called again), or null when there is no such conversation or user message.</returns>
    [Alias("complete-turn")]
    Task<ChatMessage?> CompleteTurnAsync(TurnReply reply);

    /// <returns>The thought record that ended with this companion message, or null.</returns>
    [Alias("thought-record")]
    Task<FinishedThoughtRecord?> GetThoughtRecordAsync(Guid messageId);

    /// <summary>Notes that the person saved this thought record as <paramref name="journalEntryId"/>.</summary>
    [Alias("thought-record-saved")]
    Task MarkThoughtRecordSavedAsync(Guid messageId, Guid journalEntryId);

    /// <summary>Messages before <paramref name="before"/> (newest page first; items oldest first).</summary>
    /// <returns>Null when there is no such conversation.</returns>
    [Alias("history")]
    Task<MessagePage?> HistoryAsync(long? before, int limit);

    /// <summary>Messages after <paramref name="after"/>, oldest first: what a reconnecting client missed.</summary>
    [Alias("after")]
    Task<IReadOnlyList<ChatMessage>> AfterAsync(long after, int limit);

    /// <summary>Every message, oldest first (export).</summary>
    [ResponseTimeout(GrainCallTimeouts.WholeHistory)]
    [Alias("export")]
    Task<ConversationExport?> ExportAsync();

    /// <returns>Whether there was a conversation to delete.</returns>
    [ResponseTimeout(GrainCallTimeouts.WholeHistory)]
    [Alias("delete")]
    Task<bool> DeleteAsync();
}

/// <summary>A user's companion: their list of conversations, the escalation notice, limits and memory. Keyed by the user id.</summary>
[Alias("ms.therapist.ITherapistGrain")]
public interface ITherapistGrain : IGrainWithGuidKey
{
    [Alias("list")]
    Task<IReadOnlyList<ConversationSummary>> ListConversationsAsync();

    /// <returns>False when the user already has <see cref="TherapistRules.MaxConversations"/>.</returns>
    [Alias("add")]
    Task<bool> AddConversationAsync(ConversationSummary conversation);

    [Alias("touch")]
    Task TouchConversationAsync(ConversationSummary conversation);

    [Alias("remove")]
    Task RemoveConversationAsync(Guid conversationId);

    [Alias("has-conversation")]
    Task<bool> HasConversationAsync(Guid conversationId);

    /// <returns>When the user acknowledged the current escalation notice, or null.</returns>
    [Alias("notice")]
    Task<DateTimeOffset?> NoticeAcknowledgedAtAsync();

    [Alias("acknowledge-notice")]
    Task<DateTimeOffset> AcknowledgeNoticeAsync();

    [Alias("settings")]
    Task<CompanionSettings> GetSettingsAsync();

    /// <summary>Turns journal memory on or off (only the person does, through the API).</summary>
    [Alias("set-journal-memory")]
    Task<CompanionSettings> SetJournalMemoryAsync(bool on);

    /// <summary>Counts one message against the per-minute limit and says what the model may do (the token day is the user's local day).</summary>
    [Alias("use")]
    Task<UsageDecision> UseAsync(UsageLimits limits);

    /// <summary>Adds model tokens spent today.</summary>
    [Alias("add-tokens")]
    Task AddTokensAsync(long tokens);

    /// <summary>Remembers a user message for later conversations.</summary>
    [Alias("remember")]
    Task RememberAsync(Guid conversationId, string text);

    /// <summary>The user's own remembered messages that share the most words with <paramref name="query"/>, outside <paramref name="excludeConversation"/>.</summary>
    [Alias("recall")]
    Task<IReadOnlyList<MemorySnippet>> RecallAsync(string query, Guid excludeConversation, int limit);

    /// <summary>Forgets the conversation's memories.</summary>
    [Alias("forget")]
    Task ForgetAsync(Guid conversationId);

    /// <summary>Removes the list, memory and settings (conversations are deleted by the caller first).</summary>
    [ResponseTimeout(GrainCallTimeouts.WholeHistory)]
    [Alias("erase")]
    Task EraseAsync();
}
