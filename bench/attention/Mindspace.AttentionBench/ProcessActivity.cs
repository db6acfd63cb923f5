using System.Diagnostics;
using System.Globalization;

namespace Mindspace.AttentionBench;

/// <summary>
/// What this process (the gateway under test) has done so far: CPU time, bytes it sent towards the
/// disk (from /proc/self/io, Linux), bytes allocated, garbage collections and the time they paused it. The difference of two readings says
/// whether a measured run had the gateway to itself or shared it with left-over work.
/// </summary>
internal readonly record struct ProcessActivity(long Timestamp, double CpuSeconds, long WrittenBytes, long AllocatedBytes, int Gen0Collections, int Gen1Collections, int FullCollections, TimeSpan GcPauses)
{
    public static ProcessActivity Now()
    {
        var cpu = Environment.CpuUsage.TotalTime.TotalSeconds;
        var written = File.ReadLines("/proc/self/io")
            .Where(line => line.StartsWith("write_bytes:", StringComparison.Ordinal))
            .Select(line => long.Parse(line["write_bytes:".Length..].Trim(), CultureInfo.InvariantCulture))
            .FirstOrDefault();
        return new ProcessActivity(Stopwatch.GetTimestamp(), cpu, written, GC.GetTotalAllocatedBytes(precise: true), GC.CollectionCount(0), GC.CollectionCount(1), GC.CollectionCount(2), GC.GetTotalPauseDuration());
    }

    /// <summary>CPU in % of one core between <paramref name="before"/> and this reading.</summary>
    public double CpuPercentSince(ProcessActivity before)
        => (CpuSeconds - before.CpuSeconds) / Stopwatch.GetElapsedTime(before.Timestamp, Timestamp).TotalSeconds * 100;

    /// <summary>Bytes allocated between <paramref name="before"/> and this reading, or null when the counter read lower at the end.</summary>
    /// <remarks>
    /// Even the precise reading went backwards here under server GC (docs/performance.md, focuspause branch:
    /// −1,113,312 bytes per request once, on the 10.0 runtime). The likely cause: with DATAS (the dynamic heap
    /// count, on by default for server GC) the runtime sums the allocation counts of the heaps in use at the
    /// moment, so a heap taken out of use takes its count with it until it comes back (dotnet/runtime#131069,
    /// merged in July 2026). A difference across such a change is off by that heap's whole history: a drop
    /// shows it, and the figure is then withheld rather than printed negative. The same change in the other
    /// direction within one run would overstate the figure; runs agreeing with each other are the check on that.
    /// </remarks>
    public long? AllocatedBytesSince(ProcessActivity before)
        => AllocatedBytes >= before.AllocatedBytes ? AllocatedBytes - before.AllocatedBytes : null;

    public string DescribeSince(ProcessActivity before) => string.Create(
        CultureInfo.InvariantCulture,
        $"gateway process CPU {CpuPercentSince(before):F0}% of a core, {(WrittenBytes - before.WrittenBytes) / 1048576.0:F1} MiB written, {Gen0Collections - before.Gen0Collections}/{Gen1Collections - before.Gen1Collections}/{FullCollections - before.FullCollections} gen0/1/2 GCs pausing it {(GcPauses - before.GcPauses).TotalMilliseconds:F1} ms in all");

    /// <summary>
    /// Waits until this process is idle: <paramref name="quietSeconds"/> whole seconds in a row under
    /// <paramref name="idleCpuPercent"/> of a core with nothing written, or <paramref name="limit"/>.
    /// </summary>
    /// <returns>How long it waited and whether it saw the process idle.</returns>
    public static async Task<(TimeSpan Waited, bool Idle)> SettleAsync(double idleCpuPercent, int quietSeconds, TimeSpan limit)
    {
        var start = Stopwatch.GetTimestamp();
        var quiet = 0;
        var last = Now();
        while (Stopwatch.GetElapsedTime(start) < limit)
        {
            await Task.Delay(TimeSpan.FromSeconds(1));
            var now = Now();
            var idle = now.CpuPercentSince(last) < idleCpuPercent && now.WrittenBytes == last.WrittenBytes;
            quiet = idle ? quiet + 1 : 0;
            last = now;
            if (quiet >= quietSeconds)
            {
                return (Stopwatch.GetElapsedTime(start), true);
            }
        }

        return (Stopwatch.GetElapsedTime(start), false);
    }
}
