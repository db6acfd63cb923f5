// Community feed benchmark. Seeds P posts in one tag (random likes), then for each target: a closed
// loop of C connections with wrk (peak), then an open loop at half that peak with bench/http's
// Mindspace.LoadDriver (fixed arrival rate, latency from each request's scheduled start, so queueing
// counts). Both run as their own processes; this one only hosts the gateway and the baselines.
//   dotnet run -c Release --project bench/community/Mindspace.CommunityBench -- [posts] [concurrency] [seconds]
// Prints one JSON line per target and phase.
using System.Diagnostics;
using System.Net.Http.Json;
using System.Text.Json;
using Microsoft.Data.Sqlite;
using Mindspace.Bench;
using Mindspace.Grains.Interfaces.Community;

var posts = args.Length > 0 ? int.Parse(args[0]) : 2_000;
var concurrency = args.Length > 1 ? int.Parse(args[1]) : 16;
var seconds = args.Length > 2 ? int.Parse(args[2]) : 10;
const string Tag = "bench";

var (app, dataDir) = BenchHost.Build("communitybench");

var baselineDb = $"Data Source={Path.Combine(dataDir, "baseline.db")};Pooling=true";
using (var setup = new SqliteConnection(baselineDb))
{
    setup.Open();
    using var command = setup.CreateCommand();
    command.CommandText = """
        PRAGMA journal_mode=WAL;
        CREATE TABLE posts (id TEXT PRIMARY KEY, tag TEXT NOT NULL, title TEXT NOT NULL, excerpt TEXT NOT NULL, likes INTEGER NOT NULL, created_ms INTEGER NOT NULL);
        CREATE INDEX posts_tag ON posts (tag);
        """;
    command.ExecuteNonQuery();
}

// The HTTP ceiling of this process: Kestrel answering a constant.
app.MapGet("/bench/constant", () => Results.Ok(new { status = "ok" }));

// The conventional way: every request reads the tag's rows, scores them (same formula), sorts, takes a page.
app.MapGet("/bench/table-scan-hot", () =>
{
    using var connection = new SqliteConnection(baselineDb);
    connection.Open();
    using var query = connection.CreateCommand();
    query.CommandText = "SELECT id, title, excerpt, likes, created_ms FROM posts WHERE tag = $tag";
    query.Parameters.AddWithValue("$tag", Tag);
    using var reader = query.ExecuteReader();
    var rows = new List<(double Score, string Id, string Title, string Excerpt, int Likes)>();
    while (reader.Read())
    {
        var likes = reader.GetInt32(3);
        rows.Add((FeedSorts.HotScore(likes, DateTimeOffset.FromUnixTimeMilliseconds(reader.GetInt64(4))), reader.GetString(0), reader.GetString(1), reader.GetString(2), likes));
    }

    return Results.Ok(new { items = rows.OrderByDescending(r => r.Score).Take(20).Select(r => new { postId = r.Id, title = r.Title, excerpt = r.Excerpt, likes = r.Likes }) });
});

// The feed grain alone (no authentication, no validation): what the HTTP endpoint adds is the difference.
app.MapGet("/bench/grain-hot", async (IGrainFactory grains) =>
    Results.Ok(await grains.GetGrain<IPostFeedGrain>(FeedKeys.OfTag(Tag)).QueryAsync(new FeedQuery(FeedSorts.Hot, "all", DateTimeOffset.UtcNow, null, 20))));

await app.StartAsync();
var url = app.Urls.First();
var grainFactory = app.Services.GetRequiredService<IGrainFactory>();

// Seed: posts through their grains (which push to the feeds), likes through the post grains, and the same rows in the baseline table.
var seedWatch = Stopwatch.StartNew();
var random = new Random(42);
var author = Guid.NewGuid();
var likers = Enumerable.Range(0, 8).Select(_ => Guid.NewGuid()).ToArray();
using (var connection = new SqliteConnection(baselineDb))
{
    connection.Open();
    for (var start = 0; start < posts; start += 50)
    {
        var batch = Enumerable.Range(start, Math.Min(50, posts - start)).ToList();
        var created = await Task.WhenAll(batch.Select(async i =>
        {
            var id = Guid.CreateVersion7();
            var result = await grainFactory.GetGrain<IPostGrain>(id).CreateAsync(new NewPost(author, "Bench", $"Post {i}", $"Body of post {i}, a few words long.", [Tag], false));
            var likes = random.Next(0, 100) < 20 ? random.Next(1, likers.Length) : 0;
            for (var l = 0; l < likes; l++)
            {
                await grainFactory.GetGrain<IPostGrain>(id).SetLikeAsync(likers[l], true);
            }

            return (id, result.Post!, likes);
        }));
        using var transaction = connection.BeginTransaction();
        foreach (var (id, post, likes) in created)
        {
            using var insert = connection.CreateCommand();
            insert.Transaction = transaction;
            insert.CommandText = "INSERT INTO posts VALUES ($id, $tag, $title, $excerpt, $likes, $ms)";
            insert.Parameters.AddWithValue("$id", id.ToString());
            insert.Parameters.AddWithValue("$tag", Tag);
            insert.Parameters.AddWithValue("$title", post.Title);
            insert.Parameters.AddWithValue("$excerpt", post.Body);
            insert.Parameters.AddWithValue("$likes", likes);
            insert.Parameters.AddWithValue("$ms", post.CreatedAt.ToUnixTimeMilliseconds());
            insert.ExecuteNonQuery();
        }

        transaction.Commit();
    }
}

Console.Error.WriteLine($"seeded {posts} posts in {seedWatch.Elapsed.TotalSeconds:F1} s");

using var anonymous = new HttpClient { BaseAddress = new Uri(url) };
var tokens = new List<string>();
for (var r = 0; r < concurrency; r++)
{
    tokens.Add(await BenchHost.SignInAsync(anonymous, $"reader-{Guid.NewGuid():N}@example.test", "Reader"));
}

var tokensFile = ExternalLoad.WriteTokens(tokens);
using var client = BenchHost.Client(new Uri(url), tokens[0]);
var feedPath = $"/api/v1/posts?sort=hot&tag={Tag}&limit=20";
var check = await client.GetFromJsonAsync<JsonElement>(feedPath);
if (check.GetProperty("items").GetArrayLength() != Math.Min(20, posts))
{
    throw new InvalidOperationException("The hot feed did not return a full page.");
}

// Load comes from other processes: wrk for the closed-loop peak (16 connections, one user's token
// each), Mindspace.LoadDriver for the open loop at half of that peak (see bench/shared/ExternalLoad.cs).
var targets = new (string Name, string Path, bool Authenticated)[]
{
    ("kestrel-constant", "/bench/constant", false),
    ("table-scan-sqlite", "/bench/table-scan-hot", false),
    ("feed-grain-http", feedPath, true),
    ("feed-grain-bare", "/bench/grain-hot", false),
};
double? baselineHalf = null;
foreach (var (name, path, authenticated) in targets)
{
    var target = url.TrimEnd('/') + path;
    var tokensFor = authenticated ? tokensFile : null;
    await ExternalLoad.PeakAsync(target, tokensFor, concurrency, 2); // warm-up, not recorded
    var peak = await ExternalLoad.PeakAsync(target, tokensFor, concurrency, seconds);
    Print(name, "closed-loop peak (wrk)", peak.OkPerSecond, null, peak.NonSuccess, peak.P50Ms, peak.P99Ms, peak.MaxMs);
    var half = await ExternalLoad.OpenLoopAsync(target, Math.Max(1, peak.OkPerSecond / 2), tokensFor, seconds);
    Print(name, "open loop at 50% of peak (LoadDriver)", half.OkPerSecond, half.OfferedPerSecond, half.Errors, half.P50Ms, half.P99Ms, half.MaxMs);
    if (name != "kestrel-constant")
    {
        if (baselineHalf is { } same)
        {
            // The same offered load as the table scan's half peak: like against like.
            var like = await ExternalLoad.OpenLoopAsync(target, same, tokensFor, seconds);
            Print(name, "open loop at the table scan's half-peak rate", like.OkPerSecond, like.OfferedPerSecond, like.Errors, like.P50Ms, like.P99Ms, like.MaxMs);
        }

        baselineHalf ??= Math.Max(1, peak.OkPerSecond / 2);
    }
}

File.Delete(tokensFile);
await app.StopAsync();
Directory.Delete(dataDir, recursive: true);

void Print(string target, string phase, double perSecond, double? offered, long errors, double p50, double p99, double max) =>
    Console.WriteLine(JsonSerializer.Serialize(new { target, phase, posts, connections = concurrency, seconds, offeredPerSecond = offered, perSecond, errors, p50Ms = p50, p99Ms = p99, maxMs = max }));
