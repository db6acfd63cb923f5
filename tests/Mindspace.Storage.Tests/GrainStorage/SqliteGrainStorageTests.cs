using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging.Abstractions;
using Mindspace.Silo.Storage.Sqlite;
using Mindspace.Testing;
using Orleans;
using Orleans.Providers;
using Orleans.Runtime;
using Orleans.Serialization;
using Orleans.Serialization.Serializers;
using Orleans.Storage;

namespace Mindspace.Storage.Tests.GrainStorage;

/// <summary>The grain storage contract on <see cref="SqliteGrainStorage"/>, on a temp file.</summary>
public sealed class SqliteGrainStorageTests : GrainStorageContractTests
{
    private const string ProviderName = ProviderConstants.DEFAULT_STORAGE_PROVIDER_NAME;

    private readonly TempDirectory _directory = new("sqlite-grain-storage");
    private readonly ServiceProvider _services = new ServiceCollection().AddSerializer().BuildServiceProvider();
    private SqliteDatabase? _database;

    /// <summary>Under a directory that does not exist yet, as <c>./data</c> on a first start.</summary>
    private string DatabasePath => _directory.Combine("data", "mindspace.db");

    public override async Task DisposeAsync()
    {
        _database?.Dispose();
        await _services.DisposeAsync();
        _directory.Dispose();
    }

    [Fact]
    public async Task Registration_resolves_the_named_and_the_default_provider_from_the_shared_database()
    {
        using var database = new SqliteDatabase(_directory.Combine("registered.db"), new SqliteStorageOptions());
        var services = new ServiceCollection()
            .AddSerializer()
            .AddLogging()
            .AddSingleton(database)
            .AddSqliteGrainStorage(ProviderName)
            .AddSqliteGrainStorage("archive");
        await using var provider = services.BuildServiceProvider();

        var storage = Assert.IsType<SqliteGrainStorage>(provider.GetRequiredKeyedService<IGrainStorage>(ProviderName));
        Assert.Same(storage, provider.GetRequiredService<IGrainStorage>());
        var archive = Assert.IsType<SqliteGrainStorage>(provider.GetRequiredKeyedService<IGrainStorage>("archive"));
        Assert.NotSame(storage, archive);

        // One file, two providers: the provider name keeps their rows apart.
        var grainId = NewGrainId();
        await storage.WriteStateAsync(StateName, grainId, new GrainState<JournalSummary>(new JournalSummary { Title = "default" }));
        var fromArchive = new GrainState<JournalSummary>();
        await archive.ReadStateAsync(StateName, grainId, fromArchive);
        Assert.False(fromArchive.RecordExists);
    }

    [Fact]
    public async Task Writes_sharing_one_commit_each_get_their_own_etag_outcome_and_survive_a_restart()
    {
        var database = _database ?? throw new InvalidOperationException("Not initialized.");
        var grains = Enumerable.Range(0, 20).Select(_ => NewGrainId()).ToList();
        var states = new List<GrainState<JournalSummary>>();
        foreach (var grain in grains)
        {
            var state = new GrainState<JournalSummary>(new JournalSummary { Title = "v1" });
            await Storage.WriteStateAsync(StateName, grain, state);
            states.Add(state);
        }

        // Two activations of grain 0 hold the same etag: in one batch, exactly the first write wins.
        var rival = new GrainState<JournalSummary>(new JournalSummary { Title = "rival" }, states[0].ETag);
        var stale = new GrainState<JournalSummary>(new JournalSummary { Title = "stale" }, "999");
        var before = database.WriteCounts;

        List<Task> writes;
        Task rivalWrite, staleWrite;
        var entered = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var release = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var held = database.WriteAsync(
            async (_, _) =>
            {
                entered.SetResult();
                await release.Task;
                return 0;
            },
            CancellationToken.None);
        await entered.Task;
        writes = states.Select(state =>
        {
            state.State!.Title = "v2";
            return Storage.WriteStateAsync(StateName, grains[states.IndexOf(state)], state);
        }).ToList();
        rivalWrite = Storage.WriteStateAsync(StateName, grains[0], rival);
        staleWrite = Storage.WriteStateAsync(StateName, grains[1], stale);
        Assert.All(writes, write => Assert.False(write.IsCompleted));
        release.SetResult();
        await held;

        await Task.WhenAll(writes);
        await Assert.ThrowsAsync<InconsistentStateException>(() => rivalWrite);
        await Assert.ThrowsAsync<InconsistentStateException>(() => staleWrite);
        Assert.Equal(2, database.WriteCounts.Commits - before.Commits); // the held write, then all 22 together

        await RestartAsync();
        for (var i = 0; i < grains.Count; i++)
        {
            var read = new GrainState<JournalSummary>();
            await Storage.ReadStateAsync(StateName, grains[i], read);
            Assert.Equal("v2", read.State!.Title);
            Assert.Equal(states[i].ETag, read.ETag);
        }
    }

    protected override Task<IGrainStorage> CreateStorageAsync()
    {
        // A restart: the previous instance's connections close, the new one opens the same file.
        _database?.Dispose();
        _database = new SqliteDatabase(DatabasePath, new SqliteStorageOptions());
        IGrainStorage storage = new SqliteGrainStorage(
            ProviderName,
            _database,
            _services.GetRequiredService<IActivatorProvider>(),
            NullLogger<SqliteGrainStorage>.Instance);
        return Task.FromResult(storage);
    }

    protected override async Task<string?> ReadStoredJsonAsync(string stateName, GrainId grainId)
    {
        var database = _database ?? throw new InvalidOperationException("Not initialized.");
        return await database.ScalarAsync(
            session =>
            {
                var command = session.Statement($"SELECT payload FROM {SqliteSchema.GrainStateTable} WHERE state_name = @state_name AND grain_key = @grain_key");
                command.Parameters.AddWithValue("@state_name", stateName);
                command.Parameters.AddWithValue("@grain_key", grainId.Key.ToString());
                return command;
            },
            CancellationToken.None) as string;
    }
}
