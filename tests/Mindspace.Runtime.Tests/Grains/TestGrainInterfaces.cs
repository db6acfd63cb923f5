using Mindspace.Runtime;

namespace Mindspace.Runtime.Tests.Grains;

/// <summary>A mutable payload, to prove calls copy rather than share.</summary>
public sealed class Basket
{
    public List<string> Items { get; set; } = [];
}

public interface ITurnProbeGrain : IGrainWithStringKey
{
    /// <summary>Awaits <paramref name="delayMs"/> inside the turn and reports how many turns overlapped it.</summary>
    Task<int> OverlapAsync(int delayMs);

    Task SleepAsync(int delayMs);

    /// <summary>Waits on its cancellation token; <see cref="TurnProbeGrain.DeadlineTokenCancelled"/> completes when it fires.</summary>
    Task WaitForDeadlineAsync(CancellationToken cancellationToken);

    Task<string> EchoAsync(string value);

    Task ThrowAsync(string message);

    /// <summary>Calls <paramref name="other"/>, which calls back into this grain.</summary>
    Task<string> CallBackThroughAsync(string other);

    Task<string> CallMeBackAsync(string caller);
}

public interface IReentrantProbeGrain : IGrainWithStringKey
{
    Task<int> OverlapAsync(int delayMs);

    Task<string> CallBackThroughAsync(string other);

    Task<string> PongAsync();
}

public interface IBasketGrain : IGrainWithGuidKey
{
    Task<Basket> AddAsync(Basket incoming, string item);

    Task<Basket> GetAsync();

    Task<string?> GetEtagAsync();

    Task ClearAsync();
}

public interface ILifecycleGrain : IGrainWithStringKey
{
    Task<Guid> GetActivationIdAsync();

    Task DeactivateSoonAsync();

    Task StartTimerAsync(int periodMs);

    Task<int> GetTimerTicksAsync();
}

public interface IReentrantLifecycleGrain : IGrainWithStringKey
{
    Task<Guid> GetActivationIdAsync();

    Task DeactivateSoonAsync();
}

public interface IFailingActivationGrain : IGrainWithStringKey
{
    Task<string> PingAsync();
}

public interface IReminderProbeGrain : IGrainWithStringKey, IRemindable
{
    Task StartAsync(TimeSpan period);

    Task StopAsync();

    Task<int> GetTicksAsync();
}

public interface IJournalProbeGrain : IGrainWithGuidKey
{
    Task AppendAsync(int count);

    Task<long> CountAsync();

    Task<IReadOnlyList<string>> NewestKeysAsync(int limit);
}
