using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Mindspace.Gateway.Tests.Infrastructure;
using Mindspace.Grains.Interfaces;
using Mindspace.Grains.Records;
using Mindspace.Silo;
using Mindspace.Testing;

namespace Mindspace.Gateway.Tests.CheckIns;

/// <summary>
/// A silo without the HTTP gateway: the real grains on SQLite in a temp directory, with
/// <see cref="ManualClock"/> as the runtime's <see cref="TimeProvider"/>, for fast grain-level tests.
/// </summary>
public sealed class CheckInsGrainHost : IAsyncDisposable
{
    private readonly IHost _host;
    private readonly TempDirectory _directory;
    private readonly Func<IRecordStore, IRecordStore>? _wrapStore;

    private CheckInsGrainHost(IHost host, TempDirectory directory, ManualClock clock, Func<IRecordStore, IRecordStore>? wrapStore)
    {
        _host = host;
        _directory = directory;
        Clock = clock;
        _wrapStore = wrapStore;
    }

    public ManualClock Clock { get; }

    public IGrainFactory Grains => _host.Services.GetRequiredService<IGrainFactory>();

    public IServiceProvider Services => _host.Services;

    /// <param name="now">Where the clock starts.</param>
    /// <param name="wrapStore">Wraps the record store the grains use (to inject failures), or null for the store as it is.</param>
    public static Task<CheckInsGrainHost> StartAsync(DateTimeOffset now, Func<IRecordStore, IRecordStore>? wrapStore = null)
        => StartAsync(new TempDirectory("mindspace-checkins"), new ManualClock(now), wrapStore);

    /// <summary>A host whose grains reach the record store through an <see cref="ObservedRecordStore"/>, and that store.</summary>
    public static async Task<(CheckInsGrainHost Host, ObservedRecordStore Store)> StartObservedAsync(DateTimeOffset now)
    {
        var host = await StartAsync(now, store => new ObservedRecordStore(store));
        return (host, (ObservedRecordStore)host.Services.GetRequiredService<IRecordStore>());
    }

    /// <summary>
    /// Stops this host and starts a new one on the same data and clock: every activation is gone,
    /// so grains come back from storage alone. Use the returned host (this one is disposed).
    /// </summary>
    public async Task<CheckInsGrainHost> RestartAsync()
    {
        await _host.StopAsync();
        _host.Dispose();
        return await StartAsync(_directory, Clock, _wrapStore);
    }

    private static async Task<CheckInsGrainHost> StartAsync(TempDirectory directory, ManualClock clock, Func<IRecordStore, IRecordStore>? wrapStore)
    {
        // Another test may take an Orleans port between choosing and binding it: then build again with new ones.
        var host = await LoopbackPorts.StartWithFreshPortsAsync(async () =>
        {
            var builder = Host.CreateApplicationBuilder(new HostApplicationBuilderSettings { DisableDefaults = true });
            var settings = new Dictionary<string, string?> { [SiloSettings.DataDirectoryKey] = directory.Path };
            TestClusterSettings.ApplyPorts(settings);
            builder.Configuration.AddInMemoryCollection(settings);
            builder.Logging.ClearProviders();
            builder.Services.AddKeyedSingleton<TimeProvider>(MindspaceClock.Key, clock);
            builder.AddMindspaceOrleans(SiloRole.HostsGrains);
            if (wrapStore is not null)
            {
                var store = builder.Services.Last(service => service.ServiceType == typeof(IRecordStore));
                builder.Services.Remove(store);
                builder.Services.AddSingleton(services => wrapStore((IRecordStore)store.ImplementationFactory!(services)));
            }

            var candidate = builder.Build();
            try
            {
                await candidate.StartAsync();
                return candidate;
            }
            catch
            {
                candidate.Dispose();
                throw;
            }
        });
        return new CheckInsGrainHost(host, directory, clock, wrapStore);
    }

    public async ValueTask DisposeAsync()
    {
        await _host.StopAsync();
        _host.Dispose();
        _directory.Dispose();
    }
}
