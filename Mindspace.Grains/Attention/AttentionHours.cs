using System.Globalization;
using Mindspace.Grains.Interfaces.Attention;

namespace Mindspace.Grains.Attention;

/// <summary>A span as stored: Unix milliseconds, so a row stays small.</summary>
[GenerateSerializer, Immutable, Alias("ms.state.AttentionStoredSpan")]
public sealed record StoredSpan(string Site, string? Path, string? Title, long StartMs, long EndMs);

/// <summary>
/// One UTC hour of a user's attention as stored (one row): the spans that began in it and the ids
/// of every tick that began in it (attention or not), which is what makes a resent tick count once.
/// The hour is only how rows are cut: reads merge spans across hours (<see cref="HourBucket.MergeAcrossHours"/>).
/// </summary>
[GenerateSerializer, Immutable, Alias("ms.state.AttentionHour")]
public sealed record StoredHour(StoredSpan[] Spans, string[] TickIds);

/// <summary>An hour in memory: spans merged as ticks arrive, and the tick ids already counted.</summary>
internal sealed class HourBucket
{
    public const long HourMilliseconds = 3_600_000;

    private HourBucket(List<StoredSpan> spans, HashSet<string> tickIds)
    {
        Spans = spans;
        TickIds = tickIds;
    }

    public List<StoredSpan> Spans { get; }

    public HashSet<string> TickIds { get; }

    public static HourBucket Empty() => new([], new HashSet<string>(StringComparer.Ordinal));

    public static HourBucket From(StoredHour stored) => new([.. stored.Spans], new HashSet<string>(stored.TickIds, StringComparer.Ordinal));

    public HourBucket Clone() => new([.. Spans], new HashSet<string>(TickIds, StringComparer.Ordinal));

    public StoredHour ToStored() => new([.. Spans], [.. TickIds]);

    /// <summary>Records a tick id; false when it was already counted.</summary>
    public bool TryCount(string tickId) => TickIds.Add(tickId);

    /// <summary>
    /// Adds an interval of attention: it extends a span of the same site (and path and title) that
    /// it overlaps or comes within <paramref name="pulseMs"/> of, merging spans it bridges, as
    /// ActivityWatch merges heartbeats; otherwise it starts a span.
    /// </summary>
    public void Merge(StoredSpan tick, long pulseMs)
    {
        var merged = tick;
        for (var i = Spans.Count - 1; i >= 0; i--)
        {
            var span = Spans[i];
            if (SameKey(span, merged) && merged.StartMs <= span.EndMs + pulseMs && merged.EndMs >= span.StartMs - pulseMs)
            {
                merged = merged with { StartMs = Math.Min(span.StartMs, merged.StartMs), EndMs = Math.Max(span.EndMs, merged.EndMs) };
                Spans.RemoveAt(i);
            }
        }

        var index = Spans.FindIndex(s => s.StartMs > merged.StartMs);
        Spans.Insert(index < 0 ? Spans.Count : index, merged);
    }

    /// <summary>
    /// Merges spans of different hour rows the way <see cref="Merge"/> merges within one: spans of
    /// the same site (and path and title) that overlap or come within <paramref name="pulseMs"/> of
    /// each other become one, so a stretch of attention that crosses an hour (or a day, in any time
    /// zone) counts once and as one span. Returns them oldest first.
    /// </summary>
    public static List<StoredSpan> MergeAcrossHours(IEnumerable<StoredSpan> spans, long pulseMs)
    {
        var merged = new List<StoredSpan>();
        foreach (var sameKey in spans.GroupBy(s => (s.Site, s.Path, s.Title)))
        {
            StoredSpan? current = null;
            foreach (var span in sameKey.OrderBy(s => s.StartMs))
            {
                if (current is not null && span.StartMs <= current.EndMs + pulseMs)
                {
                    current = current with { EndMs = Math.Max(current.EndMs, span.EndMs) };
                    continue;
                }

                if (current is not null)
                {
                    merged.Add(current);
                }

                current = span;
            }

            if (current is not null)
            {
                merged.Add(current);
            }
        }

        merged.Sort((a, b) => a.StartMs.CompareTo(b.StartMs));
        return merged;
    }

    public static long HourOf(long unixMilliseconds) => Math.DivRem(unixMilliseconds, HourMilliseconds, out var rest) - (rest < 0 ? 1 : 0);

    /// <summary>Row key: hours since the Unix epoch, zero-padded so keys sort as numbers.</summary>
    public static string KeyOf(long hour) => hour.ToString("D10", CultureInfo.InvariantCulture);

    public static long HourOfKey(string key) => long.Parse(key, NumberStyles.None, CultureInfo.InvariantCulture);

    public static AttentionSpan ToView(StoredSpan span)
        => new(span.Site, span.Path, span.Title, DateTimeOffset.FromUnixTimeMilliseconds(span.StartMs), DateTimeOffset.FromUnixTimeMilliseconds(span.EndMs));

    private static bool SameKey(StoredSpan a, StoredSpan b)
        => a.Site == b.Site && a.Path == b.Path && a.Title == b.Title;
}
