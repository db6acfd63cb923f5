using Mindspace.Grains.Interfaces.CheckIns;

namespace Mindspace.Gateway.CheckIns;

/// <summary>Body of <c>POST /api/v1/entries</c>.</summary>
/// <param name="Text">1 to 2,000 characters (text elements) after trimming.</param>
/// <param name="Mood">1 to 5, optional.</param>
/// <param name="Tags">Up to 10 distinct tags of 1 to 32 characters; stored trimmed and in lower case.</param>
public sealed record CreateEntryRequest(string? Text, int? Mood = null, IReadOnlyList<string?>? Tags = null);

/// <summary>
/// Body of <c>PATCH /api/v1/entries/{id}</c>, JSON merge patch semantics: an absent member keeps
/// its value; <c>mood: null</c> clears the mood; <c>tags: null</c> or <c>[]</c> clears the tags
/// (a tags array replaces the old tags); <c>text</c> cannot be null.
/// </summary>
/// <remarks>
/// Init properties rather than constructor parameters with defaults: the OpenAPI schema exporter
/// cannot write a default value of <see cref="Optional{T}"/>.
/// </remarks>
public sealed record UpdateEntryRequest
{
    public Optional<string?> Text { get; init; }

    public Optional<int?> Mood { get; init; }

    public Optional<IReadOnlyList<string?>?> Tags { get; init; }
}

/// <summary>Query of <c>GET /api/v1/entries</c>; every value is checked by hand so a bad one is a field-level error.</summary>
/// <param name="Cursor">The <c>nextCursor</c> of the previous page.</param>
/// <param name="Limit">Page size 1 to 100; default 20.</param>
/// <param name="Tag">Only entries with this tag (case-insensitive).</param>
/// <param name="From">Instant (ISO 8601 with Z or an offset), local date-time or date in the user's time zone; inclusive.</param>
/// <param name="To">As <paramref name="From"/>; inclusive (a date means the end of that day).</param>
public sealed record ListEntriesQuery(string? Cursor, string? Limit, string? Tag, string? From, string? To);

/// <summary>A page of entries, newest first; <paramref name="NextCursor"/> is null on the last page.</summary>
public sealed record EntryListResponse(IReadOnlyList<EntryView> Items, string? NextCursor);

/// <summary>Body of <c>POST /api/v1/mood</c>.</summary>
/// <param name="Score">1 (very low) to 5 (very good); required.</param>
/// <param name="Tags">As for entries.</param>
/// <param name="Note">Up to 500 characters; blank means none.</param>
public sealed record RecordMoodRequest(int? Score, IReadOnlyList<string?>? Tags = null, string? Note = null);

/// <summary>Query of <c>GET /api/v1/mood</c>.</summary>
/// <param name="From">As for entries; inclusive.</param>
/// <param name="To">As for entries; inclusive.</param>
public sealed record ListMoodsQuery(string? From, string? To);

/// <summary>
/// Mood records oldest first. At most 1,000: when more fall in the range, these are the most
/// recent 1,000 and <paramref name="Truncated"/> is true (ask again with an earlier <c>to</c> for the rest).
/// </summary>
public sealed record MoodListResponse(IReadOnlyList<MoodView> Items, bool Truncated);
