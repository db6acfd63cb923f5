using System.Collections.Concurrent;
using System.Diagnostics;
using System.Runtime;
using Microsoft.Extensions.DependencyInjection;
using Mindspace.Runtime;
using Mindspace.Runtime.Activation;
using Mindspace.Runtime.Serialization;

namespace Mindspace.Benchmarks;

/// <summary>
/// Activates many grains on a fresh silo and measures the time per activation and the memory each
/// idle activation keeps. Not a BenchmarkDotNet benchmark: an activation happens once per grain,
/// and the memory is what stays reachable afterwards, so each run is one pass over new grains.
/// </summary>
public sealed class ActivationMeasurement(int count, int runs, int concurrency, Action<string> log)
{
    private const string Group = "Activation and memory per idle activation";
    private const double ActivationTargetMicros = 20;
    private const double MemoryTargetBytes = 2048;

    public async Task<List<Figure>> RunAsync()
    {
        var figures = new List<Figure>();
        figures.AddRange(await MeasureKindAsync(
            "stateless grain",
            seed: null,
            (grains, i) => grains.GetGrain<IPingGrain>(KeyOf(i).ToString("D")).PingAsync(1),
            i => new PingGrain()));

        var directory = Directory.CreateTempSubdirectory("mindspace-bench-activation-").FullName;
        try
        {
            figures.AddRange(await MeasureKindAsync(
                "user grain with state (SQLite read)",
                seed: directory,
                (grains, i) => grains.GetGrain<IUserLikeGrain>(KeyOf(i)).PingAsync(1),
                i => ProfileOf(i),
                storageRead: (silo, i) => silo.Storage.States.ReadAsync(
                    new GrainId(GrainTypeRegistry.GrainTypeName(typeof(IUserLikeGrain)), KeyOf(i).ToString("D")), "profile", CancellationToken.None)));
        }
        finally
        {
            TryDelete(directory);
        }

        figures.AddRange(MeasureComponents());
        return figures;
    }

    /// <summary>User ids look like the real ones: GUIDs, different for every grain.</summary>
    private static Guid KeyOf(int i) => new(i, 0x4d53, 0x0001, 0, 0, 0, 0, 0, 0, 0, 1);

    private static UserProfileState ProfileOf(int i) => new()
    {
        DisplayName = $"User {i}",
        TimeZone = "Europe/London",
        CheckIns = i % 50,
        CreatedAt = new DateTimeOffset(2025, 1, 1, 0, 0, 0, TimeSpan.Zero).AddMinutes(i),
    };

    /// <param name="storageRead">For a grain with state: the storage read its activation does, alone (a second baseline).</param>
    private async Task<List<Figure>> MeasureKindAsync(
        string kind, string? seed, Func<IGrainFactory, int, Task<int>> call, Func<int, object> bareObject, Func<Silo, int, Task>? storageRead = null)
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
                var before = SettledHeapBytes();

                var clock = Stopwatch.StartNew();
                await CallAllAsync(silo.Grains, call, 0, count);
                var activating = clock.Elapsed;

                var after = SettledHeapBytes();
                if (silo.Catalog.Count < count)
                {
                    throw new InvalidOperationException($"Expected at least {count} activations, found {silo.Catalog.Count}.");
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

        var warmCall = Figure.FromRuns($"warm call to an active {kind} ({concurrency} callers)", "µs/call", warmMicros) with { Group = Group };
        var activation = Figure.FromRuns($"activation: {kind} (first call, {concurrency} callers, {count:N0} grains)", "µs/activation", activationMicros)
            with
        { Group = Group };
        activation = activation.ComparedWith(warmCall).WithTarget($"≤ {ActivationTargetMicros} µs", activation.Median <= ActivationTargetMicros);

        var bare = Figure.FromRuns($"the same {count:N0} keys and bare objects in a dictionary", "B/grain", baselineBytes) with { Group = Group };
        var memory = Figure.FromRuns($"memory per idle activation: {kind}", "B/activation", retainedBytes) with
        {
            Group = Group,
            Notes = "managed heap retained after a full GC, divided by the number of activations",
        };
        memory = memory.ComparedWith(bare).WithTarget("≤ 2 KB", memory.Median <= MemoryTargetBytes);
        List<Figure> figures = [activation, warmCall];
        if (readMicros.Count > 0)
        {
            var read = Figure.FromRuns($"the state read alone (IGrainStateStore.ReadAsync, {concurrency} callers)", "µs/read", readMicros) with { Group = Group };
            figures.Add((activation with { Name = $"activation vs its state read: {kind}", Target = null, Met = null }).ComparedWith(read));
            figures.Add(read);
        }

        return [.. figures, memory, bare];
    }

    private async Task SeedAsync(string directory)
    {
        var clock = Stopwatch.StartNew();
        var silo = await Silo.StartAsync(directory);
        try
        {
            var serializer = silo.Services.GetRequiredService<GrainSerializer>();
            var type = GrainTypeRegistry.GrainTypeName(typeof(IUserLikeGrain));
            var states = silo.Storage.States;
            var total = count + 1 + Math.Min(2_000, count);
            var next = -1;
            await Task.WhenAll(Enumerable.Range(0, 4).Select(async _ =>
            {
                int i;
                while ((i = Interlocked.Increment(ref next)) < total)
                {
                    await states.WriteAsync(new GrainId(type, KeyOf(i).ToString("D")), "profile", serializer.Serialize(ProfileOf(i)), null, CancellationToken.None);
                }
            }));
        }
        finally
        {
            await silo.StopAsync(deactivate: true);
        }

        log($"  seeded {count:N0} user states in SQLite in {clock.Elapsed.TotalSeconds:0.0} s");
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

    /// <summary>The floor: the same keys and the grain's own object held by id, with no runtime around them.</summary>
    private double BareObjectsBytes(Func<int, object> bareObject)
    {
        var type = GrainTypeRegistry.GrainTypeName(typeof(IPingGrain));
        var before = SettledHeapBytes();
        var held = new ConcurrentDictionary<GrainId, object>();
        for (var i = 0; i < count; i++)
        {
            held[new GrainId(type, KeyOf(i).ToString("D"))] = bareObject(i);
        }

        var after = SettledHeapBytes();
        GC.KeepAlive(held);
        return (double)(after - before) / count;
    }

    /// <summary>What the building blocks an activation may be made of keep each, measured the same way.</summary>
    private List<Figure> MeasureComponents()
    {
        const string group = "Retained bytes of building blocks an activation may hold (each measured alone)";
        var parts = new (string Name, Func<object> Make)[]
        {
            ("ConcurrentExclusiveSchedulerPair", () => new ConcurrentExclusiveSchedulerPair()),
            ("TaskCompletionSource", () => new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously)),
            ("Queue<object> after one enqueue and dequeue", () =>
            {
                var queue = new Queue<object>();
                queue.Enqueue(queue);
                queue.Dequeue();
                return queue;
            }),
            ("HashSet<Task>, empty", () => new HashSet<Task>()),
#pragma warning disable CS9216 // held as an object only to be counted, never locked on
            ("System.Threading.Lock", static () => new Lock()),
#pragma warning restore CS9216
            ("GUID key string (36 chars)", () => Guid.NewGuid().ToString("D")),
        };

        var n = Math.Min(count, 50_000);
        var figures = new List<Figure>();
        foreach (var (name, make) in parts)
        {
            var samples = new List<double>();
            for (var run = 0; run < 3; run++)
            {
                var before = SettledHeapBytes();
                var held = new object[n];
                for (var i = 0; i < n; i++)
                {
                    held[i] = make();
                }

                var after = SettledHeapBytes();
                GC.KeepAlive(held);
                samples.Add((double)(after - before - ((long)n * IntPtr.Size)) / n);
            }

            figures.Add(Figure.FromRuns(name, "B/object", samples) with { Group = group });
        }

        return figures;
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
