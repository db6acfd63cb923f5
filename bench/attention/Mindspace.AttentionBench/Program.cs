// Attention and friction benchmarks against a gateway in this process (embedded mode, SQLite), each
// beside a baseline endpoint in the same process and run:
//  1. ticks accepted per second: POST /api/v1/attention/ticks (batches of 500, acknowledged = stored)
//     against an endpoint with the same authentication that only reads the same JSON body;
//  2. decision latency at a fixed rate (open loop, default 1,000 req/s): GET /api/v1/focus/decision
//     for a user with 10 rule sets against an authenticated endpoint answering a constant decision.
// Usage: dotnet run -c Release --project bench/attention/Mindspace.AttentionBench -- [seconds] [users] [rate]
using System.Collections.Concurrent;
using System.Diagnostics;
using System.Globalization;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http.Features;
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

async Task<(double P50, double P99, double Max, int Errors)> DecisionLatencyAsync(string path)
{
    var latencies = new ConcurrentBag<double>();
    var errors = 0;
    var total = rate * seconds;
    var interval = TimeSpan.FromSeconds(1.0 / rate);
    var clock = Stopwatch.StartNew();
    var inFlight = new List<Task>(total);
    string[] urls = ["https://www.youtube.com/watch?v=1", "https://news.example/today", "https://github.com/", "https://shop.example/cart", "https://x.com/home"];
    for (var i = 0; i < total; i++)
    {
        var due = interval * i;
        var wait = due - clock.Elapsed;
        if (wait > TimeSpan.FromMilliseconds(1))
        {
            await Task.Delay(wait);
        }

        var client = clients[0];
        var url = urls[i % urls.Length];
        inFlight.Add(Task.Run(async () =>
        {
            try
            {
                using var response = await client.GetAsync($"{path}?url={Uri.EscapeDataString(url)}");
                await response.Content.LoadIntoBufferAsync();
                if (!response.IsSuccessStatusCode)
                {
                    Interlocked.Increment(ref errors);
                }
            }
            catch (HttpRequestException)
            {
                Interlocked.Increment(ref errors);
            }

            // From when the request was due, so a stall counts against every request it delays.
            latencies.Add((clock.Elapsed - due).TotalMilliseconds);
        }));
    }

    await Task.WhenAll(inFlight);
    var sorted = latencies.Order().ToArray();
    return (sorted[sorted.Length / 2], sorted[(int)(sorted.Length * 0.99)], sorted[^1], errors);
}

// The decision user: 10 rule sets, some ticks today.
for (var i = 0; i < 10; i++)
{
    var rule = new { name = $"Rule {i}", sites = new[] { $"site{i}.example", "youtube.com", "*.news.example" }, allow = new[] { "youtube.com/feed/lectures" }, action = i % 2 == 0 ? "pause" : "block", pauseSeconds = 10, limit = i < 5 ? new { minutes = 30, per = "day" } : null };
    (await clients[0].PostAsJsonAsync("/api/v1/focus/rules", rule)).EnsureSuccessStatusCode();
}

Console.WriteLine("warming up");
await TicksPerSecondAsync("/bench/baseline/ticks");
await TicksPerSecondAsync("/api/v1/attention/ticks");
await DecisionLatencyAsync("/bench/baseline/decision");
await DecisionLatencyAsync("/api/v1/focus/decision");

var results = new StringBuilder();
for (var run = 1; run <= 2; run++)
{
    var baselineTicks = await TicksPerSecondAsync("/bench/baseline/ticks");
    var ticks = await TicksPerSecondAsync("/api/v1/attention/ticks");
    var baselineDecision = await DecisionLatencyAsync("/bench/baseline/decision");
    var decision = await DecisionLatencyAsync("/api/v1/focus/decision");
    var line = string.Create(CultureInfo.InvariantCulture,
        $"run {run}: ticks accepted {ticks:N0}/s (baseline, body read only: {baselineTicks:N0}/s, {ticks / baselineTicks:P0}); " +
        $"decision at {rate}/s p50 {decision.P50:F2} ms p99 {decision.P99:F2} ms max {decision.Max:F1} ms errors {decision.Errors} " +
        $"(baseline p50 {baselineDecision.P50:F2} ms p99 {baselineDecision.P99:F2} ms max {baselineDecision.Max:F1} ms errors {baselineDecision.Errors})");
    Console.WriteLine(line);
    results.AppendLine(line);
}

await app.StopAsync();
await app.DisposeAsync();
dataDirectory.Delete(recursive: true);
