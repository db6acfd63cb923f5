using Microsoft.Extensions.Logging;

namespace Mindspace.Runtime.Cluster.Transport;

/// <summary>
/// Log messages of the cluster transport (event ids 1401–1499). Endpoints, silo ids and counts
/// only: never payloads, grain arguments or the cluster secret.
/// </summary>
internal static partial class TransportLog
{
    [LoggerMessage(1401, LogLevel.Debug, "Cluster connection {ConnectionId} from {Remote} accepted")]
    public static partial void InboundAccepted(ILogger logger, string connectionId, string? remote);

    [LoggerMessage(1402, LogLevel.Warning, "Cluster connection {ConnectionId} from {Remote} refused at the handshake: {Reason}")]
    public static partial void InboundRejected(ILogger logger, string connectionId, string? remote, HandshakeRejection reason);

    [LoggerMessage(1403, LogLevel.Warning, "Cluster connection {ConnectionId} from {Remote} did not finish the handshake in time")]
    public static partial void InboundHandshakeTimedOut(ILogger logger, string connectionId, string? remote);

    [LoggerMessage(1404, LogLevel.Warning, "Cluster connection {ConnectionId} from {Remote} closed: invalid frame ({Problem})")]
    public static partial void InboundMalformed(ILogger logger, string connectionId, string? remote, string problem);

    [LoggerMessage(1405, LogLevel.Debug, "Cluster connection {ConnectionId} from {Remote} closed")]
    public static partial void InboundClosed(ILogger logger, string connectionId, string? remote);

    [LoggerMessage(1406, LogLevel.Warning, "Cluster connection {ConnectionId} from {Remote} failed")]
    public static partial void InboundFailed(ILogger logger, Exception exception, string connectionId, string? remote);

    [LoggerMessage(1407, LogLevel.Debug, "Cluster connection {ConnectionId} draining for shutdown ({InFlight} calls in flight)")]
    public static partial void InboundDraining(ILogger logger, string connectionId, int inFlight);

    [LoggerMessage(1408, LogLevel.Error, "A response of cluster connection {ConnectionId} could not be produced")]
    public static partial void ResponseFailed(ILogger logger, Exception exception, string connectionId);

    [LoggerMessage(1420, LogLevel.Information, "Connected to silo {Silo}")]
    public static partial void Connected(ILogger logger, SiloAddress silo);

    [LoggerMessage(1421, LogLevel.Warning, "Could not connect to silo {Silo}: {Problem}")]
    public static partial void ConnectFailed(ILogger logger, SiloAddress silo, string problem);

    [LoggerMessage(1422, LogLevel.Warning, "Connection to silo {Silo} lost ({Unsent} calls not sent, {Sent} calls without an answer): {Problem}")]
    public static partial void ConnectionLost(ILogger logger, SiloAddress silo, int unsent, int sent, string problem);

    [LoggerMessage(1423, LogLevel.Information, "Connection to silo {Silo} closed ({Problem})")]
    public static partial void ConnectionClosed(ILogger logger, SiloAddress silo, string problem);

    [LoggerMessage(1424, LogLevel.Information, "Silo {Silo} is shutting down: its connection takes no new calls")]
    public static partial void GoAwayReceived(ILogger logger, SiloAddress silo);
}
