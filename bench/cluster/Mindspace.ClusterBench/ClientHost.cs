using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Mindspace.Silo;

namespace Mindspace.ClusterBench;

/// <summary>An Orleans client of the cluster, set up as a GATEWAY_ONLY gateway sets up its own (same TLS, tuning and timeouts).</summary>
internal static class ClientHost
{
    public static async Task<IHost> StartAsync()
    {
        var builder = Host.CreateApplicationBuilder([]);
        builder.Logging.ClearProviders();
        builder.Logging.AddSimpleConsole(options => options.SingleLine = true).SetMinimumLevel(LogLevel.Warning);
        builder.AddMindspaceOrleans(SiloRole.ClientOnly);
        var host = builder.Build();
        await host.StartAsync();
        return host;
    }

    public static IGrainFactory Grains(this IHost host) => host.Services.GetRequiredService<IGrainFactory>();
}
