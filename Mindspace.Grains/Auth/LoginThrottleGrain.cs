using Microsoft.Extensions.DependencyInjection;
using Mindspace.Grains.Interfaces;
using Mindspace.Grains.Interfaces.Auth;

namespace Mindspace.Grains.Auth;

/// <summary>Stored state of <see cref="LoginThrottleGrain"/>.</summary>
[GenerateSerializer, Alias("ms.state.LoginThrottleState")]
public sealed class LoginThrottleState
{
    /// <summary>When recent failures happened (only those inside the policy's window are kept).</summary>
    [Id(0)]
    public List<DateTimeOffset> Failures { get; set; } = [];

    [Id(1)]
    public DateTimeOffset? LockedUntil { get; set; }
}

/// <inheritdoc cref="ILoginThrottleGrain"/>
public sealed class LoginThrottleGrain(
    [PersistentState("throttle")] IPersistentState<LoginThrottleState> throttle,
    [FromKeyedServices(MindspaceClock.Key)] TimeProvider time) : Grain, ILoginThrottleGrain
{
    public Task<DateTimeOffset?> GetLockedUntilAsync()
        => Task.FromResult(throttle.State.LockedUntil is { } until && until > time.GetUtcNow() ? until : (DateTimeOffset?)null);

    public async Task<DateTimeOffset?> RecordFailureAsync(LoginThrottlePolicy policy)
    {
        var now = time.GetUtcNow();
        var state = throttle.State;
        if (state.LockedUntil is { } until && until > now)
        {
            // Already locked: attempts while locked neither extend nor count towards the next lock.
            return null;
        }

        state.LockedUntil = null;
        state.Failures.RemoveAll(at => now - at >= policy.Window);
        state.Failures.Add(now);
        DateTimeOffset? lockedNow = null;
        if (state.Failures.Count >= policy.MaxFailures)
        {
            lockedNow = now + policy.LockoutDuration;
            state.LockedUntil = lockedNow;
            state.Failures.Clear();
        }

        await throttle.WriteStateAsync();
        return lockedNow;
    }

    public async Task ResetAsync()
    {
        if (throttle.RecordExists)
        {
            await throttle.ClearStateAsync();
        }
    }
}
