using Mindspace.Runtime;
using Mindspace.Runtime.Persistence;

namespace Mindspace.Runtime.Tests.Grains;

public sealed class TurnProbeGrain(IGrainFactory grains) : Grain, ITurnProbeGrain
{
    private int _running;

    public async Task<int> OverlapAsync(int delayMs)
    {
        var overlapping = Interlocked.Increment(ref _running);
        await Task.Delay(delayMs);
        Interlocked.Decrement(ref _running);
        return overlapping;
    }

    public Task SleepAsync(int delayMs) => Task.Delay(delayMs);

    /// <summary>Completes with the grain's key when a <see cref="WaitForDeadlineAsync"/> call saw its token cancelled.</summary>
    public static TaskCompletionSource<string> DeadlineTokenCancelled { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);

    public async Task WaitForDeadlineAsync(CancellationToken cancellationToken)
    {
        try
        {
            await Task.Delay(Timeout.Infinite, cancellationToken);
        }
        catch (OperationCanceledException)
        {
            DeadlineTokenCancelled.TrySetResult(GetPrimaryKeyString());
            throw;
        }
    }

    public Task<string> EchoAsync(string value) => Task.FromResult(value);

    public Task ThrowAsync(string message) => throw new ArgumentException(message);

    public Task<string> CallBackThroughAsync(string other)
        => grains.GetGrain<ITurnProbeGrain>(other).CallMeBackAsync(GetPrimaryKeyString());

    public Task<string> CallMeBackAsync(string caller)
        => grains.GetGrain<ITurnProbeGrain>(caller).EchoAsync("called back");
}

[Reentrant]
public sealed class ReentrantProbeGrain(IGrainFactory grains) : Grain, IReentrantProbeGrain
{
    private int _running;

    /// <summary>Waits (up to <paramref name="delayMs"/>) for another call to be inside this grain at the same time.</summary>
    public async Task<int> OverlapAsync(int delayMs)
    {
        var seen = ++_running; // single-threaded even when reentrant: no Interlocked needed
        var waiting = System.Diagnostics.Stopwatch.StartNew();
        while (_running < 2 && waiting.ElapsedMilliseconds < delayMs)
        {
            await Task.Delay(10);
        }

        seen = Math.Max(seen, _running);
        _running--;
        return seen;
    }

    public Task<string> CallBackThroughAsync(string other)
        => grains.GetGrain<IReentrantBouncer>(other).BounceAsync(GetPrimaryKeyString());

    public Task<string> PongAsync() => Task.FromResult("pong");
}

public interface IReentrantBouncer : IGrainWithStringKey
{
    Task<string> BounceAsync(string reentrantCaller);
}

public sealed class ReentrantBouncerGrain(IGrainFactory grains) : Grain, IReentrantBouncer
{
    public Task<string> BounceAsync(string reentrantCaller)
        => grains.GetGrain<IReentrantProbeGrain>(reentrantCaller).PongAsync();
}

public sealed class BasketGrain([PersistentState("basket")] IPersistentState<Basket> basket) : Grain, IBasketGrain
{
    public async Task<Basket> AddAsync(Basket incoming, string item)
    {
        incoming.Items.Add("mutated-by-grain");
        basket.State.Items.Add(item);
        await basket.WriteStateAsync();
        return basket.State;
    }

    public Task<Basket> GetAsync() => Task.FromResult(basket.State);

    public Task<string?> GetEtagAsync() => Task.FromResult(basket.Etag);

    public Task ClearAsync() => basket.ClearStateAsync();
}

public sealed class LifecycleGrain(Probe probe) : Grain, ILifecycleGrain
{
    private readonly Guid _activationId = Guid.NewGuid();
    private int _ticks;

    public override Task OnActivateAsync(CancellationToken cancellationToken)
    {
        probe.Record($"activate:{GetPrimaryKeyString()}:{_activationId}");
        return Task.CompletedTask;
    }

    public override Task OnDeactivateAsync(DeactivationReason reason, CancellationToken cancellationToken)
    {
        probe.Record($"deactivate:{GetPrimaryKeyString()}:{reason}");
        return Task.CompletedTask;
    }

    public Task<Guid> GetActivationIdAsync() => Task.FromResult(_activationId);

    public Task DeactivateSoonAsync()
    {
        DeactivateOnIdle();
        return Task.CompletedTask;
    }

    public Task StartTimerAsync(int periodMs)
    {
        RegisterGrainTimer(_ => { _ticks++; return Task.CompletedTask; }, TimeSpan.Zero, TimeSpan.FromMilliseconds(periodMs));
        return Task.CompletedTask;
    }

    public Task<int> GetTimerTicksAsync() => Task.FromResult(_ticks);
}

[Reentrant]
public sealed class ReentrantLifecycleGrain(Probe probe) : Grain, IReentrantLifecycleGrain
{
    private readonly Guid _activationId = Guid.NewGuid();

    public override Task OnDeactivateAsync(DeactivationReason reason, CancellationToken cancellationToken)
    {
        probe.Record($"deactivate:{GetPrimaryKeyString()}:{reason}");
        return Task.CompletedTask;
    }

    public Task<Guid> GetActivationIdAsync() => Task.FromResult(_activationId);

    public Task DeactivateSoonAsync()
    {
        DeactivateOnIdle();
        return Task.CompletedTask;
    }
}

public sealed class FailingActivationGrain(Probe probe) : Grain, IFailingActivationGrain
{
    public override Task OnActivateAsync(CancellationToken cancellationToken)
    {
        var attempt = probe.Failures.AddOrUpdate(GetPrimaryKeyString(), 1, (_, n) => n + 1);
        return attempt == 1 ? throw new InvalidOperationException("first activation fails") : Task.CompletedTask;
    }

    public Task<string> PingAsync() => Task.FromResult("alive");
}

public sealed class ReminderTicks
{
    public int Ticks { get; set; }
}

public sealed class ReminderProbeGrain([PersistentState("ticks")] IPersistentState<ReminderTicks> ticks) : Grain, IReminderProbeGrain
{
    private const string ReminderName = "probe";

    public async Task StartAsync(TimeSpan period) => await RegisterOrUpdateReminder(ReminderName, TimeSpan.Zero, period);

    public async Task StopAsync()
    {
        if (await GetReminder(ReminderName) is { } reminder)
        {
            await UnregisterReminder(reminder);
        }
    }

    public Task<int> GetTicksAsync() => Task.FromResult(ticks.State.Ticks);

    public async Task ReceiveReminder(string reminderName, TickStatus status)
    {
        ticks.State.Ticks++;
        await ticks.WriteStateAsync();
    }
}

public sealed record JournalLine(int Number);

public sealed class JournalProbeGrain([RecordCollection("lines")] IRecordCollection<JournalLine> lines) : Grain, IJournalProbeGrain
{
    private int _next;

    public async Task AppendAsync(int count)
    {
        for (var i = 0; i < count; i++)
        {
            _next++;
            await lines.PutAsync(_next.ToString("D8", System.Globalization.CultureInfo.InvariantCulture), new JournalLine(_next));
        }
    }

    public Task<long> CountAsync() => lines.CountAsync();

    public async Task<IReadOnlyList<string>> NewestKeysAsync(int limit)
        => [.. (await lines.QueryAsync(new RecordQuery(Descending: true, Limit: limit))).Select(r => r.Key)];
}
