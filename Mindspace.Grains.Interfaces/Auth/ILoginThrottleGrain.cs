namespace Mindspace.Grains.Interfaces.Auth;

/// <summary>
/// Counts failed sign-ins for one email (keyed by <see cref="EmailKeys.For"/>, whether or not an
/// account has that email, so unknown emails behave exactly like known ones) and locks sign-in
/// after too many. This grain calls no other grain.
/// </summary>
[Alias("ms.auth.ILoginThrottleGrain")]
public interface ILoginThrottleGrain : IGrainWithStringKey
{
    /// <summary>Until when sign-in is locked, or null when it is open.</summary>
    [Alias("get-locked-until")]
    Task<DateTimeOffset?> GetLockedUntilAsync();

    /// <summary>Counts a failure; returns the lock's end when this failure locked sign-in.</summary>
    [Alias("record-failure")]
    Task<DateTimeOffset?> RecordFailureAsync(LoginThrottlePolicy policy);

    /// <summary>Forgets the failures after a successful sign-in.</summary>
    [Alias("reset")]
    Task ResetAsync();
}

/// <summary>
/// <paramref name="MaxFailures"/> failures within <paramref name="Window"/> lock sign-in for <paramref name="LockoutDuration"/>.
/// </summary>
[GenerateSerializer, Immutable, Alias("ms.auth.LoginThrottlePolicy")]
public sealed record LoginThrottlePolicy(int MaxFailures, TimeSpan Window, TimeSpan LockoutDuration)
{
    /// <summary>5 failures in 15 minutes lock for 15 minutes.</summary>
    public static LoginThrottlePolicy Default { get; } = new(5, TimeSpan.FromMinutes(15), TimeSpan.FromMinutes(15));
}
