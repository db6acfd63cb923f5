using Orleans.Concurrency;

namespace Mindspace.Grains.Interfaces.Auth;

/// <summary>
/// The cluster's one place that tells every gateway a session has ended, so each can drop what it
/// remembers of it (gateways cache "session S is active for user U" to spare the session grain a call
/// on every authenticated request). Keyed 0. Each gateway process subscribes one
/// <see cref="ISessionRevocationObserver"/> and refreshes it every <see cref="SessionRevocationDelivery.RefreshInterval"/>;
/// a <see cref="ISessionGrain"/> publishes here after it stores its end. The subscribers are stored, so
/// an activation on another silo (after a silo died) still pushes to every gateway.
/// </summary>
/// <remarks>This grain calls no other grain (observers only, one-way), so any grain may call it.</remarks>
[Alias("ms.auth.ISessionRevocationsGrain")]
public interface ISessionRevocationsGrain : IGrainWithIntegerKey
{
    /// <summary>Subscribes <paramref name="observer"/> (or refreshes its subscription).</summary>
    [Alias("subscribe")]
    Task SubscribeAsync(ISessionRevocationObserver observer);

    [Alias("unsubscribe")]
    Task UnsubscribeAsync(ISessionRevocationObserver observer);

    /// <summary>Pushes the end of a session to every subscribed gateway (one-way each: returns once queued).</summary>
    [Alias("publish")]
    Task PublishAsync(SessionRevocation revocation);
}

/// <summary>Implemented by each gateway process: forgets the ended session at once.</summary>
[Alias("ms.auth.ISessionRevocationObserver")]
public interface ISessionRevocationObserver : IGrainObserver
{
    /// <summary>One-way, so a revocation never waits on a gateway that has gone.</summary>
    [OneWay]
    [Alias("on-revoked")]
    Task OnSessionRevokedAsync(SessionRevocation revocation);
}

/// <summary>The session <paramref name="SessionId"/> of user <paramref name="UserId"/> has ended (signed out, revoked, erased).</summary>
[GenerateSerializer, Immutable, Alias("ms.auth.SessionRevocation")]
public sealed record SessionRevocation(Guid SessionId, Guid UserId);

/// <summary>Timing of revocation subscriptions, shared by the grain and the gateways.</summary>
public static class SessionRevocationDelivery
{
    /// <summary>The grain's key: there is one for the cluster.</summary>
    public const long Key = 0;

    /// <summary>An observer not refreshed for this long is dropped (its gateway has gone).</summary>
    public static readonly TimeSpan ObserverExpiry = TimeSpan.FromMinutes(3);

    /// <summary>How often a gateway refreshes its subscription: well inside <see cref="ObserverExpiry"/>.</summary>
    public static readonly TimeSpan RefreshInterval = TimeSpan.FromSeconds(45);
}
