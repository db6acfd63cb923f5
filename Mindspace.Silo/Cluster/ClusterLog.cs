using Microsoft.Extensions.Logging;

namespace Mindspace.Silo.Cluster;

/// <summary>Log messages about this process's place in the cluster.</summary>
internal static partial class ClusterLog
{
    [LoggerMessage(4001, LogLevel.Critical, "{Reason}")]
    public static partial void GaveUpJoining(ILogger logger, string reason);
}
