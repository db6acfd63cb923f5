// SQLite record writes with and without group commit, in the same run (issue 8: embedded p99 at half of peak).
//
//   dotnet run -c Release --project bench/sqlite/Mindspace.SqliteBench -- [seconds] [repetitions]
//
// For each mode, alternately ("one commit per write": MaxWritesPerCommit = 1, the same code committing
// every write alone, as before group commit; "group commit": the default), on a fresh database file:
//   1. peak: 64 closed-loop writers put check-in-sized records (64 owners, time-ordered keys);
//   2. latency at 50% of that mode's peak: writes sent open loop at a fixed rate, timed from their
//      scheduled send ("alone"); then again while reads of the newest 20 records of one owner run
//      open loop at 1,000/s beside them.
// Prints one JSON line per run and a summary with medians.
using System.Diagnostics;
using System.Text;
using System.Text.Json;
using Mindspace.Silo.Storage.Sqlite;

var seconds = args.Length > 0 ? double.Parse(args[0], System.Globalization.CultureInfo.InvariantCulture) : 3;
var repetitions = args.Length > 1 ? int.Parse(args[1], System.Globalization.CultureInfo.InvariantCulture) : 3;
const int Writers = 64;
const int Owners = 64;
const string Table = "checkin_entries";
var payload = Encoding.UTF8.GetBytes(JsonSerializer.Serialize(new
{
    id = Guid.CreateVersion7(),
    text = "A slow morning, tea by the window, then a short walk before work; felt steadier after.",
    mood = 4,
    tags = new[] { "bench", "morning" },
    createdAt = DateTimeOffset.UnixEpoch,
}));

var results = new List<Run>();
for (var repetition = 0; repetition < repetitions; repetition++)
{
    foreach (var (mode, limit) in new[] { ("one commit per write", 1), ("group commit", SqliteDatabase.MaxBatchSize) })
    {
        var run = await MeasureAsync(mode, limit);
        results.Add(run);
        Console.WriteLine(JsonSerializer.Serialize(run));
    }
}

Console.WriteLine();
Console.WriteLine($"{"median of " + repetitions,-22} {"peak/s",9} {"writes/commit",14} {"alone p99",10} {"write p50",10} {"write p99",10} {"read p50",9} {"read p99",9}");
foreach (var group in results.GroupBy(run => run.Mode))
{
    Console.WriteLine(
        $"{group.Key,-22} {Median(group.Select(r => r.PeakPerSecond)),9:F0} {Median(group.Select(r => r.WritesPerCommit)),14:F1} {Median(group.Select(r => r.WriteAloneP99Ms)),10:F2} " +
        $"{Median(group.Select(r => r.WriteP50Ms)),10:F2} {Median(group.Select(r => r.WriteP99Ms)),10:F2} " +
        $"{Median(group.Select(r => r.ReadP50Ms)),9:F2} {Median(group.Select(r => r.ReadP99Ms)),9:F2}");
}

static double Median(IEnumerable<double> values)
{
    var sorted = values.Order().ToArray();
    return sorted.Length % 2 == 1 ? sorted[sorted.Length / 2] : (sorted[(sorted.Length / 2) - 1] + sorted[sorted.Length / 2]) / 2;
}

async Task<Run> MeasureAsync(string mode, int limit)
{
    var directory = Directory.CreateTempSubdirectory("mindspace-sqlitebench-");
    try
    {
        using var database = new SqliteDatabase(Path.Combine(directory.FullName, "mindspace.db"), new SqliteStorageOptions { MaxWritesPerCommit = limit });
        var store = new SqliteRecordStore(database);
        long sequence = 0;
        Task Put() => store.PutAsync(Table, "user" + (Interlocked.Increment(ref sequence) % Owners), Interlocked.Read(ref sequence).ToString("D12", System.Globalization.CultureInfo.InvariantCulture) + Guid.NewGuid(), payload, CancellationToken.None);

        // Warm-up (table creation, JIT, pool), then the closed-loop peak.
        await Task.WhenAll(Enumerable.Range(0, 200).Select(_ => Put()));
        var counts = database.WriteCounts;
        var stop = Stopwatch.StartNew();
        var window = TimeSpan.FromSeconds(seconds);
        var done = 0L;
        await Task.WhenAll(Enumerable.Range(0, Writers).Select(async _ =>
        {
            await Task.Yield();
            while (stop.Elapsed < window)
            {
                await Put();
                Interlocked.Increment(ref done);
            }
        }));
        var peak = done / stop.Elapsed.TotalSeconds;
        var after = database.WriteCounts;
        var writesPerCommit = (after.Writes - counts.Writes) / (double)Math.Max(1, after.Commits - counts.Commits);

        // Open loop at half of this mode's peak, reads beside the writes.
        var alone = await OpenLoopAsync(peak / 2, Put);
        var reads = OpenLoopAsync(1000, () => store.QueryAsync(Table, "user7", new Mindspace.Grains.Records.RecordQuery(Descending: true, Limit: 20), CancellationToken.None));
        var writeLatencies = await OpenLoopAsync(peak / 2, Put);
        var readLatencies = await reads;
        return new Run(mode, peak, writesPerCommit, Percentile(alone, 0.99), Percentile(writeLatencies, 0.50), Percentile(writeLatencies, 0.99), Percentile(readLatencies, 0.50), Percentile(readLatencies, 0.99));
    }
    finally
    {
        Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
        directory.Delete(recursive: true);
    }
}

async Task<List<double>> OpenLoopAsync(double rate, Func<Task> operation)
{
    var interval = TimeSpan.FromSeconds(1 / rate);
    var count = (int)(rate * seconds);
    var latencies = new double[count];
    var pending = new List<Task>(count);
    var clock = Stopwatch.StartNew();
    for (var i = 0; i < count; i++)
    {
        var scheduled = interval * i;
        var wait = scheduled - clock.Elapsed;
        if (wait > TimeSpan.FromMilliseconds(1))
        {
            await Task.Delay(wait);
        }

        var index = i;
        pending.Add(Timed(index, scheduled));
    }

    await Task.WhenAll(pending);
    return [.. latencies];

    async Task Timed(int index, TimeSpan scheduled)
    {
        await operation();
        latencies[index] = (clock.Elapsed - scheduled).TotalMilliseconds;
    }
}

static double Percentile(List<double> values, double quantile)
{
    if (values.Count == 0)
    {
        return double.NaN;
    }

    var sorted = values.Order().ToArray();
    return sorted[Math.Min(sorted.Length - 1, (int)Math.Ceiling(quantile * sorted.Length) - 1)];
}

internal sealed record Run(string Mode, double PeakPerSecond, double WritesPerCommit, double WriteAloneP99Ms, double WriteP50Ms, double WriteP99Ms, double ReadP50Ms, double ReadP99Ms);
