namespace Mindspace.Grains.CheckIns;

/// <summary>The small per-user state beside the entry and mood collections.</summary>
public sealed class CheckInsState
{
    /// <summary>Quarter hours holding a check-in (see <see cref="CheckInDays"/>), sorted and distinct.</summary>
    public List<int> QuarterHours { get; set; } = [];

    /// <summary>Time part of the last id handed out, so ids stay strictly increasing even within one millisecond.</summary>
    public long LastIdUnixMilliseconds { get; set; }

    public int EntryCount { get; set; }

    public int MoodCount { get; set; }
}

/// <summary>An entry as stored (its id is the record key).</summary>
public sealed record StoredEntry(string Text, int? Mood, string[] Tags, DateTimeOffset CreatedAt, DateTimeOffset? UpdatedAt);

/// <summary>A mood record as stored (its id is the record key).</summary>
public sealed record StoredMood(int Score, string[] Tags, string? Note, DateTimeOffset CreatedAt);
