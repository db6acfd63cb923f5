using System.Net;
using System.Net.Sockets;

namespace Mindspace.Testing;

/// <summary>Free TCP ports on 127.0.0.1, for servers that must be told their port up front.</summary>
public static class LoopbackPorts
{
    /// <summary>A port the OS just handed out and released; another process could take it first, which is rare.</summary>
    public static int Free()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }
}
