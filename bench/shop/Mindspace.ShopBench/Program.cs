// Checkout benchmark: closed loop, C requests in flight, each a whole checkout of one unit.
//   dotnet run -c Release --project bench/shop/Mindspace.ShopBench -- [concurrency] [seconds]
// Prints one JSON line per target: requests/s, p50, p99, errors.
using System.Net.Http.Json;
using System.Text.Json;
using Microsoft.Data.Sqlite;
using Mindspace.Bench;

var concurrency = args.Length > 0 ? int.Parse(args[0]) : 32;
var seconds = args.Length > 1 ? int.Parse(args[1]) : 15;
const string AdminEmail = "bench-admin@example.test";

var (app, dataDir) = BenchHost.Build("shopbench", new Dictionary<string, string?> { ["ADMIN_EMAILS"] = AdminEmail, ["SHOP_SEED_CATALOG"] = "false" });

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

async Task<HttpClient> SignInAsync(string email) => BenchHost.Client(new Uri(url), await BenchHost.SignInAsync(anonymous, email));

var admin = await SignInAsync(AdminEmail);
var product = await (await admin.PostAsJsonAsync("/api/v1/products", new
{
    name = "Bench journal", description = "For the benchmark.", price = 1500, currency = "EUR", category = "journals", stock = 1_000_000, active = true,
})).Content.ReadFromJsonAsync<JsonElement>();
var productId = product.GetProperty("id").GetGuid();
var buyers = await Task.WhenAll(Enumerable.Range(0, concurrency).Select(i => SignInAsync($"buyer{i}-{Guid.NewGuid():N}@example.test")));

var orleans = await ClosedLoop.RunAsync("orleans-checkout", buyers, seconds, async client =>
{
    using var response = await client.PostAsJsonAsync("/api/v1/orders", new { items = new[] { new { productId, quantity = 1 } } });
    return response.IsSuccessStatusCode;
});
Console.WriteLine(JsonSerializer.Serialize(orleans));
var conventional = await ClosedLoop.RunAsync("conventional-sqlite-checkout", buyers, seconds, async client =>
{
    using var response = await client.PostAsync("/bench/conventional-checkout", null);
    return response.IsSuccessStatusCode;
});
Console.WriteLine(JsonSerializer.Serialize(conventional));

await app.StopAsync();
Directory.Delete(dataDir, recursive: true);
