using Microsoft.AspNetCore.Builder;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Mindspace.Gateway.Tests.Infrastructure;
using Mindspace.Silo;
using Mindspace.Testing;
using Orleans.Hosting;
using Orleans.Runtime;

namespace Mindspace.Gateway.Tests.Cluster;

/// <summary>
/// A silo built exactly as <c>dotnet run --project Mindspace.Silo</c> builds one (AdoNet clustering on
/// PostgreSQL, mutual TLS, production membership tuning), hosted inside this test process.
/// </summary>
public sealed class InProcessSilo : ITestSilo
{
    private readonly WebApplication _app;
    private bool _stopped;

    private InProcessSilo(WebApplication app, CapturedLogs logs)
    {
        _app = app;
        Logs = logs;
        Address = app.Services.GetRequiredService<ILocalSiloDetails>().SiloAddress;
    }

    /// <summary>The silo's Orleans address, as the cluster's directory names it.</summary>
    public SiloAddress Address { get; }

    public CapturedLogs Logs { get; }

    /// <summary>The silo host's services.</summary>
    public IServiceProvider Services => _app.Services;

    public bool Is(SiloAddress address) => Address.Equals(address);

    /// <summary>Starts a silo that joins the cluster on <paramref name="databaseUrl"/> (creating it if it is the first).</summary>
    /// <param name="configureSilo">Adds to the silo (a call filter, say) after everything production sets up.</param>
    public static Task<InProcessSilo> StartAsync(string databaseUrl, Action<ISiloBuilder>? configureSilo = null)
        => LoopbackPorts.StartWithFreshPortsAsync(async () =>
        {
            var settings = new Dictionary<string, string?>
            {
                ["urls"] = "http://127.0.0.1:0", // the health endpoints, unused here
                ["Logging:LogLevel:Default"] = "Warning",
            };
            TestClusterSettings.ApplyPorts(settings);
            TestClusterSettings.ApplyCluster(settings, databaseUrl);

            var logs = new CapturedLogs();
            var app = MindspaceSilo.Build([], builder =>
            {
                builder.Configuration.AddInMemoryCollection(settings);
                builder.Logging.ClearProviders();
                builder.Logging.AddProvider(logs);
            }, silo =>
            {
                StopHostOnFatalError.Register(silo);
                configureSilo?.Invoke(silo);
            });
            try
            {
                await app.StartAsync();
            }
            catch
            {
                await app.DisposeAsync();
                throw;
            }

            return new InProcessSilo(app, logs);
        });

    /// <summary>
    /// Stops the silo as abruptly as a silo in this process can be stopped: its host is stopped with
    /// an already-cancelled token, so Orleans skips the graceful hand-over (no deactivations, no
    /// directory hand-off) and drops its connections. Unlike a SIGKILL it still marks itself dead in
    /// the membership table on the way out.
    /// </summary>
    public async Task KillAsync()
    {
        if (_stopped)
        {
            return;
        }

        _stopped = true;
        await _app.StopAsync(new CancellationToken(canceled: true));
        await _app.DisposeAsync();
    }

    public async ValueTask DisposeAsync()
    {
        if (_stopped)
        {
            return;
        }

        _stopped = true;
        await _app.StopAsync();
        await _app.DisposeAsync();
    }
}
