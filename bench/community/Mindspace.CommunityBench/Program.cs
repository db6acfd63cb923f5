// Community feed benchmark. Seeds P posts in one tag (random likes), then for each target: a closed
// loop of C requests in flight (peak), then an open loop at half that peak (fixed arrival rate,
// latency measured from each request's scheduled start, so queueing counts).
//   dotnet run -c Release --project bench/community/Mindspace.CommunityBench -- [posts] [concurrency] [seconds]
// Prints one JSON line per target and phase.
using System.Diagnostics;
using System.Net.Http.Json;
using System.Text.Json;
using Microsoft.Data.Sqlite;
using Mindspace.Gateway.Hosting;
using Mindspace.Grains.Interfaces.Community;

var posts = args.Length > 0 ? int.Parse(args[0]) : 2_000;
var concurrency = args.Length > 1 ? int.Parse(args[1]) : 16;
var seconds = args.Length > 2 ? int.Parse(args[2]) : 10;
var dataDir = Directory.CreateTempSubdirectory("mindspace-communitybench").FullName;
const string Tag = "bench";

var app = MindspaceGateway.Build([], builder =>
{
    builder.Configuration.AddInMemoryCollection(new Dictionary<string, string?>
    {
        ["urls"] = "http://127.0.0.1:0",
        ["DATA_DIR"] = dataDir,
        ["RATE_LIMIT_AUTH_PER_MINUTE"] = "1000000",
        ["RATE_LIMIT_USER_PER_MINUTE"] = "1000000",
        ["Logging:LogLevel:Default"] = "Warning",
    });
});

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
var email = $"reader-{Guid.NewGuid():N}@example.test";
await anonymous.PostAsJsonAsync("/api/v1/auth/register", new { email, password = "bench-password-42", displayName = "Reader" });
var login = await (await anonymous.PostAsJsonAsync("/api/v1/auth/login", new { email, password = "bench-password-42" })).Content.ReadFromJsonAsync<JsonElement>();
using var client = new HttpClient { BaseAddress = new Uri(url) };
client.DefaultRequestHeaders.Authorization = new("Bearer", login.GetProperty("accessToken").GetString());

var check = await client.GetFromJsonAsync<JsonElement>($"/api/v1/posts?sort=hot&tag={Tag}&limit=20");
if (check.GetProperty("items").GetArrayLength() != Math.Min(20, posts))
{
    throw new InvalidOperationException("The hot feed did not return a full page.");
}

object Summary(string target, string phase, List<double> all, int errors, double elapsed, double? rate)
{
    all.Sort();
    double P(double q) => all.Count == 0 ? double.NaN : all[Math.Min(all.Count - 1, (int)(q * all.Count))];
    return new { target, phase, posts, concurrency, seconds, offeredPerSecond = rate, ok = all.Count, errors, perSecond = Math.Round(all.Count / elapsed, 1), p50Ms = Math.Round(P(0.50), 2), p99Ms = Math.Round(P(0.99), 2), maxMs = Math.Round(all.Count == 0 ? double.NaN : all[^1], 2) };
}

async Task<(object Result, double PerSecond)> ClosedAsync(string name, string path)
{
    var latencies = new List<double>[concurrency];
    var errors = 0;
    var measuring = false;
    var stop = false;
    var workers = Enumerable.Range(0, concurrency).Select(async w =>
    {
        latencies[w] = [];
        while (!Volatile.Read(ref stop))
        {
            var start = Stopwatch.GetTimestamp();
            using var response = await client.GetAsync(path);
            await response.Content.LoadIntoBufferAsync();
            var ms = Stopwatch.GetElapsedTime(start).TotalMilliseconds;
            if (Volatile.Read(ref measuring))
            {
                if (response.IsSuccessStatusCode)
                {
                    latencies[w].Add(ms);
                }
                else
                {
                    Interlocked.Increment(ref errors);
                }
            }
        }
    }).ToList();
    await Task.Delay(TimeSpan.FromSeconds(2));
    Volatile.Write(ref measuring, true);
    var from = Stopwatch.GetTimestamp();
    await Task.Delay(TimeSpan.FromSeconds(seconds));
    Volatile.Write(ref measuring, false);
    var elapsed = Stopwatch.GetElapsedTime(from).TotalSeconds;
    Volatile.Write(ref stop, true);
    await Task.WhenAll(workers);
    var all = latencies.SelectMany(l => l).ToList();
    return (Summary(name, "closed-loop peak", all, errors, elapsed, null), all.Count / elapsed);
}

async Task<object> OpenAsync(string name, string path, double rate)
{
    var latencies = new List<double>();
    var errors = 0;
    var inFlight = new List<Task>();
    var interval = Stopwatch.Frequency / rate;
    var begin = Stopwatch.GetTimestamp();
    var count = (int)(rate * seconds);
    for (var i = 0; i < count; i++)
    {
        var scheduled = begin + (long)(i * interval);
        while (Stopwatch.GetTimestamp() < scheduled)
        {
            var wait = (scheduled - Stopwatch.GetTimestamp()) * 1000 / Stopwatch.Frequency;
            if (wait > 2)
            {
                await Task.Delay((int)wait - 1);
            }
            else
            {
                await Task.Yield();
            }
        }

        inFlight.Add(Task.Run(async () =>
        {
            using var response = await client.GetAsync(path);
            await response.Content.LoadIntoBufferAsync();
            var ms = (Stopwatch.GetTimestamp() - scheduled) * 1000.0 / Stopwatch.Frequency;
            lock (latencies)
            {
                if (response.IsSuccessStatusCode)
                {
                    latencies.Add(ms);
                }
                else
                {
                    errors++;
                }
            }
        }));
    }

    await Task.WhenAll(inFlight);
    return Summary(name, "open loop at 50% of peak", latencies, errors, Stopwatch.GetElapsedTime(begin).TotalSeconds, Math.Round(rate, 1));
}

var targets = new (string Name, string Path)[]
{
    ("table-scan-sqlite", "/bench/table-scan-hot"),
    ("feed-grain-http", $"/api/v1/posts?sort=hot&tag={Tag}&limit=20"),
    ("feed-grain-bare", "/bench/grain-hot"),
};
double? baselineHalf = null;
foreach (var (name, path) in targets)
{
    var (peak, perSecond) = await ClosedAsync(name, path);
    Console.WriteLine(JsonSerializer.Serialize(peak));
    Console.WriteLine(JsonSerializer.Serialize(await OpenAsync(name, path, Math.Max(1, perSecond / 2))));
    if (baselineHalf is { } same)
    {
        // The same offered load as the baseline's half peak: like against like.
        Console.WriteLine(JsonSerializer.Serialize(await OpenAsync(name + " (at the baseline's rate)", path, same)));
    }

    baselineHalf ??= Math.Max(1, perSecond / 2);
}

await app.StopAsync();
Directory.Delete(dataDir, recursive: true);
