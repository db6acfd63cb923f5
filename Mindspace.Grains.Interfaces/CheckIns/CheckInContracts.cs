namespace Mindspace.Grains.Interfaces.CheckIns;

/// <summary>A journal entry as its owner sees it.</summary>
/// <param name="Id">Version 7 id: its string form sorts by creation time.</param>
/// <param name="Mood">1 (very low) to 5 (very good), or null.</param>
/// <param name="Tags">Lower case, distinct, in the order given.</param>
/// <param name="CreatedAt">UTC, millisecond precision; the time encoded in <paramref name="Id"/>.</param>
/// <param name="UpdatedAt">UTC time of the last change, or null if never changed.</param>
/// <param name="LocalDate">The day it was written on, in the time zone the user had then: it stays that day after a move.</param>
/// <param name="UtcOffsetMinutes">The user's offset from UTC when it was written (minutes east of UTC).</param>
[GenerateSerializer, Immutable, Alias("ms.checkins.EntryView")]
public sealed record EntryView(
    Guid Id, string Text, int? Mood, IReadOnlyList<string> Tags, DateTimeOffset CreatedAt, DateTimeOffset? UpdatedAt, DateOnly? LocalDate = null, int? UtcOffsetMinutes = null);

/// <summary>A mood record as its owner sees it.</summary>
/// <param name="Score">1 (very low) to 5 (very good).</param>
/// <param name="CreatedAt">UTC, millisecond precision; the time encoded in <paramref name="Id"/>.</param>
/// <param name="LocalDate">The day it was recorded on, in the time zone the user had then.</param>
/// <param name="UtcOffsetMinutes">The user's offset from UTC when it was recorded (minutes east of UTC).</param>
[GenerateSerializer, Immutable, Alias("ms.checkins.MoodView")]
public sealed record MoodView(
    Guid Id, int Score, IReadOnlyList<string> Tags, string? Note, DateTimeOffset CreatedAt, DateOnly? LocalDate = null, int? UtcOffsetMinutes = null);

/// <summary>What a new entry holds; the grain trims and normalises it with <see cref="CheckInRules"/>.</summary>
[GenerateSerializer, Immutable, Alias("ms.checkins.NewEntry")]
public sealed record NewEntry(string Text, int? Mood, IReadOnlyList<string> Tags);

/// <summary>Changes to an entry: a null <see cref="Text"/> or <see cref="Tags"/> leaves it as it is.</summary>
/// <param name="SetMood">Whether to set the mood to <paramref name="Mood"/> (null clears it).</param>
/// <param name="Tags">The new tags (replace the old ones; empty clears them), or null to keep them.</param>
[GenerateSerializer, Immutable, Alias("ms.checkins.EntryPatch")]
public sealed record EntryPatch(string? Text = null, bool SetMood = false, int? Mood = null, IReadOnlyList<string>? Tags = null);

/// <summary>One page of entries, newest first.</summary>
/// <param name="After">Continue after this entry (the last id of the previous page), or null for the newest.</param>
/// <param name="Limit">Page size, 1 to <see cref="CheckInRules.MaxPageSize"/>.</param>
/// <param name="Tag">Only entries carrying this (normalised) tag.</param>
/// <param name="From">Only entries created at or after this instant.</param>
/// <param name="To">Only entries created before this instant (exclusive).</param>
[GenerateSerializer, Immutable, Alias("ms.checkins.EntryQuery")]
public sealed record EntryQuery(Guid? After = null, int Limit = CheckInRules.DefaultPageSize, string? Tag = null, DateTimeOffset? From = null, DateTimeOffset? To = null);

/// <param name="Items">Newest first.</param>
/// <param name="Next">The id to pass as <see cref="EntryQuery.After"/> for the next page, or null at the end.
/// A page may hold fewer than the limit (even none) and still have a next one when a tag filter had
/// to skip many entries: the scan per call is bounded.</param>
[GenerateSerializer, Immutable, Alias("ms.checkins.EntryPage")]
public sealed record EntryPage(IReadOnlyList<EntryView> Items, Guid? Next);

/// <summary>What a new mood record holds; the grain trims and normalises it with <see cref="CheckInRules"/>.</summary>
[GenerateSerializer, Immutable, Alias("ms.checkins.NewMood")]
public sealed record NewMood(int Score, IReadOnlyList<string> Tags, string? Note);

/// <param name="From">Only records created at or after this instant.</param>
/// <param name="To">Only records created before this instant (exclusive).</param>
/// <param name="Limit">At most this many (capped at <see cref="CheckInRules.MaxMoodItems"/>).</param>
[GenerateSerializer, Immutable, Alias("ms.checkins.MoodQuery")]
public sealed record MoodQuery(DateTimeOffset? From = null, DateTimeOffset? To = null, int Limit = CheckInRules.MaxMoodItems);

/// <param name="Items">Oldest first.</param>
/// <param name="Truncated">More records matched than the limit: <paramref name="Items"/> are the most recent of them.</param>
[GenerateSerializer, Immutable, Alias("ms.checkins.MoodPage")]
public sealed record MoodPage(IReadOnlyList<MoodView> Items, bool Truncated);

/// <summary>Consecutive days (in one time zone) with at least one entry or mood record.</summary>
/// <param name="Current">The run ending at <paramref name="LastCheckInDay"/> if that day is today or yesterday; otherwise 0.</param>
/// <param name="Longest">The longest run ever.</param>
/// <param name="LastCheckInDay">The most recent day with a check-in, or null if none.</param>
[GenerateSerializer, Immutable, Alias("ms.checkins.CheckInStreaks")]
public sealed record CheckInStreaks(int Current, int Longest, DateOnly? LastCheckInDay);

/// <summary>All of a user's check-ins, oldest first: for data export.</summary>
[GenerateSerializer, Immutable, Alias("ms.checkins.CheckInsExport")]
public sealed record CheckInsExport(IReadOnlyList<EntryView> Entries, IReadOnlyList<MoodView> Moods);

/// <summary>Whether a check-in is a journal-style entry or a mood tap.</summary>
[GenerateSerializer, Alias("ms.checkins.CheckInKind")]
public enum CheckInKind
{
    Entry = 0,
    Mood = 1,
}

/// <summary>What analytics may know of one check-in: when, where in the day, mood and tags — never its text.</summary>
/// <param name="At">UTC instant it was written.</param>
/// <param name="UtcOffsetMinutes">The user's offset from UTC at that moment: <c>At</c> plus this is their local wall-clock time.</param>
/// <param name="Mood">1 to 5, or null (an entry without a mood).</param>
[GenerateSerializer, Immutable, Alias("ms.checkins.CheckInSignal")]
public sealed record CheckInSignal(DateTimeOffset At, int UtcOffsetMinutes, CheckInKind Kind, int? Mood, IReadOnlyList<string> Tags);

/// <param name="Items">Oldest first.</param>
/// <param name="Truncated">More check-ins were in the range than <see cref="CheckInRules.MaxSignals"/>: the oldest were left out.</param>
[GenerateSerializer, Immutable, Alias("ms.checkins.CheckInSignals")]
public sealed record CheckInSignals(IReadOnlyList<CheckInSignal> Items, bool Truncated);
