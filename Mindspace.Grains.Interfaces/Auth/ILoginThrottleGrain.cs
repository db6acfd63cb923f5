using Mindspace.Runtime;

namespace Mindspace.Grains.Interfaces.Auth;

/// <summary>
/// Counts failed sign-ins for one email (keyed by <see cref="EmailKeys.For"/>, whether or not an
/// account has that email, so unknown emails behave exactly like known ones) and locks sign-in
/// after too many. This grain calls no other grain.
/// </summary>
public interface ILoginThrottleGrain : IGrainWithStringKey
{
    /// <summary>Until when sign-in is locked, or null when it is open.</summary>
    Task<DateTimeOffset?> GetLockedUntilAsync();

    /// <summary>Counts a failure; returns the lock's end when this failure locked sign-in.</summary>
    Task<DateTimeOffset?> RecordFailureAsync(LoginThrottlePolicy policy);

    /// <summary>Forgets the failures after a successful sign-in.</summary>
    Task ResetAsync();
}

/// <summary>
/// <paramref name="MaxFailures"/> failures within <paramref name="Window"/> lock sign-in for <paramref name="LockoutDuration"/>.
/// </summary>
public sealed record LoginThrottlePolicy(int MaxFailures, TimeSpan Window, TimeSpan LockoutDuration)
{
    /// <summary>5 failures in 15 minutes lock for 15 minutes.</summary>
    public static LoginThrottlePolicy Default { get; } = new(5, TimeSpan.FromMinutes(15), TimeSpan.FromMinutes(15));
}
