using System.Diagnostics;
using System.Text;
using Microsoft.AspNetCore.Builder;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Mindspace.Runtime;
using Mindspace.Runtime.Activation;
using Mindspace.Runtime.Cluster;
using Mindspace.Runtime.Cluster.Transport;
using Mindspace.Runtime.Messaging;
using Mindspace.Silo;

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
    string CallerSiloId,
    string TargetSiloId,
    int RemoteKeys,
    int LocalKeys,
    int Concurrency,
    double ClosedSeconds,
    double OpenSeconds,
    double OpenRateFraction,
    Dictionary<string, double> IdleRssMiB,
    List<CallerRun> Runs);

/// <summary>
/// A second silo (it hosts the echo grain too, so it can call grains of both kinds): waits until
/// placement is stable, picks keys whose partitions the other silo holds (remote) and keys it holds
/// itself (local), then per run measures, back to back and in this order:
/// <list type="number">
/// <item>remote calls, closed loop → peak calls/s;</item>
/// <item>local calls of the same grain in this process, closed loop (baseline);</item>
/// <item>the raw transport echo of the other process, closed loop (baseline: the transport alone);</item>
/// <item>remote calls, open loop at <c>--open-fraction</c> (0.5) of this run's remote peak → latency;</item>
/// <item>local calls and the raw echo at that same offered rate (baselines).</item>
/// </list>
/// </summary>
internal static class CallerMode
{
    private static readonly TimeSpan Warmup = TimeSpan.FromSeconds(1);

    public static async Task<int> RunAsync(BenchOptions options)
    {
        var output = options.Required("out");
        var siloStats = options.Required("silo-stats");
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

        var app = MindspaceSilo.Build([], configureRuntime: runtime => runtime.GrainAssemblies.Add(typeof(EchoGrain).Assembly));
        await app.StartAsync();
        try
        {
            var member = app.Services.GetRequiredService<ClusterMember>();
            var grains = app.Services.GetRequiredService<IGrainFactory>();
            var (remoteKeys, localKeys, targetSilo) = await WaitForPlacementAsync(member, keyCount, TimeSpan.FromSeconds(90));
            Log($"caller {member.SiloId}: {remoteKeys.Count} keys on {targetSilo}, {localKeys.Count} here");

            var remote = remoteKeys.Select(grains.GetGrain<IEchoGrain>).ToArray();
            var local = localKeys.Select(grains.GetGrain<IEchoGrain>).ToArray();
            await Task.WhenAll(remote.Concat(local).Select(g => g.PingAsync(0)));

            var secret = app.Configuration[SiloSettings.ClusterSecretKey]!;
            await using var echoPool = new SiloConnectionPool(new ClusterTransportOptions { Secret = Encoding.UTF8.GetBytes(secret) });
            var echoSilo = new SiloAddress("bench-raw-echo", "127.0.0.1", echoPort);
            var echoArguments = Encoding.UTF8.GetBytes("[1]");
            var echoInterface = typeof(IEchoGrain).FullName!;
            var echoIds = remoteKeys.Select(k => new GrainId("echo", k)).ToArray();
            Task Echo(int i) => echoPool.SendAsync(
                echoSilo,
                new GrainRequest(echoIds[i % echoIds.Length], echoInterface, "PingAsync(Int32)", echoArguments, DateTimeOffset.UtcNow.AddSeconds(30), []),
                CancellationToken.None);
            await Echo(0);

            var idle = new Dictionary<string, double>(StringComparer.Ordinal);
            foreach (var (name, pid) in watched)
            {
                idle[name] = Math.Round(Proc.RssBytes(pid) / 1048576.0, 1);
            }

            PhaseMonitor Monitor() => new(watched, new Dictionary<string, string> { ["silo"] = siloStats }, trees);

            // Warm-up, not recorded: every path until tiered compilation has settled in both processes.
            var warmupStarted = Stopwatch.StartNew();
            await Load.ClosedAsync((w, s) => remote[w % remote.Length].PingAsync(s), concurrency, TimeSpan.Zero, warmupSeconds, Monitor());
            await Load.ClosedAsync((w, s) => local[w % local.Length].PingAsync(s), concurrency, TimeSpan.Zero, warmupSeconds, Monitor());
            await Load.ClosedAsync((w, _) => Echo(w), concurrency, TimeSpan.Zero, warmupSeconds / 2, Monitor());
            await Load.OpenAsync(i => remote[i % remote.Length].PingAsync(i), 5000, warmupSeconds / 4, TimeSpan.FromSeconds(10), Monitor());
            await Load.OpenAsync(i => local[i % local.Length].PingAsync(i), 5000, warmupSeconds / 4, TimeSpan.FromSeconds(10), Monitor());
            await Load.OpenAsync(Echo, 5000, warmupSeconds / 4, TimeSpan.FromSeconds(10), Monitor());
            Log($"warm-up done in {warmupStarted.Elapsed.TotalSeconds:0.0} s");

            var results = new List<CallerRun>();
            for (var run = 1; run <= runs; run++)
            {
                var remoteClosed = await Load.ClosedAsync((w, s) => remote[w % remote.Length].PingAsync(s), concurrency, Warmup, closedSeconds, Monitor());
                Log($"run {run}: remote closed {remoteClosed.CallsPerSecond:N0}/s");
                var localClosed = await Load.ClosedAsync((w, s) => local[w % local.Length].PingAsync(s), concurrency, Warmup, closedSeconds, Monitor());
                Log($"run {run}: local closed {localClosed.CallsPerSecond:N0}/s");
                var echoClosed = await Load.ClosedAsync((w, _) => Echo(w), concurrency, Warmup, closedSeconds, Monitor());
                Log($"run {run}: raw echo closed {echoClosed.CallsPerSecond:N0}/s");

                var rate = Math.Max(100, remoteClosed.CallsPerSecond * openFraction);
                var drain = TimeSpan.FromSeconds(10);
                var remoteOpen = await Load.OpenAsync(i => remote[i % remote.Length].PingAsync(i), rate, openSeconds, drain, Monitor());
                Log($"run {run}: remote open at {rate:N0}/s: p50 {remoteOpen.P50Ms} ms, p99 {remoteOpen.P99Ms} ms, p99.9 {remoteOpen.P999Ms} ms");
                var localOpen = await Load.OpenAsync(i => local[i % local.Length].PingAsync(i), rate, openSeconds, drain, Monitor());
                Log($"run {run}: local open at {rate:N0}/s: p50 {localOpen.P50Ms} ms, p99 {localOpen.P99Ms} ms");
                var echoOpen = await Load.OpenAsync(Echo, rate, openSeconds, drain, Monitor());
                Log($"run {run}: raw echo open at {rate:N0}/s: p50 {echoOpen.P50Ms} ms, p99 {echoOpen.P99Ms} ms");
                results.Add(new CallerRun(run, remoteClosed, localClosed, echoClosed, remoteOpen, localOpen, echoOpen));
            }

            await BenchJson.WriteAsync(output, new CallerReport(
                "caller", member.SiloId, targetSilo, remoteKeys.Count, localKeys.Count, concurrency,
                closedSeconds.TotalSeconds, openSeconds.TotalSeconds, openFraction, idle, results));
            return 0;
        }
        finally
        {
            await app.StopAsync();
        }
    }

    /// <summary>
    /// Waits until this silo holds a lease, the directory names an owner for every candidate key, and
    /// that assignment has not changed for two heartbeats; then splits keys into the other silo's and ours.
    /// </summary>
    private static async Task<(List<string> Remote, List<string> Local, string Target)> WaitForPlacementAsync(ClusterMember member, int keyCount, TimeSpan patience)
    {
        var type = GrainTypeRegistry.GrainTypeName(typeof(IEchoGrain));
        var candidates = Enumerable.Range(0, keyCount * 8).Select(i => $"k{i}").ToArray();
        var deadline = Stopwatch.StartNew();
        string? previous = null;
        var stableSince = Stopwatch.StartNew();
        while (deadline.Elapsed < patience)
        {
            await Task.Delay(250);
            if (!member.IsReady)
            {
                continue;
            }

            var owners = candidates.Select(k => member.OwnerOf(new GrainId(type, k))?.SiloId).ToArray();
            if (owners.Any(o => o is null) || owners.Distinct().Count() < 2 || !owners.Contains(member.SiloId))
            {
                previous = null;
                continue;
            }

            var signature = string.Join(',', owners);
            if (signature != previous)
            {
                previous = signature;
                stableSince.Restart();
                continue;
            }

            if (stableSince.Elapsed < TimeSpan.FromSeconds(2.5))
            {
                continue;
            }

            var target = owners.First(o => o != member.SiloId)!;
            var remote = candidates.Where((_, i) => owners[i] == target).Take(keyCount).ToList();
            var local = candidates.Where((_, i) => owners[i] == member.SiloId).Take(keyCount).ToList();
            if (remote.Count < keyCount || local.Count < keyCount)
            {
                throw new InvalidOperationException($"too few keys: {remote.Count} remote, {local.Count} local of {candidates.Length}");
            }

            return (remote, local, target);
        }

        throw new TimeoutException($"placement did not settle within {patience} (ready: {member.IsReady})");
    }

    public static void Log(string message) => Console.Error.WriteLine($"{DateTime.UtcNow:HH:mm:ss.fff} {message}");
}
