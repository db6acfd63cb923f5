using Orleans.Concurrency;

namespace Mindspace.Grains.Interfaces.Mindfulness;

/// <summary>
/// One person's logged practice (meditations, yoga, daily challenges), keyed by the user id. Each
/// session is a record keyed by when it was completed, so lists and weeks are key ranges.
/// </summary>
/// <remarks>Calls no other grain.</remarks>
[Alias("ms.mindfulness.IMindfulnessGrain")]
public interface IMindfulnessGrain : IGrainWithGuidKey
{
    /// <summary>Logs a practice.</summary>
    /// <exception cref="ArgumentException">The session breaks <see cref="MindfulnessRules"/> (callers validate first).</exception>
    [Alias("log")]
    Task<PracticeSession> LogAsync(NewPracticeSession session);

    /// <summary>Sessions newest first, older than the cursor <paramref name="after"/> when given.</summary>
    [Alias("list")]
    Task<PracticeSessionPage> ListAsync(string? after, int limit);

    /// <summary>Practice on the local days [<paramref name="first"/>, <paramref name="last"/>] in <paramref name="timeZone"/> (an IANA id).</summary>
    [ReadOnly]
    [Alias("get-week")]
    Task<PracticeWeek> GetWeekAsync(DateOnly first, DateOnly last, string timeZone);

    /// <summary>This local week's practice (Monday to Sunday in <paramref name="timeZone"/>) and a kind word about it.</summary>
    [Alias("get-progress")]
    Task<PracticeProgress> GetProgressAsync(string timeZone);

    [ResponseTimeout(GrainCallTimeouts.WholeHistory)]
    [Alias("export")]
    Task<MindfulnessExport> ExportAsync();

    /// <summary>Removes every session of this person.</summary>
    [ResponseTimeout(GrainCallTimeouts.WholeHistory)]
    [Alias("erase")]
    Task EraseAsync();
}
