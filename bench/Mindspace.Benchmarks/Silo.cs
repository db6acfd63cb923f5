using System.Net;
using System.Net.Sockets;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Mindspace.Silo;
using Orleans.Providers;
using Orleans.Storage;

namespace Mindspace.Benchmarks;

/// <summary>
/// One embedded silo in this process, as the gateway hosts it by default
/// (<see cref="MindspaceOrleans.AddMindspaceOrleans"/> without <c>DATABASE_URL</c>): every Mindspace
/// grain plus the bench grain, localhost clustering on free loopback ports, state in SQLite in a
/// directory of its own.
/// </summary>
public sealed class Silo : IAsyncDisposable
{
    private readonly IHost _host;
    private readonly string? _ownedDirectory;

    private Silo(IHost host, string? ownedDirectory)
    {
        _host = host;
        _ownedDirectory = ownedDirectory;
    }

    public IGrainFactory Grains => _host.Services.GetRequiredService<IGrainFactory>();

    public IServiceProvider Services => _host.Services;

    /// <summary>Activations in the cluster (this one silo), as Orleans' management grain counts them.</summary>
    public Task<int> CountActivationsAsync() => Grains.GetGrain<IManagementGrain>(0).GetTotalActivationCount();

    /// <summary>The grain storage every Mindspace grain uses (ours, on SQLite, in embedded mode).</summary>
    public IGrainStorage Storage => _host.Services.GetRequiredKeyedService<IGrainStorage>(ProviderConstants.DEFAULT_STORAGE_PROVIDER_NAME);

    /// <param name="directory">Where the database lives; null: a new temp directory, deleted on dispose.</param>
    public static async Task<Silo> StartAsync(string? directory = null)
    {
        var owned = directory is null ? Directory.CreateTempSubdirectory("mindspace-bench-").FullName : null;
        var builder = Host.CreateApplicationBuilder(new HostApplicationBuilderSettings { DisableDefaults = true, EnvironmentName = "Production" });
        builder.Configuration.AddInMemoryCollection(new Dictionary<string, string?>
        {
            [SiloSettings.DataDirectoryKey] = directory ?? owned,
            [SiloSettings.SiloPortKey] = FreePort().ToString(System.Globalization.CultureInfo.InvariantCulture),
            [SiloSettings.GatewayPortKey] = FreePort().ToString(System.Globalization.CultureInfo.InvariantCulture),
            ["MASTER_KEY"] = Convert.ToBase64String(System.Security.Cryptography.RandomNumberGenerator.GetBytes(32)),
        });
        builder.Logging.ClearProviders();
        builder.AddMindspaceOrleans(SiloRole.HostsGrains);
        var host = builder.Build();
        await host.StartAsync();
        return new Silo(host, owned);
    }

    /// <summary>Stops the silo; <paramref name="deactivate"/> false skips deactivating every activation one by one (nothing to write here).</summary>
    public async Task StopAsync(bool deactivate)
    {
        try
        {
            using var cancel = new CancellationTokenSource(deactivate ? TimeSpan.FromSeconds(30) : TimeSpan.Zero);
            await _host.StopAsync(cancel.Token);
        }
        catch (OperationCanceledException)
        {
        }

        if (_host is IAsyncDisposable disposable)
        {
            await disposable.DisposeAsync();
        }
        else
        {
            _host.Dispose();
        }

        if (_ownedDirectory is not null)
        {
            try
            {
                Directory.Delete(_ownedDirectory, recursive: true);
            }
            catch (IOException)
            {
            }
        }
    }

    public ValueTask DisposeAsync() => new(StopAsync(deactivate: true));

    /// <summary>A loopback port nobody listens on right now (the silo binds it a moment later).</summary>
    private static int FreePort()
    {
        using var socket = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
        socket.Bind(new IPEndPoint(IPAddress.Loopback, 0));
        return ((IPEndPoint)socket.LocalEndPoint!).Port;
    }
}
