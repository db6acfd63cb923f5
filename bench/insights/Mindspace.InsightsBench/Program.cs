using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Net.Sockets;
using System.Text.Json;
using Microsoft.Data.Sqlite;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Mindspace.Grains.Analytics;
using Mindspace.Grains.Interfaces;
using Mindspace.Grains.Interfaces.CheckIns;
using Mindspace.Grains.Interfaces.Reports;
using Mindspace.Grains.Interfaces.Users;
using Mindspace.Grains.Reports;
using Mindspace.Silo;
using NodaTime;

// Weekly digests for many users and "better days" learning, on an embedded silo (SQLite), with a
// hand-moved product clock. Usage: Mindspace.InsightsBench [--users N] [--check-ins-per-user N] [--json FILE]
var users = 10_000;
var perUser = 7;
var json = Path.Combine("bench", "results", "insights.json");
var mlOnly = false;
for (var i = 0; i < args.Length; i++)
{
    switch (args[i])
    {
        case "--users": users = int.Parse(args[++i], CultureInfo.InvariantCulture); break;
        case "--check-ins-per-user": perUser = int.Parse(args[++i], CultureInfo.InvariantCulture); break;
        case "--json": json = args[++i]; break;
        case "--ml-only": mlOnly = true; break;
        default: Console.Error.WriteLine($"Unknown argument {args[i]}"); return 2;
    }
}

const int Concurrency = 32;
var figures = new List<object>();
void Report(string name, double value, string unit, string note)
{
    Console.WriteLine($"{name,-62} {value,12:N2} {unit,-10} {note}");
    figures.Add(new { name, median = Math.Round(value, 3), unit, note });
}

// 1. The digest's words and chart alone, in memory: a week of 7 check-ins plus three earlier weeks.
{
    var random = new Random(1);
    var weekStart = new LocalDate(2026, 3, 23);
    var histories = Enumerable.Range(0, 2_000).Select(_ => DayAggregate.ByDay(Signals(random, weekStart.PlusDays(-21), 28, 7 * 4))).ToList();
    var written = DateTimeOffset.UtcNow;
    foreach (var history in histories.Take(200))
    {
        WeeklyDigestWriter.Write(weekStart, history, written); // warm up
    }

    var (wall, cpu) = Measure(() =>
    {
        foreach (var history in histories)
        {
            WeeklyDigestWriter.Write(weekStart, history, written);
        }

        return Task.CompletedTask;
    }).GetAwaiter().GetResult();
    Report("digest text + SVG only (in memory), per user", cpu.TotalMicroseconds / histories.Count, "µs CPU", $"{histories.Count} users, wall {wall.TotalMilliseconds / histories.Count * 1000:N0} µs each");
}

// 2. "What goes with your better days": cross-validated FastTree per user, in memory.
foreach (var checkIns in new[] { 60, 365, 1_000 })
{
    var random = new Random(checkIns);
    var people = Enumerable.Range(0, 10).Select(_ => Signals(random, new LocalDate(2025, 6, 1), Math.Max(30, checkIns / 2), checkIns)).ToList();
    BetterDaysLearner.Learn(people[0], DateTimeOffset.UtcNow); // warm up
    var (wall, cpu) = await Measure(() =>
    {
        foreach (var person in people)
        {
            BetterDaysLearner.Learn(person, DateTimeOffset.UtcNow);
        }

        return Task.CompletedTask;
    });
    Report($"better-days model ({checkIns} check-ins), per user", cpu.TotalMilliseconds / people.Count, "ms CPU", $"wall {wall.TotalMilliseconds / people.Count:N0} ms each (5-fold CV + final model)");
}

if (mlOnly)
{
    return 0;
}

// 3. Digests for many users through the grains: the reminder's work (profile, 4 weeks of check-ins, write, store, notify).
var clock = new HandClock(DateTimeOffset.Parse("2026-03-20T12:00:00Z", CultureInfo.InvariantCulture));
var directory = Directory.CreateTempSubdirectory("mindspace-insights-bench-").FullName;
var builder = Host.CreateApplicationBuilder(new HostApplicationBuilderSettings { DisableDefaults = true, EnvironmentName = "Production" });
builder.Configuration.AddInMemoryCollection(new Dictionary<string, string?>
{
    [SiloSettings.DataDirectoryKey] = directory,
    [SiloSettings.SiloPortKey] = FreePort().ToString(CultureInfo.InvariantCulture),
    [SiloSettings.GatewayPortKey] = FreePort().ToString(CultureInfo.InvariantCulture),
});
builder.Logging.ClearProviders();
builder.Services.AddKeyedSingleton<TimeProvider>(MindspaceClock.Key, clock);
builder.AddMindspaceOrleans(SiloRole.HostsGrains);
using var host = builder.Build();
await host.StartAsync();
var grains = host.Services.GetRequiredService<IGrainFactory>();

// One real registration; the other profiles are copies of its stored row under new ids, so setup
// does not spend 10,000 password hashes (PBKDF2) on something the digest never does.
var template = Guid.NewGuid();
await grains.GetGrain<IUserGrain>(template).RegisterAsync(new NewUser("bench@example.test", "Bench", "Europe/Berlin", "a long bench passphrase", false, null));
var ids = Enumerable.Range(0, users).Select(_ => Guid.NewGuid()).ToList();
await CloneProfilesAsync(Path.Combine(directory, "mindspace.db"), template, ids);

var setup = Stopwatch.StartNew();
var seedRandom = new Random(7);
var moments = Enumerable.Range(0, perUser).Select(i => DateTimeOffset.Parse("2026-03-23T07:00:00Z", CultureInfo.InvariantCulture).AddHours(i * (7 * 24.0 / perUser))).ToList();
foreach (var moment in moments)
{
    clock.Set(moment);
    await ForEachAsync(ids, id => grains.GetGrain<ICheckInsGrain>(id).RecordMoodAsync(new NewMood(seedRandom.Next(1, 6), seedRandom.Next(3) == 0 ? ["walk"] : [], null)));
}

Console.WriteLine($"setup: {users:N0} users × {perUser} check-ins in {setup.Elapsed.TotalSeconds:N0} s");

// Monday 30 March, 08:30 in Berlin: every digest is due.
clock.Set(DateTimeOffset.Parse("2026-03-30T06:30:00Z", CultureInfo.InvariantCulture));
{
    var (wall, cpu) = await Measure(() => ForEachAsync(ids, id => grains.GetGrain<IWeeklyDigestGrain>(id).GetScheduleAsync()));
    Report($"baseline: schedule read, {users:N0} users (grain call + profile)", cpu.TotalMilliseconds / users, "ms CPU/user", $"wall {wall.TotalSeconds:N1} s");
}
{
    var written = 0;
    var (wall, cpu) = await Measure(() => ForEachAsync(ids, async id =>
    {
        if (await grains.GetGrain<IWeeklyDigestGrain>(id).RunDueAsync() is not null)
        {
            Interlocked.Increment(ref written);
        }
    }));
    Report($"weekly digest for {users:N0} users: wall time", wall.TotalSeconds, "s", $"{written:N0} written, {users / wall.TotalSeconds:N0} digests/s, {Concurrency} at a time");
    Report("weekly digest, CPU per user", cpu.TotalMilliseconds / users, "ms CPU/user", "whole process: read, write, store, notify, reminder update");
}

await host.StopAsync();
Directory.CreateDirectory(Path.GetDirectoryName(Path.GetFullPath(json))!);
await File.WriteAllTextAsync(json, JsonSerializer.Serialize(new { suite = "insights", title = "Weekly digests and better days", figures, environment = new { processors = Environment.ProcessorCount } }, new JsonSerializerOptions { WriteIndented = true }));
Directory.Delete(directory, recursive: true);
return 0;

static async Task<(TimeSpan Wall, TimeSpan Cpu)> Measure(Func<Task> work)
{
    var process = Process.GetCurrentProcess();
    process.Refresh();
    var cpu = process.TotalProcessorTime;
    var wall = Stopwatch.StartNew();
    await work();
    wall.Stop();
    process.Refresh();
    return (wall.Elapsed, process.TotalProcessorTime - cpu);
}

static async Task ForEachAsync(IReadOnlyList<Guid> ids, Func<Guid, Task> action)
    => await Parallel.ForEachAsync(ids, new ParallelOptions { MaxDegreeOfParallelism = Concurrency }, async (id, _) => await action(id));

static List<MoodSignal> Signals(Random random, LocalDate first, int days, int count)
    => [.. Enumerable.Range(0, count).Select(i =>
    {
        var day = first.PlusDays(i * days / count);
        var at = new DateTimeOffset(day.Year, day.Month, day.Day, random.Next(7, 23), random.Next(60), 0, TimeSpan.FromHours(1));
        var walk = random.Next(3) == 0;
        return new MoodSignal(at, 60, random.Next(4) == 0 ? "entries" : "moods", walk ? random.Next(3, 6) : random.Next(1, 5), walk ? ["walk"] : random.Next(2) == 0 ? ["work"] : []);
    })];

static int FreePort()
{
    using var listener = new TcpListener(IPAddress.Loopback, 0);
    listener.Start();
    return ((IPEndPoint)listener.LocalEndpoint).Port;
}

static async Task CloneProfilesAsync(string database, Guid template, IReadOnlyList<Guid> ids)
{
    await using var connection = new SqliteConnection($"Data Source={database};Pooling=False");
    await connection.OpenAsync();
    await using var transaction = (SqliteTransaction)await connection.BeginTransactionAsync();
    await using var command = connection.CreateCommand();
    command.Transaction = transaction;
    command.CommandText = """
        INSERT INTO ms_orleans_grain_state (provider, state_name, grain_type, grain_key, version, payload, updated_at_ticks)
        SELECT provider, state_name, grain_type, replace(replace(grain_key, $n, $newN), $d, $newD), version, payload, updated_at_ticks
        FROM ms_orleans_grain_state WHERE state_name = 'user' AND (grain_key LIKE '%' || $n || '%' OR grain_key LIKE '%' || $d || '%')
        """;
    var n = command.Parameters.Add("$n", SqliteType.Text);
    var d = command.Parameters.Add("$d", SqliteType.Text);
    var newN = command.Parameters.Add("$newN", SqliteType.Text);
    var newD = command.Parameters.Add("$newD", SqliteType.Text);
    n.Value = template.ToString("N");
    d.Value = template.ToString("D");
    foreach (var id in ids)
    {
        newN.Value = id.ToString("N");
        newD.Value = id.ToString("D");
        if (await command.ExecuteNonQueryAsync() != 1)
        {
            throw new InvalidOperationException("The template user's stored profile was not found (has the grain storage's table changed?).");
        }
    }

    await transaction.CommitAsync();
}

/// <summary>The product clock, moved by hand so check-ins land on the days a digest covers.</summary>
internal sealed class HandClock(DateTimeOffset start) : TimeProvider
{
    private long _ticks = start.UtcTicks;

    public override DateTimeOffset GetUtcNow() => new(Interlocked.Read(ref _ticks), TimeSpan.Zero);

    public void Set(DateTimeOffset now) => Interlocked.Exchange(ref _ticks, now.UtcTicks);
}
