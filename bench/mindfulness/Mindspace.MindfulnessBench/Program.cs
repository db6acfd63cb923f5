// Mindfulness benchmark: closed loop, C requests in flight, 2 s warm-up then S seconds measured, per target.
//   dotnet run -c Release --project bench/mindfulness/Mindspace.MindfulnessBench -- [concurrency] [seconds]
// Prints one JSON line per target: requests/s, p50, p99, errors.
//   audio-range:           GET /api/v1/mindfulness/meditations/breathing-space/audio with a 64 KiB Range at a random offset
//   baseline-range:        the same bytes from a bare endpoint (byte[] file result with range processing, no catalogue, no ETag work of ours)
//   session-log:           POST /api/v1/mindfulness/sessions (signed in: JWT, validation, the user's mindfulness grain, one row)
//   baseline-session-log:  one SQLite INSERT per request behind a minimal endpoint with no authentication
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json;
using Microsoft.Data.Sqlite;
using Mindspace.Bench;

var concurrency = args.Length > 0 ? int.Parse(args[0]) : 16;
var seconds = args.Length > 1 ? int.Parse(args[1]) : 10;
const int RangeBytes = 64 * 1024;
const string Meditation = "breathing-space";
var (app, dataDir) = BenchHost.Build("mindfulnessbench", new Dictionary<string, string?> { ["SHOP_SEED_CATALOG"] = "false" });

// Baseline 1: the same WAV bytes served by a bare file result with range processing.
byte[]? wav = null;
app.MapGet("/bench/baseline-audio", () => Results.File(wav!, "audio/wav", enableRangeProcessing: true));

// Baseline 2: a session row written by one SQLite INSERT per request.
var baselineDb = $"Data Source={Path.Combine(dataDir, "baseline.db")};Pooling=true";
using (var setup = new SqliteConnection(baselineDb))
{
    setup.Open();
    using var command = setup.CreateCommand();
    command.CommandText = """
        PRAGMA journal_mode=WAL;
        CREATE TABLE sessions (id TEXT PRIMARY KEY, user_id TEXT NOT NULL, kind TEXT NOT NULL, item_id TEXT NOT NULL, minutes INTEGER NOT NULL, completed_at TEXT NOT NULL);
        """;
    command.ExecuteNonQuery();
}

app.MapPost("/bench/baseline-session", async (HttpContext http) =>
{
    var body = await JsonSerializer.DeserializeAsync<JsonElement>(http.Request.Body);
    using var connection = new SqliteConnection(baselineDb);
    connection.Open();
    using var insert = connection.CreateCommand();
    insert.CommandText = "INSERT INTO sessions VALUES ($id, $user, $kind, $item, $minutes, $at)";
    var id = Guid.CreateVersion7();
    insert.Parameters.AddWithValue("$id", id.ToString());
    insert.Parameters.AddWithValue("$user", Guid.NewGuid().ToString());
    insert.Parameters.AddWithValue("$kind", body.GetProperty("kind").GetString());
    insert.Parameters.AddWithValue("$item", body.GetProperty("itemId").GetString());
    insert.Parameters.AddWithValue("$minutes", body.GetProperty("minutes").GetInt32());
    insert.Parameters.AddWithValue("$at", DateTimeOffset.UtcNow.ToString("O"));
    insert.ExecuteNonQuery();
    return Results.Created($"/bench/sessions/{id}", new { id });
});

await app.StartAsync();
var url = app.Urls.First();
using var anonymous = new HttpClient { BaseAddress = new Uri(url) };
wav = await anonymous.GetByteArrayAsync($"/api/v1/mindfulness/meditations/{Meditation}/audio");
Console.Error.WriteLine($"audio: {wav.Length:N0} bytes");

var people = await Task.WhenAll(Enumerable.Range(0, concurrency).Select(async i =>
    BenchHost.Client(new Uri(url), await BenchHost.SignInAsync(anonymous, $"sitter{i}-{Guid.NewGuid():N}@example.test"))));

HttpRequestMessage RangeRequest(string path)
{
    var from = Random.Shared.NextInt64(0, wav.Length - RangeBytes);
    var request = new HttpRequestMessage(HttpMethod.Get, path);
    request.Headers.Range = new RangeHeaderValue(from, from + RangeBytes - 1);
    return request;
}

async Task<bool> RangeOkAsync(HttpResponseMessage response)
{
    var bytes = await response.Content.ReadAsByteArrayAsync();
    return response.StatusCode == System.Net.HttpStatusCode.PartialContent && bytes.Length == RangeBytes;
}

var session = new { kind = "meditation", itemId = Meditation, minutes = 10 };
var results = new[]
{
    await ClosedLoop.RunAsync("audio-range", people, seconds, async c => { using var r = await c.SendAsync(RangeRequest($"/api/v1/mindfulness/meditations/{Meditation}/audio")); return await RangeOkAsync(r); }),
    await ClosedLoop.RunAsync("baseline-range", people, seconds, async c => { using var r = await c.SendAsync(RangeRequest("/bench/baseline-audio")); return await RangeOkAsync(r); }),
    await ClosedLoop.RunAsync("session-log", people, seconds, async c => { using var r = await c.PostAsJsonAsync("/api/v1/mindfulness/sessions", session); return r.StatusCode == System.Net.HttpStatusCode.Created; }),
    await ClosedLoop.RunAsync("baseline-session-log", people, seconds, async c => { using var r = await c.PostAsJsonAsync("/bench/baseline-session", session); return r.StatusCode == System.Net.HttpStatusCode.Created; }),
};
foreach (var result in results)
{
    Console.WriteLine(JsonSerializer.Serialize(result));
}

await app.StopAsync();
Directory.Delete(dataDir, recursive: true);
