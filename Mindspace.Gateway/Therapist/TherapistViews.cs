using Mindspace.Gateway.Therapist.Languages;
using Mindspace.Grains.Interfaces.Safety;
using Mindspace.Grains.Interfaces.Therapist;

namespace Mindspace.Gateway.Therapist;

/// <summary>A message as clients see it (REST and the hub).</summary>
/// <param name="SafetyLevel">none, concern, high or imminent.</param>
/// <param name="Crisis">On a live reply to a high or imminent message: the crisis lines of the user's country and their safety plan.</param>
/// <param name="SaveToJournal">On the live reply that ends a thought record: where to POST to save it to the journal (only if the person chooses to).</param>
/// <param name="Language">On a live reply: the language it is written in (ISO 639-1, "hi" is Hindi in Latin script; "hi-Deva" Hindi in Devanagari), for the client's <c>lang</c> attribute.</param>
public sealed record MessageView(
    Guid Id,
    Guid ConversationId,
    long Sequence,
    string Role,
    string Text,
    string SafetyLevel,
    IReadOnlyList<string> Signals,
    string ClientMessageId,
    string? Source,
    string? Flow,
    DateTimeOffset CreatedAt,
    CrisisSupport? Crisis = null,
    string? SaveToJournal = null,
    string? Language = null)
{
    public static MessageView Of(Guid conversationId, ChatMessage message, CrisisSupport? crisis = null)
        => new(message.Id, conversationId, message.Sequence, message.Role, message.Text, RiskLevels.Name(message.SafetyLevel), message.Signals, message.ClientMessageId, message.Source, message.Flow, message.CreatedAt, crisis);
}

public sealed record CrisisSupport(CountryResources Resources, SafetyPlanView SafetyPlan);

/// <summary>A piece of a reply as it is written (hub event <c>token</c>).</summary>
public sealed record TokenEvent(Guid ConversationId, string ClientMessageId, int Index, string Text);

/// <summary>Drop what was streamed for this message so far; a new reply follows (hub event <c>retract</c>).</summary>
public sealed record RetractEvent(Guid ConversationId, string ClientMessageId);

public sealed record SendRequest(Guid ConversationId, string? Text, string? ClientMessageId);

public sealed record ConversationView(Guid Id, string Title, DateTimeOffset CreatedAt, DateTimeOffset? LastMessageAt, long MessageCount)
{
    public static ConversationView Of(ConversationSummary s) => new(s.Id, s.Title, s.CreatedAt, s.LastMessageAt, s.MessageCount);
}

public sealed record CreateConversationRequest(string? Title);

public sealed record ConversationListResponse(IReadOnlyList<ConversationView> Items);

public sealed record MessagePageResponse(IReadOnlyList<MessageView> Items, string? NextCursor);

/// <param name="Language">The notice's language (ISO 639-1, or "hi-Deva" for Hindi in Devanagari), from the request's Accept-Language.</param>
public sealed record NoticeResponse(int Version, string Text, DateTimeOffset? AcknowledgedAt, string Language = "en");

/// <summary>What users are told about escalation before they first chat, in every language the companion speaks.</summary>
public static class EscalationNotice
{
    /// <summary>The notice in English.</summary>
    public static string Text => CompanionCatalogs.English.EscalationNotice;

    /// <summary>
    /// The notice's language for a request: before a first chat there is no conversation to take it from and the
    /// profile has no language, so it is the request's <c>Accept-Language</c> (what the app or browser is set to), else English.
    /// </summary>
    public static CompanionCatalog For(HttpRequest request)
    {
        ArgumentNullException.ThrowIfNull(request);
        return CompanionCatalogs.ForAcceptLanguage(request.GetTypedHeaders().AcceptLanguage);
    }
}
