// Reads a `dotnet-trace collect --profile gc-collect -p PID` trace and prints, per process, how many
// collections it saw, their pauses (p50, p90, max) and what each promoted; with --each, every collection.
//
//   dotnet run --project bench/tools/Mindspace.GcPauses -c Release --artifacts-path bench/.build/tools -- trace.nettrace [--each]
//
// The figures of docs/performance.md's held-gateway tables ("collections", "pause p50 / p90 / max",
// "promoted") were read with it.
using System.Globalization;
using Microsoft.Diagnostics.Tracing;
using Microsoft.Diagnostics.Tracing.Analysis;

if (args.Length is < 1 or > 2 || (args.Length == 2 && args[1] != "--each"))
{
    Console.Error.WriteLine("usage: Mindspace.GcPauses TRACE.nettrace [--each]");
    return 2;
}

using var source = new EventPipeEventSource(args[0]);
source.NeedLoadedDotNetRuntimes();
source.Process();

foreach (var process in source.Processes())
{
    var collections = process.LoadedDotNetRuntime()?.GC.GCs.Where(gc => gc.PauseDurationMSec > 0).ToList();
    if (collections is not { Count: > 0 })
    {
        continue;
    }

    var pauses = collections.Select(gc => gc.PauseDurationMSec).Order().ToList();
    var promoted = collections.Select(gc => gc.PromotedMB).Order().ToList();
    var seconds = (collections[^1].StartRelativeMSec - collections[0].StartRelativeMSec) / 1000;
    var byGeneration = string.Join(", ", collections.GroupBy(gc => gc.Generation).OrderBy(g => g.Key).Select(g => $"gen{g.Key} {g.Count()}"));
    Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
        $"process {process.ProcessID}: {collections.Count} collections in {seconds:F1} s ({byGeneration}); "
        + $"pause p50 {Quantile(pauses, 0.5):F1} ms, p90 {Quantile(pauses, 0.9):F1} ms, max {pauses[^1]:F1} ms; "
        + $"promoted p50 {Quantile(promoted, 0.5):F2} MB"));
    if (args.Length == 2)
    {
        var sessionStart = new DateTimeOffset(source.SessionStartTime.ToUniversalTime());
        foreach (var gc in collections)
        {
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"  {gc.StartRelativeMSec / 1000,8:F2} s  (unix ms {sessionStart.AddMilliseconds(gc.StartRelativeMSec).ToUnixTimeMilliseconds()})  gen{gc.Generation} {gc.Type,-16} pause {gc.PauseDurationMSec,6:F1} ms  promoted {gc.PromotedMB,6:F2} MB  suspend {gc.SuspendDurationMSec:F1} ms"));
        }
    }
}

return 0;

static double Quantile(List<double> sorted, double q) => sorted[(int)Math.Min(sorted.Count - 1, q * sorted.Count)];
