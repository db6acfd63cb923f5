using System.Globalization;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Diagnostics.HealthChecks;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace Mindspace.Silo;

/// <summary>What every Mindspace process (a silo, a gateway) sets up the same way: logs, listen addresses, health.</summary>
public static class ProcessHosting
{
    /// <summary>
    /// Development: readable single lines, with routine categories (every request, Orleans' start-up
    /// chatter) at Warning. Production and containers: structured JSON, one event per line, for
    /// the log collector.
    /// </summary>
    public static void UseMindspaceLogging(IHostApplicationBuilder builder)
    {
        var logging = builder.Logging;
        logging.ClearProviders();

        // Orleans logs every options block and routine membership steps at Information.
        logging.AddFilter("Orleans", LogLevel.Warning);
        logging.AddFilter("Polly", LogLevel.Warning);
        var inContainer = string.Equals(builder.Configuration["DOTNET_RUNNING_IN_CONTAINER"], "true", StringComparison.OrdinalIgnoreCase);
        if (builder.Environment.IsDevelopment() && !inContainer)
        {
            logging.AddSimpleConsole(options =>
            {
                options.SingleLine = true;
                options.TimestampFormat = "HH:mm:ss ";
            });
            logging.AddFilter("Microsoft.AspNetCore", LogLevel.Warning);

            // Warns once at every start that its first check ran late (start-up is busy); under load it is worth reading, so only here.
            logging.AddFilter("Orleans.Runtime.Watchdog", LogLevel.Error);
            return;
        }

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

    /// <summary>Ready means storage answers and this process is part of the cluster.</summary>
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
