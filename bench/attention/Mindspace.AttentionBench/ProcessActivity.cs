using System.Diagnostics;
using System.Globalization;

namespace Mindspace.AttentionBench;

/// <summary>
/// What this process (the gateway under test) has done so far: CPU time, bytes it sent towards the
/// disk (from /proc/self/io, Linux), bytes allocated and full garbage collections. The difference of two readings says
/// whether a measured run had the gateway to itself or shared it with left-over work.
/// </summary>
internal readonly record struct ProcessActivity(long Timestamp, double CpuSeconds, long WrittenBytes, long AllocatedBytes, int FullCollections)
{
    public static ProcessActivity Now()
    {
        var cpu = Environment.CpuUsage.TotalTime.TotalSeconds;
        var written = File.ReadLines("/proc/self/io")
            .Where(line => line.StartsWith("write_bytes:", StringComparison.Ordinal))
            .Select(line => long.Parse(line["write_bytes:".Length..].Trim(), CultureInfo.InvariantCulture))
            .FirstOrDefault();
        return new ProcessActivity(Stopwatch.GetTimestamp(), cpu, written, GC.GetTotalAllocatedBytes(precise: true), GC.CollectionCount(2));
    }

    /// <summary>CPU in % of one core between <paramref name="before"/> and this reading.</summary>
    public double CpuPercentSince(ProcessActivity before)
        => (CpuSeconds - before.CpuSeconds) / Stopwatch.GetElapsedTime(before.Timestamp, Timestamp).TotalSeconds * 100;

    public string DescribeSince(ProcessActivity before) => string.Create(
        CultureInfo.InvariantCulture,
        $"gateway process CPU {CpuPercentSince(before):F0}% of a core, {(WrittenBytes - before.WrittenBytes) / 1048576.0:F1} MiB written, {FullCollections - before.FullCollections} gen2 GCs");

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
