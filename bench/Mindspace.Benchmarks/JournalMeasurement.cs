using System.Diagnostics;
using Mindspace.Grains.Interfaces.Journal;

namespace Mindspace.Benchmarks;

/// <summary>
/// The journal at scale (issue 9): create, read, list and search for a user with
/// <see cref="LargeJournal"/> entries against a user with <see cref="SmallJournal"/>, same silo, same
/// run, through grain calls (each one seals or opens AES-GCM and writes or reads a SQLite row).
/// Search is measured twice: the first search of an activation (which decrypts every entry and
/// builds the index) and searches once the index is in memory.
/// </summary>
public sealed class JournalMeasurement(int largeJournal, int runs, int operations, Action<string> log)
{
    public const int SmallJournal = 10;

    private static readonly string[] Common =
    [
        "today", "felt", "tired", "walked", "work", "friend", "talked", "sleep", "anxious", "calm", "morning", "evening",
        "coffee", "rain", "sun", "meeting", "family", "phone", "tea", "park", "lonely", "grateful", "worried", "better",
        "the", "and", "a", "to", "of", "was", "it", "in", "my", "that", "with", "but", "not", "so", "about", "again",
    ];

    public int LargeJournal { get; } = largeJournal;

    public async Task<List<Figure>> RunAsync()
    {
        await using var silo = await Silo.StartAsync();
        var small = silo.Grains.GetGrain<IJournalGrain>(Guid.NewGuid());
        var large = silo.Grains.GetGrain<IJournalGrain>(Guid.NewGuid());
        var random = new Random(42);
        var fill = Stopwatch.StartNew();
        var smallIds = await FillAsync(small, SmallJournal, random);
        var largeIds = await FillAsync(large, LargeJournal, random);
        log($"journal: filled {SmallJournal} and {LargeJournal:N0} entries in {fill.Elapsed.TotalSeconds:0.0} s");

        var results = new Dictionary<string, (List<double> Small, List<double> Large)>(StringComparer.Ordinal);
        void Add(string name, double smallValue, double largeValue)
        {
            if (!results.TryGetValue(name, out var lists))
            {
                results[name] = lists = ([], []);
            }

            lists.Small.Add(smallValue);
            lists.Large.Add(largeValue);
        }

        for (var run = 0; run < runs; run++)
        {
            // A fresh activation each run: the first search decrypts everything and builds the index.
            await silo.Grains.GetGrain<IManagementGrain>(0).ForceActivationCollection(TimeSpan.Zero);
            Add("first search of an activation (builds the index)", await TimeOnceAsync(() => small.SearchAsync(new JournalSearch("walked park"), default)), await TimeOnceAsync(() => large.SearchAsync(new JournalSearch("walked park"), default)));
            Add("search (index in memory)", await PerOperationAsync(i => small.SearchAsync(new JournalSearch(Query(i)), default)), await PerOperationAsync(i => large.SearchAsync(new JournalSearch(Query(i)), default)));
            Add("read one entry", await PerOperationAsync(i => small.GetAsync(smallIds[i % smallIds.Count], default)), await PerOperationAsync(i => large.GetAsync(largeIds[(i * 7919) % largeIds.Count], default)));
            Add("list the newest 20", await PerOperationAsync(_ => small.ListAsync(new JournalQuery(), default)), await PerOperationAsync(_ => large.ListAsync(new JournalQuery(), default)));
            Add("create", await PerOperationAsync(_ => small.CreateAsync(Content(random), null)), await PerOperationAsync(_ => large.CreateAsync(Content(random), null)));
            log($"journal: run {run + 1} of {runs} done");
        }

        var figures = new List<Figure>();
        foreach (var (name, (smallRuns, largeRuns)) in results)
        {
            var unit = name.StartsWith("first", StringComparison.Ordinal) ? "ms" : "µs/op";
            var baseline = Figure.FromRuns($"{name}, {SmallJournal} entries", unit, smallRuns) with { Group = "Journal" };
            var measured = Figure.FromRuns($"{name}, {LargeJournal:N0} entries", unit, largeRuns).ComparedWith(baseline) with { Group = "Journal" };
            figures.Add(baseline);
            figures.Add(name.StartsWith("first", StringComparison.Ordinal) ? measured : measured.WithTarget("≤ 2× of 10 entries", measured.Ratio <= 2));
        }

        return figures;
    }

    private async Task<double> PerOperationAsync(Func<int, Task> operation)
    {
        var watch = Stopwatch.StartNew();
        for (var i = 0; i < operations; i++)
        {
            await operation(i);
        }

        return watch.Elapsed.TotalMicroseconds / operations;
    }

    private static async Task<double> TimeOnceAsync(Func<Task> operation)
    {
        var watch = Stopwatch.StartNew();
        await operation();
        return watch.Elapsed.TotalMilliseconds;
    }

    private static string Query(int i) => Common[i % 24] + " " + Common[(i * 5 + 3) % 24][..3];

    private static async Task<List<Guid>> FillAsync(IJournalGrain journal, int count, Random random)
    {
        var ids = new List<Guid>(count);
        for (var i = 0; i < count; i++)
        {
            ids.Add((await journal.CreateAsync(Content(random), null)).Id);
        }

        return ids;
    }

    /// <summary>About 100 words (~600 characters): common words and some rarer made-up ones.</summary>
    private static JournalContent Content(Random random)
    {
        var words = new string[100];
        for (var i = 0; i < words.Length; i++)
        {
            words[i] = random.Next(4) == 0 ? $"w{random.Next(5_000)}" : Common[random.Next(Common.Length)];
        }

        return new JournalContent(JournalKinds.Free, "A day", string.Join(' ', words) + ".", random.Next(1, 6), ["daily"], null);
    }
}
