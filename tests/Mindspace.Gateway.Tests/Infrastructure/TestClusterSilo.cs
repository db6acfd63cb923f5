using Microsoft.AspNetCore.Builder;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Mindspace.Runtime;
using Mindspace.Runtime.Cluster;
using Mindspace.Silo;
using Mindspace.Testing;

namespace Mindspace.Gateway.Tests.Infrastructure;

/// <summary>
/// One silo of a <see cref="TestCluster"/>: the real silo host (<see cref="MindspaceSilo.Build"/>)
/// with its own silo port, health port and service container, in this test process. It can stop
/// gracefully (SIGTERM: hand-over) or be killed (no hand-over, lease dropped, as if the process died).
/// </summary>
public sealed class TestClusterSilo : IAsyncDisposable
{
    private readonly WebApplication _app;
    private readonly TempDirectory _dataDirectory;
    private bool _stopped;

    private TestClusterSilo(WebApplication app, TempDirectory dataDirectory, CapturedLogs logs)
    {
        _app = app;
        _dataDirectory = dataDirectory;
        Logs = logs;
        Member = app.Services.GetRequiredService<ClusterMember>();
    }

    public ClusterMember Member { get; }

    public string SiloId => Member.SiloId;

    public IGrainFactory Grains => _app.Services.GetRequiredService<IGrainFactory>();

    public IServiceProvider Services => _app.Services;

    public CapturedLogs Logs { get; }

    public bool IsRunning => !_stopped;

    /// <param name="databaseUrl">The cluster's database, or a proxy in front of it.</param>
    public static Task<TestClusterSilo> StartAsync(string databaseUrl, Action<IDictionary<string, string?>>? configure = null)
    {
        // Another test may take the silo port between choosing and binding it: then choose again.
        return LoopbackPorts.StartWithFreshPortsAsync(() => TryStartAsync(databaseUrl, configure));
    }

    private static async Task<TestClusterSilo> TryStartAsync(string databaseUrl, Action<IDictionary<string, string?>>? configure)
    {
        var dataDirectory = new TempDirectory("mindspace-silo");
        var settings = new Dictionary<string, string?>
        {
            ["urls"] = "http://127.0.0.1:0",
            ["DATA_DIR"] = dataDirectory.Path,
            ["DATABASE_URL"] = databaseUrl,
            ["Logging:LogLevel:Default"] = "Warning",
            ["Logging:LogLevel:Mindspace.Runtime.Cluster"] = "Information",
            ["Runtime:ReminderPollInterval"] = "200ms",
            ["Runtime:StreamPollInterval"] = "500ms",
            ["Runtime:MinimumReminderPeriod"] = "1s",
        };
        TestClusterSettings.Apply(settings);
        configure?.Invoke(settings);

        var logs = new CapturedLogs();
        var app = MindspaceSilo.Build(
            [],
            builder =>
            {
                builder.Configuration.AddInMemoryCollection(settings);
                builder.Logging.ClearProviders();
                builder.Logging.AddProvider(logs);
            },
            runtime => runtime.GrainAssemblies.Add(typeof(TestClusterSilo).Assembly));
        try
        {
            await app.StartAsync();
            await TestClusterSettings.WaitUntilReadyAsync(app.Services);
        }
        catch
        {
            await app.DisposeAsync();
            dataDirectory.Dispose();
            throw;
        }

        return new TestClusterSilo(app, dataDirectory, logs);
    }

    /// <summary>Graceful stop, as on SIGTERM: the silo hands its partitions over, then exits.</summary>
    public async Task StopAsync()
    {
        if (_stopped)
        {
            return;
        }

        _stopped = true;
        await _app.StopAsync();
        await _app.DisposeAsync();
    }

    /// <summary>As if the process died: nothing is handed over, the lease session drops, connections break.</summary>
    public async Task KillAsync()
    {
        if (_stopped)
        {
            return;
        }

        _stopped = true;
        await Member.AbortAsync();
        using var noGrace = new CancellationTokenSource(TimeSpan.Zero);
        try
        {
            await _app.StopAsync(noGrace.Token);
        }
        catch (OperationCanceledException)
        {
        }

        await _app.DisposeAsync();
    }

    public async ValueTask DisposeAsync()
    {
        await StopAsync();
        _dataDirectory.Dispose();
    }
}
