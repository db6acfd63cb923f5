using System.Net.Http.Headers;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Mindspace.Gateway.Hosting;
using Mindspace.Grains.Interfaces;
using Mindspace.Testing;

namespace Mindspace.Gateway.Tests.Infrastructure;

/// <summary>
/// The real Mindspace gateway (Kestrel on a free loopback port, the whole HTTP pipeline, an
/// in-process silo) on a fresh data directory — or on a throwaway PostgreSQL database.
/// <see cref="RestartAsync"/> stops the process's host and starts a new one on the same data.
/// </summary>
public sealed class MindspaceTestHost : IAsyncDisposable
{
    private readonly WebApplication _app;
    private readonly TestHostOptions _options;
    private bool _stopped;
    private bool _ownsData = true;

    private MindspaceTestHost(WebApplication app, TestHostOptions options, Uri baseAddress, CapturedLogs logs)
    {
        _app = app;
        Logs = logs;
        _options = options;
        BaseAddress = baseAddress;
        Client = CreateClient();
    }

    public Uri BaseAddress { get; }

    /// <summary>Everything this host logged, at the levels the configuration enables.</summary>
    public CapturedLogs Logs { get; }

    /// <summary>An anonymous client.</summary>
    public HttpClient Client { get; }

    public IServiceProvider Services => _app.Services;

    public IGrainFactory Grains => Services.GetRequiredService<IGrainFactory>();

    public string DataDirectory => _options.DataDirectory.Path;

    /// <summary>Starts a gateway on embedded SQLite in a new temp directory.</summary>
    /// <param name="clock">The time grains and token issuing see; the system clock when null.</param>
    /// <param name="services">Adds to the gateway's services (a hub filter that slows the server down, say).</param>
    public static Task<MindspaceTestHost> StartAsync(Action<IDictionary<string, string?>>? configure = null, TimeProvider? clock = null, Action<IServiceCollection>? services = null)
        => StartAsync(new TestHostOptions(new TempDirectory(), null, configure, clock, services));

    /// <summary>
    /// Starts a gateway whose grain state lives in a fresh database on the throwaway PostgreSQL: a
    /// one-silo cluster (its in-process silo), with mutual TLS like any cluster.
    /// </summary>
    /// <param name="clock">The time grains and token issuing see; the system clock when null.</param>
    public static async Task<MindspaceTestHost> StartOnPostgresAsync(Action<IDictionary<string, string?>>? configure = null, TimeProvider? clock = null)
    {
        var connectionString = await PostgresServer.Shared.CreateDatabaseAsync("gateway");
        return await StartAsync(new TestHostOptions(new TempDirectory(), connectionString, configure, clock, null));
    }

    /// <summary>Starts a gateway that hosts no grains (<c>GATEWAY_ONLY</c>) in front of the cluster on <paramref name="databaseUrl"/>.</summary>
    /// <param name="clock">The time this gateway's token issuing and session cache see; the system clock when null.</param>
    public static Task<MindspaceTestHost> StartGatewayOnlyAsync(string databaseUrl, Action<IDictionary<string, string?>>? configure = null, TimeProvider? clock = null)
        => StartAsync(new TestHostOptions(new TempDirectory(), databaseUrl, settings =>
        {
            settings["GATEWAY_ONLY"] = "true";
            configure?.Invoke(settings);
        }, clock, null));

    /// <summary>A client that sends <paramref name="accessToken"/> as a bearer token.</summary>
    public HttpClient CreateClient(string? accessToken = null)
    {
        var client = new HttpClient { BaseAddress = BaseAddress, Timeout = TimeSpan.FromSeconds(60) };
        if (accessToken is not null)
        {
            client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", accessToken);
        }

        return client;
    }

    /// <summary>
    /// Stops this host (gracefully) and starts a new one on the same data and settings. The new host
    /// owns the data from then on; disposing this one afterwards is harmless.
    /// </summary>
    public async Task<MindspaceTestHost> RestartAsync()
    {
        await StopAsync();
        _ownsData = false;
        return await StartAsync(_options);
    }

    public async ValueTask DisposeAsync()
    {
        await StopAsync();
        if (_ownsData)
        {
            _options.DataDirectory.Dispose();
        }
    }

    private async Task StopAsync()
    {
        if (_stopped)
        {
            return;
        }

        _stopped = true;
        Client.Dispose();
        await _app.StopAsync();
        await _app.DisposeAsync();
    }

    private static Task<MindspaceTestHost> StartAsync(TestHostOptions options)
    {
        // Another test may take the silo port between choosing and binding it: then choose again.
        return LoopbackPorts.StartWithFreshPortsAsync(() => TryStartAsync(options));
    }

    private static async Task<MindspaceTestHost> TryStartAsync(TestHostOptions options)
    {
        var settings = new Dictionary<string, string?>
        {
            ["urls"] = "http://127.0.0.1:0",
            ["DATA_DIR"] = options.DataDirectory.Path,
            ["Logging:LogLevel:Default"] = "Warning",
            ["Logging:LogLevel:Microsoft.AspNetCore"] = "Warning",
            ["RATE_LIMIT_AUTH_PER_MINUTE"] = "100000",
            ["RATE_LIMIT_USER_PER_MINUTE"] = "100000",
            // Every test account is new: the community's new-account limit is off unless a test turns it on.
            ["COMMUNITY_NEW_ACCOUNT_DAYS"] = "0",
        };
        TestClusterSettings.ApplyPorts(settings);
        if (options.DatabaseUrl is not null)
        {
            TestClusterSettings.ApplyCluster(settings, options.DatabaseUrl);
        }

        options.Configure?.Invoke(settings);

        var logs = new CapturedLogs();
        var app = MindspaceGateway.Build([], builder =>
        {
            builder.Configuration.AddInMemoryCollection(settings);
            builder.Logging.ClearProviders();
            builder.Logging.AddProvider(logs);
            if (options.Clock is not null)
            {
                builder.Services.AddKeyedSingleton(MindspaceClock.Key, options.Clock);
            }

            options.Services?.Invoke(builder.Services);
        }, StopHostOnFatalError.Register);
        try
        {
            await app.StartAsync();
        }
        catch
        {
            await app.DisposeAsync();
            throw;
        }

        var address = app.Services.GetRequiredService<IServer>().Features.GetRequiredFeature<IServerAddressesFeature>().Addresses.First();
        return new MindspaceTestHost(app, options, new Uri(address), logs);
    }

    private sealed record TestHostOptions(TempDirectory DataDirectory, string? DatabaseUrl, Action<IDictionary<string, string?>>? Configure, TimeProvider? Clock, Action<IServiceCollection>? Services);
}
