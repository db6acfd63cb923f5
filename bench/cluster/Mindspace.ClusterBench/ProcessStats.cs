using System.Globalization;
using System.Text.Json;

namespace Mindspace.ClusterBench;

/// <summary>CPU time and resident set of a process, read from /proc (Linux).</summary>
internal static class Proc
{
    /// <summary>USER_HZ: the unit of utime/stime in /proc/PID/stat (100 on every Linux x86-64 and arm64 kernel).</summary>
    private const double ClockTicksPerSecond = 100;

    /// <summary>User + system CPU seconds used so far; NaN when the process is gone.</summary>
    public static double CpuSeconds(int pid)
    {
        try
        {
            var text = File.ReadAllText($"/proc/{pid}/stat");
            var fields = text[(text.LastIndexOf(')') + 2)..].Split(' ');
            // After "pid (comm) ": state is field 3, utime 14, stime 15 (1-based) → indexes 11 and 12 here.
            return (long.Parse(fields[11], CultureInfo.InvariantCulture) + long.Parse(fields[12], CultureInfo.InvariantCulture)) / ClockTicksPerSecond;
        }
        catch (IOException)
        {
            return double.NaN;
        }
    }

    /// <summary>CPU seconds of <paramref name="pid"/> and its direct children (PostgreSQL: the postmaster and its backends).</summary>
    public static double TreeCpuSeconds(int pid)
    {
        var total = 0.0;
        foreach (var directory in Directory.EnumerateDirectories("/proc"))
        {
            if (!int.TryParse(Path.GetFileName(directory), NumberStyles.None, CultureInfo.InvariantCulture, out var candidate))
            {
                continue;
            }

            try
            {
                var text = File.ReadAllText($"/proc/{candidate}/stat");
                var fields = text[(text.LastIndexOf(')') + 2)..].Split(' ');
                var parent = int.Parse(fields[1], CultureInfo.InvariantCulture);
                if (candidate == pid || parent == pid)
                {
                    total += (long.Parse(fields[11], CultureInfo.InvariantCulture) + long.Parse(fields[12], CultureInfo.InvariantCulture)) / ClockTicksPerSecond;
                }
            }
            catch (IOException)
            {
                // The process ended meanwhile.
            }
        }

        return total;
    }

    /// <summary>(busy, total) CPU ticks of the whole machine since boot, summed over every core (/proc/stat).</summary>
    public static (long Busy, long Total) MachineTicks()
    {
        var fields = File.ReadLines("/proc/stat").First().Split(' ', StringSplitOptions.RemoveEmptyEntries)[1..]
            .Select(f => long.Parse(f, CultureInfo.InvariantCulture)).ToArray();
        // user nice system idle iowait irq softirq steal (guest time is already inside user).
        var total = fields.Take(8).Sum();
        return (total - fields[3] - fields[4], total);
    }

    /// <summary>VmRSS in bytes; -1 when the process is gone.</summary>
    public static long RssBytes(int pid)
    {
        try
        {
            foreach (var line in File.ReadLines($"/proc/{pid}/status"))
            {
                if (line.StartsWith("VmRSS:", StringComparison.Ordinal))
                {
                    var kb = line["VmRSS:".Length..].Trim().Split(' ')[0];
                    return long.Parse(kb, CultureInfo.InvariantCulture) * 1024;
                }
            }
        }
        catch (IOException)
        {
        }

        return -1;
    }
}

/// <summary>What this process has done so far, for the <c>/bench/stats</c> endpoint and phase deltas.</summary>
internal sealed record SelfStats(long AllocatedBytes, int Gen0, int Gen1, int Gen2, double GcPauseMs, double CpuSeconds, long RssBytes, int ThreadPoolThreads)
{
    public static SelfStats Now() => new(
        GC.GetTotalAllocatedBytes(precise: false),
        GC.CollectionCount(0),
        GC.CollectionCount(1),
        GC.CollectionCount(2),
        GC.GetTotalPauseDuration().TotalMilliseconds,
        Proc.CpuSeconds(Environment.ProcessId),
        Environment.WorkingSet,
        ThreadPool.ThreadCount);

    public string ToJson() => JsonSerializer.Serialize(this, BenchJson.Options);

    public static SelfStats? FromJson(string json) => JsonSerializer.Deserialize<SelfStats>(json, BenchJson.Options);
}

/// <summary>
/// The whole machine during one measured phase, in % of one core (200 = both cores of a 2-core
/// machine): how busy it was, and how much of that was outside the watched processes (other people's
/// builds and benchmarks, PostgreSQL). A large "outside" share means the figure is noisy.
/// </summary>
public sealed record MachineUsage(double BusyPercent, double OutsideWatchedPercent, int Cores);

/// <summary>What a process did during one measured phase.</summary>
public sealed record ProcessUsage(
    double CpuPercent,
    double RssMedianMiB,
    double RssMaxMiB,
    double? AllocatedBytesPerOp = null,
    int? Gen0 = null,
    int? Gen1 = null,
    int? Gen2 = null,
    double? GcPauseMs = null);

/// <summary>
/// Watches processes through one measured phase: CPU (% of one core) from /proc/PID/stat deltas,
/// VmRSS sampled every 200 ms (median and max), and — for this process and any process with a stats
/// URL — allocations and collections.
/// </summary>
internal sealed class PhaseMonitor
{
    private static readonly HttpClient Http = new() { Timeout = TimeSpan.FromSeconds(5) };

    private readonly Dictionary<string, int> _pids;
    private readonly Dictionary<string, string> _statsUrls;
    private readonly Dictionary<string, double> _cpuStart = [];
    private readonly Dictionary<string, List<long>> _rss = [];
    private readonly Dictionary<string, SelfStats?> _statsStart = [];
    private readonly CancellationTokenSource _stop = new();
    private SelfStats? _selfStart;
    private (long Busy, long Total) _machineStart;
    private long _start;
    private Task _sampling = Task.CompletedTask;

    private readonly Dictionary<string, int> _trees;
    private readonly Dictionary<string, double> _treeStart = [];

    /// <param name="pids">Processes whose CPU and RSS are watched ("self" is this process).</param>
    /// <param name="statsUrls">Processes with a <c>/bench/stats</c> endpoint, for allocations and collections.</param>
    /// <param name="trees">Process trees whose CPU only is watched (a postmaster and its backends).</param>
    public PhaseMonitor(Dictionary<string, int> pids, Dictionary<string, string>? statsUrls = null, Dictionary<string, int>? trees = null)
    {
        _pids = pids;
        _statsUrls = statsUrls ?? [];
        _trees = trees ?? [];
    }

    /// <summary>The machine during the phase (set by <see cref="StopAsync"/>).</summary>
    public MachineUsage? Machine { get; private set; }

    public async Task StartAsync()
    {
        foreach (var (name, url) in _statsUrls)
        {
            _statsStart[name] = await FetchAsync(url);
        }

        _selfStart = SelfStats.Now();
        foreach (var (name, pid) in _pids)
        {
            _cpuStart[name] = Proc.CpuSeconds(pid);
            _rss[name] = [];
        }

        foreach (var (name, pid) in _trees)
        {
            _treeStart[name] = Proc.TreeCpuSeconds(pid);
        }

        _machineStart = Proc.MachineTicks();
        _start = System.Diagnostics.Stopwatch.GetTimestamp();
        _sampling = Task.Run(async () =>
        {
            while (!_stop.IsCancellationRequested)
            {
                foreach (var (name, pid) in _pids)
                {
                    if (Proc.RssBytes(pid) is var rss and > 0)
                    {
                        _rss[name].Add(rss);
                    }
                }

                try
                {
                    await Task.Delay(200, _stop.Token);
                }
                catch (OperationCanceledException)
                {
                }
            }
        });
    }

    /// <param name="operations">Calls or events of the phase, to divide allocations by.</param>
    public async Task<Dictionary<string, ProcessUsage>> StopAsync(long operations)
    {
        var seconds = System.Diagnostics.Stopwatch.GetElapsedTime(_start).TotalSeconds;
        var self = SelfStats.Now();
        var cpuEnd = _pids.ToDictionary(p => p.Key, p => Proc.CpuSeconds(p.Value));
        var machineEnd = Proc.MachineTicks();
        var treeEnd = _trees.ToDictionary(t => t.Key, t => Proc.TreeCpuSeconds(t.Value));
        await _stop.CancelAsync();
        await _sampling;
        var usage = new Dictionary<string, ProcessUsage>(StringComparer.Ordinal);
        foreach (var (name, _) in _pids)
        {
            var samples = _rss[name].Order().ToArray();
            var cpu = (cpuEnd[name] - _cpuStart[name]) / seconds * 100;
            usage[name] = new ProcessUsage(
                Math.Round(cpu, 1),
                samples.Length == 0 ? 0 : Math.Round(samples[samples.Length / 2] / 1048576.0, 1),
                samples.Length == 0 ? 0 : Math.Round(samples[^1] / 1048576.0, 1));
        }

        foreach (var (name, _) in _trees)
        {
            usage[name] = new ProcessUsage(Math.Round((treeEnd[name] - _treeStart[name]) / seconds * 100, 1), 0, 0);
        }

        // Machine: busy ticks over all cores; % of one core = busy share × cores × 100.
        var cores = Environment.ProcessorCount;
        var busy = (machineEnd.Busy - _machineStart.Busy) / (double)Math.Max(1, machineEnd.Total - _machineStart.Total) * cores * 100;
        Machine = new MachineUsage(Math.Round(busy, 1), Math.Round(Math.Max(0, busy - usage.Values.Sum(u => u.CpuPercent)), 1), cores);

        if (usage.TryGetValue("self", out var mine) && _selfStart is { } before)
        {
            usage["self"] = WithAllocations(mine, before, self, operations);
        }

        foreach (var (name, url) in _statsUrls)
        {
            if (usage.TryGetValue(name, out var theirs) && _statsStart[name] is { } start && await FetchAsync(url) is { } end)
            {
                usage[name] = WithAllocations(theirs, start, end, operations);
            }
        }

        return usage;
    }

    private static ProcessUsage WithAllocations(ProcessUsage usage, SelfStats before, SelfStats after, long operations) => usage with
    {
        AllocatedBytesPerOp = operations > 0 ? Math.Round((after.AllocatedBytes - before.AllocatedBytes) / (double)operations, 0) : null,
        Gen0 = after.Gen0 - before.Gen0,
        Gen1 = after.Gen1 - before.Gen1,
        Gen2 = after.Gen2 - before.Gen2,
        GcPauseMs = Math.Round(after.GcPauseMs - before.GcPauseMs, 1),
    };

    private static async Task<SelfStats?> FetchAsync(string url)
    {
        try
        {
            return SelfStats.FromJson(await Http.GetStringAsync(url));
        }
        catch (Exception exception) when (exception is HttpRequestException or TaskCanceledException or JsonException)
        {
            return null;
        }
    }
}
