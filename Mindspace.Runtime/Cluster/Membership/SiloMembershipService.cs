using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Mindspace.Runtime.Activation;
using Mindspace.Runtime.Cluster.Routing;
using Mindspace.Runtime.Cluster.Signals;
using Mindspace.Runtime.Cluster.Transport;

namespace Mindspace.Runtime.Cluster.Membership;

/// <summary>
/// A grain-hosting silo's membership (ARCHITECTURE D3). Once the host has started (its silo port is
/// listening) it joins: opens its lease session and registers. Then, every heartbeat interval or
/// when a notification says something changed, it runs one round:
/// <list type="number">
/// <item>heartbeat on the lease session, which extends the lease this silo serves under;</item>
/// <item>evict peers whose lease session is gone or whose heartbeat is older than the eviction age;</item>
/// <item>compute, by rendezvous hashing over live silos, which partitions should be its own;</item>
/// <item>drain and release partitions that should move (their grains deactivate first);</item>
/// <item>take the locks of the partitions it should own and nobody holds.</item>
/// </list>
/// On shutdown it marks itself leaving and hands every partition over before the transport stops.
/// If the lease session fails it stops serving at once (fences) and joins again when it can.
/// </summary>
internal sealed class SiloMembershipService(
    ClusterOptions options,
    PartitionGate gate,
    MembershipTable table,
    MembershipNotifier notifier,
    ClusterNotificationListener notifications,
    PartitionDirectory directory,
    SiloConnectionPool connections,
    Catalog catalog,
    ILogger<SiloMembershipService> logger) : IHostedLifecycleService, IAsyncDisposable
{
    private static readonly TimeSpan DeadSiloRetention = TimeSpan.FromHours(1);

    /// <summary>Ends the loop after its current round (graceful leave).</summary>
    private readonly CancellationTokenSource _leave = new();

    /// <summary>Interrupts whatever the loop is doing (fail-stop).</summary>
    private readonly CancellationTokenSource _abort = new();
    private LeaseConnection? _lease;
    private Task _loop = Task.CompletedTask;
    private bool _aborted;
    private int _rounds;

    public Task StartingAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    public Task StartAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    /// <summary>Joins once everything else has started: the silo port accepts calls before anyone is told to send them.</summary>
    public Task StartedAsync(CancellationToken cancellationToken)
    {
        _loop = Task.Run(RunAsync, CancellationToken.None);
        return Task.CompletedTask;
    }

    /// <summary>Graceful leave, before the transport and the rest of the host stop.</summary>
    public async Task StoppingAsync(CancellationToken cancellationToken)
    {
        await _leave.CancelAsync().ConfigureAwait(false);
        await _loop.ConfigureAwait(false);
        if (_aborted || _lease is not { } lease)
        {
            return;
        }

        var held = gate.HeldPartitions;
        ClusterLog.Leaving(logger, options.SiloId, held.Count);
        try
        {
            await lease.MarkLeavingAsync(options.SiloId, cancellationToken).ConfigureAwait(false);
            await notifier.NotifyAsync(cancellationToken).ConfigureAwait(false);
            await DrainAndReleaseAsync(lease, held, cancellationToken).ConfigureAwait(false);
            await lease.UnregisterAsync(options.SiloId, cancellationToken).ConfigureAwait(false);
        }
        catch (Exception exception) when (exception is not OperationCanceledException)
        {
            // Whatever was not handed over is freed when the lease session closes below.
            ClusterLog.LeaveFailed(logger, exception, options.SiloId);
        }
        finally
        {
            await CloseLeaseAsync().ConfigureAwait(false);
            await notifier.NotifyAsync(CancellationToken.None).ConfigureAwait(false);
        }
    }

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    public Task StoppedAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    /// <summary>
    /// Stops at once without handing anything over, as if the process died: serving stops, the lease
    /// session closes (PostgreSQL frees its locks), activations are abandoned. Peers take over.
    /// </summary>
    public async Task AbortAsync()
    {
        _aborted = true;
        gate.Fence();
        catalog.Abandon();
        await _leave.CancelAsync().ConfigureAwait(false);
        await _abort.CancelAsync().ConfigureAwait(false);
        await _loop.ConfigureAwait(false);
        await CloseLeaseAsync().ConfigureAwait(false);
    }

    public async ValueTask DisposeAsync()
    {
        await CloseLeaseAsync().ConfigureAwait(false);
        _leave.Dispose();
        _abort.Dispose();
    }

    private async Task RunAsync()
    {
        while (!_leave.IsCancellationRequested)
        {
            var changed = notifications.MembershipChanged.Next;
            try
            {
                await RoundAsync(_abort.Token).ConfigureAwait(false);
            }
            catch (OperationCanceledException) when (_abort.IsCancellationRequested)
            {
                return;
            }
            catch (Exception exception)
            {
                ClusterLog.LeaseLost(logger, exception, options.SiloId);
                await LoseLeaseAsync().ConfigureAwait(false);
            }

            try
            {
                await Task.WhenAny(changed, Task.Delay(options.HeartbeatInterval, _leave.Token)).ConfigureAwait(false);
            }
            catch (OperationCanceledException)
            {
                return;
            }
        }
    }

    private async Task RoundAsync(CancellationToken stop)
    {
        if (_lease is null)
        {
            _lease = await LeaseConnection.OpenAsync(options.ConnectionString, options.Address, options.LeaseValidity, stop).ConfigureAwait(false);
            ClusterLog.Joined(logger, options.SiloId, options.Address.Endpoint);
            await notifier.NotifyAsync(stop).ConfigureAwait(false);
        }

        var lease = _lease;
        if (!await HeartbeatAsync(lease, stop).ConfigureAwait(false))
        {
            ClusterLog.Evicted(logger, options.SiloId);
            await LoseLeaseAsync().ConfigureAwait(false);
            return;
        }

        var silos = await table.ReadSilosAsync(options.EvictionAge, stop).ConfigureAwait(false);
        var changed = false;
        foreach (var silo in silos.Where(s => s.IsDead && s.Address.SiloId != options.SiloId))
        {
            connections.Disconnect(silo.Address); // calls still waiting on it fail now rather than at a socket timeout
            if (await table.EvictAsync(silo.Address.SiloId, stop).ConfigureAwait(false))
            {
                ClusterLog.EvictedPeer(logger, silo.Address.SiloId, silo.LeaseGone ? "its lease session ended" : "its heartbeat stalled");
                changed = true;
            }
        }

        var live = silos.Where(s => s.IsLive || s.Address.SiloId == options.SiloId).Select(s => s.Address.SiloId).ToList();
        var desired = Enumerable.Range(0, Partitioning.Count)
            .Where(p => RendezvousPlacement.OwnerOf(p, live) == options.SiloId)
            .ToHashSet();
        var held = gate.HeldPartitions;

        var moving = held.Where(p => !desired.Contains(p)).ToList();
        if (moving.Count > 0)
        {
            ClusterLog.HandingOver(logger, moving.Count);
            await DrainAndReleaseAsync(lease, moving, stop).ConfigureAwait(false);
            changed = true;
        }

        var wanted = desired.Where(p => !held.Contains(p)).ToList();
        if (wanted.Count > 0)
        {
            var taken = await lease.TryAcquireAsync(wanted, options.SiloId, stop).ConfigureAwait(false);
            foreach (var partition in taken)
            {
                gate.Acquired(partition);
            }

            if (taken.Count > 0)
            {
                ClusterLog.Acquired(logger, taken.Count, gate.HeldPartitions.Count);
                changed = true;
            }
        }

        if (changed)
        {
            await notifier.NotifyAsync(stop).ConfigureAwait(false);
            await directory.RefreshAsync().ConfigureAwait(false);
        }

        if (++_rounds % 600 == 0)
        {
            await table.PruneDeadAsync(DeadSiloRetention, stop).ConfigureAwait(false);
        }
    }

    /// <summary>
    /// Hands partitions over: new calls are turned away ("not owner": callers retry at the new
    /// owner), calls already admitted finish, the partitions' grains deactivate (writing their
    /// state), and only then are the locks given up.
    /// </summary>
    private async Task DrainAndReleaseAsync(LeaseConnection lease, IReadOnlyList<int> partitions, CancellationToken cancellationToken)
    {
        if (partitions.Count == 0)
        {
            return;
        }

        foreach (var partition in partitions)
        {
            gate.BeginDrain(partition);
        }

        var draining = partitions.ToHashSet();
        var drained = DrainAsync(draining);
        while (!drained.IsCompleted)
        {
            // A long drain must not let the lease lapse: keep the heartbeat going meanwhile.
            if (await Task.WhenAny(drained, Task.Delay(options.HeartbeatInterval, CancellationToken.None)).ConfigureAwait(false) != drained)
            {
                await HeartbeatAsync(lease, cancellationToken).ConfigureAwait(false);
            }
        }

        await lease.ReleaseAsync(partitions, options.SiloId, cancellationToken).ConfigureAwait(false);
        foreach (var partition in partitions)
        {
            gate.Released(partition);
        }
    }

    private async Task DrainAsync(HashSet<int> partitions)
    {
        var clock = TimeProvider.System;
        var deadline = clock.GetTimestamp() + (long)(options.DrainTimeout.TotalSeconds * clock.TimestampFrequency);
        while (partitions.Any(p => gate.InFlight(p) > 0) && clock.GetTimestamp() < deadline)
        {
            await Task.Delay(5, CancellationToken.None).ConfigureAwait(false);
        }

        try
        {
            var remaining = clock.GetElapsedTime(clock.GetTimestamp(), deadline);
            await catalog.DeactivateWhereAsync(
                id => partitions.Contains(Partitioning.Of(id)),
                DeactivationReason.ShuttingDown,
                remaining > TimeSpan.Zero ? remaining : TimeSpan.FromMilliseconds(1)).ConfigureAwait(false);
        }
        catch (TimeoutException)
        {
            // A grain still deactivating cannot overwrite newer state: its write carries the old etag.
            ClusterLog.DrainTimedOut(logger, partitions.Count);
        }
    }

    /// <summary>Renews the heartbeat and, with it, the lease this silo serves under.</summary>
    /// <returns>False when peers have evicted this silo.</returns>
    private async Task<bool> HeartbeatAsync(LeaseConnection lease, CancellationToken cancellationToken)
    {
        var started = TimeProvider.System.GetTimestamp();
        if (!await lease.HeartbeatAsync(options.SiloId, cancellationToken).ConfigureAwait(false))
        {
            return false;
        }

        gate.ConfirmLease(started, options.LeaseValidity);
        return true;
    }

    /// <summary>The lease is gone or cannot be trusted: stop serving now, drop the session, let the grains go.</summary>
    private async Task LoseLeaseAsync()
    {
        var held = gate.Fence();
        await CloseLeaseAsync().ConfigureAwait(false);
        if (held.Count > 0)
        {
            ClusterLog.Fenced(logger, options.SiloId, held.Count);
            var lost = held.ToHashSet();
            _ = catalog.DeactivateWhereAsync(id => lost.Contains(Partitioning.Of(id)), DeactivationReason.ShuttingDown, options.DrainTimeout)
                .ContinueWith(static t => _ = t.Exception, TaskScheduler.Default);
        }
    }

    private async Task CloseLeaseAsync()
    {
        if (Interlocked.Exchange(ref _lease, null) is { } lease)
        {
            try
            {
                await lease.DisposeAsync().ConfigureAwait(false);
            }
            catch (Exception exception)
            {
                ClusterLog.LeaseCloseFailed(logger, exception);
            }
        }
    }
}
