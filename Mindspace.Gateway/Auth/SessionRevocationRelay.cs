using Mindspace.Gateway.Hosting;
using Mindspace.Grains.Interfaces.Auth;
using Orleans.Runtime;

namespace Mindspace.Gateway.Auth;

/// <summary>
/// This gateway's end of session revocations: one grain observer for the process, subscribed to the
/// cluster's <see cref="ISessionRevocationsGrain"/>, evicting each ended session from the
/// <see cref="SessionCache"/> as its push arrives — whichever gateway or grain ended it.
/// </summary>
/// <remarks>
/// Built like the other relays (<see cref="ObserverRelay"/>): the subscription is refreshed every
/// <see cref="SessionRevocationDelivery.RefreshInterval"/> or a little sooner (<see cref="SubscriptionRefresh"/>),
/// and at the next second after this process learns pushes may have been lost (a silo left the cluster,
/// a connection to a silo closed). Until a subscription has succeeded, and from the moment a loss is
/// noticed until the next subscription succeeds, the cache is emptied and remembers nothing
/// (<see cref="SessionCache.Distrust"/>): every request asks the session grain, as it did before the cache.
/// </remarks>
public sealed partial class SessionRevocationRelay(
    IGrainFactory grains,
    SessionCache cache,
    ILogger<SessionRevocationRelay> logger,
    IClusterMembershipService? membership = null) : ObserverRelay(membership), ISessionRevocationObserver
{
    private readonly SubscriptionRefresh _refresh = new(SessionRevocationDelivery.RefreshInterval) { Due = true };
    private ISessionRevocationObserver? _self;

    private ISessionRevocationObserver Self => _self ??= grains.CreateObjectReference<ISessionRevocationObserver>(this);

    /// <inheritdoc/>
    public Task OnSessionRevokedAsync(SessionRevocation revocation)
    {
        ArgumentNullException.ThrowIfNull(revocation);
        cache.Evict(revocation.SessionId);
        return Task.CompletedTask;
    }

    protected override void OnPushesMayBeLost()
    {
        cache.Distrust();
        _refresh.Due = true;
    }

    protected override void OnMembershipWatchFailed(Exception exception) => LogMembershipWatchFailed(logger, exception);

    protected override async Task RefreshDueAsync()
    {
        var now = DateTimeOffset.UtcNow;
        if (!_refresh.IsDueAt(now))
        {
            return;
        }

        // Cleared before the call, so a loss reported while it runs is not forgotten.
        _refresh.Due = false;
        try
        {
            await grains.GetGrain<ISessionRevocationsGrain>(SessionRevocationDelivery.Key).SubscribeAsync(Self);
            _refresh.RefreshedAt = now;
            if (!_refresh.Due)
            {
                cache.Trust();
            }
        }
        catch (Exception exception) when (exception is not OperationCanceledException)
        {
            // The grain may have forgotten this gateway: stop trusting the cache until subscribed again.
            OnPushesMayBeLost();
            LogSubscribeFailed(logger, exception);
        }
    }

    [LoggerMessage(EventId = 4011, Level = LogLevel.Warning, Message = "Could not subscribe to session revocations; sessions are checked on every request until this succeeds")]
    private static partial void LogSubscribeFailed(ILogger logger, Exception exception);

    [LoggerMessage(EventId = 4012, Level = LogLevel.Warning, Message = "Stopped watching cluster membership for session revocations; periodic refreshes and the cache lifetime go on")]
    private static partial void LogMembershipWatchFailed(ILogger logger, Exception exception);
}
