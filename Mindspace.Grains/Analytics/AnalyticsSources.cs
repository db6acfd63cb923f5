using NodaTime;

namespace Mindspace.Grains.Analytics;

/// <summary>Every source of mood signals, and reading them for a range of local days.</summary>
public static class AnalyticsSources
{
    /// <summary>Add a module's source here (one line) and summaries, year in pixels and digests count it.</summary>
    public static IReadOnlyList<IMoodSignalSource> All { get; } = [new CheckInsSignalSource(), new JournalSignalSource(), new FocusSignalSource(), new AttentionSignalSource()];

    /// <summary>
    /// Zones are at most 14 hours from UTC, so a check-in of a local day is written within this much
    /// of that day in UTC: read that much more on each side, then keep what falls on the days asked for.
    /// </summary>
    private static readonly TimeSpan OffsetMargin = TimeSpan.FromHours(15);

    /// <summary>Signals whose local day (as remembered) is in [<paramref name="first"/>, <paramref name="last"/>], oldest first.</summary>
    public static async Task<List<MoodSignal>> ReadDaysAsync(IGrainFactory grains, Guid userId, LocalDate first, LocalDate last, CancellationToken cancellationToken)
    {
        var from = first.AtMidnight().InUtc().ToDateTimeOffset() - OffsetMargin;
        var to = last.PlusDays(1).AtMidnight().InUtc().ToDateTimeOffset() + OffsetMargin;
        var signals = await ReadAsync(grains, userId, from, to, cancellationToken);
        signals.RemoveAll(s => s.Day < first || s.Day > last);
        return signals;
    }

    /// <summary>Every signal in [<paramref name="from"/>, <paramref name="to"/>) from every source, oldest first.</summary>
    public static async Task<List<MoodSignal>> ReadAsync(IGrainFactory grains, Guid userId, DateTimeOffset from, DateTimeOffset to, CancellationToken cancellationToken)
    {
        var all = new List<MoodSignal>();
        foreach (var source in All)
        {
            all.AddRange(await source.ReadAsync(grains, userId, from, to, cancellationToken));
        }

        all.Sort((a, b) => a.At.CompareTo(b.At));
        return all;
    }

    /// <summary>From the first instant a check-in can carry to far in the future: a user's whole history.</summary>
    public static (DateTimeOffset From, DateTimeOffset To) WholeHistory => (DateTimeOffset.UnixEpoch, DateTimeOffset.UnixEpoch.AddYears(1000));
}
