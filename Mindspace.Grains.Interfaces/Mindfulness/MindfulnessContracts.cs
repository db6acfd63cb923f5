namespace Mindspace.Grains.Interfaces.Mindfulness;

/// <summary>A guided meditation in the catalogue. Its audio is at <c>/api/v1/mindfulness/meditations/{id}/audio</c>.</summary>
/// <param name="DurationSeconds">Length of the audio.</param>
/// <param name="Credit">Who made or narrates it.</param>
/// <param name="Licence">SPDX-style licence of the audio.</param>
/// <param name="AudioUrl">Where the audio is served (range requests supported).</param>
/// <param name="Guidance">What to do while it plays, in a few short lines.</param>
[GenerateSerializer, Immutable, Alias("ms.mindfulness.Meditation")]
public sealed record Meditation(
    string Id,
    string Title,
    string Description,
    int DurationSeconds,
    string Credit,
    string Licence,
    string AudioUrl,
    IReadOnlyList<string> Guidance);

/// <summary>A yoga pose, written for a body and a mind with little energy to spare.</summary>
/// <param name="DurationSeconds">A suggested time to stay, never a target.</param>
[GenerateSerializer, Immutable, Alias("ms.mindfulness.YogaPose")]
public sealed record YogaPose(
    string Id,
    string Name,
    string SanskritName,
    string Description,
    IReadOnlyList<string> Steps,
    IReadOnlyList<string> Cautions,
    int DurationSeconds);

/// <summary>A small daily challenge: one kind thing that takes a few minutes.</summary>
[GenerateSerializer, Immutable, Alias("ms.mindfulness.DailyChallenge")]
public sealed record DailyChallenge(string Id, string Title, string Description, int Minutes);

/// <summary>Today's challenge for a person, chosen by their local date.</summary>
[GenerateSerializer, Immutable, Alias("ms.mindfulness.TodaysChallenge")]
public sealed record TodaysChallenge(DateOnly Date, string TimeZone, DailyChallenge Challenge);

/// <summary>A practice to log, already validated by <see cref="MindfulnessRules"/>.</summary>
/// <param name="Kind"><c>meditation</c>, <c>yoga</c> or <c>challenge</c>.</param>
/// <param name="ItemId">The catalogue id of the meditation, pose or challenge.</param>
[GenerateSerializer, Immutable, Alias("ms.mindfulness.NewPracticeSession")]
public sealed record NewPracticeSession(string Kind, string ItemId, int Minutes, DateTimeOffset CompletedAt);

/// <summary>A logged practice as its owner sees it.</summary>
[GenerateSerializer, Immutable, Alias("ms.mindfulness.PracticeSession")]
public sealed record PracticeSession(Guid Id, string Kind, string ItemId, int Minutes, DateTimeOffset CompletedAt, DateTimeOffset LoggedAt);

/// <summary>Sessions newest first (by when they were completed); pass <paramref name="Next"/> as <c>after</c> for older ones.</summary>
[GenerateSerializer, Immutable, Alias("ms.mindfulness.PracticeSessionPage")]
public sealed record PracticeSessionPage(IReadOnlyList<PracticeSession> Items, string? Next);

/// <summary>One local day of a week of practice.</summary>
[GenerateSerializer, Immutable, Alias("ms.mindfulness.PracticeDay")]
public sealed record PracticeDay(DateOnly Date, int Minutes, int Sessions);

/// <summary>Practice over a range of local days.</summary>
/// <param name="DaysPractised">Local days with at least one session: a count of good days, never of gaps.</param>
[GenerateSerializer, Immutable, Alias("ms.mindfulness.PracticeWeek")]
public sealed record PracticeWeek(DateOnly First, DateOnly Last, int Minutes, int Sessions, int DaysPractised, IReadOnlyList<PracticeDay> Days);

/// <summary>How practice is going, in kind words: this local week (Monday to Sunday) and in all.</summary>
/// <param name="DaysPractisedThisWeek">Days you practised this week; a break is never counted against you.</param>
/// <param name="Message">A gentle sentence about the week.</param>
[GenerateSerializer, Immutable, Alias("ms.mindfulness.PracticeProgress")]
public sealed record PracticeProgress(
    DateOnly WeekStart,
    DateOnly WeekEnd,
    string TimeZone,
    int MinutesThisWeek,
    int SessionsThisWeek,
    int DaysPractisedThisWeek,
    IReadOnlyList<PracticeDay> Days,
    long SessionsInAll,
    string Message);

/// <summary>Everything the mindfulness module holds about a person.</summary>
[GenerateSerializer, Immutable, Alias("ms.mindfulness.MindfulnessExport")]
public sealed record MindfulnessExport(IReadOnlyList<PracticeSession> Sessions);
