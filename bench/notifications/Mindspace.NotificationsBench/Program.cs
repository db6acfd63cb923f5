// Notification delivery benchmark, one embedded gateway in this process.
//   dotnet run -c Release --project bench/notifications/Mindspace.NotificationsBench -- [notifications] [seconds] [concurrency]
// 1. Hub latency: INotificationInboxGrain.NotifyAsync (store, then push) until a real SignalR client
//    (WebSockets) receives it, one at a time; baseline: GET /api/v1/notifications/unread-count over
//    HTTP (same host, auth and a grain call, no write, no push).
// 2. Append throughput: C appends in flight across C users' inboxes for S seconds; baseline: the same
//    loop calling GetUnreadCountAsync (a grain call that writes nothing).
// Prints one JSON line per measurement.
using System.Diagnostics;
using System.Net.Http.Json;
using System.Text.Json;
using System.Threading.Channels;
using Microsoft.AspNetCore.SignalR.Client;
using Mindspace.Bench;
using Mindspace.Grains.Interfaces.Notifications;

var count = args.Length > 0 ? int.Parse(args[0]) : 500;
var seconds = args.Length > 1 ? int.Parse(args[1]) : 10;
var concurrency = args.Length > 2 ? int.Parse(args[2]) : 16;
var (app, dataDir) = BenchHost.Build("notifybench");
await app.StartAsync();
var url = new Uri(app.Urls.First());
var grains = app.Services.GetRequiredService<IGrainFactory>();
using var anonymous = new HttpClient { BaseAddress = url };

async Task<(Guid UserId, string Token)> SignInAsync(string email)
{
    var token = await BenchHost.SignInAsync(anonymous, email);
    using var client = BenchHost.Client(url, token);
    var me = await client.GetFromJsonAsync<JsonElement>("/api/v1/me");
    return (me.GetProperty("userId").GetGuid(), token);
}

static void Print(object line) => Console.WriteLine(JsonSerializer.Serialize(line));

static double Percentile(List<double> sorted, double p) => sorted[Math.Clamp((int)Math.Ceiling(p * sorted.Count) - 1, 0, sorted.Count - 1)];

// 1. Hub latency.
var (userId, token) = await SignInAsync("bench-hub@example.test");
var received = Channel.CreateUnbounded<long>();
var hub = new HubConnectionBuilder().WithUrl(new Uri(url, "/hubs/notifications"), o => o.AccessTokenProvider = () => Task.FromResult<string?>(token)).Build();
hub.On<JsonElement>("notification", n => received.Writer.TryWrite(Stopwatch.GetTimestamp()));
await hub.StartAsync();
while (received.Reader.TryRead(out _))
{
}

var inbox = grains.GetGrain<INotificationInboxGrain>(userId);
using var http = new HttpClient { BaseAddress = url };
http.DefaultRequestHeaders.Authorization = new("Bearer", token);
for (var i = 0; i < 20; i++)
{
    // Warm-up, including the sign-in notification the hub may replay.
    await inbox.NotifyAsync(new UserNotification(Guid.NewGuid(), "community.bench", "Warm-up", "Warm-up.", DateTimeOffset.UtcNow));
    await http.GetAsync("/api/v1/notifications/unread-count");
}

await Task.Delay(500);
while (received.Reader.TryRead(out _))
{
}

var hubLatencies = new List<double>(count);
var baseline = new List<double>(count);
for (var i = 0; i < count; i++)
{
    var start = Stopwatch.GetTimestamp();
    await inbox.NotifyAsync(new UserNotification(Guid.NewGuid(), "community.bench", "Bench", "A notification.", DateTimeOffset.UtcNow));
    var at = await received.Reader.ReadAsync();
    hubLatencies.Add(Stopwatch.GetElapsedTime(start, at).TotalMilliseconds);

    start = Stopwatch.GetTimestamp();
    (await http.GetAsync("/api/v1/notifications/unread-count")).EnsureSuccessStatusCode();
    baseline.Add(Stopwatch.GetElapsedTime(start).TotalMilliseconds);
}

hubLatencies.Sort();
baseline.Sort();
Print(new { measurement = "notify-to-signalr-receipt", count, p50Ms = Percentile(hubLatencies, 0.5), p99Ms = Percentile(hubLatencies, 0.99) });
Print(new { measurement = "baseline-http-unread-count", count, p50Ms = Percentile(baseline, 0.5), p99Ms = Percentile(baseline, 0.99) });
await hub.DisposeAsync();

// 2. Append throughput against a read-only grain call.
var users = new List<Guid>();
for (var i = 0; i < concurrency; i++)
{
    users.Add((await SignInAsync($"bench-append-{i}@example.test")).UserId);
}

async Task<(double PerSecond, double P50, double P99)> LoopAsync(Func<INotificationInboxGrain, Task> call)
{
    var deadline = Stopwatch.GetTimestamp() + (long)(seconds * Stopwatch.Frequency);
    var latencies = new List<double>[concurrency];
    await Task.WhenAll(users.Select(async (user, index) =>
    {
        var box = grains.GetGrain<INotificationInboxGrain>(user);
        var mine = latencies[index] = [];
        while (Stopwatch.GetTimestamp() < deadline)
        {
            var start = Stopwatch.GetTimestamp();
            await call(box);
            mine.Add(Stopwatch.GetElapsedTime(start).TotalMilliseconds);
        }
    }));
    var all = latencies.SelectMany(l => l).Order().ToList();
    return (all.Count / (double)seconds, Percentile(all, 0.5), Percentile(all, 0.99));
}

var appends = await LoopAsync(box => box.AppendAsync(new UserNotification(Guid.NewGuid(), "community.bench", "Bench", "A notification.", DateTimeOffset.UtcNow)));
var reads = await LoopAsync(box => box.GetUnreadCountAsync());
Print(new { measurement = "inbox-append", concurrency, seconds, perSecond = appends.PerSecond, p50Ms = appends.P50, p99Ms = appends.P99 });
Print(new { measurement = "baseline-unread-count-grain-call", concurrency, seconds, perSecond = reads.PerSecond, p50Ms = reads.P50, p99Ms = reads.P99 });

await app.StopAsync();
Directory.Delete(dataDir, recursive: true);
