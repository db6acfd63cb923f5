namespace Mindspace.Benchmarks;

/// <summary>
/// Counts what a local grain call costs the process besides time: thread-pool work items, lock
/// contentions, garbage collections and the share of time the GC paused the process (the runtime's
/// counters, read before and after a batch of calls over the same 1,024 grains), next to the
/// mailbox actor doing the same. BenchmarkDotNet 0.14's ThreadingDiagnoser does not recognise
/// .NET 10, hence this pass.
/// </summary>
public static class CallCounters
{
    private const string Group = "Cost per local grain call";
    private const int Calls = 65_536;

    public static async Task<List<Figure>> MeasureAsync(int runs)
    {
        var figures = new List<Figure>();
        await using var silo = await Silo.StartAsync();
        foreach (var outstanding in new[] { 1, 256 })
        {
            var label = outstanding == 1 ? "1 caller" : $"{outstanding} outstanding";
            var grains = Enumerable.Range(0, LocalCallBenchmarks.Targets).Select(i => silo.Grains.GetGrain<IPingGrain>($"count-{i}")).ToArray();
            var mailboxes = Enumerable.Range(0, LocalCallBenchmarks.Targets).Select(_ => new MailboxActor()).ToArray();
            await Task.WhenAll(grains.Select(g => g.PingAsync(0)));
            var grain = await CountAsync(runs, outstanding, (c, i) => LocalCallBenchmarks.Sequential(static (g, v) => g.PingAsync(v), grains, c, outstanding, i));
            var mailbox = await CountAsync(runs, outstanding, (c, i) => LocalCallBenchmarks.Sequential(static (a, v) => a.PingAsync(v), mailboxes, c, outstanding, i));
            foreach (var m in mailboxes)
            {
                m.Stop();
            }

            var mailboxItems = Figure.FromRuns($"thread-pool work items per mailbox actor call, {label}", "items/call", mailbox.WorkItems);
            figures.Add(Figure.FromRuns($"thread-pool work items per local grain call, {label}", "items/call", grain.WorkItems).ComparedWith(mailboxItems) with { Group = Group, Key = $"runtime.workitems.{outstanding}" });
            var mailboxContentions = Figure.FromRuns($"lock contentions per 1,000 mailbox actor calls, {label}", "per 1,000 calls", mailbox.Contentions);
            figures.Add(Figure.FromRuns($"lock contentions per 1,000 local grain calls, {label}", "per 1,000 calls", grain.Contentions).ComparedWith(mailboxContentions) with { Group = Group, Key = $"runtime.contentions.{outstanding}" });
            var mailboxCollections = Figure.FromRuns($"gen0 GCs per 100,000 mailbox actor calls, {label}", "per 100,000 calls", mailbox.Collections);
            figures.Add(Figure.FromRuns($"gen0 GCs per 100,000 local grain calls, {label}", "per 100,000 calls", grain.Collections).ComparedWith(mailboxCollections) with { Group = Group, Key = $"runtime.gen0.{outstanding}" });
            var mailboxCpu = Figure.FromRuns($"CPU per mailbox actor call, {label}", "µs/call", mailbox.CpuMicros);
            figures.Add(Figure.FromRuns($"CPU per local grain call (all threads of the process), {label}", "µs/call", grain.CpuMicros).ComparedWith(mailboxCpu) with { Group = Group });
            var mailboxPauses = Figure.FromRuns($"GC pause share, mailbox actor calls, {label}", "% of wall time", mailbox.PauseShare);
            figures.Add(Figure.FromRuns($"GC pause share while making local grain calls, {label}", "% of wall time", grain.PauseShare).ComparedWith(mailboxPauses) with { Group = Group, Key = $"runtime.gcpause.{outstanding}" });
        }

        return figures;
    }

    /// <param name="caller">(caller index, calls) → that caller's calls, each awaited before the next.</param>
    private static async Task<Counts> CountAsync(int runs, int outstanding, Func<int, int, Task> caller)
    {
        var counts = new Counts([], [], [], [], []);
        for (var run = -1; run < runs; run++)
        {
            var items = ThreadPool.CompletedWorkItemCount;
            var locks = Monitor.LockContentionCount;
            var collections = GC.CollectionCount(0);
            var paused = GC.GetTotalPauseDuration();
            var cpu = Environment.CpuUsage.TotalTime;
            var clock = System.Diagnostics.Stopwatch.StartNew();
            await Task.WhenAll(Enumerable.Range(0, outstanding).Select(c => Task.Run(() => caller(c, Calls / outstanding))));
            if (run >= 0)
            {
                // Run -1 warms up; the callers' own Task.Run items are a rounding error over 65,536 calls.
                counts.WorkItems.Add((double)(ThreadPool.CompletedWorkItemCount - items) / Calls);
                counts.Contentions.Add((double)(Monitor.LockContentionCount - locks) * 1000 / Calls);
                counts.Collections.Add((double)(GC.CollectionCount(0) - collections) * 100_000 / Calls);
                counts.PauseShare.Add((GC.GetTotalPauseDuration() - paused) / clock.Elapsed * 100);

                // CPU time does not depend on how much of the machine the process got: steadier than calls/s on a shared one.
                counts.CpuMicros.Add((Environment.CpuUsage.TotalTime - cpu).TotalMicroseconds / Calls);
            }
        }

        return counts;
    }

    private sealed record Counts(List<double> WorkItems, List<double> Contentions, List<double> Collections, List<double> PauseShare, List<double> CpuMicros);
}
