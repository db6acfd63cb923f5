using System.Collections.Concurrent;
using Mindspace.Runtime;
using Mindspace.Runtime.Cluster;

namespace Mindspace.Gateway.Tests.Cluster;

/// <summary>
/// Workers that keep adding 1 to durable probe counters through a grain factory (a gateway's) until
/// stopped, counting every acknowledged add and every failure. Afterwards each counter must hold at
/// least its acknowledged adds (nothing acknowledged lost) and at most those plus the adds whose
/// outcome was unknown (the connection broke after the call was sent).
/// </summary>
public sealed class CounterLoad
{
    private readonly IGrainFactory _grains;
    private readonly string[] _keys;
    private readonly ConcurrentDictionary<string, long> _acknowledged = new();
    private readonly ConcurrentDictionary<string, long> _unknown = new();
    private readonly ConcurrentQueue<Exception> _failures = new();
    private readonly CancellationTokenSource _stop = new();
    private readonly Task[] _workers;

    public CounterLoad(IGrainFactory grains, int counters, int workers)
    {
        _grains = grains;
        var run = Guid.NewGuid().ToString("N")[..8];
        _keys = [.. Enumerable.Range(0, counters).Select(i => $"load-{run}-{i}")];
        _workers = [.. Enumerable.Range(0, workers).Select(w => Task.Run(() => WorkAsync(w)))];
    }

    public IReadOnlyList<string> Keys => _keys;

    public long Acknowledged => _acknowledged.Values.Sum();

    public IReadOnlyCollection<Exception> Failures => _failures;

    /// <summary>Waits until at least <paramref name="count"/> more adds were acknowledged.</summary>
    public async Task WaitForMoreAsync(long count)
    {
        var target = Acknowledged + count;
        await Mindspace.Testing.Eventually.TrueAsync(() => Acknowledged >= target, $"{count} more acknowledged adds");
    }

    public async Task StopAsync()
    {
        await _stop.CancelAsync();
        await Task.WhenAll(_workers);
    }

    /// <summary>Reads every counter back and checks it against what was acknowledged.</summary>
    public async Task AssertNothingAcknowledgedWasLostAsync()
    {
        foreach (var key in _keys)
        {
            var total = await _grains.GetGrain<IClusterProbeGrain>(key).TotalAsync();
            var acknowledged = _acknowledged.GetValueOrDefault(key);
            Assert.True(total >= acknowledged, $"{key}: {acknowledged} adds were acknowledged but the counter holds {total}");
            Assert.True(total <= acknowledged + _unknown.GetValueOrDefault(key), $"{key}: holds {total}, more than the {acknowledged} acknowledged and {_unknown.GetValueOrDefault(key)} unknown adds");
        }
    }

    private async Task WorkAsync(int worker)
    {
        var next = worker;
        while (!_stop.IsCancellationRequested)
        {
            var key = _keys[next++ % _keys.Length];
            try
            {
                await _grains.GetGrain<IClusterProbeGrain>(key).AddAsync(1);
                _acknowledged.AddOrUpdate(key, 1, (_, n) => n + 1);
            }
            catch (Exception exception)
            {
                _failures.Enqueue(exception);
                if (exception is not CallNotSentException)
                {
                    _unknown.AddOrUpdate(key, 1, (_, n) => n + 1);
                }

                await Task.Delay(10);
            }
        }
    }
}
