using System.Net;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Mindspace.Runtime.Cluster;
using Mindspace.Runtime.Cluster.Transport;

namespace Mindspace.Runtime.Tests.Cluster.Transport;

/// <summary>
/// A real Kestrel server on a loopback port serving the cluster transport with a test handler.
/// Counts the TCP connections it accepts (ahead of the cluster handler, so refused ones count too).
/// </summary>
public sealed class TransportTestServer : IAsyncDisposable
{
    private readonly WebApplication _app;
    private readonly ConnectionCounter _connections;

    private TransportTestServer(WebApplication app, ConnectionCounter connections, int port)
    {
        _app = app;
        _connections = connections;
        Port = port;
    }

    public int Port { get; }

    /// <summary>How the pool addresses this server.</summary>
    public SiloAddress Address => new("test-silo", "127.0.0.1", Port);

    /// <summary>TCP connections accepted so far.</summary>
    public int ConnectionCount => _connections.Count;

    public static async Task<TransportTestServer> StartAsync(
        IInboundCallHandler handler, ClusterTransportOptions? options = null, int port = 0)
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        var connections = new ConnectionCounter();
        builder.WebHost.ConfigureKestrel(kestrel => kestrel.Listen(IPAddress.Loopback, port, listen =>
        {
            listen.Use(next => connection =>
            {
                Interlocked.Increment(ref connections.Count);
                return next(connection);
            });
            listen.UseClusterTransport();
        }));
        builder.Services.AddClusterTransport(options ?? TransportTests.Options());
        builder.Services.AddSingleton(handler);
        var app = builder.Build();
        await app.StartAsync();
        var address = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.Single();
        return new TransportTestServer(app, connections, new Uri(address).Port);
    }

    /// <summary>As close to a crash as a test gets: every connection is aborted at once.</summary>
    public async Task CrashAsync()
    {
        await _app.StopAsync(new CancellationToken(canceled: true));
        await _app.DisposeAsync();
    }

    /// <summary>Graceful shutdown: connections drain (GoAway, calls in flight finish).</summary>
    public Task StopAsync() => _app.StopAsync();

    public async ValueTask DisposeAsync()
    {
        try
        {
            await _app.StopAsync(new CancellationToken(canceled: true));
        }
        catch (ObjectDisposedException)
        {
            // Already crashed.
        }

        await _app.DisposeAsync();
    }

    private sealed class ConnectionCounter
    {
        public int Count;
    }
}
