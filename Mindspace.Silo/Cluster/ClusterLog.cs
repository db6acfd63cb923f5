using Microsoft.Extensions.Logging;

namespace Mindspace.Silo.Cluster;

/// <summary>Log messages about this process's place in the cluster.</summary>
internal static partial class ClusterLog
{
    [LoggerMessage(4001, LogLevel.Critical, "{Reason}")]
    public static partial void GaveUpJoining(ILogger logger, string reason);

    [LoggerMessage(4002, LogLevel.Information, "A connection to a silo closed ({Connected} connected, {Previous} before): calls in flight now get {GraceSeconds} s to answer")]
    public static partial void SiloConnectionLost(ILogger logger, int connected, int previous, double graceSeconds);

    [LoggerMessage(4003, LogLevel.Warning, "Gave up on {Interface}.{Method}, in flight when a connection to a silo closed ({Action})")]
    public static partial void GaveUpOnCall(ILogger logger, string @interface, string method, string action);
}
