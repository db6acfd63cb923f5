using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Mindspace.Runtime;

namespace Mindspace.Silo;

/// <summary>
/// Builds a silo process: hosts grains; with <c>DATABASE_URL</c> it joins the cluster and takes calls
/// on <c>SILO_PORT</c>. Its HTTP port (<c>HOST</c>:<c>PORT</c>, default localhost:8081) serves only
/// <c>/health/live</c> and <c>/health/ready</c>. Program.cs and the tests both start silos through here.
/// </summary>
public static class MindspaceSilo
{
    public const int DefaultHealthPort = 8081;

    /// <param name="configure">Lets tests add configuration and services before they are read.</param>
    /// <param name="configureRuntime">Lets tests add grain assemblies or change runtime options.</param>
    public static WebApplication Build(string[] args, Action<WebApplicationBuilder>? configure = null, Action<RuntimeOptions>? configureRuntime = null)
    {
        var builder = WebApplication.CreateSlimBuilder(args);
        ProcessHosting.UseJsonConsoleLogging(builder.Logging);
        configure?.Invoke(builder);

        var settings = SiloSettings.From(builder.Configuration);
        var healthUrls = ProcessHosting.HttpUrls(builder.Configuration, "localhost", DefaultHealthPort);
        builder.WebHost.ConfigureKestrel(kestrel => SiloEndpoints.Configure(
            kestrel, healthUrls, settings, listenForSilos: SiloEndpoints.ListensForSilos(settings, SiloRole.HostsGrains)));
        builder.Services.AddMindspaceSilo(builder.Configuration, SiloRole.HostsGrains, configureRuntime);
        builder.Services.AddMindspaceHealthChecks();

        var app = builder.Build();
        app.MapMindspaceHealth();
        return app;
    }
}
