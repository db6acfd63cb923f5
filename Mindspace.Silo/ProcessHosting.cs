using System.Globalization;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Diagnostics.HealthChecks;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.Configuration.Memory;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace Mindspace.Silo;

/// <summary>What every Mindspace process (a silo, a gateway) sets up the same way: logs, listen addresses, health.</summary>
public static class ProcessHosting
{
    /// <summary>
    /// The command line a Mindspace process builds its host from: <paramref name="args"/> after
    /// <c>--hostBuilder:reloadConfigOnChange=false</c>, so configuration files are read once, at start.
    /// </summary>
    /// <remarks>
    /// Reloading them on change needs a file watcher on the content root and on every folder under it,
    /// the data folder among them: on Linux every write to SQLite's files then raises an event in every
    /// process whose content root holds them, the embedded gateway's own included (in bench/http, while
    /// the SQLite gateway took writes, the idle baseline app beside it used 25–31% of a core and an idle gateway 16–29%).
    /// Mindspace's settings change with a restart, as Kubernetes rolls pods. A
    /// <c>--hostBuilder:reloadConfigOnChange=true</c> in <paramref name="args"/> comes later and wins.
    /// </remarks>
    public static string[] HostArguments(string[] args) => ["--hostBuilder:reloadConfigOnChange=false", .. args];

    /// <summary>
    /// Development: readable single lines. Production and containers: structured JSON, one event
    /// per line, for the log collector. Everywhere, routine categories (a line per request,
    /// Orleans' start-up chatter) default to Warning.
    /// </summary>
    public static void UseMindspaceLogging(IHostApplicationBuilder builder)
    {
        // Defaults below every other configuration source, so Logging__LogLevel__<category> still
        // overrides them. A line per request (ASP.NET Core's hosting diagnostics at Information)
        // filled 800 MB per gateway in a 10-minute load run: the ingress keeps access logs.
        // Orleans logs every options block and routine membership steps at Information.
        ((IConfigurationBuilder)builder.Configuration).Sources.Insert(0, new MemoryConfigurationSource
        {
            InitialData = new Dictionary<string, string?>
            {
                ["Logging:LogLevel:Default"] = "Information",
                ["Logging:LogLevel:Microsoft.AspNetCore"] = "Warning",
                ["Logging:LogLevel:Orleans"] = "Warning",
                ["Logging:LogLevel:Polly"] = "Warning",
            },
        });

        var logging = builder.Logging;
        logging.ClearProviders();
        var inContainer = string.Equals(builder.Configuration["DOTNET_RUNNING_IN_CONTAINER"], "true", StringComparison.OrdinalIgnoreCase);
        if (builder.Environment.IsDevelopment() && !inContainer)
        {
            logging.AddSimpleConsole(options =>
            {
                options.SingleLine = true;
                options.TimestampFormat = "HH:mm:ss ";
            });

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
