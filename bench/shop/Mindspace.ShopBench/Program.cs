// Checkout benchmark: closed loop, C requests in flight, each a whole checkout of one unit.
//   dotnet run -c Release --project bench/shop/Mindspace.ShopBench -- [concurrency] [seconds]
// Prints one JSON line per target: requests/s, p50, p99, errors.
using System.Diagnostics;
using System.Net.Http.Json;
using System.Text.Json;
using Microsoft.Data.Sqlite;
using Mindspace.Gateway.Hosting;

var concurrency = args.Length > 0 ? int.Parse(args[0]) : 32;
var seconds = args.Length > 1 ? int.Parse(args[1]) : 15;
var dataDir = Directory.CreateTempSubdirectory("mindspace-shopbench").FullName;
const string AdminEmail = "bench-admin@example.test";

var app = MindspaceGateway.Build([], builder =>
{
    builder.Configuration.AddInMemoryCollection(new Dictionary<string, string?>
    {
        ["urls"] = "http://127.0.0.1:0",
        ["DATA_DIR"] = dataDir,
        ["ADMIN_EMAILS"] = AdminEmail,
        ["SHOP_SEED_CATALOG"] = "false",
        ["RATE_LIMIT_AUTH_PER_MINUTE"] = "1000000",
        ["RATE_LIMIT_USER_PER_MINUTE"] = "1000000",
        ["Logging:LogLevel:Default"] = "Warning",
    });
});

// The conventional baseline: the same checkout as one SQLite transaction per request.
var baselineDb = $"Data Source={Path.Combine(dataDir, "baseline.db")};Pooling=true";
using (var setup = new SqliteConnection(baselineDb))
{
    setup.Open();
    using var command = setup.CreateCommand();
    command.CommandText = """
        PRAGMA journal_mode=WAL;
        CREATE TABLE stock (product_id TEXT PRIMARY KEY, on_hand INTEGER NOT NULL);
        CREATE TABLE orders (id TEXT PRIMARY KEY, user_id TEXT NOT NULL, product_id TEXT NOT NULL, quantity INTEGER NOT NULL, total INTEGER NOT NULL, created_at TEXT NOT NULL);
        INSERT INTO stock VALUES ('p1', 100000000);
        """;
    command.ExecuteNonQuery();
}

app.MapPost("/bench/conventional-checkout", (HttpContext http) =>
{
    using var connection = new SqliteConnection(baselineDb);
    connection.Open();
    using var transaction = connection.BeginTransaction();
    using var take = connection.CreateCommand();
    take.Transaction = transaction;
    take.CommandText = "UPDATE stock SET on_hand = on_hand - 1 WHERE product_id = 'p1' AND on_hand >= 1";
    if (take.ExecuteNonQuery() != 1)
    {
        return Results.Conflict();
    }

    using var insert = connection.CreateCommand();
    insert.Transaction = transaction;
    insert.CommandText = "INSERT INTO orders VALUES ($id, $user, 'p1', 1, 1500, $at)";
    var id = Guid.CreateVersion7();
    insert.Parameters.AddWithValue("$id", id.ToString());
    insert.Parameters.AddWithValue("$user", Guid.NewGuid().ToString());
    insert.Parameters.AddWithValue("$at", DateTimeOffset.UtcNow.ToString("O"));
    insert.ExecuteNonQuery();
    transaction.Commit();
    return Results.Created($"/bench/orders/{id}", new { id, status = "created", total = 1500 });
});

await app.StartAsync();
var url = app.Urls.First();
using var anonymous = new HttpClient { BaseAddress = new Uri(url) };

async Task<HttpClient> SignInAsync(string email)
{
    await anonymous.PostAsJsonAsync("/api/v1/auth/register", new { email, password = "bench-password-42", displayName = "Bench" });
    var login = await (await anonymous.PostAsJsonAsync("/api/v1/auth/login", new { email, password = "bench-password-42" })).Content.ReadFromJsonAsync<JsonElement>();
    var client = new HttpClient { BaseAddress = new Uri(url) };
    client.DefaultRequestHeaders.Authorization = new("Bearer", login.GetProperty("accessToken").GetString());
    return client;
}

var admin = await SignInAsync(AdminEmail);
var product = await (await admin.PostAsJsonAsync("/api/v1/products", new
{
    name = "Bench journal", description = "For the benchmark.", price = 1500, currency = "EUR", category = "journals", stock = 1_000_000, active = true,
})).Content.ReadFromJsonAsync<JsonElement>();
var productId = product.GetProperty("id").GetGuid();
var buyers = await Task.WhenAll(Enumerable.Range(0, concurrency).Select(i => SignInAsync($"buyer{i}-{Guid.NewGuid():N}@example.test")));

async Task<object> RunAsync(string name, Func<HttpClient, Task<HttpResponseMessage>> send)
{
    // Warm-up, then a measured closed loop.
    var warmUntil = Stopwatch.GetTimestamp() + Stopwatch.Frequency * 2;
    var latencies = new List<double>[concurrency];
    var errors = 0;
    var measuring = false;
    var stopAt = long.MaxValue;
    var workers = Enumerable.Range(0, concurrency).Select(async w =>
    {
        latencies[w] = [];
        while (Stopwatch.GetTimestamp() < Volatile.Read(ref stopAt))
        {
            var start = Stopwatch.GetTimestamp();
            using var response = await send(buyers[w]);
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
    _ = warmUntil;
    Volatile.Write(ref measuring, true);
    var measuredFrom = Stopwatch.GetTimestamp();
    await Task.Delay(TimeSpan.FromSeconds(seconds));
    Volatile.Write(ref measuring, false);
    var elapsed = Stopwatch.GetElapsedTime(measuredFrom).TotalSeconds;
    Volatile.Write(ref stopAt, 0);
    await Task.WhenAll(workers);
    var all = latencies.SelectMany(l => l).Order().ToList();
    double P(double q) => all.Count == 0 ? double.NaN : all[Math.Min(all.Count - 1, (int)(q * all.Count))];
    return new { target = name, concurrency, seconds, ok = all.Count, errors, perSecond = Math.Round(all.Count / elapsed, 1), p50Ms = Math.Round(P(0.50), 2), p99Ms = Math.Round(P(0.99), 2) };
}

var orleans = await RunAsync("orleans-checkout", client => client.PostAsJsonAsync("/api/v1/orders",
    new { items = new[] { new { productId, quantity = 1 } } }));
Console.WriteLine(JsonSerializer.Serialize(orleans));
var conventional = await RunAsync("conventional-sqlite-checkout", client => client.PostAsync("/bench/conventional-checkout", null));
Console.WriteLine(JsonSerializer.Serialize(conventional));

await app.StopAsync();
Directory.Delete(dataDir, recursive: true);
