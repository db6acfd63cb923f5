using Mindspace.Grains.Interfaces.Auth;
using Mindspace.Runtime;

namespace Mindspace.Grains.Auth;

/// <summary>Stored state of <see cref="LoginThrottleGrain"/>.</summary>
public sealed class LoginThrottleState
{
    /// <summary>When recent failures happened (only those inside the policy's window are kept).</summary>
    public List<DateTimeOffset> Failures { get; set; } = [];

    public DateTimeOffset? LockedUntil { get; set; }
}

/// <inheritdoc cref="ILoginThrottleGrain"/>
public sealed class LoginThrottleGrain(
    [PersistentState("throttle")] IPersistentState<LoginThrottleState> throttle,
    TimeProvider time) : Grain, ILoginThrottleGrain
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
