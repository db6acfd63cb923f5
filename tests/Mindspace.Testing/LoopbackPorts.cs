using System.Net;
using System.Net.Sockets;

namespace Mindspace.Testing;

/// <summary>Free TCP ports on 127.0.0.1, for servers that must be told their port up front.</summary>
public static class LoopbackPorts
{
    /// <summary>
    /// Below Linux's ephemeral range (32768–60999), so an outgoing connection cannot take the port
    /// between this check and the server's bind; tests pick at random so they rarely meet.
    /// </summary>
    private const int First = 20000;
    private const int Last = 32000;

    /// <summary>A port that was free a moment ago. A server that still fails to bind should retry with another.</summary>
    public static int Free()
    {
        for (var attempt = 0; attempt < 100; attempt++)
        {
            var port = Random.Shared.Next(First, Last);
            try
            {
                using var listener = new TcpListener(IPAddress.Loopback, port);
                listener.Start();
                return port;
            }
            catch (SocketException)
            {
                // taken: try another
            }
        }

        throw new InvalidOperationException($"No free loopback port between {First} and {Last}.");
    }

    /// <summary>
    /// Starts a server that was told its ports up front, choosing again (up to five times) when
    /// another process took a port between <see cref="Free"/> and the bind.
    /// </summary>
    public static async Task<T> StartWithFreshPortsAsync<T>(Func<Task<T>> start)
    {
        for (var attempt = 1; ; attempt++)
        {
            try
            {
                return await start();
            }
            catch (Exception exception) when (IsAddressInUse(exception) && attempt < 5)
            {
            }
        }
    }

    /// <summary>Whether <paramref name="exception"/> says a port was already taken when a server tried to bind it.</summary>
    private static bool IsAddressInUse(Exception exception)
        => exception is SocketException { SocketErrorCode: SocketError.AddressAlreadyInUse }
            || exception.GetType().Name == "AddressInUseException"
            || exception.Message.Contains("address already in use", StringComparison.OrdinalIgnoreCase)
            || (exception.InnerException is { } inner && IsAddressInUse(inner));
}
