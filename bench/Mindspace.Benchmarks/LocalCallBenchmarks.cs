using BenchmarkDotNet.Attributes;

namespace Mindspace.Benchmarks;

/// <summary>
/// Local grain calls on one embedded silo, against two same-run baselines doing the same await
/// pattern without the runtime. Each invocation makes <see cref="CallsPerInvoke"/> calls from
/// <see cref="Outstanding"/> concurrent callers, each caller awaiting one call at a time on its own
/// target, so that many calls are in flight at once; BenchmarkDotNet reports the time per call.
/// </summary>
public class LocalCallBenchmarks
{
    public const int CallsPerInvoke = 4096;

    private Silo? _silo;
    private IPingGrain[] _grains = [];
    private MailboxActor[] _mailboxes = [];
    private ExclusiveSchedulerActor[] _schedulers = [];

    /// <summary>Calls in flight at once (1: one caller awaiting each call before the next).</summary>
    [Params(1, 64, 256)]
    public int Outstanding { get; set; }

    [GlobalSetup]
    public void Setup()
    {
        _silo = Silo.StartAsync().GetAwaiter().GetResult();
        _grains = [.. Enumerable.Range(0, Outstanding).Select(i => _silo.Grains.GetGrain<IPingGrain>($"ping-{i}"))];
        _mailboxes = [.. Enumerable.Range(0, Outstanding).Select(_ => new MailboxActor())];
        _schedulers = [.. Enumerable.Range(0, Outstanding).Select(_ => new ExclusiveSchedulerActor())];

        // Activate every grain before measuring: this benchmark is about calls, not activations.
        Task.WhenAll(_grains.Select(g => g.PingAsync(0))).GetAwaiter().GetResult();
    }

    [GlobalCleanup]
    public void Cleanup()
    {
        foreach (var mailbox in _mailboxes)
        {
            mailbox.Stop();
        }

        _silo?.DisposeAsync().AsTask().GetAwaiter().GetResult();
    }

    [Benchmark(OperationsPerInvoke = CallsPerInvoke)]
    public Task GrainCall() => Run(static (g, v) => g.PingAsync(v), _grains);

    [Benchmark(OperationsPerInvoke = CallsPerInvoke)]
    public Task MailboxActorCall() => Run(static (a, v) => a.PingAsync(v), _mailboxes);

    [Benchmark(OperationsPerInvoke = CallsPerInvoke)]
    public Task ExclusiveSchedulerHop() => Run(static (a, v) => a.PingAsync(v), _schedulers);

    private Task Run<T>(Func<T, int, Task<int>> call, T[] targets)
    {
        if (Outstanding == 1)
        {
            return Sequential(call, targets[0], CallsPerInvoke);
        }

        var callers = new Task[Outstanding];
        var each = CallsPerInvoke / Outstanding;
        for (var i = 0; i < callers.Length; i++)
        {
            callers[i] = Sequential(call, targets[i], each);
        }

        return Task.WhenAll(callers);
    }

    private static async Task Sequential<T>(Func<T, int, Task<int>> call, T target, int count)
    {
        var value = 0;
        for (var i = 0; i < count; i++)
        {
            value = await call(target, value).ConfigureAwait(false);
        }

        if (value != count)
        {
            throw new InvalidOperationException($"Expected {count}, got {value}.");
        }
    }
}

/// <summary>The floor: the grain class called through its interface, no runtime at all.</summary>
public class DirectCallBenchmarks
{
    private readonly IPingGrain _direct = new PingGrain();

    [Benchmark(OperationsPerInvoke = LocalCallBenchmarks.CallsPerInvoke)]
    public async Task DirectInterfaceCall()
    {
        var value = 0;
        for (var i = 0; i < LocalCallBenchmarks.CallsPerInvoke; i++)
        {
            value = await _direct.PingAsync(value).ConfigureAwait(false);
        }
    }
}
