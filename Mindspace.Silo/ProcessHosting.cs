using System.Globalization;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Diagnostics.HealthChecks;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace Mindspace.Silo;

/// <summary>What every Mindspace process (a silo, a gateway) sets up the same way: logs, listen addresses, health.</summary>
public static class ProcessHosting
{
    /// <summary>Structured JSON lines on the console, UTC timestamps: one event per line for the log collector.</summary>
    public static void UseJsonConsoleLogging(ILoggingBuilder logging)
    {
        logging.ClearProviders();
        logging.AddJsonConsole(options =>
        {
            options.UseUtcTimestamp = true;
            options.TimestampFormat = "yyyy-MM-ddTHH:mm:ss.fffZ ";
        });
    }

    /// <summary>The HTTP URLs to listen on: <c>urls</c>/<c>ASPNETCORE_URLS</c> when given, else <c>http://HOST:PORT</c> with the defaults given.</summary>
    public static IReadOnlyList<string> HttpUrls(IConfiguration configuration, string defaultHost, int defaultPort)
        => (configuration["urls"] ?? configuration["ASPNETCORE_URLS"]) is { Length: > 0 } urls
            ? urls.Split(';', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)
            : [$"http://{(configuration["HOST"] is { Length: > 0 } host ? host : defaultHost)}:{ConfigurationValues.ReadInt(configuration, "PORT", defaultPort, 1, 65535).ToString(CultureInfo.InvariantCulture)}"];

    /// <summary>Ready means storage answers and the cluster membership is in place (always, in embedded mode).</summary>
    public static IHealthChecksBuilder AddMindspaceHealthChecks(this IServiceCollection services)
        => services.AddHealthChecks()
            .AddCheck<StorageHealthCheck>("storage", tags: ["ready"])
            .AddCheck<ClusterHealthCheck>("cluster", tags: ["ready"]);

    /// <summary><c>/health/live</c>: the process answers. <c>/health/ready</c>: the checks tagged "ready" pass.</summary>
    public static void MapMindspaceHealth(this WebApplication app)
    {
        app.MapHealthChecks("/health/live", new HealthCheckOptions { Predicate = _ => false });
        app.MapHealthChecks("/health/ready", new HealthCheckOptions { Predicate = check => check.Tags.Contains("ready") });
    }
}
