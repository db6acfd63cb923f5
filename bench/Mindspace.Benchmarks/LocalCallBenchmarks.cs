using BenchmarkDotNet.Attributes;

namespace Mindspace.Benchmarks;

/// <summary>
/// Local grain calls on one embedded silo, against two same-run baselines doing the same await
/// pattern without Orleans. Each invocation makes <see cref="CallsPerInvoke"/> calls from
/// <see cref="Outstanding"/> concurrent callers over <see cref="Targets"/> grains (or actors): caller
/// <c>c</c> calls targets <c>c</c>, <c>c + Outstanding</c>, … in turn, awaiting each call, so that many
/// calls are in flight at once and no two callers ever share a target. BenchmarkDotNet reports the
/// time per call.
/// </summary>
public class LocalCallBenchmarks
{
    public const int CallsPerInvoke = 4096;

    /// <summary>Grains (and baseline actors) called: about as many as a busy silo keeps hot.</summary>
    public const int Targets = 1024;

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
        _grains = [.. Enumerable.Range(0, Targets).Select(i => _silo.Grains.GetGrain<IPingGrain>($"ping-{i}"))];
        _mailboxes = [.. Enumerable.Range(0, Targets).Select(_ => new MailboxActor())];
        _schedulers = [.. Enumerable.Range(0, Targets).Select(_ => new ExclusiveSchedulerActor())];

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

        _silo?.StopAsync(deactivate: false).GetAwaiter().GetResult();
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
            return Sequential(call, targets, 0, 1, CallsPerInvoke);
        }

        var callers = new Task[Outstanding];
        var each = CallsPerInvoke / Outstanding;
        for (var i = 0; i < callers.Length; i++)
        {
            callers[i] = Sequential(call, targets, i, Outstanding, each);
        }

        return Task.WhenAll(callers);
    }

    /// <summary>One caller: <paramref name="count"/> calls, each awaited, to targets first, first + stride, … (wrapping).</summary>
    internal static async Task Sequential<T>(Func<T, int, Task<int>> call, T[] targets, int first, int stride, int count)
    {
        var target = first;
        for (var i = 0; i < count; i++)
        {
            var answer = await call(targets[target], i).ConfigureAwait(false);
            if (answer != i + 1)
            {
                throw new InvalidOperationException($"Expected {i + 1}, got {answer}.");
            }

            target = (target + stride) % targets.Length;
        }
    }
}

/// <summary>The floor: the grain class called through its interface, no Orleans at all.</summary>
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
