using System.Net.Sockets;
using Microsoft.AspNetCore.Connections;

namespace Mindspace.Runtime.Cluster.Transport;

/// <summary>Tells the exceptions of a connection going away from real faults.</summary>
internal static class TransportErrors
{
    /// <summary>True for the ways a read or write fails because the connection closed or was aborted.</summary>
    public static bool IsConnectionFailure(Exception exception)
        => exception is IOException or SocketException or ConnectionResetException or ConnectionAbortedException
            or OperationCanceledException or ObjectDisposedException;
}
