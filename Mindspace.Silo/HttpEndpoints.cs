using System.Net;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Server.Kestrel.Core;
using OpenTelemetry.Metrics;

namespace Mindspace.Silo;

/// <summary>
/// The HTTP ports of a process: its public URLs (the API, or a silo's health) and, with
/// <c>METRICS_PORT</c>, an internal port that serves only <c>/metrics</c>. Orleans' own ports
/// (silo and gateway) are Orleans' and are configured with the cluster.
/// </summary>
public static class HttpEndpoints
{
    /// <summary>
    /// Listens on <paramref name="httpUrls"/> (<c>http://host:port</c>; host <c>localhost</c>, an IP
    /// address, or <c>*</c>/<c>+</c> for every interface) and on the metrics port. Explicit listeners
    /// replace <c>UseUrls</c>, so all are set here.
    /// </summary>
    public static void Configure(KestrelServerOptions kestrel, IEnumerable<string> httpUrls, ObservabilitySettings observability)
    {
        foreach (var url in httpUrls)
        {
            Listen(kestrel, url);
        }

        if (observability.MetricsPort is { } metricsPort)
        {
            kestrel.ListenAnyIP(metricsPort);
        }
    }

    /// <summary>Serves Prometheus text at <c>/metrics</c>, on the metrics port only: never on the public one.</summary>
    public static void MapMetrics(this WebApplication app, ObservabilitySettings observability)
    {
        if (observability.MetricsPort is { } metricsPort)
        {
            app.MapPrometheusScrapingEndpoint("/metrics").RequireHost($"*:{metricsPort}");
        }
    }

    private static void Listen(KestrelServerOptions kestrel, string url)
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
            kestrel.Listen(address, uri.Port);
        }
        else
        {
            throw new InvalidOperationException($"Listen on an IP address, localhost or * (not a host name): '{url}'.");
        }
    }
}
