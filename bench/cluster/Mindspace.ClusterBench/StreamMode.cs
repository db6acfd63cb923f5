using System.Diagnostics;
using System.Globalization;
using System.Net.Http.Json;
using System.Text.Json;
using System.Threading.Channels;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Mindspace.Grains.Interfaces.Notifications;
using Mindspace.Runtime.Streams;
using Mindspace.Silo;

namespace Mindspace.ClusterBench;

/// <summary>One delivery path measured at a fixed publish rate. Latencies in milliseconds from each event's scheduled publish time.</summary>
public sealed record StreamPhaseResult(
    string Path,
    double OfferedPerSecond,
    double Seconds,
    long Scheduled,
    long Published,
    long PublishErrors,
    long Delivered,
    long Duplicates,
    long OutOfOrder,
    double? P50Ms,
    double? P90Ms,
    double? P99Ms,
    double? P999Ms,
    double? MaxMs,
    double? AppendP50Ms,
    double? AppendP99Ms,
    double AppendedPerSecond,
    Dictionary<string, ProcessUsage> Processes,
    MachineUsage? Machine,
    IReadOnlyList<TimelineSlice> Timeline);

public sealed record StreamRun(int Run, StreamPhaseResult InProcess, StreamPhaseResult SignalR);

public sealed record StreamReport(
    string Mode,
    string Gateway,
    Guid UserId,
    double Rate,
    double Seconds,
    double BaselineSeconds,
    int Users,
    int Publishers,
    Dictionary<string, double> IdleRssMiB,
    List<StreamRun> Runs);

/// <summary>
/// Publish → SignalR client latency. This process is a client-only cluster member (it hosts no
/// grains) on the cluster's PostgreSQL. It registers and signs in a real user through the gateway's
/// HTTP API, connects to the gateway's <c>/hubs/notifications</c> with that user's access token, and
/// appends <see cref="UserNotification"/>s to <see cref="NotificationStreams.ForUser"/> with
/// <see cref="IStreamProvider"/> at a fixed rate — the path a grain's notification takes, minus the
/// grain. Each event's title carries its index; latency is arrival time minus scheduled publish time,
/// both on this process's clock (<c>createdAt</c> carries the publish wall time as well).
/// Baseline, same run and rate: the same publish with a subscriber in this process
/// (<see cref="IAsyncStream{T}.SubscribeAsync"/>: PostgreSQL append, local wake-up, read) instead of
/// NOTIFY → gateway → SignalR → WebSocket.
/// </summary>
internal static class StreamMode
{
    private const string Kind = "bench.tick";

    public static async Task<int> RunAsync(BenchOptions options)
    {
        var gateway = new Uri(options.Required("gateway"));
        var output = options.Required("out");
        var runs = options.Int("runs", 3);
        var rate = options.Double("rate", 5000);
        var seconds = options.Seconds("seconds", 10);
        var baselineSeconds = options.Seconds("baseline-seconds", 5);
        var publishers = options.Int("publishers", 16);
        var users = options.Int("users", 1);
        var warmup = options.Seconds("warmup-seconds", 2);
        var drain = options.Seconds("drain-seconds", 5);
        var watched = options.Watched();
        watched["self"] = Environment.ProcessId;
        var trees = options.Watched("watch-tree");

        var builder = Host.CreateApplicationBuilder([]);
        builder.Logging.ClearProviders();
        builder.Logging.AddSimpleConsole().SetMinimumLevel(LogLevel.Warning);
        builder.Services.AddMindspaceSilo(builder.Configuration, SiloRole.ClientOnly);
        using var host = builder.Build();
        await host.StartAsync();
        try
        {
            var streams = host.Services.GetRequiredService<IStreamProvider>();
            Tracker? current = null;
            var accounts = new List<(Guid UserId, SignalRClient Client, IAsyncStream<UserNotification> Stream)>();
            foreach (var lane in Enumerable.Range(0, users))
            {
                var (userId, token) = await SignInAsync(gateway);
                var client = await SignalRClient.ConnectAsync(gateway, "/hubs/notifications", token);
                client.OnNotification = (arrived, notification) => current?.Deliver(notification.GetProperty("title").GetString(), arrived, lane);
                accounts.Add((userId, client, streams.GetStream<UserNotification>(NotificationStreams.ForUser(userId))));
            }

            await using var closeClients = new AsyncDisposables(accounts.Select(a => (IAsyncDisposable)a.Client));
            var userStreams = accounts.Select(a => a.Stream).ToArray();

            // The hub subscribes from the stream's end once connected: publish probes until every connection got one.
            var probe = current = new Tracker("probe", 150 * users, 10, users);
            for (var i = 0; i < probe.Count && probe.DeliveredLanes < users; i++)
            {
                await userStreams[i % users].OnNextAsync(probe.Event(i));
                probe.Published(i, Stopwatch.GetTimestamp());
                await Task.Delay(100 / users);
            }

            if (probe.DeliveredLanes < users)
            {
                throw new InvalidOperationException($"notifications reached {probe.DeliveredLanes} of {users} SignalR clients within 15 s ({accounts[0].Client.CloseReason ?? "connection open"})");
            }

            // Warm-up (not recorded): JIT, connection pools, both delivery paths.
            var warmStreams = Enumerable.Range(0, users).Select(_ => streams.GetStream<UserNotification>(NotificationStreams.ForUser(Guid.NewGuid()))).ToArray();
            var warmTracker = new Tracker("warmup-local", (int)(rate * warmup.TotalSeconds / 2), rate, users);
            var warmHandles = new List<StreamSubscriptionHandle>();
            foreach (var (stream, lane) in warmStreams.Select((s, l) => (s, l)))
            {
                warmHandles.Add(await stream.SubscribeAsync((n, _) =>
                {
                    warmTracker.Deliver(n.Title, Stopwatch.GetTimestamp(), lane);
                    return Task.CompletedTask;
                }));
            }

            await PublishAsync("warm-up", warmStreams, warmTracker, publishers, drain, new PhaseMonitor([]));
            foreach (var handle in warmHandles)
            {
                await handle.DisposeAsync();
            }

            current = new Tracker("warmup", (int)(rate * warmup.TotalSeconds / 2), rate, users);
            await PublishAsync("warm-up", userStreams, current, publishers, drain, new PhaseMonitor([]));
            current = null;

            await Task.Delay(500);
            var idle = watched.ToDictionary(w => w.Key, w => Math.Round(Proc.RssBytes(w.Value) / 1048576.0, 1));
            var results = new List<StreamRun>();
            for (var run = 1; run <= runs; run++)
            {
                // Baseline: fresh streams nobody else reads, subscribed in this process.
                var baselineStreams = Enumerable.Range(0, users)
                    .Select(_ => streams.GetStream<UserNotification>(NotificationStreams.ForUser(Guid.NewGuid()))).ToArray();
                var baseline = new Tracker($"b{run}", (int)(rate * baselineSeconds.TotalSeconds), rate, users);
                var handles = new List<StreamSubscriptionHandle>();
                foreach (var (stream, lane) in baselineStreams.Select((s, l) => (s, l)))
                {
                    handles.Add(await stream.SubscribeAsync(
                        (notification, _) =>
                        {
                            baseline.Deliver(notification.Title, Stopwatch.GetTimestamp(), lane);
                            return Task.CompletedTask;
                        },
                        StreamSequenceToken.Start));
                }

                var inProcess = await PublishAsync("in-process subscriber", baselineStreams, baseline, publishers, drain, new PhaseMonitor(watched, trees: trees));
                foreach (var handle in handles)
                {
                    await handle.DisposeAsync();
                }

                CallerMode.Log($"run {run}: in-process   {Describe(inProcess)}");

                var signalR = new Tracker($"s{run}", (int)(rate * seconds.TotalSeconds), rate, users);
                current = signalR;
                var viaGateway = await PublishAsync("SignalR client via gateway", userStreams, signalR, publishers, drain, new PhaseMonitor(watched, trees: trees));
                CallerMode.Log($"run {run}: SignalR      {Describe(viaGateway)}");
                results.Add(new StreamRun(run, inProcess, viaGateway));
                if (accounts.Select(a => a.Client.CloseReason).FirstOrDefault(r => r is not null) is { } closed)
                {
                    throw new InvalidOperationException($"a hub connection ended: {closed}");
                }
            }

            await BenchJson.WriteAsync(output, new StreamReport(
                "stream", gateway.ToString(), accounts[0].UserId, rate, seconds.TotalSeconds, baselineSeconds.TotalSeconds, users, publishers, idle, results));
            return 0;
        }
        finally
        {
            await host.StopAsync();
        }
    }

    private static string Describe(StreamPhaseResult r)
        => $"{r.Delivered}/{r.Published} delivered, p50 {r.P50Ms} ms, p99 {r.P99Ms} ms, max {r.MaxMs} ms (appended {r.AppendedPerSecond:N0}/s, append p99 {r.AppendP99Ms} ms)";

    /// <summary>Registers a fresh user and signs in through the gateway's HTTP API.</summary>
    private static async Task<(Guid UserId, string AccessToken)> SignInAsync(Uri gateway)
    {
        using var http = new HttpClient { BaseAddress = gateway, Timeout = TimeSpan.FromSeconds(30) };
        var email = $"bench-{Guid.NewGuid():N}@example.com";
        const string password = "a long bench passphrase";
        var registered = await http.PostAsJsonAsync("/api/v1/auth/register", new { email, password, displayName = "Bench", timeZone = "UTC" });
        var registration = await ReadJsonAsync(registered, "register");
        var userId = registration.GetProperty("userId").GetGuid();
        var login = await ReadJsonAsync(await http.PostAsJsonAsync("/api/v1/auth/login", new { email, password }), "login");
        return (userId, login.GetProperty("accessToken").GetString()!);
    }

    private static async Task<JsonElement> ReadJsonAsync(HttpResponseMessage response, string what)
    {
        var body = await response.Content.ReadAsStringAsync();
        if (!response.IsSuccessStatusCode)
        {
            throw new InvalidOperationException($"{what} answered {(int)response.StatusCode}: {body}");
        }

        return JsonDocument.Parse(body).RootElement.Clone();
    }

    /// <summary>
    /// Appends the tracker's events on schedule: one dispatcher thread hands each index to a pool of
    /// <paramref name="publishers"/> appenders when its time comes (never earlier); an append that has
    /// to wait for a free appender is still timed from its scheduled time. Then waits up to
    /// <paramref name="drain"/> for deliveries.
    /// </summary>
    private static async Task<StreamPhaseResult> PublishAsync(string path, IAsyncStream<UserNotification>[] streams, Tracker tracker, int publishers, TimeSpan drain, PhaseMonitor monitor)
    {
        var due = Channel.CreateUnbounded<int>(new UnboundedChannelOptions { SingleWriter = true });
        long errors = 0;
        await monitor.StartAsync();
        tracker.Begin(Stopwatch.GetTimestamp() + Stopwatch.Frequency / 100);
        var appenders = Enumerable.Range(0, publishers).Select(_ => Task.Run(async () =>
        {
            while (await due.Reader.WaitToReadAsync())
            {
                while (due.Reader.TryRead(out var i))
                {
                    try
                    {
                        await streams[i % streams.Length].OnNextAsync(tracker.Event(i));
                        tracker.Published(i, Stopwatch.GetTimestamp());
                    }
                    catch (Exception exception) when (exception is not OutOfMemoryException)
                    {
                        Interlocked.Increment(ref errors);
                    }
                }
            }
        })).ToArray();

        var dispatcher = new Thread(() =>
        {
            for (var i = 0; i < tracker.Count; i++)
            {
                var scheduled = tracker.ScheduledAt(i);
                while (Stopwatch.GetTimestamp() < scheduled)
                {
                    Thread.Sleep(1);
                }

                due.Writer.TryWrite(i);
            }

            due.Writer.Complete();
        })
        { IsBackground = true, Name = "stream dispatcher", Priority = ThreadPriority.AboveNormal };
        dispatcher.Start();
        await Task.Run(dispatcher.Join);
        await Task.WhenAll(appenders);
        var appendedPerSecond = tracker.PublishedCount / Stopwatch.GetElapsedTime(tracker.ScheduledAt(0)).TotalSeconds;
        var published = tracker.PublishedCount;
        var waited = Stopwatch.StartNew();
        while (tracker.DeliveredCount < published && waited.Elapsed < drain)
        {
            await Task.Delay(20);
        }

        var usage = await monitor.StopAsync(published);
        var (latencies, appends, inOrder) = tracker.Latencies();
        return new StreamPhaseResult(
            path,
            Math.Round(tracker.Rate),
            Math.Round(tracker.Count / tracker.Rate, 3),
            tracker.Count,
            published,
            Interlocked.Read(ref errors),
            tracker.DeliveredCount,
            tracker.Duplicates,
            tracker.OutOfOrder,
            Load.Percentile(latencies, 0.50),
            Load.Percentile(latencies, 0.90),
            Load.Percentile(latencies, 0.99),
            Load.Percentile(latencies, 0.999),
            Load.Percentile(latencies, 1.0),
            Load.Percentile(appends, 0.50),
            Load.Percentile(appends, 0.99),
            Math.Round(appendedPerSecond),
            usage,
            monitor.Machine,
            Load.Timeline(inOrder, (int)Math.Max(1, tracker.Rate / 2), 0.5));
    }

    /// <summary>The schedule, publish and delivery times of one phase's events, by index (titles are <c>tag:index</c>).</summary>
    private sealed class Tracker(string tag, int count, double rate, int lanes = 1)
    {
        private readonly int[] _lastIndex = Enumerable.Repeat(-1, lanes).ToArray();
        private readonly bool[] _laneSeen = new bool[lanes];
        private readonly long[] _published = new long[count];
        private readonly long[] _delivered = new long[count];
        private readonly string _prefix = tag + ":";
        private long _start;
        private long _publishedCount;
        private long _deliveredCount;
        private long _duplicates;
        private long _outOfOrder;

        public int Count => count;

        public double Rate => rate;

        public long PublishedCount => Interlocked.Read(ref _publishedCount);

        public long DeliveredCount => Interlocked.Read(ref _deliveredCount);

        public long Duplicates => Interlocked.Read(ref _duplicates);

        /// <summary>Arrivals whose index was lower than an earlier arrival's (appends may commit out of schedule order, so not an error).</summary>
        public long OutOfOrder => Interlocked.Read(ref _outOfOrder);

        /// <summary>Lanes (users, SignalR connections) that received at least one event.</summary>
        public int DeliveredLanes => _laneSeen.Count(seen => seen);

        public void Begin(long start) => _start = start;

        public long ScheduledAt(int i) => _start + (long)(i * (Stopwatch.Frequency / rate));

        public UserNotification Event(int i)
            => new(Guid.NewGuid(), Kind, _prefix + i.ToString(CultureInfo.InvariantCulture), "Published by bench/cluster; createdAt is the publish time.", DateTimeOffset.UtcNow);

        public void Published(int i, long at)
        {
            _published[i] = at;
            Interlocked.Increment(ref _publishedCount);
        }

        /// <summary>Called by one delivery loop per lane (a SignalR receive loop or a stream subscription).</summary>
        public void Deliver(string? title, long arrived, int lane)
        {
            if (title is null || !title.StartsWith(_prefix, StringComparison.Ordinal)
                || !int.TryParse(title.AsSpan(_prefix.Length), NumberStyles.None, CultureInfo.InvariantCulture, out var i) || i >= count)
            {
                return;
            }

            if (Interlocked.CompareExchange(ref _delivered[i], arrived, 0) != 0)
            {
                Interlocked.Increment(ref _duplicates);
                return;
            }

            _laneSeen[lane] = true;
            if (i < _lastIndex[lane])
            {
                Interlocked.Increment(ref _outOfOrder);
            }

            _lastIndex[lane] = Math.Max(_lastIndex[lane], i);
            Interlocked.Increment(ref _deliveredCount);
        }

        /// <summary>Sorted delivery latencies of the published events (never delivered = long.MaxValue), sorted append latencies, and delivery latencies in schedule order.</summary>
        public (long[] Delivery, long[] Append, long[] InScheduleOrder) Latencies()
        {
            var delivery = new List<long>(count);
            var append = new List<long>(count);
            for (var i = 0; i < count; i++)
            {
                if (_published[i] == 0)
                {
                    continue;
                }

                var scheduled = ScheduledAt(i);
                append.Add(_published[i] - scheduled);
                delivery.Add(_delivered[i] != 0 ? _delivered[i] - scheduled : long.MaxValue);
            }

            var inOrder = delivery.ToArray();
            var d = (long[])inOrder.Clone();
            var a = append.ToArray();
            Array.Sort(d);
            Array.Sort(a);
            return (d, a, inOrder);
        }
    }
}

/// <summary>Disposes several things in order, once.</summary>
internal sealed class AsyncDisposables(IEnumerable<IAsyncDisposable> items) : IAsyncDisposable
{
    private readonly List<IAsyncDisposable> _items = [.. items];

    public async ValueTask DisposeAsync()
    {
        foreach (var item in _items)
        {
            await item.DisposeAsync();
        }

        _items.Clear();
    }
}
