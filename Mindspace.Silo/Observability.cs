using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Npgsql;
using OpenTelemetry;
using OpenTelemetry.Metrics;
using OpenTelemetry.Resources;
using OpenTelemetry.Trace;

namespace Mindspace.Silo;

/// <param name="DashboardEnabled"><c>DASHBOARD_ENABLED</c>: the Orleans dashboard at <c>/dashboard</c> on the gateway (admins only).</param>
/// <param name="MetricsPort"><c>METRICS_PORT</c>: Prometheus text at <c>/metrics</c> on this internal port only.</param>
/// <param name="OtlpEndpoint"><c>OTEL_EXPORTER_OTLP_ENDPOINT</c>: where traces and metrics go over OTLP.</param>
public sealed record ObservabilitySettings(bool DashboardEnabled, int? MetricsPort, string? OtlpEndpoint)
{
    public const string DashboardEnabledKey = "DASHBOARD_ENABLED";
    public const string MetricsPortKey = "METRICS_PORT";
    public const string OtlpEndpointKey = "OTEL_EXPORTER_OTLP_ENDPOINT";

    public bool ExportsAnything => MetricsPort is not null || OtlpEndpoint is not null;

    public static ObservabilitySettings From(IConfiguration configuration)
        => new(
            ConfigurationValues.ReadBool(configuration, DashboardEnabledKey, false),
            string.IsNullOrWhiteSpace(configuration[MetricsPortKey]) ? null : ConfigurationValues.ReadInt(configuration, MetricsPortKey, 0, 1, 65535),
            configuration[OtlpEndpointKey] is { Length: > 0 } endpoint ? endpoint.Trim() : null);
}

/// <summary>OpenTelemetry for every Mindspace process: Orleans, ASP.NET Core, Npgsql and runtime metrics; traces across HTTP → grain calls → PostgreSQL.</summary>
public static class Observability
{
    public const string ServiceName = "mindspace";

    public static void AddMindspaceTelemetry(this IHostApplicationBuilder builder, ObservabilitySettings settings)
    {
        if (!settings.ExportsAnything)
        {
            return;
        }

        builder.Services.AddMetricsPortSeparation(settings);

        var telemetry = builder.Services.AddOpenTelemetry()
            .ConfigureResource(resource => resource.AddService(ServiceName, serviceInstanceId: Environment.MachineName))
            .WithMetrics(metrics =>
            {
                metrics.AddMeter("Microsoft.Orleans")
                    .AddAspNetCoreInstrumentation()
                    .AddRuntimeInstrumentation()
                    .AddNpgsqlInstrumentation();
                if (settings.MetricsPort is not null)
                {
                    metrics.AddPrometheusExporter();
                }
            })
            .WithTracing(tracing => tracing
                // Application: calls to our grains (caller and grain side); Storage: grain state reads and
                // writes, between a grain call and its PostgreSQL commands; Runtime: Orleans' own calls.
                .AddSource("Microsoft.Orleans.Application", "Microsoft.Orleans.Storage", "Microsoft.Orleans.Runtime")
                .AddAspNetCoreInstrumentation(options => options.Filter = context => !context.Request.Path.StartsWithSegments("/health"))
                .AddNpgsql());
        if (settings.OtlpEndpoint is not null)
        {
            telemetry.UseOtlpExporter();
        }
    }
}
