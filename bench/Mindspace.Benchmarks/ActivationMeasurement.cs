using System.Collections.Concurrent;
using System.Diagnostics;
using System.Runtime;
using Mindspace.Grains.Interfaces.Users;
using Mindspace.Grains.Users;

namespace Mindspace.Benchmarks;

/// <summary>
/// Activates many grains on a fresh silo and measures the time per activation and the memory each
/// idle activation keeps. Not a BenchmarkDotNet benchmark: an activation happens once per grain,
/// and the memory is what stays reachable afterwards, so each run is one pass over new grains.
/// Two kinds: the stateless bench grain, and Mindspace's real <see cref="UserGrain"/>, whose state
/// (a registered user's profile, password hash and a session) is read from SQLite when it activates.
/// </summary>
/// <param name="holdSeconds">Diagnosis: after the first run's activations, wait this long with them alive (for dotnet-gcdump).</param>
public sealed class ActivationMeasurement(int count, int runs, int concurrency, Action<string> log, int holdSeconds = 0)
{
    private const string Group = "Activation and memory per idle activation";
    private const double ActivationTargetMicros = 20;
    private const double MemoryTargetBytes = 2048;

    public async Task<List<Figure>> RunAsync()
    {
        var figures = new List<Figure>();
        figures.AddRange(await MeasureKindAsync(
            "stateless grain",
            "stateless",
            seed: null,
            (grains, i) => grains.GetGrain<IPingGrain>(KeyOf(i).ToString("D")).PingAsync(1),
            i => new PingGrain()));

        var directory = Directory.CreateTempSubdirectory("mindspace-bench-activation-").FullName;
        try
        {
            figures.AddRange(await MeasureKindAsync(
                "user grain (UserGrain, state read from SQLite)",
                "user",
                seed: directory,
                async (grains, i) => (await grains.GetGrain<IUserGrain>(KeyOf(i)).GetProfileAsync())?.DisplayName.Length ?? throw new InvalidOperationException($"user {i} was not seeded"),
                i => StateOf(i),
                storageRead: (silo, i) => silo.Storage.ReadStateAsync("user", UserGrainId(silo, i), new GrainState<UserState>())));
        }
        finally
        {
            TryDelete(directory);
        }

        return figures;
    }

    /// <summary>User ids look like the real ones: GUIDs, different for every grain.</summary>
    private static Guid KeyOf(int i) => new(i, 0x4d53, 0x0001, 0, 0, 0, 0, 0, 0, 0, 1);

    private static GrainId UserGrainId(Silo silo, int i) => silo.Grains.GetGrain<IUserGrain>(KeyOf(i)).GetGrainId();

    /// <summary>A registered user as the user grain stores one: about the size of a real account.</summary>
    private static UserState StateOf(int i)
    {
        var created = new DateTimeOffset(2026, 1, 1, 0, 0, 0, TimeSpan.Zero).AddMinutes(i);
        return new UserState
        {
            Email = $"user{i}@example.com",
            NormalizedEmail = $"user{i}@example.com",
            DisplayName = $"User {i}",
            TimeZone = "Europe/London",

            // The format of ASP.NET Core Identity's hasher (v3, PBKDF2), not a real hash: activation never checks it.
            PasswordHash = Convert.ToBase64String([1, .. Enumerable.Range(0, 60).Select(b => (byte)(b * 7 + i))]),
            Roles = [UserRoles.Member],
            CreatedAt = created,
            UpdatedAt = created,
            Sessions = [new SessionInfo(Guid.CreateVersion7(created), created, "203.0.113.7", "Mozilla/5.0 (X11; Linux x86_64) Firefox/140.0", null, null)],
        };
    }

    /// <param name="storageRead">For a grain with state: the storage read its activation does, alone (a second baseline).</param>
    private async Task<List<Figure>> MeasureKindAsync(
        string kind, string key, string? seed, Func<IGrainFactory, int, Task<int>> call, Func<int, object> bareObject, Func<Silo, int, Task>? storageRead = null)
    {
        if (seed is not null)
        {
            await SeedAsync(seed);
        }

        var activationMicros = new List<double>();
        var warmMicros = new List<double>();
        var readMicros = new List<double>();
        var retainedBytes = new List<double>();
        var baselineBytes = new List<double>();
        for (var run = 1; run <= runs; run++)
        {
            var silo = await Silo.StartAsync(seed);
            try
            {
                // Compile and warm every path first, on grains that are not counted.
                await CallAllAsync(silo.Grains, call, count + 1, count + 1 + Math.Min(2_000, count));
                var activeBefore = await silo.CountActivationsAsync();
                var before = SettledHeapBytes();

                var clock = Stopwatch.StartNew();
                await CallAllAsync(silo.Grains, call, 0, count);
                var activating = clock.Elapsed;

                var after = SettledHeapBytes();
                if (holdSeconds > 0 && run == 1)
                {
                    log($"  holding {holdSeconds} s with {count:N0} {kind} activations alive (pid {Environment.ProcessId})");
                    await Task.Delay(TimeSpan.FromSeconds(holdSeconds));
                }

                var activated = await silo.CountActivationsAsync() - activeBefore;
                if (activated < count)
                {
                    throw new InvalidOperationException($"Expected {count} new activations, found {activated}.");
                }

                clock.Restart();
                await CallAllAsync(silo.Grains, call, 0, count);
                var warm = clock.Elapsed;

                activationMicros.Add(activating.TotalMicroseconds / count);
                warmMicros.Add(warm.TotalMicroseconds / count);
                if (storageRead is not null)
                {
                    clock.Restart();
                    await ForAllAsync(i => storageRead(silo, i), 0, count);
                    readMicros.Add(clock.Elapsed.TotalMicroseconds / count);
                }

                retainedBytes.Add((double)(after - before) / count);
                log($"  {kind}, run {run}/{runs}: {activating.TotalMicroseconds / count:0.0} µs per activation, " +
                    $"{warm.TotalMicroseconds / count:0.0} µs per warm call, {(after - before) / (double)count:0} B retained per activation");
            }
            finally
            {
                await silo.StopAsync(deactivate: false);
            }

            baselineBytes.Add(BareObjectsBytes(bareObject));
        }

        var warmCall = Figure.FromRuns($"warm call to an active {kind} ({concurrency} callers)", "µs/call", warmMicros) with { Group = Group, Key = $"runtime.warm.{key}" };
        var activation = Figure.FromRuns($"activation: {kind} (first call, {concurrency} callers, {count:N0} grains)", "µs/activation", activationMicros)
            with
        { Group = Group, Key = $"runtime.activation.{key}" };
        activation = activation.ComparedWith(warmCall).WithTarget($"≤ {ActivationTargetMicros} µs (issue 4)", activation.Median <= ActivationTargetMicros);

        var bare = Figure.FromRuns($"the same {count:N0} keys and bare objects in a dictionary", "B/grain", baselineBytes) with { Group = Group, Key = $"runtime.bare.{key}" };
        var memory = Figure.FromRuns($"memory per idle activation: {kind}", "B/activation", retainedBytes) with
        {
            Group = Group,
            Key = $"runtime.memory.{key}",
            Notes = "managed heap retained after a full GC, divided by the number of activations",
        };
        memory = memory.ComparedWith(bare).WithTarget("≤ 2 KB (issue 4)", memory.Median <= MemoryTargetBytes);
        var per100k = Figure.FromRuns($"memory per 100,000 idle activations: {kind}", "MiB", [.. retainedBytes.Select(b => b * 100_000 / 1048576.0)]) with
        {
            Group = Group,
            Key = $"runtime.memory100k.{key}",
        };
        List<Figure> figures = [activation, warmCall];
        if (readMicros.Count > 0)
        {
            var read = Figure.FromRuns($"the state read alone (IGrainStorage.ReadStateAsync, {concurrency} callers)", "µs/read", readMicros) with { Group = Group, Key = $"runtime.read.{key}" };
            figures.Add((activation with { Name = $"activation vs its state read: {kind}", Target = null, Met = null, Key = $"runtime.activation-vs-read.{key}" }).ComparedWith(read));
            figures.Add(read);
        }

        return [.. figures, memory, per100k, bare];
    }

    /// <summary>Writes the users' state through the grain storage the silo uses, as registration would.</summary>
    private async Task SeedAsync(string directory)
    {
        var clock = Stopwatch.StartNew();
        var silo = await Silo.StartAsync(directory);
        try
        {
            var storage = silo.Storage;
            var total = count + 1 + Math.Min(2_000, count);
            var next = -1;
            await Task.WhenAll(Enumerable.Range(0, 4).Select(async _ =>
            {
                int i;
                while ((i = Interlocked.Increment(ref next)) < total)
                {
                    await storage.WriteStateAsync("user", UserGrainId(silo, i), new GrainState<UserState>(StateOf(i)));
                }
            }));
        }
        finally
        {
            await silo.StopAsync(deactivate: true);
        }

        log($"  seeded {count:N0} users' state in SQLite in {clock.Elapsed.TotalSeconds:0.0} s");
    }

    private Task CallAllAsync(IGrainFactory grains, Func<IGrainFactory, int, Task<int>> call, int from, int to)
        => ForAllAsync(i => call(grains, i), from, to);

    private async Task ForAllAsync(Func<int, Task> action, int from, int to)
    {
        var next = from - 1;
        await Task.WhenAll(Enumerable.Range(0, concurrency).Select(async _ =>
        {
            int i;
            while ((i = Interlocked.Increment(ref next)) < to)
            {
                await action(i).ConfigureAwait(false);
            }
        }));
    }

    /// <summary>The floor: the same keys and the grain's own object (or state) held by id, with no Orleans around them.</summary>
    private double BareObjectsBytes(Func<int, object> bareObject)
    {
        var before = SettledHeapBytes();
        var held = new ConcurrentDictionary<string, object>();
        for (var i = 0; i < count; i++)
        {
            held[KeyOf(i).ToString("D")] = bareObject(i);
        }

        var after = SettledHeapBytes();
        GC.KeepAlive(held);
        return (double)(after - before) / count;
    }

    private static long SettledHeapBytes()
    {
        GCSettings.LargeObjectHeapCompactionMode = GCLargeObjectHeapCompactionMode.CompactOnce;
        GC.Collect(GC.MaxGeneration, GCCollectionMode.Forced, blocking: true, compacting: true);
        GC.WaitForPendingFinalizers();
        return GC.GetTotalMemory(forceFullCollection: true);
    }

    private static void TryDelete(string directory)
    {
        try
        {
            Directory.Delete(directory, recursive: true);
        }
        catch (IOException)
        {
        }
    }
}
