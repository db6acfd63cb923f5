using Microsoft.Extensions.Logging;

namespace Mindspace.Runtime.Cluster;

/// <summary>Every log message of cluster membership and routing, with stable event ids (1501–1599).</summary>
internal static partial class ClusterLog
{
    [LoggerMessage(1501, LogLevel.Information, "Silo {SiloId} joined the cluster at {Endpoint}")]
    public static partial void Joined(ILogger logger, string siloId, string endpoint);

    [LoggerMessage(1502, LogLevel.Information, "Took {Count} partitions; holding {Held}")]
    public static partial void Acquired(ILogger logger, int count, int held);

    [LoggerMessage(1503, LogLevel.Information, "Handing {Count} partitions over to their new owners")]
    public static partial void HandingOver(ILogger logger, int count);

    [LoggerMessage(1504, LogLevel.Warning, "Evicted silo {SiloId}: {Reason}")]
    public static partial void EvictedPeer(ILogger logger, string siloId, string reason);

    [LoggerMessage(1505, LogLevel.Error, "Silo {SiloId} lost its lease session; it stops serving and will join again")]
    public static partial void LeaseLost(ILogger logger, Exception exception, string siloId);

    [LoggerMessage(1506, LogLevel.Error, "Silo {SiloId} was evicted by its peers; it stops serving and will join again")]
    public static partial void Evicted(ILogger logger, string siloId);

    [LoggerMessage(1507, LogLevel.Warning, "Silo {SiloId} fenced itself: stopped serving {Count} partitions")]
    public static partial void Fenced(ILogger logger, string siloId, int count);

    [LoggerMessage(1508, LogLevel.Information, "Silo {SiloId} is leaving: handing over {Count} partitions")]
    public static partial void Leaving(ILogger logger, string siloId, int count);

    [LoggerMessage(1509, LogLevel.Warning, "Silo {SiloId} could not hand everything over; its lease session closes and peers take the rest")]
    public static partial void LeaveFailed(ILogger logger, Exception exception, string siloId);

    [LoggerMessage(1510, LogLevel.Warning, "Draining {Count} partitions took longer than the drain timeout")]
    public static partial void DrainTimedOut(ILogger logger, int count);

    [LoggerMessage(1511, LogLevel.Debug, "Closing the lease session failed")]
    public static partial void LeaseCloseFailed(ILogger logger, Exception exception);

    [LoggerMessage(1520, LogLevel.Warning, "Reading partition owners failed; routing keeps its last copy")]
    public static partial void DirectoryRefreshFailed(ILogger logger, Exception exception);

    [LoggerMessage(1530, LogLevel.Warning, "Listening for cluster notifications failed; reconnecting")]
    public static partial void ListenerFailed(ILogger logger, Exception exception);

    [LoggerMessage(1531, LogLevel.Debug, "Sending {Count} stream wake-ups failed; subscribers will poll")]
    public static partial void WakeupRelayFailed(ILogger logger, Exception exception, int count);
}
