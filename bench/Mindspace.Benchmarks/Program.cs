using System.Diagnostics;
using System.Runtime;
using System.Runtime.InteropServices;
using BenchmarkDotNet.Running;
using Mindspace.Benchmarks;

const string Usage = """
    Mindspace.Benchmarks: grain calls and activations on Orleans, in process (see bench/README.md).

      Mindspace.Benchmarks [--quick] [--json FILE] [--artifacts DIR] [--only calls|activation]
                           [--activations N] [--runs N] [--concurrency N] [--hold-seconds N]
          (--only counters: the per-call counters alone, without BenchmarkDotNet, for diagnosis;
           --only journal: the journal with 10,000 entries (--activations sets the count) against 10)
          Runs the local-call benchmarks (BenchmarkDotNet) and the activation measurement, and
          writes the figures as JSON (default bench/results/runtime.json) and BenchmarkDotNet's
          reports under --artifacts (default: bdn/ beside the JSON file). --hold-seconds keeps the first
          run's activations alive that long (diagnosis with dotnet-gcdump).
      Mindspace.Benchmarks bdn [BenchmarkDotNet arguments]
          BenchmarkDotNet's own command line over the same benchmarks, e.g. bdn --filter '*GrainCall*'
          (add --quick-job for the short job).
    """;

if (args.Length > 0 && args[0] == "bdn")
{
    var artifactsForSwitcher = Path.GetFullPath(Path.Combine("bench", "results", "bdn"));
    Directory.CreateDirectory(artifactsForSwitcher);
    BenchmarkSwitcher.FromTypes(BdnRunner.BenchmarkTypes).Run([.. args[1..].Where(a => a != "--quick-job")], BdnRunner.Config(artifactsForSwitcher, quick: args.Contains("--quick-job"), progress: null));
    return 0;
}

var quick = false;
string json = Path.Combine("bench", "results", "runtime.json");
string? artifacts = null;
string? only = null;
int? activations = null;
int? runs = null;
var concurrency = 64;
var holdSeconds = 0;
for (var i = 0; i < args.Length; i++)
{
    string Next() => i + 1 < args.Length ? args[++i] : throw new ArgumentException($"{args[i]} needs a value.");
    switch (args[i])
    {
        case "--quick":
            quick = true;
            break;
        case "--json":
            json = Next();
            break;
        case "--artifacts":
            artifacts = Next();
            break;
        case "--only":
            only = Next();
            break;
        case "--activations":
            activations = int.Parse(Next());
            break;
        case "--runs":
            runs = int.Parse(Next());
            break;
        case "--concurrency":
            concurrency = int.Parse(Next());
            break;
        case "--hold-seconds":
            holdSeconds = int.Parse(Next());
            break;
        case "-h" or "--help":
            Console.WriteLine(Usage);
            return 0;
        default:
            Console.Error.WriteLine($"Unknown argument {args[i]}.\n{Usage}");
            return 2;
    }
}

if (only is not (null or "calls" or "activation" or "counters" or "journal"))
{
    Console.Error.WriteLine($"--only takes calls, activation, counters (the per-call counters alone, for diagnosis) or journal, not {only}.");
    return 2;
}

if (only is "journal")
{
    // The journal's own suite (bench/results/journal.json): 10,000 entries against 10.
    var journalJson = Path.GetFullPath(json == Path.Combine("bench", "results", "runtime.json") ? Path.Combine("bench", "results", "journal.json") : json);
    var journal = new JournalMeasurement(activations ?? 10_000, Math.Max(3, runs ?? 3), quick ? 100 : 300, Console.WriteLine);
    var started = Stopwatch.StartNew();
    var journalFigures = await journal.RunAsync();
    new ResultsDocument("journal", "Journal: 10,000 entries against 10 (in process)", DateTimeOffset.UtcNow, quick,
        [$"One embedded silo on SQLite; grain calls from the same process; {journal.LargeJournal:N0} entries of ~100 words against {JournalMeasurement.SmallJournal}; each op seals or opens AES-GCM."],
        journalFigures).WriteTo(journalJson);
    Console.WriteLine($"journal: {journalFigures.Count} figures in {started.Elapsed.TotalSeconds:0} s → {journalJson}");
    return 0;
}

json = Path.GetFullPath(json);
artifacts = Path.GetFullPath(artifacts ?? Path.Combine(Path.GetDirectoryName(json)!, "bdn"));
Directory.CreateDirectory(artifacts);
var activationCount = activations ?? (quick ? 20_000 : 100_000);
var activationRuns = Math.Max(3, runs ?? 3);

var clock = Stopwatch.StartNew();
var figures = new List<Figure>();
var notes = new List<string>();
if (only is "counters")
{
    Console.WriteLine("runtime: thread-pool work items, lock contentions, GC and CPU per call");
    figures.AddRange(await CallCounters.MeasureAsync(quick ? 3 : 5));
}

if (only is null or "calls")
{
    Console.WriteLine($"runtime: local calls (BenchmarkDotNet, in process, {(quick ? "quick" : "full")} job); log: {Path.Combine(artifacts, "bdn.log")}");
    var (_, callFigures) = BdnRunner.Run(artifacts, quick, Console.Out);
    figures.AddRange(callFigures);
    Console.WriteLine("runtime: thread-pool work items, lock contentions and GC per call");
    figures.AddRange(await CallCounters.MeasureAsync(quick ? 3 : 5));
    notes.Add($"Local calls: one embedded silo (Orleans {typeof(IGrainFactory).Assembly.GetName().Version}, as the gateway hosts it by default), " +
        $"{LocalCallBenchmarks.Targets:N0} grains; BenchmarkDotNet 0.14.0 in process; each run is one workload iteration of {(quick ? 100 : 250)} ms or more, " +
        $"{LocalCallBenchmarks.CallsPerInvoke} calls per invocation; allocations are per call on all threads.");
}

if (only is null or "activation")
{
    Console.WriteLine($"runtime: activation of {activationCount:N0} grains, {activationRuns} runs, {concurrency} callers");
    var activation = new ActivationMeasurement(activationCount, activationRuns, concurrency, Console.WriteLine, holdSeconds);
    figures.AddRange(await activation.RunAsync());
    notes.Add($"Activation: {activationCount:N0} new grains per run on a fresh silo, {concurrency} callers; memory is the managed heap after a full GC, before and after.");
}

var document = new ResultsDocument("runtime", "Grain calls and activations on Orleans (in process)", DateTimeOffset.UtcNow, quick, notes, figures)
{
    Environment = new()
    {
        ["dotnet"] = RuntimeInformation.FrameworkDescription,
        ["os"] = RuntimeInformation.OSDescription,
        ["processors"] = Environment.ProcessorCount.ToString(System.Globalization.CultureInfo.InvariantCulture),
        ["gc"] = (GCSettings.IsServerGC ? "server" : "workstation") + (GCSettings.LatencyMode == GCLatencyMode.Interactive ? ", concurrent" : ""),
        ["orleans"] = typeof(IGrainFactory).Assembly.GetName().Version?.ToString() ?? "?",
        ["seconds"] = clock.Elapsed.TotalSeconds.ToString("0", System.Globalization.CultureInfo.InvariantCulture),
    },
};
document.WriteTo(json);
Console.WriteLine($"runtime: {figures.Count} figures in {clock.Elapsed.TotalSeconds:0} s → {json}");
return 0;
