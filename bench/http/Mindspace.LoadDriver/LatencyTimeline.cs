using System.Diagnostics;
using System.Globalization;
using System.Text;

namespace Mindspace.LoadDriver;

/// <summary>
/// The slowest request per 10 ms of scheduled time in the recorded window (--timeline FILE), to line a
/// run's tail up with what else happened then (garbage collections, checkpoints): a diagnosis aid, not a figure.
/// </summary>
public sealed class LatencyTimeline
{
    private const double SliceSeconds = 0.01;

    private readonly Lock _lock = new();
    private readonly SortedDictionary<long, (long Count, long WorstTicks)> _slices = [];

    /// <param name="scheduledSinceWindow">Stopwatch ticks from the start of the recorded window to the request's scheduled time.</param>
    /// <param name="latency">Stopwatch ticks from its scheduled time to the end of its response.</param>
    public void Record(long scheduledSinceWindow, long latency)
    {
        var slice = (long)(scheduledSinceWindow / (SliceSeconds * Stopwatch.Frequency));
        lock (_lock)
        {
            var (count, worst) = _slices.GetValueOrDefault(slice);
            _slices[slice] = (count + 1, Math.Max(worst, latency));
        }
    }

    /// <summary>One line per slice: its start (ms, wall clock), the requests in it, the slowest one's latency (ms).</summary>
    public string ToCsv(long windowStart)
    {
        var wallAtWindow = DateTimeOffset.UtcNow - Stopwatch.GetElapsedTime(windowStart);
        var text = new StringBuilder("slice_start_unix_ms,requests,worst_ms\n");
        lock (_lock)
        {
            foreach (var (slice, (count, worst)) in _slices)
            {
                var start = wallAtWindow.AddSeconds(slice * SliceSeconds).ToUnixTimeMilliseconds();
                text.Append(CultureInfo.InvariantCulture, $"{start},{count},{worst * 1000.0 / Stopwatch.Frequency:F2}\n");
            }
        }

        return text.ToString();
    }
}
