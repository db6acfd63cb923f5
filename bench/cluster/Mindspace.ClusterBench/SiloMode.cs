using System.Net;
using System.Text;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Connections;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging.Abstractions;
using Mindspace.Runtime.Cluster.Transport;
using Mindspace.Runtime.Messaging;
using Mindspace.Silo;

namespace Mindspace.ClusterBench;

/// <summary>
/// A production silo (<see cref="MindspaceSilo.Build"/>, every Mindspace grain) plus the bench echo
/// grain, plus — on <c>--echo-port</c> — the cluster transport served by a handler that answers every
/// request with its own arguments: the transport alone, in the same process, for a same-run baseline.
/// <c>GET /bench/stats</c> on the health port tells allocations, collections and CPU.
/// </summary>
internal static class SiloMode
{
    public static async Task<int> RunAsync(BenchOptions options)
    {
        var echoPort = options.Int("echo-port", 0);
        var app = MindspaceSilo.Build(
            [],
            configure: builder =>
            {
                if (echoPort > 0)
                {
                    var secret = builder.Configuration[SiloSettings.ClusterSecretKey]
                        ?? throw new ArgumentException("CLUSTER_SECRET must be set for the raw echo");
                    var handler = new ClusterConnectionHandler(
                        new RawEchoHandler(),
                        new ClusterTransportOptions { Secret = Encoding.UTF8.GetBytes(secret) },
                        NullLogger<ClusterConnectionHandler>.Instance);
                    builder.WebHost.ConfigureKestrel(kestrel => kestrel.Listen(IPAddress.Loopback, echoPort, listen => listen.Run(handler.OnConnectedAsync)));
                }
            },
            configureRuntime: runtime => runtime.GrainAssemblies.Add(typeof(EchoGrain).Assembly));
        app.MapGet("/bench/stats", () => Results.Text(SelfStats.Now().ToJson(), "application/json"));
        await app.RunAsync();
        return 0;
    }

    /// <summary>Answers every call with its arguments, without touching the grain runtime.</summary>
    private sealed class RawEchoHandler : IInboundCallHandler
    {
        public Task<GrainResponse> HandleAsync(GrainRequest request, CancellationToken cancellationToken)
            => Task.FromResult(new GrainResponse(request.Arguments, null));
    }
}
