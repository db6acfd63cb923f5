using NodaTime;

namespace Mindspace.Grains.Analytics;

/// <summary>
/// One thing a user did that analytics may learn from (a check-in today; a journal entry, focus
/// minutes… as those modules land), reduced to when it happened in the user's own day, its mood and
/// tags. Never text.
/// </summary>
/// <param name="At">The UTC instant.</param>
/// <param name="UtcOffsetMinutes">The user's offset from UTC at that moment, as remembered by the source.</param>
/// <param name="Source">Which kind of signal: counted under this name (<c>entries</c>, <c>moods</c>, later <c>journal</c>…).</param>
/// <param name="Mood">1–5 when the signal carries a mood the user chose.</param>
/// <param name="Sentiment">-1 to 1 when the source can tell (the VADER score of journal text); never overrides <paramref name="Mood"/>.</param>
/// <param name="Kind">The source's own kind of record, when it has kinds (a journal entry's <c>free</c>, <c>gratitude</c>, <c>thought-record</c>).</param>
/// <param name="Minutes">
/// For an activity (focus minutes): how many minutes it stands for. Such a signal is not a check-in:
/// it adds only minutes to a day that already has check-ins or entries, never a count, mood or tag.
/// </param>
public sealed record MoodSignal(DateTimeOffset At, int UtcOffsetMinutes, string Source, int? Mood, IReadOnlyList<string> Tags, double? Sentiment = null, string? Kind = null, double? Minutes = null)
{
    /// <summary>The user's wall-clock time when it happened.</summary>
    public LocalDateTime Local => LocalDateTime.FromDateTime(At.UtcDateTime.AddMinutes(UtcOffsetMinutes));

    public LocalDate Day => Local.Date;
}

/// <summary>
/// A module that feeds analytics and digests. To add one (the journal, say): implement this, then
/// list it in <see cref="AnalyticsSources.All"/>. Everything downstream works per local day, so a
/// new source needs nothing else.
/// </summary>
public interface IMoodSignalSource
{
    /// <summary>The user's signals created in [<paramref name="from"/>, <paramref name="to"/>), in any order.</summary>
    Task<IReadOnlyList<MoodSignal>> ReadAsync(IGrainFactory grains, Guid userId, DateTimeOffset from, DateTimeOffset to, CancellationToken cancellationToken);
}
