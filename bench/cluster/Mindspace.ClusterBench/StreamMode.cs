using System.Diagnostics;
using System.Globalization;
using System.Net.Http.Json;
using System.Text.Json;
using System.Threading.Channels;
using Microsoft.AspNetCore.Http.Connections;
using Microsoft.AspNetCore.SignalR.Client;
using Microsoft.Extensions.Hosting;
using Mindspace.Grains.Interfaces.Notifications;

namespace Mindspace.ClusterBench;

/// <summary>One delivery path measured at a fixed append rate. Latencies in milliseconds from each notification's scheduled append time.</summary>
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
    IReadOnlyList<TimelineSlice> Timeline,
    double StartedUnixSeconds,
    double EndedUnixSeconds);

public sealed record StreamRun(int Run, StreamPhaseResult InProcess, StreamPhaseResult SignalR);

public sealed record StreamReport(
    string Mode,
    string Gateway,
    double Rate,
    double Seconds,
    double BaselineSeconds,
    int Users,
    int Publishers,
    Dictionary<string, double> IdleRssMiB,
    List<StreamRun> Runs);

/// <summary>
/// Inbox append → SignalR client latency. This process is an Orleans client of the cluster (it hosts
/// no grains). It registers <c>--users</c> users and signs them in through the gateway's HTTP API,
/// connects one real .NET SignalR client (<see cref="HubConnection"/>) per user to the gateway's
/// <c>/hubs/notifications</c> with that user's access token, and appends notifications to the users'
/// inboxes (<see cref="INotificationInboxGrain.AppendAsync"/>, round-robin) at a fixed total rate: the
/// path every notification takes after the grain that raises it. Each notification's title carries
/// its index; latency is arrival time at the client minus scheduled append time, both on this
/// process's clock. Baseline, same run and rate: the same appends to other users' inboxes with an
/// observer in this process (<see cref="INotificationObserver"/> via
/// <see cref="IGrainFactory.CreateObjectReference{TGrainObserverInterface}"/>) instead of the gateway,
/// its hub and a WebSocket.
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
        var publishers = options.Int("publishers", 256);
        var users = options.Int("users", 50);
        var warmup = options.Seconds("warmup-seconds", 2);
        var drain = options.Seconds("drain-seconds", 5);
        var watched = options.Watched();
        watched["self"] = Environment.ProcessId;
        var trees = options.Watched("watch-tree");

        using var host = await ClientHost.StartAsync();
        var grains = host.Grains();
        var connections = new List<HubConnection>();
        try
        {
            Tracker? current = null;
            // A few at a time: each sign-up and sign-in hashes a password, and 50 at once on 2 cores outlast the grain call timeout.
            using var signIns = new SemaphoreSlim(4);
            var accounts = await Task.WhenAll(Enumerable.Range(0, users).Select(async _ =>
            {
                await signIns.WaitAsync();
                try
                {
                    return await SignInAsync(gateway);
                }
                finally
                {
                    signIns.Release();
                }
            }));
            foreach (var (lane, (_, token)) in accounts.Index())
            {
                var connection = new HubConnectionBuilder()
                    .WithUrl(new Uri(gateway, "/hubs/notifications"), HttpTransportType.WebSockets, o =>
                    {
                        o.AccessTokenProvider = () => Task.FromResult<string?>(token);
                        o.SkipNegotiation = true;
                    })
                    .Build();
                connection.On<JsonElement>("notification", message => current?.Deliver(message.GetProperty("title").GetString(), Stopwatch.GetTimestamp(), lane));
                await connection.StartAsync();
                connections.Add(connection);
            }

            var inboxes = accounts.Select(a => grains.GetGrain<INotificationInboxGrain>(a.UserId)).ToArray();
            CallerMode.Log($"stream: {users} users signed in, one SignalR client each");

            // The hub subscribes once connected: append probes until every connection got one.
            var probe = current = new Tracker("probe", 200 * users, 10, users);
            var clock = Stopwatch.StartNew();
            for (var i = 0; i < probe.Count && probe.DeliveredLanes < users && clock.Elapsed < TimeSpan.FromSeconds(30); i++)
            {
                await inboxes[i % users].AppendAsync(probe.Event(i));
                probe.Published(i, Stopwatch.GetTimestamp());
                if (i % users == users - 1)
                {
                    await Task.Delay(100);
                }
            }

            if (probe.DeliveredLanes < users)
            {
                throw new InvalidOperationException($"notifications reached {probe.DeliveredLanes} of {users} SignalR clients within 30 s");
            }

            // The baseline's users: inboxes nobody else watches, observed from this process.
            var observer = new Observer(() => current);
            var observerReference = grains.CreateObjectReference<INotificationObserver>(observer);
            var baselineInboxes = Enumerable.Range(0, users).Select(_ => grains.GetGrain<INotificationInboxGrain>(Guid.NewGuid())).ToArray();
            foreach (var (lane, inbox) in baselineInboxes.Index())
            {
                await inbox.SubscribeAsync(observerReference);
                observer.Lanes[inbox.GetPrimaryKey()] = lane;
            }

            // Warm-up (not recorded): JIT, connection pools, both delivery paths.
            current = new Tracker("warmup-local", (int)(rate * warmup.TotalSeconds / 2), rate, users);
            await PublishAsync("warm-up", baselineInboxes, current, publishers, drain, new PhaseMonitor([]));
            current = new Tracker("warmup", (int)(rate * warmup.TotalSeconds / 2), rate, users);
            await PublishAsync("warm-up", inboxes, current, publishers, drain, new PhaseMonitor([]));
            current = null;

            await Task.Delay(500);
            var idle = watched.ToDictionary(w => w.Key, w => Math.Round(Proc.RssBytes(w.Value) / 1048576.0, 1));
            var results = new List<StreamRun>();
            for (var run = 1; run <= runs; run++)
            {
                var baseline = new Tracker($"b{run}", (int)(rate * baselineSeconds.TotalSeconds), rate, users);
                current = baseline;
                var inProcess = await PublishAsync("in-process observer", baselineInboxes, baseline, publishers, drain, new PhaseMonitor(watched, trees: trees));
                CallerMode.Log($"run {run}: in-process   {Describe(inProcess)}");

                var signalR = new Tracker($"s{run}", (int)(rate * seconds.TotalSeconds), rate, users);
                current = signalR;
                var viaGateway = await PublishAsync("SignalR client via gateway", inboxes, signalR, publishers, drain, new PhaseMonitor(watched, trees: trees));
                CallerMode.Log($"run {run}: SignalR      {Describe(viaGateway)}");
                current = null;
                results.Add(new StreamRun(run, inProcess, viaGateway));
                if (connections.FirstOrDefault(c => c.State != HubConnectionState.Connected) is { } closed)
                {
                    throw new InvalidOperationException($"a hub connection is {closed.State}");
                }
            }

            foreach (var inbox in baselineInboxes)
            {
                await inbox.UnsubscribeAsync(observerReference);
            }

            // Orleans holds an observer weakly: this process must keep it alive for as long as it is subscribed.
            GC.KeepAlive(observer);

            await BenchJson.WriteAsync(output, new StreamReport(
                "stream", gateway.ToString(), rate, seconds.TotalSeconds, baselineSeconds.TotalSeconds, users, publishers, idle, results));
            return 0;
        }
        finally
        {
            foreach (var connection in connections)
            {
                await connection.DisposeAsync();
            }

            await host.StopAsync();
        }
    }

    private static string Describe(StreamPhaseResult r)
        => $"{r.Delivered}/{r.Published} delivered, p50 {r.P50Ms} ms, p99 {r.P99Ms} ms, max {r.MaxMs} ms (appended {r.AppendedPerSecond:N0}/s, append p99 {r.AppendP99Ms} ms)";

    /// <summary>Registers a fresh user and signs in through the gateway's HTTP API.</summary>
    private static async Task<(Guid UserId, string AccessToken)> SignInAsync(Uri gateway)
    {
        using var http = new HttpClient { BaseAddress = gateway, Timeout = TimeSpan.FromSeconds(60) };
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
    /// Appends the tracker's notifications on schedule, round-robin over the inboxes: one dispatcher
    /// thread hands each index, when its time comes (never earlier), to a pool of
    /// <paramref name="publishers"/> appenders; an append that has to wait for a free appender is
    /// still timed from its scheduled time. Then waits up to <paramref name="drain"/> for deliveries.
    /// </summary>
    private static async Task<StreamPhaseResult> PublishAsync(string path, INotificationInboxGrain[] inboxes, Tracker tracker, int publishers, TimeSpan drain, PhaseMonitor monitor)
    {
        var due = Channel.CreateUnbounded<int>(new UnboundedChannelOptions { SingleWriter = true });
        long errors = 0;
        var startedUnixSeconds = DateTimeOffset.UtcNow.ToUnixTimeMilliseconds() / 1000.0;
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
                        await inboxes[i % inboxes.Length].AppendAsync(tracker.Event(i));
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
        { IsBackground = true, Name = "append dispatcher", Priority = ThreadPriority.AboveNormal };
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
            Load.Timeline(inOrder, (int)Math.Max(1, tracker.Rate / 2), 0.5),
            startedUnixSeconds,
            DateTimeOffset.UtcNow.ToUnixTimeMilliseconds() / 1000.0);
    }

    /// <summary>The baseline's receiver: a grain observer in this process, as a gateway's relay is in its own.</summary>
    private sealed class Observer(Func<Tracker?> current) : INotificationObserver
    {
        public Dictionary<Guid, int> Lanes { get; } = [];

        public Task OnNotificationAsync(Guid userId, InboxNotification notification)
        {
            current()?.Deliver(notification.Notification.Title, Stopwatch.GetTimestamp(), Lanes.GetValueOrDefault(userId));
            return Task.CompletedTask;
        }
    }

    /// <summary>The schedule, append and delivery times of one phase's notifications, by index (titles are <c>tag:index</c>).</summary>
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

        /// <summary>Arrivals on one lane whose index was lower than an earlier arrival's there (appends to one inbox may commit out of schedule order when two wait for it).</summary>
        public long OutOfOrder => Interlocked.Read(ref _outOfOrder);

        /// <summary>Lanes (users, SignalR connections) that received at least one notification.</summary>
        public int DeliveredLanes => _laneSeen.Count(seen => seen);

        public void Begin(long start) => _start = start;

        public long ScheduledAt(int i) => _start + (long)(i * (Stopwatch.Frequency / rate));

        public UserNotification Event(int i)
            => new(Guid.NewGuid(), Kind, _prefix + i.ToString(CultureInfo.InvariantCulture), "Appended by bench/cluster; createdAt is the append time.", DateTimeOffset.UtcNow);

        public void Published(int i, long at)
        {
            _published[i] = at;
            Interlocked.Increment(ref _publishedCount);
        }

        /// <summary>Called by one delivery loop per lane (a SignalR connection's handler, or the in-process observer).</summary>
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

            lock (_laneSeen)
            {
                _laneSeen[lane] = true;
                if (i < _lastIndex[lane])
                {
                    _outOfOrder++;
                }

                _lastIndex[lane] = Math.Max(_lastIndex[lane], i);
            }

            Interlocked.Increment(ref _deliveredCount);
        }

        /// <summary>Sorted delivery latencies of the appended notifications (never delivered = long.MaxValue), sorted append latencies, and delivery latencies in schedule order.</summary>
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
