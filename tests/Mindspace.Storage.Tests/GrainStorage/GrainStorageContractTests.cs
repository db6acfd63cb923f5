using System.Text.Json;
using Orleans;
using Orleans.Runtime;
using Orleans.Storage;

namespace Mindspace.Storage.Tests.GrainStorage;

/// <summary>
/// What every grain storage provider the silo may use must do, run against each of them: etag
/// compare-and-swap on write and clear, tombstoned clears, durable state, readable JSON.
/// </summary>
public abstract class GrainStorageContractTests : IAsyncLifetime
{
    protected const string StateName = "summary";

    private IGrainStorage? _storage;

    /// <summary>The provider under test (the latest instance after <see cref="RestartAsync"/>).</summary>
    protected IGrainStorage Storage => _storage ?? throw new InvalidOperationException("Not initialized.");

    /// <summary>Creates a new provider instance on the same database as every earlier one of this test.</summary>
    protected abstract Task<IGrainStorage> CreateStorageAsync();

    /// <summary>The payload stored for <paramref name="grainId"/>'s state, as the database holds it.</summary>
    protected abstract Task<string?> ReadStoredJsonAsync(string stateName, GrainId grainId);

    public virtual async Task InitializeAsync() => _storage = await CreateStorageAsync();

    public virtual Task DisposeAsync() => Task.CompletedTask;

    /// <summary>Replaces the provider with a new instance on the same database, as a silo restart does.</summary>
    protected virtual async Task RestartAsync() => _storage = await CreateStorageAsync();

    [Fact]
    public async Task Reading_state_that_was_never_written_gives_an_empty_state_and_no_record()
    {
        var grainId = NewGrainId();
        var state = new GrainState<JournalSummary>(new JournalSummary { Title = "left over" }, "41") { RecordExists = true };

        await Storage.ReadStateAsync(StateName, grainId, state);

        Assert.False(state.RecordExists);
        Assert.Null(state.ETag);
        Assert.NotNull(state.State);
        Assert.Null(state.State.Title);
        Assert.Equal(0, state.State.EntryCount);
    }

    [Fact]
    public async Task A_written_state_is_read_back_into_a_fresh_state_object()
    {
        var grainId = NewGrainId();
        var written = new GrainState<JournalSummary>(Sample("First week"));

        await Storage.WriteStateAsync(StateName, grainId, written);

        Assert.NotNull(written.ETag);
        Assert.True(written.RecordExists);
        var read = new GrainState<JournalSummary>();
        await Storage.ReadStateAsync(StateName, grainId, read);
        Assert.True(read.RecordExists);
        Assert.Equal(written.ETag, read.ETag);
        AssertSameSummary(written.State!, read.State);
    }

    [Fact]
    public async Task Every_write_changes_the_etag()
    {
        var grainId = NewGrainId();
        var state = new GrainState<JournalSummary>(Sample("v1"));
        var etags = new List<string?>();

        for (var i = 0; i < 3; i++)
        {
            state.State!.EntryCount = i;
            await Storage.WriteStateAsync(StateName, grainId, state);
            etags.Add(state.ETag);
        }

        Assert.All(etags, Assert.NotNull);
        Assert.Equal(3, etags.Distinct().Count());
    }

    [Fact]
    public async Task Write_with_a_stale_etag_throws_and_changes_nothing()
    {
        var grainId = NewGrainId();
        var current = new GrainState<JournalSummary>(Sample("original"));
        await Storage.WriteStateAsync(StateName, grainId, current);
        var stale = new GrainState<JournalSummary>(Sample("stale"), current.ETag) { RecordExists = true };
        current.State!.Title = "newer";
        await Storage.WriteStateAsync(StateName, grainId, current);

        await Assert.ThrowsAsync<InconsistentStateException>(() => Storage.WriteStateAsync(StateName, grainId, stale));

        var read = new GrainState<JournalSummary>();
        await Storage.ReadStateAsync(StateName, grainId, read);
        Assert.Equal("newer", read.State!.Title);
        Assert.Equal(current.ETag, read.ETag);
    }

    [Fact]
    public async Task Write_with_no_etag_over_stored_state_throws_and_changes_nothing()
    {
        // A second activation that started before the first one wrote anything.
        var grainId = NewGrainId();
        var first = new GrainState<JournalSummary>(Sample("first activation"));
        await Storage.WriteStateAsync(StateName, grainId, first);
        var second = new GrainState<JournalSummary>(Sample("second activation"));

        await Assert.ThrowsAsync<InconsistentStateException>(() => Storage.WriteStateAsync(StateName, grainId, second));

        var read = new GrainState<JournalSummary>();
        await Storage.ReadStateAsync(StateName, grainId, read);
        Assert.Equal("first activation", read.State!.Title);
        Assert.Equal(first.ETag, read.ETag);
    }

    [Fact]
    public async Task Concurrent_writes_with_the_same_etag_let_exactly_one_succeed()
    {
        var grainId = NewGrainId();
        var seed = new GrainState<JournalSummary>(Sample("seed"));
        await Storage.WriteStateAsync(StateName, grainId, seed);

        var writers = Enumerable.Range(0, 8)
            .Select(i => new GrainState<JournalSummary>(Sample($"writer {i}"), seed.ETag) { RecordExists = true })
            .ToList();
        var outcomes = await Task.WhenAll(writers.Select(async writer =>
        {
            try
            {
                await Storage.WriteStateAsync(StateName, grainId, writer);
                return (Exception?)null;
            }
            catch (Exception exception)
            {
                return exception;
            }
        }));

        Assert.Single(outcomes, outcome => outcome is null);
        Assert.All(outcomes.Where(outcome => outcome is not null), outcome => Assert.IsAssignableFrom<InconsistentStateException>(outcome));
        var winner = writers[Array.IndexOf(outcomes, null)];
        var read = new GrainState<JournalSummary>();
        await Storage.ReadStateAsync(StateName, grainId, read);
        Assert.Equal(winner.State!.Title, read.State!.Title);
        Assert.Equal(winner.ETag, read.ETag);
    }

    [Fact]
    public async Task Clear_with_a_stale_etag_throws_and_changes_nothing()
    {
        var grainId = NewGrainId();
        var current = new GrainState<JournalSummary>(Sample("kept"));
        await Storage.WriteStateAsync(StateName, grainId, current);
        var stale = new GrainState<JournalSummary>(Sample("kept"), current.ETag) { RecordExists = true };
        await Storage.WriteStateAsync(StateName, grainId, current);

        await Assert.ThrowsAsync<InconsistentStateException>(() => Storage.ClearStateAsync(StateName, grainId, stale));

        var read = new GrainState<JournalSummary>();
        await Storage.ReadStateAsync(StateName, grainId, read);
        Assert.True(read.RecordExists);
        Assert.Equal("kept", read.State!.Title);
        Assert.Equal(current.ETag, read.ETag);
    }

    [Fact]
    public async Task After_a_clear_a_read_finds_no_record()
    {
        var grainId = NewGrainId();
        var state = new GrainState<JournalSummary>(Sample("to be erased"));
        await Storage.WriteStateAsync(StateName, grainId, state);
        var writtenETag = state.ETag;

        await Storage.ClearStateAsync(StateName, grainId, state);

        Assert.False(state.RecordExists);
        Assert.NotEqual(writtenETag, state.ETag);
        Assert.NotNull(state.State);
        Assert.Null(state.State.Title);
        var read = new GrainState<JournalSummary>();
        await Storage.ReadStateAsync(StateName, grainId, read);
        Assert.False(read.RecordExists);
        Assert.Equal(state.ETag, read.ETag);
        Assert.NotNull(read.State);
        Assert.Null(read.State.Title);
        Assert.Empty(read.State.Tags);
    }

    [Fact]
    public async Task A_write_after_a_clear_stores_the_new_state()
    {
        var grainId = NewGrainId();
        var state = new GrainState<JournalSummary>(Sample("before"));
        await Storage.WriteStateAsync(StateName, grainId, state);
        await Storage.ClearStateAsync(StateName, grainId, state);
        var clearedETag = state.ETag;

        state.State = Sample("after");
        await Storage.WriteStateAsync(StateName, grainId, state);

        Assert.True(state.RecordExists);
        Assert.NotEqual(clearedETag, state.ETag);
        var read = new GrainState<JournalSummary>();
        await Storage.ReadStateAsync(StateName, grainId, read);
        Assert.True(read.RecordExists);
        Assert.Equal(state.ETag, read.ETag);
        AssertSameSummary(state.State, read.State);
    }

    [Fact]
    public async Task A_stale_writer_cannot_bring_cleared_state_back()
    {
        var grainId = NewGrainId();
        var state = new GrainState<JournalSummary>(Sample("erased"));
        await Storage.WriteStateAsync(StateName, grainId, state);
        var staleWithETag = new GrainState<JournalSummary>(Sample("erased"), state.ETag) { RecordExists = true };
        var staleWithoutETag = new GrainState<JournalSummary>(Sample("erased"));
        await Storage.ClearStateAsync(StateName, grainId, state);

        await Assert.ThrowsAsync<InconsistentStateException>(() => Storage.WriteStateAsync(StateName, grainId, staleWithETag));
        await Assert.ThrowsAsync<InconsistentStateException>(() => Storage.WriteStateAsync(StateName, grainId, staleWithoutETag));

        var read = new GrainState<JournalSummary>();
        await Storage.ReadStateAsync(StateName, grainId, read);
        Assert.False(read.RecordExists);
        Assert.Null(read.State!.Title);
    }

    [Fact]
    public async Task Clearing_state_that_was_never_written_leaves_no_record()
    {
        var grainId = NewGrainId();
        var state = new GrainState<JournalSummary>(Sample("only in memory"));

        await Storage.ClearStateAsync(StateName, grainId, state);

        Assert.False(state.RecordExists);
        Assert.Null(state.State!.Title);
        var read = new GrainState<JournalSummary>();
        await Storage.ReadStateAsync(StateName, grainId, read);
        Assert.False(read.RecordExists);
        Assert.Null(read.ETag);
    }

    [Fact]
    public async Task State_survives_a_restart_and_the_new_instance_keeps_checking_etags()
    {
        var grainId = NewGrainId();
        var state = new GrainState<JournalSummary>(Sample("durable"));
        await Storage.WriteStateAsync(StateName, grainId, state);
        var staleAfterRestart = new GrainState<JournalSummary>(Sample("stale"), state.ETag) { RecordExists = true };

        await RestartAsync();

        var read = new GrainState<JournalSummary>();
        await Storage.ReadStateAsync(StateName, grainId, read);
        Assert.True(read.RecordExists);
        Assert.Equal(state.ETag, read.ETag);
        AssertSameSummary(state.State!, read.State);
        read.State!.EntryCount++;
        await Storage.WriteStateAsync(StateName, grainId, read);
        await Assert.ThrowsAsync<InconsistentStateException>(() => Storage.WriteStateAsync(StateName, grainId, staleAfterRestart));
    }

    [Fact]
    public async Task Grains_and_state_names_are_stored_apart()
    {
        var first = NewGrainId();
        var second = NewGrainId();
        await Storage.WriteStateAsync(StateName, first, new GrainState<JournalSummary>(Sample("first")));
        await Storage.WriteStateAsync(StateName, second, new GrainState<JournalSummary>(Sample("second")));
        await Storage.WriteStateAsync("settings", first, new GrainState<JournalSummary>(Sample("first settings")));

        Assert.Equal("first", (await ReadAsync(StateName, first)).Title);
        Assert.Equal("second", (await ReadAsync(StateName, second)).Title);
        Assert.Equal("first settings", (await ReadAsync("settings", first)).Title);
    }

    [Fact]
    public async Task Stored_state_is_plain_readable_json_without_type_metadata()
    {
        var grainId = NewGrainId();
        var stateName = "json-" + Guid.NewGuid().ToString("N");
        await Storage.WriteStateAsync(stateName, grainId, new GrainState<JournalSummary>(Sample("Привет, tea & calm")));

        var json = await ReadStoredJsonAsync(stateName, grainId);

        Assert.NotNull(json);
        Assert.DoesNotContain("$type", json, StringComparison.Ordinal);
        Assert.DoesNotContain(typeof(JournalSummary).Assembly.GetName().Name!, json, StringComparison.Ordinal);
        using var document = JsonDocument.Parse(json);
        var properties = document.RootElement.EnumerateObject().ToDictionary(property => property.Name, property => property.Value, StringComparer.OrdinalIgnoreCase);
        Assert.Equal("Привет, tea & calm", properties["title"].GetString());
        Assert.Equal(3, properties["entryCount"].GetInt32());
        Assert.Equal(["gratitude", "sleep"], properties["tags"].EnumerateArray().Select(tag => tag.GetString()));
    }

    protected static GrainId NewGrainId() => GrainId.Create("journal", Guid.NewGuid().ToString("N"));

    private async Task<JournalSummary> ReadAsync(string stateName, GrainId grainId)
    {
        var state = new GrainState<JournalSummary>();
        await Storage.ReadStateAsync(stateName, grainId, state);
        Assert.True(state.RecordExists);
        return state.State!;
    }

    private static JournalSummary Sample(string title) => new()
    {
        Title = title,
        EntryCount = 3,
        LastEntryAt = new DateTimeOffset(2026, 3, 1, 8, 30, 15, TimeSpan.Zero),
        Tags = ["gratitude", "sleep"],
    };

    private static void AssertSameSummary(JournalSummary expected, JournalSummary? actual)
    {
        Assert.NotNull(actual);
        Assert.Equal(expected.Title, actual.Title);
        Assert.Equal(expected.EntryCount, actual.EntryCount);
        Assert.Equal(expected.LastEntryAt, actual.LastEntryAt);
        Assert.Equal(expected.Tags, actual.Tags);
    }
}

/// <summary>A small grain state of the shape the grains keep (a summary beside their record tables).</summary>
public sealed class JournalSummary
{
    public string? Title { get; set; }

    public int EntryCount { get; set; }

    public DateTimeOffset? LastEntryAt { get; set; }

    public List<string> Tags { get; set; } = [];
}
