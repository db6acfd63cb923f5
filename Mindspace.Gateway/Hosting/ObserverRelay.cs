using Orleans.Runtime;

namespace Mindspace.Gateway.Hosting;

/// <summary>
/// What every gateway relay of grain-observer pushes to hub connections shares (notifications, focus
/// sessions, live community events): a one-second tick that refreshes what is due, and the two ways a
/// process learns that pushes may have been lost, which make everything due at the next tick — a silo
/// left the cluster (<see cref="IClusterMembershipService"/>, in a process that hosts a silo) or this
/// process's connection to a silo closed (<see cref="OnGatewayCountChanged"/>, in a gateway-only process).
/// </summary>
/// <remarks>
/// Register a relay with <see cref="ObserverRelayServiceCollectionExtensions.AddObserverRelay{TRelay}"/>.
/// Observer pushes are one-way: a relay must also refresh on its own every so often, because the grains
/// forget observers that stop subscribing; <see cref="RefreshDueAsync"/> decides what is due.
/// </remarks>
public abstract class ObserverRelay(IClusterMembershipService? membership) : BackgroundService
{
    /// <summary>How often <see cref="RefreshDueAsync"/> runs: a loss is made good within about this long.</summary>
    protected static readonly TimeSpan RetryInterval = TimeSpan.FromSeconds(1);

    /// <summary>
    /// A gateway-only process's connections to silos changed (Orleans calls this through a
    /// <see cref="GatewayCountChangedHandler"/>). One fewer means messages on the closed connection
    /// may be lost, pushes among them.
    /// </summary>
    public void OnGatewayCountChanged(object? sender, GatewayCountChangedEventArgs change)
    {
        ArgumentNullException.ThrowIfNull(change);
        if (change.NumberOfConnectedGateways < change.PreviousNumberOfConnectedGateways)
        {
            OnPushesMayBeLost();
        }
    }

    /// <summary>Pushes may have been lost: make every subscription due at the next tick. Must not block.</summary>
    protected abstract void OnPushesMayBeLost();

    /// <summary>Runs every <see cref="RetryInterval"/>: refreshes what is due; failures are the relay's to log and retry.</summary>
    protected abstract Task RefreshDueAsync();

    /// <summary>The membership watch stopped (only the shortcut is lost: periodic refreshes go on).</summary>
    protected abstract void OnMembershipWatchFailed(Exception exception);

    protected sealed override Task ExecuteAsync(CancellationToken stoppingToken)
        => membership is null
            ? TickAsync(stoppingToken)
            : Task.WhenAll(TickAsync(stoppingToken), WatchMembershipAsync(membership, stoppingToken));

    private async Task TickAsync(CancellationToken stoppingToken)
    {
        using var timer = new PeriodicTimer(RetryInterval);
        while (await timer.WaitForNextTickAsync(stoppingToken))
        {
            await RefreshDueAsync();
        }
    }

    /// <summary>Pushes in flight from a silo that left the cluster are lost.</summary>
    private async Task WatchMembershipAsync(IClusterMembershipService cluster, CancellationToken stoppingToken)
    {
        var previous = cluster.CurrentSnapshot;
        try
        {
            await foreach (var snapshot in cluster.MembershipUpdates.WithCancellation(stoppingToken))
            {
                if (snapshot.Version <= previous.Version)
                {
                    continue;
                }

                if (snapshot.CreateUpdate(previous).Changes.Any(member => member.Status == SiloStatus.Dead))
                {
                    OnPushesMayBeLost();
                }

                previous = snapshot;
            }
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
        }
        catch (Exception exception)
        {
            OnMembershipWatchFailed(exception);
        }
    }
}

public static class ObserverRelayServiceCollectionExtensions
{
    /// <summary>
    /// Registers <typeparamref name="TRelay"/> once for the process: as itself (hubs use it), as a hosted
    /// service (its ticks and membership watch) and as a <see cref="GatewayCountChangedHandler"/> (how a
    /// gateway-only process hears that a connection to a silo closed). Orleans calls every registered
    /// handler; the relay is resolved when the event fires, not when Orleans builds its client: the relay
    /// needs that client.
    /// </summary>
    public static IServiceCollection AddObserverRelay<TRelay>(this IServiceCollection services)
        where TRelay : ObserverRelay
    {
        services.AddSingleton<TRelay>();
        services.AddHostedService(sp => sp.GetRequiredService<TRelay>());
        services.AddSingleton<GatewayCountChangedHandler>(sp => (sender, change) => sp.GetRequiredService<TRelay>().OnGatewayCountChanged(sender, change));
        return services;
    }
}
