namespace Mindspace.Grains.Interfaces.Journal;

/// <summary>
/// A cognitive-behavioural thought record (the column method): what happened, the thought that
/// came, the feeling and how strong it was, the thinking traps noticed, the evidence either way,
/// a more balanced thought and how strong the feeling is after it. Every part is optional except
/// what <see cref="JournalRules"/> requires of a finished entry.
/// </summary>
/// <param name="Intensity">How strong the emotion was, 0 to 100.</param>
/// <param name="Distortions">Ids from <see cref="JournalRules.Distortions"/>, distinct, in the order given.</param>
/// <param name="ReratedIntensity">How strong the emotion is after the balanced thought, 0 to 100.</param>
[GenerateSerializer, Immutable, Alias("ms.journal.ThoughtRecord")]
public sealed record ThoughtRecord(
    string? Situation = null,
    string? AutomaticThought = null,
    string? Emotion = null,
    int? Intensity = null,
    IReadOnlyList<string>? Distortions = null,
    string? EvidenceFor = null,
    string? EvidenceAgainst = null,
    string? BalancedThought = null,
    int? ReratedIntensity = null);

/// <summary>What a new entry (or a draft) holds; validated and normalised with <see cref="JournalRules"/>.</summary>
/// <param name="Kind">One of <see cref="JournalKinds.All"/>.</param>
/// <param name="Body">Markdown (CommonMark); empty only for a thought record.</param>
/// <param name="Mood">The writer's own mood, 1 to 5, or null.</param>
/// <param name="ThoughtRecord">Only for <see cref="JournalKinds.ThoughtRecord"/>.</param>
[GenerateSerializer, Immutable, Alias("ms.journal.JournalContent")]
public sealed record JournalContent(
    string Kind,
    string? Title,
    string Body,
    int? Mood,
    IReadOnlyList<string> Tags,
    ThoughtRecord? ThoughtRecord);

/// <summary>Changes to an entry: a member left null keeps its value.</summary>
/// <param name="SetTitle">Whether to set the title to <paramref name="Title"/> (null clears it).</param>
/// <param name="SetMood">Whether to set the mood to <paramref name="Mood"/> (null clears it).</param>
/// <param name="SetThoughtRecord">Whether to replace the thought record with <paramref name="ThoughtRecord"/>.</param>
[GenerateSerializer, Immutable, Alias("ms.journal.JournalPatch")]
public sealed record JournalPatch(
    string? Kind = null,
    bool SetTitle = false,
    string? Title = null,
    string? Body = null,
    bool SetMood = false,
    int? Mood = null,
    IReadOnlyList<string>? Tags = null,
    bool SetThoughtRecord = false,
    ThoughtRecord? ThoughtRecord = null);

/// <summary>The mood the words of an entry suggest, from VADER's rules; the writer's own mood always wins.</summary>
/// <param name="Mood">1 to 5, from <paramref name="Compound"/>.</param>
/// <param name="Compound">VADER's normalised compound score, -1 (most negative) to 1 (most positive).</param>
[GenerateSerializer, Immutable, Alias("ms.journal.SuggestedMood")]
public sealed record SuggestedMood(int Mood, double Compound);

/// <summary>A journal entry as its owner sees it.</summary>
/// <param name="Id">Version 7 id: its string form sorts by creation time.</param>
/// <param name="Unreadable">
/// The stored text failed its integrity check (changed outside Mindspace, or its key is gone): no
/// text is given, only the id, times, kind, mood and tags.
/// </param>
/// <param name="LocalDate">The day it was written on, in the time zone the user had then: it stays that day after a move.</param>
/// <param name="UtcOffsetMinutes">The user's offset from UTC when it was written (minutes east of UTC).</param>
[GenerateSerializer, Immutable, Alias("ms.journal.JournalEntryView")]
public sealed record JournalEntryView(
    Guid Id,
    string Kind,
    string? Title,
    string? Body,
    ThoughtRecord? ThoughtRecord,
    int? Mood,
    SuggestedMood? SuggestedMood,
    IReadOnlyList<string> Tags,
    DateTimeOffset CreatedAt,
    DateTimeOffset? UpdatedAt,
    bool Unreadable = false,
    DateOnly? LocalDate = null,
    int? UtcOffsetMinutes = null);

/// <summary>A draft as its owner sees it: whatever was typed so far.</summary>
[GenerateSerializer, Immutable, Alias("ms.journal.JournalDraftView")]
public sealed record JournalDraftView(Guid Id, JournalContent? Content, DateTimeOffset SavedAt, bool Unreadable = false);

/// <summary>One page of entries, newest first.</summary>
/// <param name="After">Continue after this entry (the last id of the previous page), or null for the newest.</param>
[GenerateSerializer, Immutable, Alias("ms.journal.JournalQuery")]
public sealed record JournalQuery(Guid? After = null, int Limit = JournalRules.DefaultPageSize, string? Tag = null, string? Kind = null);

/// <param name="Next">The id to pass as <see cref="JournalQuery.After"/>, or null at the end.</param>
[GenerateSerializer, Immutable, Alias("ms.journal.JournalPage")]
public sealed record JournalPage(IReadOnlyList<JournalEntryView> Items, Guid? Next);

/// <summary>A search of one's own journal.</summary>
/// <param name="Text">Words to find; the last may be the start of a word.</param>
/// <param name="Offset">Results to skip (from the previous page's <see cref="JournalSearchPage.NextOffset"/>).</param>
[GenerateSerializer, Immutable, Alias("ms.journal.JournalSearch")]
public sealed record JournalSearch(string Text, int Offset = 0, int Limit = JournalRules.DefaultPageSize);

/// <summary>A found entry with its relevance and a snippet.</summary>
/// <param name="Snippet">HTML-escaped text around the best match, matches wrapped in <c>&lt;mark&gt;</c>: safe to show as HTML.</param>
[GenerateSerializer, Immutable, Alias("ms.journal.JournalHit")]
public sealed record JournalHit(JournalEntryView Entry, double Score, string Snippet);

/// <param name="Total">How many entries match.</param>
/// <param name="NextOffset">The offset of the next page, or null at the end.</param>
[GenerateSerializer, Immutable, Alias("ms.journal.JournalSearchPage")]
public sealed record JournalSearchPage(IReadOnlyList<JournalHit> Items, int Total, int? NextOffset);

/// <summary>
/// What analytics may know of an entry: never its words. Mood is the writer's own (null when
/// they gave none); <paramref name="Compound"/> is the VADER score of the text.
/// </summary>
/// <param name="UtcOffsetMinutes">The user's offset from UTC when it was written: <c>CreatedAt</c> plus this is their local wall-clock time.</param>
[GenerateSerializer, Immutable, Alias("ms.journal.JournalSignal")]
public sealed record JournalSignal(Guid Id, DateTimeOffset CreatedAt, string Kind, int? Mood, double Compound, IReadOnlyList<string> Tags, int UtcOffsetMinutes = 0);

/// <summary>The writer's own recent moods, for choosing prompts.</summary>
/// <param name="AverageMood">Average of the moods given in the last days, or null when none was given.</param>
/// <param name="AverageCompound">Average VADER compound of the same entries, or null when there are none.</param>
[GenerateSerializer, Immutable, Alias("ms.journal.RecentMood")]
public sealed record RecentMood(int Entries, double? AverageMood, double? AverageCompound);

/// <summary>All of a user's journal, oldest first, decrypted for its owner: for data export.</summary>
[GenerateSerializer, Immutable, Alias("ms.journal.JournalExport")]
public sealed record JournalExport(IReadOnlyList<JournalEntryView> Entries, IReadOnlyList<JournalDraftView> Drafts);

/// <summary>Outcome of a change to an entry.</summary>
[GenerateSerializer, Alias("ms.journal.JournalChangeStatus")]
public enum JournalChangeStatus
{
    Changed,
    NotFound,

    /// <summary>The stored text could not be opened, so it was left as it is.</summary>
    Unreadable,

    /// <summary>The entry as patched would break <see cref="JournalRules"/>; nothing changed.</summary>
    Invalid,
}

/// <param name="Errors">For <see cref="JournalChangeStatus.Invalid"/>: messages by camelCase field.</param>
[GenerateSerializer, Immutable, Alias("ms.journal.JournalChange")]
public sealed record JournalChange(JournalChangeStatus Status, JournalEntryView? Entry, IReadOnlyDictionary<string, string[]>? Errors = null);

/// <summary>
/// The user's journal key cannot be unwrapped with the configured master keys: a problem of the
/// service's configuration (a wrong or missing <c>MASTER_KEY</c>), never of the user's data. The
/// message names the key id, never any text.
/// </summary>
[GenerateSerializer, Alias("ms.journal.JournalUnavailableException")]
public sealed class JournalUnavailableException : Exception
{
    public JournalUnavailableException()
    {
    }

    public JournalUnavailableException(string message)
        : base(message)
    {
    }

    public JournalUnavailableException(string message, Exception innerException)
        : base(message, innerException)
    {
    }
}
