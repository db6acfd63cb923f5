// Attention and friction benchmarks against a gateway in this process (embedded mode, SQLite), each
// beside a baseline endpoint in the same process and run:
//  1. ticks accepted per second: POST /api/v1/attention/ticks (batches of 500, acknowledged = stored)
//     against an endpoint with the same authentication that only reads the same JSON body;
//  2. decision latency at a fixed rate (open loop from bench/http's LoadDriver in its own process,
//     default 1,000 req/s): GET /api/v1/focus/decision for a user with 10 rule sets, for a site no
//     rule matches and for one that is paused, against an authenticated endpoint answering a constant.
// Usage: dotnet run -c Release --project bench/attention/Mindspace.AttentionBench -- [seconds] [users] [rate]
using System.Diagnostics;
using System.Globalization;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http.Features;
using Mindspace.AttentionBench;
using Mindspace.Bench;
using Mindspace.Gateway.Attention;
using Mindspace.Gateway.Auth;
using Mindspace.Gateway.Hosting;

var seconds = args.Length > 0 ? int.Parse(args[0], CultureInfo.InvariantCulture) : 10;
var userCount = args.Length > 1 ? int.Parse(args[1], CultureInfo.InvariantCulture) : 32;
var rate = args.Length > 2 ? int.Parse(args[2], CultureInfo.InvariantCulture) : 1_000;
const int BatchSize = 500;

var dataDirectory = Directory.CreateTempSubdirectory("mindspace-attention-bench");
var app = MindspaceGateway.Build([], builder => builder.Configuration.AddInMemoryCollection(new Dictionary<string, string?>
{
    ["urls"] = "http://127.0.0.1:0",
    ["DATA_DIR"] = dataDirectory.FullName,
    ["Logging:LogLevel:Default"] = "Warning",
    ["RATE_LIMIT_AUTH_PER_MINUTE"] = "1000000",
    ["RATE_LIMIT_USER_PER_MINUTE"] = "1000000",
    ["JWT_EXPIRES_IN"] = "1d",
}));

// Baselines: the same authentication and body reading, no grain call and no storage.
app.MapPost("/bench/baseline/ticks", (TickBatchRequest request) => TypedResults.Ok(new TickBatchResponse(request.Ticks?.Count ?? 0, 0, 0)))
    .RequireAuthorization(AuthPolicies.Member)
    .WithMetadata(new Microsoft.AspNetCore.Mvc.RequestSizeLimitAttribute(AttentionApi.MaxTickBatchBytes));
app.MapGet("/bench/baseline/decision", (string? url) => TypedResults.Ok(new { action = "allow", delaySeconds = 0, ruleId = (Guid?)null, reason = "Nothing stands in the way.", usedTodayMinutes = 0, attemptsToday = 0, url }))
    .RequireAuthorization(AuthPolicies.Member);

await app.StartAsync();
var baseAddress = new Uri(app.Services.GetRequiredService<IServer>().Features.GetRequiredFeature<IServerAddressesFeature>().Addresses.First());
var handler = new SocketsHttpHandler { MaxConnectionsPerServer = 256, PooledConnectionLifetime = TimeSpan.FromMinutes(10) };
using var anonymous = new HttpClient(handler, disposeHandler: false) { BaseAddress = baseAddress };

Console.WriteLine($"gateway {baseAddress}, {Environment.ProcessorCount} cores, {seconds} s per run, {userCount} users, decisions at {rate}/s");
var tokens = new List<string>();
for (var i = 0; i < userCount; i++)
{
    var email = $"bench-{i}-{Guid.NewGuid():N}@example.test";
    (await anonymous.PostAsJsonAsync("/api/v1/auth/register", new { email, password = "calm-waters-42", displayName = "Bench" })).EnsureSuccessStatusCode();
    var login = await (await anonymous.PostAsJsonAsync("/api/v1/auth/login", new { email, password = "calm-waters-42" })).Content.ReadFromJsonAsync<JsonElement>();
    tokens.Add(login.GetProperty("accessToken").GetString()!);
}

var clients = tokens.Select(token =>
{
    var client = new HttpClient(handler, disposeHandler: false) { BaseAddress = baseAddress };
    client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", token);
    return client;
}).ToList();

string[] sites = [.. Enumerable.Range(0, 20).Select(i => $"site{i}.example.com")];

// Each batch covers one hour of one user's browsing (a browser catching up), in a different hour
// of the last 29 days each time, so a batch costs one hour-row read and one write, as a late batch does.
byte[] Batch(int user, long sequence)
{
    var hour = DateTimeOffset.UtcNow.AddHours(-2 - (sequence % 690));
    var start = new DateTimeOffset(hour.Year, hour.Month, hour.Day, hour.Hour, 0, 0, TimeSpan.Zero);
    var ticks = new object[BatchSize];
    for (var i = 0; i < BatchSize; i++)
    {
        ticks[i] = new
        {
            id = $"{user}-{sequence}-{i}",
            ts = start.AddSeconds(i * 7),
            site = sites[(i / 25) % sites.Length],
            focused = true,
            idle = false,
            audible = false,
            durationSec = 5,
        };
    }

    return JsonSerializer.SerializeToUtf8Bytes(new { ticks }, JsonSerializerOptions.Web);
}

async Task<double> TicksPerSecondAsync(string path)
{
    long accepted = 0;
    long sequence = 0;
    var stop = Stopwatch.StartNew();
    var duration = TimeSpan.FromSeconds(seconds);
    await Task.WhenAll(clients.Select(async (client, user) =>
    {
        while (stop.Elapsed < duration)
        {
            var body = new ByteArrayContent(Batch(user, Interlocked.Increment(ref sequence)));
            body.Headers.ContentType = new MediaTypeHeaderValue("application/json");
            using var response = await client.PostAsync(path, body);
            response.EnsureSuccessStatusCode();
            var ack = await response.Content.ReadFromJsonAsync<JsonElement>();
            Interlocked.Add(ref accepted, ack.GetProperty("accepted").GetInt32());
        }
    }));
    return accepted / stop.Elapsed.TotalSeconds;
}

// Decisions come from bench/http's Mindspace.LoadDriver in its own process at a fixed rate, latency
// counted from when each request was due (a stall counts against every request it delays); a
// generator inside this process would compete with the gateway for the same thread pool.
var decisionTokens = ExternalLoad.WriteTokens([tokens[0]]);
Task<OpenLoopResult> DecisionLatencyAsync(string path, string site) =>
    ExternalLoad.OpenLoopAsync($"{baseAddress.ToString().TrimEnd('/')}{path}?url={Uri.EscapeDataString(site)}", rate, decisionTokens, seconds);

// The decision user: 10 rule sets, some ticks today.
for (var i = 0; i < 10; i++)
{
    var rule = new { name = $"Rule {i}", sites = new[] { $"site{i}.example", "youtube.com", "*.news.example" }, allow = new[] { "youtube.com/feed/lectures" }, action = i % 2 == 0 ? "pause" : "block", pauseSeconds = 10, limit = i < 5 ? new { minutes = 30, per = "day" } : null };
    (await clients[0].PostAsJsonAsync("/api/v1/focus/rules", rule)).EnsureSuccessStatusCode();
}

const string PausedSite = "https://www.youtube.com/watch?v=1"; // matches rule sets with limits: pause or block
const string AllowedSite = "https://github.com/"; // matches nothing: allow
// Ticks are stored before they are acknowledged, yet this process can stay busy for seconds after the
// tick phase's last answer (collecting the batches' garbage, finishing compilation after the warm-up):
// decisions measured then measure that left-over work, not the decision. So every decision phase waits
// until the process has been idle (under 5% of a core, nothing written) for two whole seconds in a row,
// and every decision run reports the process's CPU during it.
async Task SettleAsync()
{
    var before = ProcessActivity.Now();
    var (waited, idle) = await ProcessActivity.SettleAsync(idleCpuPercent: 5, quietSeconds: 2, limit: TimeSpan.FromMinutes(2));
    Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"  settled after the ticks in {waited.TotalSeconds:F0} s{(idle ? "" : " (NOT idle: gave up waiting)")}; meanwhile {ProcessActivity.Now().DescribeSince(before)}"));
}

using var serverDurations = new ServerDurations();

async Task<(OpenLoopResult Result, string Activity)> MeasuredAsync(Func<Task<OpenLoopResult>> run)
{
    var before = ProcessActivity.Now();
    serverDurations.Restart();
    var result = await run();
    var after = ProcessActivity.Now();
    // The driver's warm-up second is inside the window too, so this is per request offered, warm-up included.
    var requests = rate * (seconds + 1.0);
    var cpuPerRequest = (after.CpuSeconds - before.CpuSeconds) / requests * 1e6;
    var allocatedPerRequest = after.AllocatedBytesSince(before) is { } allocated
        ? string.Create(CultureInfo.InvariantCulture, $"{allocated / requests:N0} bytes allocated")
        : "bytes allocated n/a (the process's allocation counter went backwards: see ProcessActivity.AllocatedBytesSince)";
    return (result, string.Create(CultureInfo.InvariantCulture, $"{serverDurations.Describe()}; {after.DescribeSince(before)}; per request {cpuPerRequest:F0} µs CPU, {allocatedPerRequest}"));
}

Console.WriteLine("warming up");
await TicksPerSecondAsync("/bench/baseline/ticks");
await TicksPerSecondAsync("/api/v1/attention/ticks");
await SettleAsync();
await DecisionLatencyAsync("/bench/baseline/decision", AllowedSite);
await DecisionLatencyAsync("/api/v1/focus/decision", PausedSite);

var results = new StringBuilder();
for (var run = 1; run <= 2; run++)
{
    var baselineTicks = await TicksPerSecondAsync("/bench/baseline/ticks");
    var ticks = await TicksPerSecondAsync("/api/v1/attention/ticks");
    await SettleAsync();
    var (baselineDecision, baselineActivity) = await MeasuredAsync(() => DecisionLatencyAsync("/bench/baseline/decision", AllowedSite));
    var (allowed, allowedActivity) = await MeasuredAsync(() => DecisionLatencyAsync("/api/v1/focus/decision", AllowedSite));
    var (paused, pausedActivity) = await MeasuredAsync(() => DecisionLatencyAsync("/api/v1/focus/decision", PausedSite));
    static string Latency(OpenLoopResult r) => string.Create(CultureInfo.InvariantCulture, $"p50 {r.P50Ms:F2} ms p99 {r.P99Ms:F2} ms max {r.MaxMs:F1} ms errors {r.Errors}");
    var line = string.Create(CultureInfo.InvariantCulture,
        $"run {run}: ticks accepted {ticks:N0}/s (baseline, body read only: {baselineTicks:N0}/s, {ticks / baselineTicks:P0}); " +
        $"decisions at {rate}/s: allow {Latency(allowed)}; pause {Latency(paused)} " +
        $"(baseline constant decision {Latency(baselineDecision)}; driver dispatch lag p99 {baselineDecision.DispatchLagP99Ms:F2} ms)\n" +
        $"  during the constant decisions: {baselineActivity}\n  during allow: {allowedActivity}\n  during pause: {pausedActivity}");
    Console.WriteLine(line);
    results.AppendLine(line);
}

File.Delete(decisionTokens);
await app.StopAsync();
await app.DisposeAsync();
dataDirectory.Delete(recursive: true);
