using System.Diagnostics;
using System.Text.Json;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;

namespace Mindspace.ClusterBench;

/// <summary>One run of the caller: every phase once, in the same processes, back to back.</summary>
public sealed record CallerRun(
    int Run,
    ClosedLoopResult RemoteClosed,
    ClosedLoopResult LocalClosed,
    ClosedLoopResult EchoClosed,
    OpenLoopResult RemoteOpen,
    OpenLoopResult LocalOpen,
    OpenLoopResult EchoOpen);

/// <summary>What the caller writes to <c>--out</c>.</summary>
public sealed record CallerReport(
    string Mode,
    int Keys,
    Dictionary<string, int> KeysPerSilo,
    int Concurrency,
    double ClosedSeconds,
    double OpenSeconds,
    double OpenRateFraction,
    Dictionary<string, double> IdleRssMiB,
    List<CallerRun> Runs);

/// <summary>
/// An Orleans client (as a GATEWAY_ONLY gateway is) calling <see cref="IEchoGrain"/>s that Orleans
/// placed at random on the two bench silos. Per run, back to back and in this order:
/// <list type="number">
/// <item>remote calls, closed loop → peak calls/s;</item>
/// <item>local calls of the same grain inside silo A (<c>POST /bench/local</c>), closed loop (baseline);</item>
/// <item>the raw TLS echo of silo A, closed loop (baseline: loopback and TLS alone);</item>
/// <item>remote calls, open loop at <c>--open-fraction</c> (0.5) of this run's remote peak → latency;</item>
/// <item>local calls and the raw echo at that same offered rate (baselines).</item>
/// </list>
/// </summary>
internal static class CallerMode
{
    private static readonly TimeSpan Warmup = TimeSpan.FromSeconds(1);
    private static readonly HttpClient Http = new() { Timeout = TimeSpan.FromMinutes(2) };

    public static async Task<int> RunAsync(BenchOptions options)
    {
        var output = options.Required("out");
        var siloStats = options.All("silo-stats");
        var localUrl = options.Required("local") + "/bench/local";
        var echoPort = options.Int("echo-port", 0);
        var runs = options.Int("runs", 3);
        var keyCount = options.Int("keys", 1024);
        var concurrency = options.Int("concurrency", 256);
        var closedSeconds = options.Seconds("closed-seconds", 3);
        var openSeconds = options.Seconds("open-seconds", 4);
        var openFraction = options.Double("open-fraction", 0.5);
        var warmupSeconds = options.Seconds("warmup-seconds", 2);
        var watched = options.Watched();
        watched["self"] = Environment.ProcessId;
        var trees = options.Watched("watch-tree");
        var statsUrls = siloStats.Select((url, i) => (Name: $"silo{(char)('A' + i)}", Url: url)).ToDictionary(s => s.Name, s => s.Url);

        using var host = await ClientHost.StartAsync();
        try
        {
            var grains = host.Grains();
            var remote = Enumerable.Range(0, keyCount).Select(i => grains.GetGrain<IEchoGrain>($"k{i}")).ToArray();
            await Task.WhenAll(remote.Select(g => g.PingAsync(0)));
            var perSilo = await KeysPerSiloAsync(remote);
            Log($"caller (Orleans client): {keyCount} echo grains: {string.Join(", ", perSilo.Select(p => $"{p.Value} on {p.Key}"))}");

            await using var echo = await RawEcho.Client.ConnectAsync(echoPort, 4, host.Services.GetRequiredService<IConfiguration>());
            await echo.SendAsync();

            var idle = watched.ToDictionary(w => w.Key, w => Math.Round(Proc.RssBytes(w.Value) / 1048576.0, 1));
            PhaseMonitor Monitor() => new(watched, statsUrls, trees);

            // Warm-up, not recorded: every path until tiered compilation has settled in every process.
            var warmupStarted = Stopwatch.StartNew();
            await Load.ClosedAsync((w, s) => remote[w % remote.Length].PingAsync(s), concurrency, TimeSpan.Zero, warmupSeconds, Monitor());
            await LocalClosedAsync(localUrl, concurrency, TimeSpan.Zero, warmupSeconds, Monitor());
            await Load.ClosedAsync((_, _) => echo.SendAsync(), concurrency, TimeSpan.Zero, warmupSeconds / 2, Monitor());
            await Load.OpenAsync(i => remote[i % remote.Length].PingAsync(i), 5000, warmupSeconds / 4, TimeSpan.FromSeconds(10), Monitor());
            await LocalOpenAsync(localUrl, 5000, warmupSeconds / 4, Monitor());
            await Load.OpenAsync(_ => echo.SendAsync(), 5000, warmupSeconds / 4, TimeSpan.FromSeconds(10), Monitor());
            Log($"warm-up done in {warmupStarted.Elapsed.TotalSeconds:0.0} s");

            var results = new List<CallerRun>();
            for (var run = 1; run <= runs; run++)
            {
                var remoteClosed = await Load.ClosedAsync((w, s) => remote[w % remote.Length].PingAsync(s), concurrency, Warmup, closedSeconds, Monitor());
                Log($"run {run}: remote closed {remoteClosed.CallsPerSecond:N0}/s ({remoteClosed.Errors} errors)");
                var localClosed = await LocalClosedAsync(localUrl, concurrency, Warmup, closedSeconds, Monitor());
                Log($"run {run}: local closed (inside silo A) {localClosed.CallsPerSecond:N0}/s");
                var echoClosed = await Load.ClosedAsync((_, _) => echo.SendAsync(), concurrency, Warmup, closedSeconds, Monitor());
                Log($"run {run}: raw TLS echo closed {echoClosed.CallsPerSecond:N0}/s");

                var rate = Math.Max(100, remoteClosed.CallsPerSecond * openFraction);
                var drain = TimeSpan.FromSeconds(10);
                var remoteOpen = await Load.OpenAsync(i => remote[i % remote.Length].PingAsync(i), rate, openSeconds, drain, Monitor());
                Log($"run {run}: remote open at {rate:N0}/s: p50 {remoteOpen.P50Ms} ms, p99 {remoteOpen.P99Ms} ms, p99.9 {remoteOpen.P999Ms} ms");
                var localOpen = await LocalOpenAsync(localUrl, rate, openSeconds, Monitor());
                Log($"run {run}: local open at {rate:N0}/s: p50 {localOpen.P50Ms} ms, p99 {localOpen.P99Ms} ms");
                var echoOpen = await Load.OpenAsync(_ => echo.SendAsync(), rate, openSeconds, drain, Monitor());
                Log($"run {run}: raw TLS echo open at {rate:N0}/s: p50 {echoOpen.P50Ms} ms, p99 {echoOpen.P99Ms} ms");
                results.Add(new CallerRun(run, remoteClosed, localClosed, echoClosed, remoteOpen, localOpen, echoOpen));
            }

            await BenchJson.WriteAsync(output, new CallerReport(
                "caller", keyCount, perSilo, concurrency, closedSeconds.TotalSeconds, openSeconds.TotalSeconds, openFraction, idle, results));
            return 0;
        }
        finally
        {
            await host.StopAsync();
        }
    }

    /// <summary>How many of the echo grains each silo holds (Orleans placed them at random).</summary>
    private static async Task<Dictionary<string, int>> KeysPerSiloAsync(IEchoGrain[] grains)
    {
        var places = await Task.WhenAll(grains.Select(g => g.WhereAsync()));
        return places.GroupBy(p => p, StringComparer.Ordinal).ToDictionary(g => g.Key, g => g.Count(), StringComparer.Ordinal);
    }

    /// <summary>
    /// The local baseline: silo A calls its own grains, with the caller's monitor around the request (so
    /// its CPU and allocation figures span the loop's warm-up second too, at the same load).
    /// </summary>
    private static async Task<ClosedLoopResult> LocalClosedAsync(string url, int concurrency, TimeSpan warmup, TimeSpan seconds, PhaseMonitor monitor)
    {
        var query = FormattableString.Invariant($"?loop=closed&concurrency={concurrency}&warmup={warmup.TotalSeconds}&seconds={seconds.TotalSeconds}");
        await monitor.StartAsync();
        var response = await Http.PostAsync(url + query, null);
        var result = JsonSerializer.Deserialize<ClosedLoopResult>(await response.EnsureSuccessStatusCode().Content.ReadAsStringAsync(), BenchJson.Options)!;
        var usage = await monitor.StopAsync((long)(result.CallsPerSecond * (seconds + warmup).TotalSeconds));
        return result with { Processes = usage, Machine = monitor.Machine };
    }

    private static async Task<OpenLoopResult> LocalOpenAsync(string url, double rate, TimeSpan seconds, PhaseMonitor monitor)
    {
        var query = FormattableString.Invariant($"?loop=open&rate={rate}&seconds={seconds.TotalSeconds}");
        await monitor.StartAsync();
        var response = await Http.PostAsync(url + query, null);
        var result = JsonSerializer.Deserialize<OpenLoopResult>(await response.EnsureSuccessStatusCode().Content.ReadAsStringAsync(), BenchJson.Options)!;
        var usage = await monitor.StopAsync(result.Completed);
        return result with { Processes = usage, Machine = monitor.Machine };
    }

    public static void Log(string message) => Console.Error.WriteLine($"{DateTime.UtcNow:HH:mm:ss.fff} {message}");
}
