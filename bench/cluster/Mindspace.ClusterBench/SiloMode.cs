using System.Globalization;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Mindspace.Silo;

namespace Mindspace.ClusterBench;

/// <summary>
/// A production silo (<see cref="MindspaceSilo.Build"/>: every Mindspace grain, cluster mode on
/// PostgreSQL, mutual TLS) plus the bench echo grains, and on its health port:
/// <list type="bullet">
/// <item><c>GET /bench/stats</c>: allocations, collections and CPU of this process;</item>
/// <item><c>POST /bench/local</c>: a closed or open loop of calls to <see cref="ILocalEchoGrain"/>
/// made inside this silo (the grains activate here): the same-run baseline without the network;</item>
/// </list>
/// and, with <c>--echo-port</c>, the raw TLS echo (<see cref="RawEcho"/>).
/// </summary>
internal static class SiloMode
{
    /// <summary>How often a worker of the local closed loop lets the silo's timers run (see <see cref="Load.ClosedAsync"/>): one extra work item per 16 calls.</summary>
    private const int LocalYieldEvery = 16;

    public static async Task<int> RunAsync(BenchOptions options)
    {
        var echoPort = options.Int("echo-port", 0);
        var app = MindspaceSilo.Build([]);
        app.MapGet("/bench/stats", () => Results.Text(SelfStats.Now().ToJson(), "application/json"));
        var grains = app.Services.GetRequiredService<IGrainFactory>();
        var local = Enumerable.Range(0, options.Int("keys", 1024)).Select(i => grains.GetGrain<ILocalEchoGrain>($"local-{i}")).ToArray();
        app.MapPost("/bench/local", async (HttpRequest request) =>
        {
            double Number(string name, double fallback)
                => double.TryParse(request.Query[name], NumberStyles.Float, CultureInfo.InvariantCulture, out var value) ? value : fallback;
            var monitor = new PhaseMonitor([]);
            if (request.Query["loop"] == "open")
            {
                var open = await Load.OpenAsync(i => local[i % local.Length].PingAsync(i), Number("rate", 1000), TimeSpan.FromSeconds(Number("seconds", 2)), TimeSpan.FromSeconds(10), monitor);
                return Results.Text(System.Text.Json.JsonSerializer.Serialize(open, BenchJson.Options), "application/json");
            }

            var closed = await Load.ClosedAsync(
                (w, s) => local[w % local.Length].PingAsync(s), (int)Number("concurrency", 256), TimeSpan.FromSeconds(Number("warmup", 1)), TimeSpan.FromSeconds(Number("seconds", 2)), monitor,
                yieldEvery: LocalYieldEvery);
            return Results.Text(System.Text.Json.JsonSerializer.Serialize(closed, BenchJson.Options), "application/json");
        });

        using var stopping = new CancellationTokenSource();
        var echo = echoPort > 0 ? RawEcho.ServeAsync(echoPort, app.Configuration, stopping.Token) : Task.CompletedTask;
        await app.RunAsync();
        await stopping.CancelAsync();
        await echo;
        return 0;
    }
}
