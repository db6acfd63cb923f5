using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Mindspace.Runtime.Cluster.Membership;
using Mindspace.Runtime.Cluster.Signals;

namespace Mindspace.Runtime.Cluster.Routing;

/// <summary>
/// Every member's cached copy of "which silo holds which partition", read from
/// <c>ms_partitions</c>. It is refreshed on every membership notification, every heartbeat interval,
/// and whenever a call finds it wrong (a "not owner" answer or an unreachable silo); concurrent
/// refresh requests share one read.
/// </summary>
internal sealed class PartitionDirectory(
    MembershipTable table,
    ClusterNotificationListener notifications,
    ClusterOptions options,
    ILogger<PartitionDirectory> logger) : BackgroundService
{
    private readonly Lock _refreshLock = new();
    private SiloAddress?[] _owners = new SiloAddress?[Partitioning.Count];
    private Task? _refreshing;

    /// <summary>Completes once the first read succeeded.</summary>
    private readonly TaskCompletionSource _loaded = new(TaskCreationOptions.RunContinuationsAsynchronously);

    public SiloAddress? OwnerOf(int partition) => Volatile.Read(ref _owners)[partition];

    /// <summary>Reads the table again (joining a read already under way).</summary>
    public Task RefreshAsync()
    {
        lock (_refreshLock)
        {
            if (_refreshing is { IsCompleted: false } running)
            {
                return running;
            }

            return _refreshing = ReadAsync();
        }
    }

    /// <summary>Whether the table was read at least once.</summary>
    public bool IsLoaded => _loaded.Task.IsCompleted;

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        while (!stoppingToken.IsCancellationRequested)
        {
            var changed = notifications.MembershipChanged.Next;
            await RefreshAsync().ConfigureAwait(false);
            await Task.WhenAny(changed, Task.Delay(options.HeartbeatInterval, stoppingToken)).ConfigureAwait(false);
        }
    }

    private async Task ReadAsync()
    {
        await Task.Yield();
        try
        {
            Volatile.Write(ref _owners, await table.ReadOwnersAsync(CancellationToken.None).ConfigureAwait(false));
            _loaded.TrySetResult();
        }
        catch (Exception exception)
        {
            ClusterLog.DirectoryRefreshFailed(logger, exception);
        }
    }
}
