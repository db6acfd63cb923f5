using System.Net;
using Microsoft.AspNetCore.Server.Kestrel.Core;
using Mindspace.Runtime.Cluster.Transport;

namespace Mindspace.Silo;

/// <summary>
/// The ports a process listens on: its HTTP URLs (public API or health) and, when it hosts grains in
/// a cluster, the internal silo port speaking the cluster transport — never HTTP, never public.
/// </summary>
public static class SiloEndpoints
{
    /// <summary>
    /// Listens on <paramref name="httpUrls"/> (<c>http://host:port</c>; host <c>localhost</c>, an IP
    /// address, or <c>*</c>/<c>+</c> for every interface) and on the silo port when
    /// <paramref name="listenForSilos"/>. Explicit listeners replace <c>UseUrls</c>, so both are set here.
    /// </summary>
    public static void Configure(KestrelServerOptions kestrel, IEnumerable<string> httpUrls, SiloSettings settings, bool listenForSilos)
    {
        foreach (var url in httpUrls)
        {
            ListenHttp(kestrel, url);
        }

        if (listenForSilos)
        {
            // A silo that tells its peers to dial a loopback address (a cluster on one machine) listens only there.
            if (IPAddress.TryParse(settings.AdvertiseAddress, out var advertised) && IPAddress.IsLoopback(advertised))
            {
                kestrel.Listen(advertised, settings.SiloPort, listen => listen.UseClusterTransport());
            }
            else
            {
                kestrel.ListenAnyIP(settings.SiloPort, listen => listen.UseClusterTransport());
            }
        }
    }

    /// <summary>Whether this process must accept calls from other members: it hosts grains and runs in a cluster.</summary>
    public static bool ListensForSilos(SiloSettings settings, SiloRole role) => !settings.IsEmbedded && role == SiloRole.HostsGrains;

    private static void ListenHttp(KestrelServerOptions kestrel, string url)
    {
        if (!Uri.TryCreate(url.Replace("://*", "://0.0.0.0", StringComparison.Ordinal).Replace("://+", "://0.0.0.0", StringComparison.Ordinal), UriKind.Absolute, out var uri)
            || uri.Scheme != Uri.UriSchemeHttp)
        {
            throw new InvalidOperationException($"'{url}' is not a listen address of the form http://host:port.");
        }

        if (uri.IsLoopback && !IPAddress.TryParse(uri.Host, out _))
        {
            kestrel.ListenLocalhost(uri.Port);
        }
        else if (IPAddress.TryParse(uri.Host.Trim('[', ']'), out var address))
        {
            kestrel.Listen(address.Equals(IPAddress.Any) ? IPAddress.Any : address, uri.Port);
        }
        else
        {
            throw new InvalidOperationException($"Listen on an IP address, localhost or * (not a host name): '{url}'.");
        }
    }
}
