using BenchmarkDotNet.Columns;
using BenchmarkDotNet.Configs;
using BenchmarkDotNet.Diagnosers;
using BenchmarkDotNet.Engines;
using BenchmarkDotNet.Exporters;
using BenchmarkDotNet.Exporters.Json;
using BenchmarkDotNet.Jobs;
using BenchmarkDotNet.Loggers;
using BenchmarkDotNet.Reports;
using BenchmarkDotNet.Running;
using BenchmarkDotNet.Toolchains.InProcess.Emit;
using Perfolizer.Horology;

namespace Mindspace.Benchmarks;

/// <summary>Runs the BenchmarkDotNet benchmarks and turns their summary into figures.</summary>
public static class BdnRunner
{
    private const string CallGroup = "Local grain call (one silo, in process, 1,024 grains)";
    private const string BaselineGroup = "Same-run baselines (the same await pattern without Orleans)";
    private const string CostGroup = "Cost per local grain call";
    private const string PathGroup = "What Mindspace adds on the call path";
    private const double LocalCallTargetPerSecond = 500_000;

    public static readonly Type[] BenchmarkTypes = [typeof(LocalCallBenchmarks), typeof(DirectCallBenchmarks), typeof(CallPathBenchmarks)];

    /// <summary>
    /// In process (no generated project to build: minutes saved on a 2-core machine), one launch,
    /// fixed warmup and iteration counts; each workload iteration is one run of the figure.
    /// </summary>
    /// <param name="progress">Where one line per benchmark goes (the full log goes to bdn.log); null: BenchmarkDotNet's console output.</param>
    public static IConfig Config(string artifacts, bool quick, TextWriter? progress)
    {
        var job = Job.Default
            .WithToolchain(new InProcessEmitToolchain(TimeSpan.FromMinutes(3), logOutput: false))
            .WithLaunchCount(1)
            .WithWarmupCount(quick ? 1 : 2)
            .WithIterationCount(quick ? 3 : 9)
            .WithIterationTime(TimeInterval.FromMilliseconds(quick ? 100 : 250))
            .WithEvaluateOverhead(false)
            .WithId(quick ? "quick" : "full");
        return ManualConfig.CreateEmpty()
            .AddJob(job)
            .AddDiagnoser(MemoryDiagnoser.Default)
            .AddColumnProvider(DefaultColumnProviders.Instance)
            .AddColumn(StatisticColumn.Median, StatisticColumn.Min, StatisticColumn.Max, StatisticColumn.OperationsPerSecond)
            .AddExporter(MarkdownExporter.GitHub, JsonExporter.Full)
            .AddLogger(progress is null ? ConsoleLogger.Default : new ProgressLogger(Path.Combine(artifacts, "bdn.log"), progress))
            .WithArtifactsPath(artifacts)
            .WithOptions(ConfigOptions.JoinSummary | ConfigOptions.DisableLogFile);
    }

    public static (Summary Summary, List<Figure> Figures) Run(string artifacts, bool quick, TextWriter progress)
    {
        var summary = BenchmarkRunner.Run(BenchmarkTypes, Config(artifacts, quick, progress)).Single();
        return (summary, ToFigures(summary));
    }

    public static List<Figure> ToFigures(Summary summary)
    {
        var failed = summary.Reports.Where(r => !r.Success || r.ResultStatistics is null).Select(r => r.BenchmarkCase.DisplayInfo).ToList();
        if (failed.Count > 0 || summary.Reports.Length == 0)
        {
            throw new InvalidOperationException($"Benchmarks failed: {string.Join(", ", failed)}; see the BenchmarkDotNet log.");
        }

        var figures = new List<Figure>();
        BenchmarkReport Find(string method, int? outstanding = null) => summary.Reports.Single(r =>
            r.BenchmarkCase.Descriptor.WorkloadMethod.Name == method &&
            (outstanding is null || (int)r.BenchmarkCase.Parameters["Outstanding"] == outstanding));

        var outstandings = new[] { 1, 64, 256 };
        foreach (var n in outstandings)
        {
            var label = n == 1 ? "1 caller, sequential" : $"{n} outstanding";
            var baseline = Throughput($"mailbox actor call, {label}", Find(nameof(LocalCallBenchmarks.MailboxActorCall), n)) with { Group = BaselineGroup, Key = $"runtime.mailbox.{n}" };
            var grain = Throughput($"local grain call, {label}", Find(nameof(LocalCallBenchmarks.GrainCall), n)) with { Group = CallGroup, Key = $"runtime.call.{n}" };
            grain = grain.ComparedWith(baseline);
            if (n == outstandings[^1])
            {
                grain = grain.WithTarget($"≥ {LocalCallTargetPerSecond:N0} calls/s (issue 4)", grain.Median >= LocalCallTargetPerSecond);
            }

            figures.Add(grain);
            figures.Add(baseline);
            figures.Add(Throughput($"exclusive-scheduler hop, {label}", Find(nameof(LocalCallBenchmarks.ExclusiveSchedulerHop), n)) with { Group = BaselineGroup, Key = $"runtime.scheduler.{n}" });
        }

        figures.Add(Throughput("direct interface call (no Orleans), 1 caller", Find(nameof(DirectCallBenchmarks.DirectInterfaceCall))) with { Group = BaselineGroup, Key = "runtime.direct" });

        foreach (var n in outstandings)
        {
            var label = n == 1 ? "1 caller" : $"{n} outstanding";
            var grain = Find(nameof(LocalCallBenchmarks.GrainCall), n);
            var mailbox = Find(nameof(LocalCallBenchmarks.MailboxActorCall), n);
            var allocated = Allocated($"allocated per local grain call, {label}", grain);
            var mailboxAllocated = Allocated($"allocated per mailbox actor call, {label}", mailbox);
            if (allocated is not null && mailboxAllocated is not null)
            {
                figures.Add(allocated.ComparedWith(mailboxAllocated) with { Group = CostGroup, Key = $"runtime.call-bytes.{n}" });
            }
        }

        figures.Add(Latency("local grain call, 1 caller (whole call)", Find(nameof(LocalCallBenchmarks.GrainCall), 1)) with { Group = PathGroup, Key = "runtime.call.sequential-ns" });
        figures.Add(Latency("making a grain reference (IGrainFactory.GetGrain)", Find(nameof(CallPathBenchmarks.GetGrainReference))) with { Group = PathGroup, Key = "runtime.getgrain-ns" });
        figures.Add(Latency("check-in write contracts through Orleans' serializer (NewEntry and EntryView, each written and read back)", Find(nameof(CallPathBenchmarks.CheckInWriteContracts))) with { Group = PathGroup, Unit = "ns/op" });
        figures.Add(Latency("a first page of 20 entries through Orleans' serializer (EntryPage written and read back)", Find(nameof(CallPathBenchmarks.EntryPageContract))) with { Group = PathGroup, Unit = "ns/op" });
        foreach (var (method, label, key) in new[]
        {
            (nameof(CallPathBenchmarks.GetGrainReference), "making a grain reference", "runtime.getgrain-bytes"),
            (nameof(CallPathBenchmarks.CheckInWriteContracts), "check-in write contracts, written and read back", (string?)null),
            (nameof(CallPathBenchmarks.EntryPageContract), "a page of 20 entries, written and read back", null),
        })
        {
            if (Allocated($"allocated, {label}", Find(method)) is { } bytes)
            {
                figures.Add(bytes with { Group = PathGroup, Unit = "B/op", Key = key });
            }
        }

        return figures;
    }

    /// <summary>Nanoseconds per operation of each workload iteration (the runs behind a figure).</summary>
    private static List<double> NanosecondsPerCall(BenchmarkReport report)
        => [.. report.AllMeasurements
            .Where(m => m.IterationMode == IterationMode.Workload && m.IterationStage == IterationStage.Result)
            .Select(m => m.Nanoseconds / m.Operations)];

    private static Figure Throughput(string name, BenchmarkReport report)
        => Figure.FromRuns(name, "calls/s", [.. NanosecondsPerCall(report).Select(ns => 1e9 / ns)]);

    private static Figure Latency(string name, BenchmarkReport report)
        => Figure.FromRuns(name, "ns/call", NanosecondsPerCall(report));

    private static Figure? Allocated(string name, BenchmarkReport report)
        => report.GcStats.GetBytesAllocatedPerOperation(report.BenchmarkCase) is { } bytes
            ? Figure.Once(name, "B/call", bytes) with { Notes = "MemoryDiagnoser, all threads" }
            : null;

    /// <summary>Keeps BenchmarkDotNet's full output in a file and prints one line per benchmark.</summary>
    private sealed class ProgressLogger(string path, TextWriter progress) : ILogger
    {
        private readonly StreamWriter _file = new(path, append: false) { AutoFlush = true };

        public string Id => nameof(ProgressLogger);

        public int Priority => 0;

        public void Write(LogKind logKind, string text) => _file.Write(text);

        public void WriteLine() => _file.WriteLine();

        public void WriteLine(LogKind logKind, string text)
        {
            _file.WriteLine(text);
            if (text.StartsWith("// Benchmark: ", StringComparison.Ordinal))
            {
                var what = text["// Benchmark: ".Length..];
                var job = what.IndexOf(": ", StringComparison.Ordinal);
                var parameters = what.LastIndexOf(" [", StringComparison.Ordinal);
                progress.WriteLine($"  {(job < 0 ? what : what[..job])}{(parameters > job && job >= 0 ? what[parameters..] : "")}");
            }
        }

        public void Flush() => _file.Flush();
    }
}
