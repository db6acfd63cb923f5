using System.Net.NetworkInformation;
using System.Net.Sockets;

namespace Mindspace.Silo;

/// <summary>Picks the address a silo advertises when <c>SILO_ADVERTISE_ADDRESS</c> is not set.</summary>
internal static class AdvertiseAddresses
{
    /// <summary>The first IPv4 address of an interface that is up and not loopback; 127.0.0.1 when there is none.</summary>
    public static string Default()
    {
        try
        {
            return NetworkInterface.GetAllNetworkInterfaces()
                .Where(n => n.OperationalStatus == OperationalStatus.Up && n.NetworkInterfaceType != NetworkInterfaceType.Loopback)
                .SelectMany(n => n.GetIPProperties().UnicastAddresses)
                .Select(a => a.Address)
                .FirstOrDefault(a => a.AddressFamily == AddressFamily.InterNetwork)
                ?.ToString() ?? "127.0.0.1";
        }
        catch (NetworkInformationException)
        {
            return "127.0.0.1";
        }
    }
}
