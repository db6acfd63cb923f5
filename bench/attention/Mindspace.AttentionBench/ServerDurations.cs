using System.Diagnostics.Metrics;
using System.Globalization;

namespace Mindspace.AttentionBench;

/// <summary>
/// The gateway's own view of each request's time: ASP.NET Core's <c>http.server.request.duration</c>
/// histogram, from the moment hosting starts the request (headers read) to the end of its response,
/// read through a <see cref="MeterListener"/> in this process, which is the gateway's. Beside the
/// driver's latency it separates time spent in the server from time spent on the way to it (the
/// driver's own scheduling, loopback TCP, the socket waiting for a thread).
/// </summary>
internal sealed class ServerDurations : IDisposable
{
    private readonly MeterListener _listener = new();
    private readonly Lock _gate = new();
    private List<double> _milliseconds = [];

    public ServerDurations()
    {
        _listener.InstrumentPublished = (instrument, listener) =>
        {
            if (instrument.Meter.Name == "Microsoft.AspNetCore.Hosting" && instrument.Name == "http.server.request.duration")
            {
                listener.EnableMeasurementEvents(instrument);
            }
        };
        _listener.SetMeasurementEventCallback<double>((_, seconds, _, _) =>
        {
            lock (_gate)
            {
                _milliseconds.Add(seconds * 1000);
            }
        });
        _listener.Start();
    }

    /// <summary>Forgets what was recorded so far: the next <see cref="Describe"/> covers only what follows.</summary>
    public void Restart()
    {
        lock (_gate)
        {
            _milliseconds = [];
        }
    }

    /// <summary>p50, p99 and max of the requests recorded since <see cref="Restart"/>.</summary>
    public string Describe()
    {
        double[] sorted;
        lock (_gate)
        {
            sorted = [.. _milliseconds];
        }

        if (sorted.Length == 0)
        {
            return "no request recorded";
        }

        Array.Sort(sorted);
        double At(double quantile) => sorted[Math.Min(sorted.Length - 1, (int)(quantile * sorted.Length))];
        return string.Create(CultureInfo.InvariantCulture, $"in the gateway p50 {At(0.50):F2} ms p99 {At(0.99):F2} ms max {sorted[^1]:F1} ms over {sorted.Length:N0} requests");
    }

    public void Dispose() => _listener.Dispose();
}
