using System.Collections.Concurrent;
using System.Diagnostics;
using System.Globalization;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.AspNetCore.SignalR.Client;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Mindspace.Gateway.Hosting;
using Mindspace.Grains.Interfaces.Therapist;
using Mindspace.Testing;

// bench/therapist: the companion with the deterministic engine (no model), in one process on SQLite.
//   1. Send → first `token`, one message at a time, against a same-run baseline: the `Resume` round trip
//      (one hub invocation, one grain call). 2. The same under concurrency. 3. How many idle
//      conversations (activated grains with a turn each) one node holds per GB of managed heap.
var users = Arg("--users", 40);
var messages = Arg("--messages", 25);
var concurrency = Arg("--concurrency", 16);
var conversations = Arg("--conversations", 5_000);
var json = args.SkipWhile(a => a != "--json").Skip(1).FirstOrDefault() ?? Path.Combine("bench", "results", "therapist.json");

using var data = new TempDirectory("mindspace-therapist-bench");
var settings = new Dictionary<string, string?>
{
    ["urls"] = "http://127.0.0.1:0",
    ["DATA_DIR"] = data.Path,
    ["SILO_PORT"] = LoopbackPorts.Free().ToString(CultureInfo.InvariantCulture),
    ["GATEWAY_PORT"] = LoopbackPorts.Free().ToString(CultureInfo.InvariantCulture),
    ["Logging:LogLevel:Default"] = "Warning",
    ["RATE_LIMIT_AUTH_PER_MINUTE"] = "1000000",
    ["RATE_LIMIT_USER_PER_MINUTE"] = "1000000",
    ["THERAPIST_MESSAGES_PER_MINUTE"] = "10000",
};
var app = MindspaceGateway.Build([], builder =>
{
    builder.Configuration.AddInMemoryCollection(settings);
    builder.Logging.SetMinimumLevel(LogLevel.Warning);
});
await app.StartAsync();
var baseAddress = new Uri(app.Services.GetRequiredService<IServer>().Features.GetRequiredFeature<IServerAddressesFeature>().Addresses.First());
Console.WriteLine($"gateway at {baseAddress}; {users} users, {messages} messages each, concurrency {concurrency}");

string[] texts =
[
    "I had a long day at work and I feel a bit flat.",
    "I'm worried about my exam tomorrow.",
    "My sister didn't call me back and I feel lonely.",
    "This homework is killing me.",
    "I keep thinking I'm not good enough.",
    "I went for a walk and it helped a little.",
    "I feel stressed about money.",
    "Nothing much, just tired.",
];

var clients = new List<BenchUser>();
for (var i = 0; i < users; i++)
{
    clients.Add(await BenchUser.CreateAsync(baseAddress, i));
}

// Warm up every path (JIT, grain activation, tables).
foreach (var client in clients)
{
    await client.SendAsync(texts[0]);
}

var baseline = new List<double>();
var firstToken = new List<double>();
var whole = new List<double>();
for (var round = 0; round < messages; round++)
{
    foreach (var client in clients)
    {
        var (first, all) = await client.SendAsync(texts[(round + client.Index) % texts.Length]);
        firstToken.Add(first);
        whole.Add(all);
        baseline.Add(await client.ResumeRoundTripAsync());
    }
}

Report("Resume round trip (baseline)", baseline);
Report("Send → first token", firstToken);
Report("Send → complete message", whole);

var concurrentFirst = new ConcurrentBag<double>();
var clock = Stopwatch.StartNew();
await Parallel.ForEachAsync(clients.Take(concurrency), new ParallelOptions { MaxDegreeOfParallelism = concurrency }, async (client, _) =>
{
    for (var round = 0; round < messages; round++)
    {
        var (first, _) = await client.SendAsync(texts[(round * 3 + client.Index) % texts.Length]);
        concurrentFirst.Add(first);
    }
});
var concurrentSeconds = clock.Elapsed.TotalSeconds;
Report($"Send → first token, {concurrency} concurrent users", [.. concurrentFirst]);
var turnsPerSecond = concurrentFirst.Count / concurrentSeconds;
Console.WriteLine($"  throughput: {turnsPerSecond:0} turns/s");

// Idle conversations one node holds: activate conversations with one turn each and weigh the heap.
var grains = app.Services.GetRequiredService<IGrainFactory>();
GC.Collect(2, GCCollectionMode.Forced, true, true);
var heapBefore = GC.GetTotalMemory(true);
var owner = Guid.NewGuid();
await Parallel.ForEachAsync(Enumerable.Range(0, conversations), new ParallelOptions { MaxDegreeOfParallelism = 32 }, async (i, _) =>
{
    var conversation = grains.GetGrain<IConversationGrain>(TherapistRules.ConversationKey(owner, Guid.NewGuid()));
    await conversation.CreateAsync("bench");
    await conversation.BeginTurnAsync("c", texts[i % texts.Length]);
    await conversation.CompleteTurnAsync(new TurnReply("c", "I'm listening. What's been on your mind most today?", ReplySources.Engine, null, null));
});
GC.Collect(2, GCCollectionMode.Forced, true, true);
var heapAfter = GC.GetTotalMemory(true);
var bytesPerConversation = (heapAfter - heapBefore) / (double)conversations;
Console.WriteLine($"{conversations} active conversations: {bytesPerConversation / 1024:0.0} KiB of managed heap each → {1024.0 * 1024 * 1024 / bytesPerConversation:0} per GiB");

Directory.CreateDirectory(Path.GetDirectoryName(Path.GetFullPath(json))!);
await File.WriteAllTextAsync(json, JsonSerializer.Serialize(new
{
    measuredAt = DateTimeOffset.UtcNow,
    users,
    messages,
    concurrency,
    baselineMs = Summary(baseline),
    firstTokenMs = Summary(firstToken),
    wholeReplyMs = Summary(whole),
    concurrentFirstTokenMs = Summary([.. concurrentFirst]),
    turnsPerSecond,
    conversations,
    bytesPerConversation,
}, new JsonSerializerOptions { WriteIndented = true }));
Console.WriteLine($"wrote {json}");

foreach (var client in clients)
{
    await client.DisposeAsync();
}

await app.StopAsync();
return 0;

int Arg(string name, int fallback)
    => args.SkipWhile(a => a != name).Skip(1).FirstOrDefault() is { } raw ? int.Parse(raw, CultureInfo.InvariantCulture) : fallback;

static object Summary(List<double> samples)
{
    samples.Sort();
    double At(double p) => samples[Math.Min(samples.Count - 1, (int)Math.Ceiling(p * samples.Count) - 1)];
    return new { count = samples.Count, p50 = At(0.50), p90 = At(0.90), p99 = At(0.99), max = samples[^1] };
}

static void Report(string name, List<double> samples)
{
    samples.Sort();
    double At(double p) => samples[Math.Min(samples.Count - 1, (int)Math.Ceiling(p * samples.Count) - 1)];
    Console.WriteLine($"{name}: n={samples.Count} p50={At(0.5):0.00} ms p90={At(0.9):0.00} ms p99={At(0.99):0.00} ms max={samples[^1]:0.00} ms");
}

/// <summary>A signed-in user with a conversation and a hub connection.</summary>
internal sealed class BenchUser : IAsyncDisposable
{
    private readonly HubConnection _hub;
    private readonly string _conversation;
    private readonly ConcurrentDictionary<string, TaskCompletionSource> _firstTokens = new();
    private int _sent;

    private BenchUser(int index, HubConnection hub, string conversation)
    {
        Index = index;
        _hub = hub;
        _conversation = conversation;
        _hub.On<JsonElement>("token", token =>
        {
            if (_firstTokens.TryGetValue(token.GetProperty("clientMessageId").GetString()!, out var first))
            {
                first.TrySetResult();
            }
        });
    }

    public int Index { get; }

    public static async Task<BenchUser> CreateAsync(Uri baseAddress, int index)
    {
        using var http = new HttpClient { BaseAddress = baseAddress };
        var email = $"bench-{index}-{Guid.NewGuid():N}@example.test";
        (await http.PostAsJsonAsync("/api/v1/auth/register", new { email, password = "calm-waters-42", displayName = "Bench" })).EnsureSuccessStatusCode();
        var login = await (await http.PostAsJsonAsync("/api/v1/auth/login", new { email, password = "calm-waters-42" })).Content.ReadFromJsonAsync<JsonElement>();
        var token = login.GetProperty("accessToken").GetString()!;
        http.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", token);
        (await http.PostAsync("/api/v1/therapist/notice", null)).EnsureSuccessStatusCode();
        var created = await (await http.PostAsJsonAsync("/api/v1/therapist/conversations", new { title = "bench" })).Content.ReadFromJsonAsync<JsonElement>();
        var hub = new HubConnectionBuilder()
            .WithUrl(new Uri(baseAddress, "/hubs/therapist"), options => options.AccessTokenProvider = () => Task.FromResult<string?>(token))
            .Build();
        await hub.StartAsync();
        return new BenchUser(index, hub, created.GetProperty("id").GetString()!);
    }

    /// <returns>Milliseconds from invoking Send to the first token, and to the completed invocation.</returns>
    public async Task<(double FirstToken, double Whole)> SendAsync(string text)
    {
        var id = $"{Index}-{Interlocked.Increment(ref _sent)}";
        var first = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        _firstTokens[id] = first;
        var clock = Stopwatch.StartNew();
        var invocation = _hub.InvokeAsync<JsonElement>("Send", new { conversationId = _conversation, text, clientMessageId = id });
        await first.Task;
        var firstToken = clock.Elapsed.TotalMilliseconds;
        await invocation;
        _firstTokens.TryRemove(id, out _);
        return (firstToken, clock.Elapsed.TotalMilliseconds);
    }

    public async Task<double> ResumeRoundTripAsync()
    {
        var clock = Stopwatch.StartNew();
        await _hub.InvokeAsync<JsonElement>("Resume", _conversation, long.MaxValue - 1);
        return clock.Elapsed.TotalMilliseconds;
    }

    public async ValueTask DisposeAsync() => await _hub.DisposeAsync();
}
