using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;

namespace Mindspace.Silo;

/// <summary>
/// Builds a silo process: an Orleans silo hosting every grain. Its HTTP port (<c>HOST</c>:<c>PORT</c>,
/// default localhost:8081) serves only <c>/health/live</c> and <c>/health/ready</c> (and, with
/// <c>METRICS_PORT</c>, <c>/metrics</c> on that port). Program.cs and the tests both start silos through here.
/// </summary>
public static class MindspaceSilo
{
    public const int DefaultHealthPort = 8081;

    /// <param name="configure">Lets tests add configuration and services before they are read.</param>
    /// <param name="configureSilo">Lets tests add to the Orleans silo.</param>
    public static WebApplication Build(string[] args, Action<WebApplicationBuilder>? configure = null, Action<ISiloBuilder>? configureSilo = null)
    {
        var builder = WebApplication.CreateSlimBuilder(ProcessHosting.HostArguments(args));
        ProcessHosting.UseMindspaceLogging(builder);
        configure?.Invoke(builder);

        var observability = ObservabilitySettings.From(builder.Configuration);
        var healthUrls = ProcessHosting.HttpUrls(builder.Configuration, "localhost", DefaultHealthPort);
        builder.WebHost.ConfigureKestrel(kestrel => HttpEndpoints.Configure(kestrel, healthUrls, observability));
        builder.AddMindspaceOrleans(SiloRole.HostsGrains, configureSilo);
        builder.Services.AddMindspaceHealthChecks();

        var app = builder.Build();
        app.MapMindspaceHealth();
        app.MapMetrics(observability);
        return app;
    }
}
