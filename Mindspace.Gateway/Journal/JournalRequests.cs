using Mindspace.Gateway.CheckIns;
using Mindspace.Gateway.Safety;
using Mindspace.Grains.Interfaces.Journal;

namespace Mindspace.Gateway.Journal;

/// <summary>Body of <c>POST /api/v1/journal</c> (and, all optional, of <c>PUT /api/v1/journal/drafts/{id}</c>).</summary>
/// <param name="Kind"><c>free</c> (default), <c>gratitude</c> or <c>thought-record</c>.</param>
/// <param name="Title">Optional, up to 200 characters on one line.</param>
/// <param name="Body">Markdown (CommonMark), up to 50,000 characters; required except for a thought record.</param>
/// <param name="Mood">Your own mood, 1 to 5, optional. It always wins over the suggested mood.</param>
/// <param name="Tags">Up to 10 distinct tags of 1 to 32 characters; stored trimmed and in lower case.</param>
/// <param name="ThoughtRecord">Only for <c>thought-record</c>: situation and automatic thought are required.</param>
/// <param name="DraftId">The draft this entry was written in: it is removed once the entry is saved.</param>
public sealed record JournalEntryRequest(
    string? Kind = null,
    string? Title = null,
    string? Body = null,
    int? Mood = null,
    IReadOnlyList<string?>? Tags = null,
    ThoughtRecord? ThoughtRecord = null,
    string? DraftId = null);

/// <summary>
/// Body of <c>PATCH /api/v1/journal/{id}</c>, JSON merge patch: an absent member keeps its value;
/// <c>title</c>, <c>mood</c> and <c>thoughtRecord</c> can be cleared with null; <c>tags</c> replaces the tags.
/// </summary>
public sealed record JournalPatchRequest
{
    public Optional<string?> Kind { get; init; }

    public Optional<string?> Title { get; init; }

    public Optional<string?> Body { get; init; }

    public Optional<int?> Mood { get; init; }

    public Optional<IReadOnlyList<string?>?> Tags { get; init; }

    public Optional<ThoughtRecord?> ThoughtRecord { get; init; }
}

/// <summary>Query of <c>GET /api/v1/journal</c>; every value is checked by hand so a bad one is a field-level error.</summary>
/// <param name="Q">Search words: results are ranked by relevance instead of by time.</param>
/// <param name="Cursor">The <c>nextCursor</c> of the previous page.</param>
/// <param name="Limit">Page size 1 to 100; default 20.</param>
/// <param name="Tag">Only entries with this tag.</param>
/// <param name="Kind">Only entries of this kind.</param>
public sealed record JournalListQuery(string? Q, string? Cursor, string? Limit, string? Tag, string? Kind);

/// <summary>An entry as its owner sees it, with the Markdown body also rendered to safe HTML.</summary>
/// <param name="BodyHtml">CommonMark rendered with raw HTML escaped and only http, https and mailto links kept.</param>
/// <param name="Mood">The writer's own mood (null when none was given): this is the mood that counts.</param>
/// <param name="SuggestedMood">What the words suggest (VADER); only a suggestion.</param>
/// <param name="Unreadable">The stored text failed its integrity check; no text is shown.</param>
/// <param name="LocalDate">The day it was written on, in the time zone the user had then (it stays that day after a move).</param>
/// <param name="UtcOffsetMinutes">The user's offset from UTC when it was written.</param>
/// <param name="Support">
/// Only in the answer to writing or editing an entry whose words read as high or imminent risk:
/// warm words, crisis lines and the writer's safety plan. Null otherwise (and on every read).
/// </param>
public sealed record JournalEntryResponse(
    Guid Id,
    string Kind,
    string? Title,
    string? Body,
    string? BodyHtml,
    ThoughtRecord? ThoughtRecord,
    int? Mood,
    SuggestedMood? SuggestedMood,
    IReadOnlyList<string> Tags,
    DateTimeOffset CreatedAt,
    DateTimeOffset? UpdatedAt,
    bool Unreadable,
    DateOnly? LocalDate,
    int? UtcOffsetMinutes,
    SupportResponse? Support = null)
{
    public static JournalEntryResponse From(JournalEntryView view)
        => new(
            view.Id,
            view.Kind,
            view.Title,
            view.Body,
            view.Body is null ? null : JournalMarkdown.ToSafeHtml(view.Body),
            view.ThoughtRecord,
            view.Mood,
            view.SuggestedMood,
            view.Tags,
            view.CreatedAt,
            view.UpdatedAt,
            view.Unreadable,
            view.LocalDate,
            view.UtcOffsetMinutes);
}

/// <summary>A page of entries, newest first; <paramref name="NextCursor"/> is null on the last page.</summary>
public sealed record JournalListResponse(IReadOnlyList<JournalEntryResponse> Items, string? NextCursor);

/// <param name="Snippet">HTML-escaped text around the best match with matches in &lt;mark&gt;: safe to insert as HTML.</param>
public sealed record JournalSearchHit(JournalEntryResponse Entry, double Score, string Snippet);

/// <summary>Search results, most relevant first.</summary>
/// <param name="Total">How many entries match in all.</param>
public sealed record JournalSearchResponse(string Query, IReadOnlyList<JournalSearchHit> Items, int Total, string? NextCursor);

/// <summary>A draft: whatever was typed so far (null fields were left empty).</summary>
public sealed record JournalDraftResponse(
    Guid Id, string? Kind, string? Title, string? Body, int? Mood, IReadOnlyList<string>? Tags, ThoughtRecord? ThoughtRecord, DateTimeOffset SavedAt, bool Unreadable)
{
    public static JournalDraftResponse From(JournalDraftView view)
        => new(view.Id, view.Content?.Kind, view.Content?.Title, view.Content?.Body, view.Content?.Mood, view.Content?.Tags, view.Content?.ThoughtRecord, view.SavedAt, view.Unreadable);
}

/// <summary>One thinking trap a thought record can name.</summary>
public sealed record DistortionResponse(string Id, string Name);
