using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Mindspace.Runtime;
using Mindspace.Runtime.Activation;
using Mindspace.Runtime.Persistence;
using Mindspace.Runtime.Persistence.Sqlite;

namespace Mindspace.Benchmarks;

/// <summary>
/// One embedded silo in this process, as the gateway hosts it in embedded mode: the benchmark
/// grains on SQLite in a directory of its own.
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

    public Catalog Catalog => _host.Services.GetRequiredService<Catalog>();

    public IStorageProvider Storage => _host.Services.GetRequiredService<IStorageProvider>();

    public IServiceProvider Services => _host.Services;

    /// <param name="directory">Where the database lives; null: a new temp directory, deleted on dispose.</param>
    public static async Task<Silo> StartAsync(string? directory = null)
    {
        var owned = directory is null ? Directory.CreateTempSubdirectory("mindspace-bench-").FullName : null;
        var databasePath = Path.Combine(directory ?? owned!, "bench.db");
        var builder = Host.CreateApplicationBuilder(new HostApplicationBuilderSettings { DisableDefaults = true });
        builder.Logging.ClearProviders();
        builder.Services.AddGrainRuntime(options =>
        {
            options.GrainAssemblies.Add(typeof(PingGrain).Assembly);
            options.JsonTypeInfoResolvers.Add(BenchJsonContext.Default);
            options.StorageProviderFactory = _ => new SqliteStorageProvider(databasePath);
        });
        var host = builder.Build();
        await host.StartAsync();
        return new Silo(host, owned);
    }

    /// <summary>Stops the silo; <paramref name="deactivate"/> false skips deactivating every activation one by one (nothing to write here).</summary>
    public async Task StopAsync(bool deactivate)
    {
        if (deactivate)
        {
            using var cancel = new CancellationTokenSource(TimeSpan.FromSeconds(30));
            await _host.StopAsync(cancel.Token);
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
}
