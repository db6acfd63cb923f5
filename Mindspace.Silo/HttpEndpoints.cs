using System.Net;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Server.Kestrel.Core;
using Microsoft.Extensions.DependencyInjection;
using OpenTelemetry.Metrics;

namespace Mindspace.Silo;

/// <summary>
/// The HTTP ports of a process: its public URLs (the API, or a silo's health) and, with
/// <c>METRICS_PORT</c>, an internal port that serves only <c>/metrics</c>. Orleans' own ports
/// (silo and gateway) are Orleans' and are configured with the cluster.
/// </summary>
public static class HttpEndpoints
{
    public const string MetricsPath = "/metrics";

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

    /// <summary>Serves Prometheus text at <c>/metrics</c>, on the metrics port only: never on the public one (see <see cref="AddMetricsPortSeparation"/>).</summary>
    public static void MapMetrics(this WebApplication app, ObservabilitySettings observability)
    {
        if (observability.MetricsPort is not null)
        {
            app.MapPrometheusScrapingEndpoint(MetricsPath);
        }
    }

    /// <summary>
    /// Keeps the metrics port and the public ports apart, ahead of everything else in the pipeline:
    /// on the metrics port only <c>/metrics</c> answers (it listens on every interface, and must not
    /// become a way around the public port's address or the ingress), and <c>/metrics</c> answers
    /// nowhere else. Decided by the port the connection arrived on, not the Host header a client sends.
    /// </summary>
    public static IServiceCollection AddMetricsPortSeparation(this IServiceCollection services, ObservabilitySettings observability)
    {
        if (observability.MetricsPort is { } metricsPort)
        {
            services.AddSingleton<IStartupFilter>(new MetricsPortSeparation(metricsPort));
        }

        return services;
    }

    private sealed class MetricsPortSeparation(int metricsPort) : IStartupFilter
    {
        public Action<IApplicationBuilder> Configure(Action<IApplicationBuilder> next) => app =>
        {
            app.Use((context, nextMiddleware) =>
            {
                var onMetricsPort = context.Connection.LocalPort == metricsPort;
                var forMetrics = context.Request.Path.Equals(MetricsPath, StringComparison.OrdinalIgnoreCase);
                if (onMetricsPort != forMetrics)
                {
                    context.Response.StatusCode = StatusCodes.Status404NotFound;
                    return Task.CompletedTask;
                }

                return nextMiddleware(context);
            });
            next(app);
        };
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
