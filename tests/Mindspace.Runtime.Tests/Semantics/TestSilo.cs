using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Mindspace.Runtime.Activation;
using Mindspace.Runtime.Persistence;
using Mindspace.Runtime.Persistence.Sqlite;
using Mindspace.Runtime.Streams;
using Mindspace.Runtime.Tests.Grains;
using Mindspace.Testing;

namespace Mindspace.Runtime.Tests.Semantics;

/// <summary>A single silo hosting the test grains on SQLite in a temp directory; restartable on the same file.</summary>
public sealed class TestSilo : IAsyncDisposable
{
    private readonly IHost _host;
    private readonly TempDirectory _directory;
    private readonly Action<RuntimeOptions>? _configure;

    private TestSilo(IHost host, TempDirectory directory, Action<RuntimeOptions>? configure)
    {
        _host = host;
        _directory = directory;
        _configure = configure;
    }

    public IGrainFactory Grains => _host.Services.GetRequiredService<IGrainFactory>();

    public IStreamProvider Streams => _host.Services.GetRequiredService<IStreamProvider>();

    public IStorageProvider Storage => _host.Services.GetRequiredService<IStorageProvider>();

    public Catalog Catalog => _host.Services.GetRequiredService<Catalog>();

    public Probe Probe => _host.Services.GetRequiredService<Probe>();

    public static Task<TestSilo> StartAsync(Action<RuntimeOptions>? configure = null)
        => StartAsync(new TempDirectory("mindspace-runtime"), configure);

    /// <summary>Stops this silo gracefully and starts another on the same database.</summary>
    public async Task<TestSilo> RestartAsync()
    {
        await StopAsync();
        return await StartAsync(_directory, _configure);
    }

    /// <summary>Stops the host without running deactivation (as close to a crash as a test process gets).</summary>
    public async Task<TestSilo> CrashAndRestartAsync()
    {
        _host.Dispose();
        return await StartAsync(_directory, _configure);
    }

    public async ValueTask DisposeAsync()
    {
        await StopAsync();
        _directory.Dispose();
    }

    private async Task StopAsync()
    {
        await _host.StopAsync();
        _host.Dispose();
    }

    private static async Task<TestSilo> StartAsync(TempDirectory directory, Action<RuntimeOptions>? configure)
    {
        var builder = Host.CreateApplicationBuilder();
        builder.Logging.ClearProviders();
        builder.Services.AddSingleton<Probe>();
        builder.Services.AddGrainRuntime(options =>
        {
            options.GrainAssemblies.Add(typeof(TestSilo).Assembly);
            options.StorageProviderFactory = _ => new SqliteStorageProvider(directory.Combine("runtime.db"));
            options.ReminderPollInterval = TimeSpan.FromMilliseconds(100);
            options.MinimumReminderPeriod = TimeSpan.FromMilliseconds(100);
            options.StreamPollInterval = TimeSpan.FromMilliseconds(500);
            configure?.Invoke(options);
        });
        var host = builder.Build();
        await host.StartAsync();
        return new TestSilo(host, directory, configure);
    }
}
