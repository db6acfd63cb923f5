using Mindspace.Runtime.Persistence;
using Xunit;

namespace Mindspace.Runtime.Tests.Storage;

/// <summary>
/// One store (SQLite file or PostgreSQL database) per test class, initialized once, plus the means
/// to open more stores for the tests that need a brand-new one.
/// </summary>
public abstract class StorageFixture : IAsyncLifetime
{
    private readonly List<IStorageProvider> _opened = [];
    private IStorageProvider? _provider;

    /// <summary>The class's provider, initialized.</summary>
    public IStorageProvider Provider => _provider ?? throw new InvalidOperationException("The fixture is not initialized.");

    /// <summary>Where the class's store lives (a file path or a connection string).</summary>
    public string Store { get; private set; } = string.Empty;

    /// <summary>Creates a new, empty store and returns where it lives.</summary>
    public abstract Task<string> CreateStoreAsync();

    /// <summary>Opens a provider on <paramref name="store"/> (not initialized); disposed with the fixture.</summary>
    public IStorageProvider Open(string store)
    {
        var created = CreateProvider(store);
        lock (_opened)
        {
            _opened.Add(created);
        }

        return created;
    }

    public async Task InitializeAsync()
    {
        Store = await CreateStoreAsync();
        _provider = Open(Store);
        await _provider.InitializeAsync(CancellationToken.None);
    }

    public async Task DisposeAsync()
    {
        foreach (var each in _opened)
        {
            await each.DisposeAsync();
        }

        await DisposeStoresAsync();
    }

    protected abstract IStorageProvider CreateProvider(string store);

    protected virtual Task DisposeStoresAsync() => Task.CompletedTask;
}
