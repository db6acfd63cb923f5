// A closed loop inside the benchmark's own process: one worker per client, each sending again as soon
// as its answer is in. It shares the server's process and cores, so its figures compare targets of the
// same run with each other; for peaks and fixed-rate latency use ExternalLoad (wrk, Mindspace.LoadDriver).
using System.Diagnostics;

namespace Mindspace.Bench;

public static class ClosedLoop
{
    /// <summary>
    /// 2 s of warm-up, then <paramref name="seconds"/> measured: successes per second, p50 and p99 of
    /// the successes' latency, and the failures (<paramref name="send"/> returned false).
    /// </summary>
    public static async Task<object> RunAsync<TClient>(string target, IReadOnlyList<TClient> clients, int seconds, Func<TClient, Task<bool>> send)
    {
        var latencies = new List<double>[clients.Count];
        var errors = 0;
        var measuring = false;
        var stop = false;
        var workers = clients.Select(async (client, w) =>
        {
            latencies[w] = [];
            while (!Volatile.Read(ref stop))
            {
                var start = Stopwatch.GetTimestamp();
                var ok = await send(client);
                var ms = Stopwatch.GetElapsedTime(start).TotalMilliseconds;
                if (Volatile.Read(ref measuring))
                {
                    if (ok)
                    {
                        latencies[w].Add(ms);
                    }
                    else
                    {
                        Interlocked.Increment(ref errors);
                    }
                }
            }
        }).ToList();
        await Task.Delay(TimeSpan.FromSeconds(2));
        Volatile.Write(ref measuring, true);
        var measuredFrom = Stopwatch.GetTimestamp();
        await Task.Delay(TimeSpan.FromSeconds(seconds));
        Volatile.Write(ref measuring, false);
        var elapsed = Stopwatch.GetElapsedTime(measuredFrom).TotalSeconds;
        Volatile.Write(ref stop, true);
        await Task.WhenAll(workers);
        var all = latencies.SelectMany(l => l).Order().ToList();
        double P(double q) => all.Count == 0 ? double.NaN : all[Math.Min(all.Count - 1, (int)(q * all.Count))];
        return new { target, concurrency = clients.Count, seconds, ok = all.Count, errors, perSecond = Math.Round(all.Count / elapsed, 1), p50Ms = Math.Round(P(0.50), 2), p99Ms = Math.Round(P(0.99), 2) };
    }
}
