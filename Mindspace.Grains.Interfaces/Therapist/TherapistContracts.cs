using Mindspace.Grains.Interfaces.Safety;

namespace Mindspace.Grains.Interfaces.Therapist;

/// <summary>Who wrote a message.</summary>
public static class ChatRoles
{
    public const string User = "user";
    public const string Companion = "companion";
}

/// <summary>Where a companion message came from.</summary>
public static class ReplySources
{
    /// <summary>The language model (checked by <see cref="ReplySafety"/> before it was sent).</summary>
    public const string Model = "model";

    /// <summary>The deterministic CBT engine (no model, a failed or unsafe model reply, a crisis, a flow).</summary>
    public const string Engine = "engine";
}

/// <summary>One message of a conversation.</summary>
/// <param name="Sequence">1, 2, 3… within the conversation: the order, and the cursor for catching up.</param>
/// <param name="SafetyLevel">For a user message, its grade; for a reply, the grade of the message it answers.</param>
/// <param name="Signals">The safety signals of that grade (never text).</param>
/// <param name="ClientMessageId">The client's id of the user message (also on its reply).</param>
/// <param name="Source">For a reply: <see cref="ReplySources"/>.</param>
/// <param name="Flow">The CBT flow this reply is part of, if any.</param>
[GenerateSerializer, Immutable, Alias("ms.therapist.ChatMessage")]
public sealed record ChatMessage(
    Guid Id,
    long Sequence,
    string Role,
    string Text,
    RiskLevel SafetyLevel,
    IReadOnlyList<string> Signals,
    string ClientMessageId,
    string? Source,
    string? Flow,
    DateTimeOffset CreatedAt);

/// <summary>A conversation as its owner's list shows it.</summary>
[GenerateSerializer, Immutable, Alias("ms.therapist.ConversationSummary")]
public sealed record ConversationSummary(Guid Id, string Title, DateTimeOffset CreatedAt, DateTimeOffset? LastMessageAt, long MessageCount);

/// <summary>Where the user is in a CBT flow.</summary>
/// <param name="Flow">One of <c>TherapistFlows</c> in the gateway.</param>
/// <param name="Step">The step whose answer comes next; -1 while the flow is only offered.</param>
/// <param name="Answers">What the user answered so far, by step name.</param>
[GenerateSerializer, Immutable, Alias("ms.therapist.FlowState")]
public sealed record FlowState(string Flow, int Step, IReadOnlyDictionary<string, string> Answers);

[GenerateSerializer, Alias("ms.therapist.TurnStatus")]
public enum TurnStatus
{
    /// <summary>No such conversation for this user.</summary>
    NotFound,

    /// <summary>The user message was stored and graded; a reply is due.</summary>
    Started,

    /// <summary>This clientMessageId was already answered: <see cref="TurnStart.Reply"/> holds the answer.</summary>
    Completed,

    /// <summary>This clientMessageId was stored but has no reply yet (in progress elsewhere, or interrupted).</summary>
    Pending,
}

/// <summary>What a reply needs to know, from the start of a turn.</summary>
/// <param name="Window">The latest messages before this one, oldest first (at most <see cref="TherapistRules.WindowMessages"/>).</param>
/// <param name="Flow">The flow in progress or offered, if any.</param>
[GenerateSerializer, Immutable, Alias("ms.therapist.TurnStart")]
public sealed record TurnStart(TurnStatus Status, ChatMessage? UserMessage, ChatMessage? Reply, IReadOnlyList<ChatMessage> Window, FlowState? Flow);

/// <summary>The reply that ends a turn.</summary>
/// <param name="Flow">The flow state after this reply (null: no flow).</param>
/// <param name="FinishedThoughtRecord">When this reply ends a thought record: its answers by step, kept so the person can save it to their journal.</param>
[GenerateSerializer, Immutable, Alias("ms.therapist.TurnReply")]
public sealed record TurnReply(string ClientMessageId, string Text, string Source, string? FlowName, FlowState? Flow, IReadOnlyDictionary<string, string>? FinishedThoughtRecord = null);

/// <summary>A thought record finished in a conversation, kept with it until the conversation is deleted.</summary>
/// <param name="MessageId">The companion's message that ended the flow (and shows the record).</param>
/// <param name="Answers">The answers by step: situation, thought, emotion, evidence-for, evidence-against, balanced, rerate.</param>
/// <param name="JournalEntryId">The journal entry it was saved as, once the person saved it.</param>
[GenerateSerializer, Immutable, Alias("ms.therapist.FinishedThoughtRecord")]
public sealed record FinishedThoughtRecord(Guid MessageId, IReadOnlyDictionary<string, string> Answers, DateTimeOffset FinishedAt, Guid? JournalEntryId = null);

/// <param name="Items">Oldest first.</param>
/// <param name="Before">Pass as <c>before</c> for the older page, or null at the start.</param>
[GenerateSerializer, Immutable, Alias("ms.therapist.MessagePage")]
public sealed record MessagePage(IReadOnlyList<ChatMessage> Items, long? Before);

/// <summary>A remembered user message from one of the user's own past conversations.</summary>
[GenerateSerializer, Immutable, Alias("ms.therapist.MemorySnippet")]
public sealed record MemorySnippet(Guid ConversationId, string Text, DateTimeOffset At);

/// <summary>Whether a message may use the model now.</summary>
/// <param name="WithinRate">Under the messages-per-minute limit.</param>
/// <param name="ModelBudgetLeft">Tokens left today for model replies.</param>
/// <param name="JournalMemory">The person has opted in to the companion drawing on their journal's signals.</param>
[GenerateSerializer, Immutable, Alias("ms.therapist.UsageDecision")]
public sealed record UsageDecision(bool WithinRate, bool ModelBudgetLeft, bool JournalMemory = false);

/// <summary>The person's choices about the companion.</summary>
/// <param name="JournalMemory">Whether the companion may draw on recent journal signals (mood, tone, kinds, tags; never the words). Off unless they turn it on.</param>
/// <param name="JournalMemorySince">When they turned it on (null while off).</param>
[GenerateSerializer, Immutable, Alias("ms.therapist.CompanionSettings")]
public sealed record CompanionSettings(bool JournalMemory, DateTimeOffset? JournalMemorySince);

/// <summary>Per-user limits on model use.</summary>
[GenerateSerializer, Immutable, Alias("ms.therapist.UsageLimits")]
public sealed record UsageLimits(int MessagesPerMinute, long TokensPerDay);

/// <summary>Everything the therapist holds for a user, for export.</summary>
[GenerateSerializer, Immutable, Alias("ms.therapist.ConversationExport")]
public sealed record ConversationExport(ConversationSummary Conversation, IReadOnlyList<ChatMessage> Messages, IReadOnlyList<FinishedThoughtRecord>? ThoughtRecords = null);

/// <summary>Limits and sizes both the gateway and the grains rely on.</summary>
public static class TherapistRules
{
    public const int MaxMessageLength = 4_000;
    public const int MaxClientMessageIdLength = 100;
    public const int MaxTitleLength = 120;
    public const int WindowMessages = 12;
    public const int MaxPageSize = 100;
    public const int DefaultPageSize = 50;
    public const int MaxConversations = 500;

    /// <summary>Characters of a user message the care team sees.</summary>
    public const int ExcerptLength = 160;

    /// <summary>The version of the escalation notice; users acknowledge a version before they first chat.</summary>
    public const int NoticeVersion = 1;

    /// <summary>The grain key of a user's conversation: the user is part of it, so another user's id finds nothing.</summary>
    public static string ConversationKey(Guid userId, Guid conversationId) => $"{userId:N}/{conversationId:N}";

    /// <returns>An error message, or null.</returns>
    public static string? CheckText(string? text)
        => string.IsNullOrWhiteSpace(text) ? "Write a message."
            : text.Trim().Length > MaxMessageLength ? $"A message can be at most {MaxMessageLength} characters." : null;

    /// <returns>An error message, or null.</returns>
    public static string? CheckClientMessageId(string? id)
        => string.IsNullOrWhiteSpace(id) ? "clientMessageId is required (any id unique to this message, e.g. a UUID)."
            : id.Length > MaxClientMessageIdLength ? $"clientMessageId can be at most {MaxClientMessageIdLength} characters." : null;
}
