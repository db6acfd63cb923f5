using System.Text;
using Mindspace.Runtime.Persistence;
using Mindspace.Runtime.Reminders;
using Mindspace.Runtime.Streams;
using Xunit;

namespace Mindspace.Runtime.Tests.Storage;

/// <summary>
/// What every <see cref="IStorageProvider"/> must do. Each provider's test class derives from this
/// and brings a fresh store; tests share it, so each one works on grains and streams of its own.
/// </summary>
public abstract class StorageProviderContract(StorageFixture fixture)
{
    private static readonly CancellationToken None = CancellationToken.None;

    private readonly string _run = Guid.NewGuid().ToString("N")[..8];

    protected StorageFixture Fixture { get; } = fixture;

    protected IStorageProvider Provider => Fixture.Provider;

    protected abstract string ExpectedName { get; }

    private IGrainStateStore States => Provider.States;

    private IGrainRecordStore Records => Provider.Records;

    private IReminderStore Reminders => Provider.Reminders;

    private IStreamEventStore Streams => Provider.Streams;

    // ----- provider -----

    [Fact]
    public void The_provider_reports_its_name()
    {
        Assert.Equal(ExpectedName, Provider.Name);
    }

    [Fact]
    public async Task Ping_succeeds_on_a_live_store()
    {
        Assert.True(await Provider.PingAsync(None));
    }

    [Fact]
    public async Task Initializing_again_is_harmless_and_keeps_the_data()
    {
        var grain = NewGrain();
        await States.WriteAsync(grain, "profile", Bytes("kept"), null, None);

        await Provider.InitializeAsync(None);
        await Provider.InitializeAsync(None);

        var state = await States.ReadAsync(grain, "profile", None);
        Assert.NotNull(state);
        Assert.Equal("kept", Text(state.Payload));
    }

    [Fact]
    public async Task Several_providers_initializing_a_new_store_at_once_all_succeed()
    {
        var store = await Fixture.CreateStoreAsync();
        var providers = Enumerable.Range(0, 4).Select(_ => Fixture.Open(store)).ToArray();

        await Task.WhenAll(providers.Select(provider => Task.Run(() => provider.InitializeAsync(None))));

        var grain = NewGrain();
        Assert.Equal(1, await providers[0].States.WriteAsync(grain, "s", Bytes("a"), null, None));
        Assert.Equal("a", Text((await providers[3].States.ReadAsync(grain, "s", None))!.Payload));
    }

    // ----- grain state -----

    [Fact]
    public async Task Reading_state_that_was_never_written_returns_null()
    {
        Assert.Null(await States.ReadAsync(NewGrain(), "profile", None));
    }

    [Fact]
    public async Task Writing_without_a_version_inserts_the_state_at_version_1()
    {
        var grain = NewGrain();

        var version = await States.WriteAsync(grain, "profile", Bytes("v1"), null, None);

        Assert.Equal(1, version);
        var state = await States.ReadAsync(grain, "profile", None);
        Assert.NotNull(state);
        Assert.Equal(1, state.Version);
        Assert.Equal("v1", Text(state.Payload));
    }

    [Fact]
    public async Task Writing_with_the_current_version_replaces_the_payload_and_increments_the_version()
    {
        var grain = NewGrain();
        var first = await States.WriteAsync(grain, "profile", Bytes("v1"), null, None);

        var second = await States.WriteAsync(grain, "profile", Bytes("v2"), first, None);
        var third = await States.WriteAsync(grain, "profile", Bytes("v3"), second, None);

        Assert.Equal(2, second);
        Assert.Equal(3, third);
        var state = await States.ReadAsync(grain, "profile", None);
        Assert.Equal(new StoredState(state!.Payload, 3), state);
        Assert.Equal("v3", Text(state.Payload));
    }

    [Fact]
    public async Task Write_with_a_stale_version_throws_and_changes_nothing()
    {
        var grain = NewGrain();
        var first = await States.WriteAsync(grain, "profile", Bytes("v1"), null, None);
        await States.WriteAsync(grain, "profile", Bytes("v2"), first, None);

        var error = await Assert.ThrowsAsync<InconsistentStateException>(
            () => States.WriteAsync(grain, "profile", Bytes("stale"), first, None));

        Assert.Equal(1, error.ExpectedVersion);
        Assert.Equal(2, error.StoredVersion);
        var state = await States.ReadAsync(grain, "profile", None);
        Assert.Equal(2, state!.Version);
        Assert.Equal("v2", Text(state.Payload));
    }

    [Fact]
    public async Task Writing_without_a_version_when_the_state_exists_throws_and_changes_nothing()
    {
        var grain = NewGrain();
        await States.WriteAsync(grain, "profile", Bytes("original"), null, None);

        var error = await Assert.ThrowsAsync<InconsistentStateException>(
            () => States.WriteAsync(grain, "profile", Bytes("second insert"), null, None));

        Assert.Null(error.ExpectedVersion);
        Assert.Equal(1, error.StoredVersion);
        var state = await States.ReadAsync(grain, "profile", None);
        Assert.Equal(1, state!.Version);
        Assert.Equal("original", Text(state.Payload));
    }

    [Fact]
    public async Task Writing_with_a_version_when_no_state_exists_throws_and_creates_nothing()
    {
        var grain = NewGrain();

        var error = await Assert.ThrowsAsync<InconsistentStateException>(
            () => States.WriteAsync(grain, "profile", Bytes("ghost"), 3, None));

        Assert.Equal(3, error.ExpectedVersion);
        Assert.Null(error.StoredVersion);
        Assert.Null(await States.ReadAsync(grain, "profile", None));
    }

    [Fact]
    public async Task Clearing_leaves_a_tombstone_with_a_higher_version()
    {
        var grain = NewGrain();
        var written = await States.WriteAsync(grain, "profile", Bytes("v1"), null, None);

        var cleared = await States.ClearAsync(grain, "profile", written, None);

        Assert.True(cleared > written);
        var state = await States.ReadAsync(grain, "profile", None);
        Assert.NotNull(state);
        Assert.Null(state.Payload);
        Assert.Equal(cleared, state.Version);
    }

    [Fact]
    public async Task A_write_with_the_version_from_before_a_clear_fails()
    {
        var grain = NewGrain();
        var written = await States.WriteAsync(grain, "profile", Bytes("v1"), null, None);
        var cleared = await States.ClearAsync(grain, "profile", written, None);

        await Assert.ThrowsAsync<InconsistentStateException>(() => States.WriteAsync(grain, "profile", Bytes("resurrected"), written, None));
        await Assert.ThrowsAsync<InconsistentStateException>(() => States.WriteAsync(grain, "profile", Bytes("resurrected"), null, None));

        var state = await States.ReadAsync(grain, "profile", None);
        Assert.Null(state!.Payload);
        Assert.Equal(cleared, state.Version);
    }

    [Fact]
    public async Task Writing_with_the_tombstone_version_after_a_clear_succeeds()
    {
        var grain = NewGrain();
        var written = await States.WriteAsync(grain, "profile", Bytes("v1"), null, None);
        var cleared = await States.ClearAsync(grain, "profile", written, None);

        var rewritten = await States.WriteAsync(grain, "profile", Bytes("again"), cleared, None);

        Assert.Equal(cleared + 1, rewritten);
        Assert.Equal("again", Text((await States.ReadAsync(grain, "profile", None))!.Payload));
    }

    [Fact]
    public async Task Clearing_with_a_stale_version_throws_and_changes_nothing()
    {
        var grain = NewGrain();
        var first = await States.WriteAsync(grain, "profile", Bytes("v1"), null, None);
        await States.WriteAsync(grain, "profile", Bytes("v2"), first, None);

        await Assert.ThrowsAsync<InconsistentStateException>(() => States.ClearAsync(grain, "profile", first, None));

        var state = await States.ReadAsync(grain, "profile", None);
        Assert.Equal(2, state!.Version);
        Assert.Equal("v2", Text(state.Payload));
    }

    [Fact]
    public async Task Clearing_state_that_never_existed_leaves_a_tombstone_at_version_1()
    {
        var grain = NewGrain();

        var cleared = await States.ClearAsync(grain, "profile", null, None);

        Assert.Equal(1, cleared);
        Assert.Equal(new StoredState(null, 1), await States.ReadAsync(grain, "profile", None));
    }

    [Fact]
    public async Task Named_states_of_a_grain_and_states_of_other_grains_are_independent()
    {
        var grain = NewGrain();
        var sameKeyOtherType = new GrainId(grain.Type + "-other", grain.Key);
        var profile = await States.WriteAsync(grain, "profile", Bytes("profile"), null, None);
        await States.WriteAsync(grain, "settings", Bytes("settings"), null, None);
        await States.WriteAsync(sameKeyOtherType, "profile", Bytes("other grain"), null, None);

        await States.WriteAsync(grain, "profile", Bytes("profile 2"), profile, None);
        await States.ClearAsync(grain, "settings", 1, None);

        Assert.Equal("profile 2", Text((await States.ReadAsync(grain, "profile", None))!.Payload));
        Assert.Null((await States.ReadAsync(grain, "settings", None))!.Payload);
        var other = await States.ReadAsync(sameKeyOtherType, "profile", None);
        Assert.Equal(1, other!.Version);
        Assert.Equal("other grain", Text(other.Payload));
        Assert.Null(await States.ReadAsync(grain, "unknown", None));
    }

    [Fact]
    public async Task Of_concurrent_writers_with_the_same_version_exactly_one_succeeds()
    {
        var grain = NewGrain();
        var version = await States.WriteAsync(grain, "profile", Bytes("start"), null, None);

        var attempts = await Task.WhenAll(Enumerable.Range(0, 20).Select(i => Task.Run(async () =>
        {
            try
            {
                await States.WriteAsync(grain, "profile", Bytes($"writer {i}"), version, None);
                return i;
            }
            catch (InconsistentStateException)
            {
                return -1;
            }
        })));

        var winner = Assert.Single(attempts, i => i >= 0);
        var state = await States.ReadAsync(grain, "profile", None);
        Assert.Equal(version + 1, state!.Version);
        Assert.Equal($"writer {winner}", Text(state.Payload));
    }

    [Fact]
    public async Task An_empty_payload_round_trips_as_empty_not_null()
    {
        var grain = NewGrain();
        await States.WriteAsync(grain, "empty", ReadOnlyMemory<byte>.Empty, null, None);
        await Records.PutAsync(grain, "items", "k", ReadOnlyMemory<byte>.Empty, None);

        var state = await States.ReadAsync(grain, "empty", None);
        Assert.NotNull(state!.Payload);
        Assert.Empty(state.Payload);
        var record = await Records.GetAsync(grain, "items", "k", None);
        Assert.NotNull(record);
        Assert.Empty(record);
    }

    [Fact]
    public async Task A_payload_that_is_a_slice_of_a_larger_buffer_stores_only_the_slice()
    {
        var grain = NewGrain();
        var buffer = Encoding.UTF8.GetBytes("xxhelloxx");

        await States.WriteAsync(grain, "slice", buffer.AsMemory(2, 5), null, None);
        await Records.PutAsync(grain, "items", "k", buffer.AsMemory(2, 5), None);

        Assert.Equal("hello", Text((await States.ReadAsync(grain, "slice", None))!.Payload));
        Assert.Equal("hello", Text(await Records.GetAsync(grain, "items", "k", None)));
    }

    [Fact]
    public async Task Concurrent_writes_of_many_grains_all_land_and_a_lost_race_fails_only_its_loser()
    {
        // Hundreds of writers at once is where a provider that groups commits forms its batches.
        var grains = Enumerable.Range(0, 300).Select(_ => NewGrain()).ToList();
        var versions = await Task.WhenAll(grains.Select(g => States.WriteAsync(g, "profile", Bytes(g.Key), null, None)));
        Assert.All(versions, v => Assert.Equal(1, v));

        var contested = grains[0];
        var writes = await Task.WhenAll(Enumerable.Range(0, 8).Select(async i =>
        {
            try
            {
                return await States.WriteAsync(contested, "profile", Bytes($"writer {i}"), 1, None);
            }
            catch (InconsistentStateException)
            {
                return -1;
            }
        }).Concat(grains.Skip(1).Select(g => States.WriteAsync(g, "profile", Bytes("second"), 1, None))));

        Assert.Equal(1, writes.Take(8).Count(v => v == 2)); // exactly one writer saw version 1
        Assert.All(writes.Skip(8), v => Assert.Equal(2, v)); // bystanders in the same batches are unharmed
        foreach (var grain in grains.Skip(1))
        {
            Assert.Equal("second", Text((await States.ReadAsync(grain, "profile", None))!.Payload));
        }
    }

    [Fact]
    public async Task Concurrent_record_puts_and_removes_all_land()
    {
        var grain = NewGrain();
        await Task.WhenAll(Enumerable.Range(0, 200).Select(i => Records.PutAsync(grain, "entries", $"k{i:D3}", Bytes($"v{i}"), None)));
        var removed = await Task.WhenAll(Enumerable.Range(0, 200).Where(i => i % 2 == 0).Select(i => Records.RemoveAsync(grain, "entries", $"k{i:D3}", None)));

        Assert.All(removed, Assert.True);
        Assert.Equal(100, await Records.CountAsync(grain, "entries", None));
        Assert.Equal("v101", Text(await Records.GetAsync(grain, "entries", "k101", None)));
        Assert.False(await Records.RemoveAsync(grain, "entries", "k000", None));
    }

    // ----- records -----

    [Fact]
    public async Task A_record_that_was_never_put_reads_as_null()
    {
        Assert.Null(await Records.GetAsync(NewGrain(), "journal", "missing", None));
    }

    [Fact]
    public async Task A_put_record_reads_back()
    {
        var grain = NewGrain();

        await Records.PutAsync(grain, "journal", "2025-01-01", Bytes("new year"), None);

        Assert.Equal("new year", Text(await Records.GetAsync(grain, "journal", "2025-01-01", None)));
    }

    [Fact]
    public async Task Putting_an_existing_key_replaces_its_payload()
    {
        var grain = NewGrain();
        await Records.PutAsync(grain, "journal", "a", Bytes("first"), None);

        await Records.PutAsync(grain, "journal", "a", Bytes("second"), None);

        Assert.Equal("second", Text(await Records.GetAsync(grain, "journal", "a", None)));
        Assert.Equal(1, await Records.CountAsync(grain, "journal", None));
    }

    [Fact]
    public async Task Removing_a_record_reports_whether_it_existed()
    {
        var grain = NewGrain();
        await Records.PutAsync(grain, "journal", "a", Bytes("x"), None);
        await Records.PutAsync(grain, "journal", "b", Bytes("y"), None);

        Assert.True(await Records.RemoveAsync(grain, "journal", "a", None));
        Assert.False(await Records.RemoveAsync(grain, "journal", "a", None));
        Assert.False(await Records.RemoveAsync(grain, "journal", "never", None));

        Assert.Null(await Records.GetAsync(grain, "journal", "a", None));
        Assert.Equal("y", Text(await Records.GetAsync(grain, "journal", "b", None)));
        Assert.Equal(1, await Records.CountAsync(grain, "journal", None));
    }

    [Fact]
    public async Task Records_are_ordered_by_the_UTF8_bytes_of_their_keys()
    {
        var grain = NewGrain();
        // Upper case before lower case, digits as text, and characters outside the BMP after U+FFFD
        // (UTF-8 order; UTF-16 ordinal order would put the emoji first).
        string[] keys = ["b", "a", "B", "10", "9", "ä", "\uFFFD", "😀", "a-", "aa", ""];
        foreach (var key in keys)
        {
            await Records.PutAsync(grain, "keys", key, Bytes(key), None);
        }

        var ascending = await Records.QueryAsync(grain, "keys", new RecordQuery(Limit: 100), None);
        var descending = await Records.QueryAsync(grain, "keys", new RecordQuery(Descending: true, Limit: 100), None);

        var expected = keys.Order(Utf8Order.Instance).ToArray();
        Assert.Equal(["", "10", "9", "B", "a", "a-", "aa", "b", "ä", "\uFFFD", "😀"], expected);
        Assert.Equal(expected, ascending.Select(record => record.Key));
        Assert.Equal(expected.Reverse(), descending.Select(record => record.Key));
        Assert.All(ascending, record => Assert.Equal(record.Key, Text(record.Payload)));
    }

    [Fact]
    public async Task The_limit_caps_the_number_of_records_returned()
    {
        var grain = NewGrain();
        await PutKeysAsync(grain, "items", 10);

        var firstThree = await Records.QueryAsync(grain, "items", new RecordQuery(Limit: 3), None);
        var lastThree = await Records.QueryAsync(grain, "items", new RecordQuery(Descending: true, Limit: 3), None);

        Assert.Equal(["k000", "k001", "k002"], firstThree.Select(record => record.Key));
        Assert.Equal(["k009", "k008", "k007"], lastThree.Select(record => record.Key));
    }

    [Fact]
    public async Task A_limit_below_one_is_rejected()
    {
        await Assert.ThrowsAnyAsync<ArgumentException>(() => Records.QueryAsync(NewGrain(), "items", new RecordQuery(Limit: 0), None));
    }

    [Fact]
    public async Task Paging_ascending_with_an_After_cursor_visits_every_record_once()
    {
        var grain = NewGrain();
        var keys = await PutKeysAsync(grain, "items", 23);

        var seen = await PageThroughAsync(grain, "items", descending: false, pageSize: 5);

        Assert.Equal(keys, seen);
    }

    [Fact]
    public async Task Paging_descending_with_an_After_cursor_visits_every_record_once()
    {
        var grain = NewGrain();
        var keys = await PutKeysAsync(grain, "items", 23);

        var seen = await PageThroughAsync(grain, "items", descending: true, pageSize: 5);

        Assert.Equal(keys.AsEnumerable().Reverse(), seen);
    }

    [Fact]
    public async Task From_is_inclusive_and_To_is_exclusive_in_both_directions()
    {
        var grain = NewGrain();
        await PutKeysAsync(grain, "items", 10);

        var ascending = await Records.QueryAsync(grain, "items", new RecordQuery(From: "k003", To: "k007"), None);
        var descending = await Records.QueryAsync(grain, "items", new RecordQuery(Descending: true, From: "k003", To: "k007"), None);
        var fromOnly = await Records.QueryAsync(grain, "items", new RecordQuery(From: "k008"), None);
        var toOnly = await Records.QueryAsync(grain, "items", new RecordQuery(Descending: true, To: "k002"), None);
        var prefix = await Records.QueryAsync(grain, "items", new RecordQuery(From: "k00", To: "k01"), None);

        Assert.Equal(["k003", "k004", "k005", "k006"], ascending.Select(record => record.Key));
        Assert.Equal(["k006", "k005", "k004", "k003"], descending.Select(record => record.Key));
        Assert.Equal(["k008", "k009"], fromOnly.Select(record => record.Key));
        Assert.Equal(["k001", "k000"], toOnly.Select(record => record.Key));
        Assert.Equal(10, prefix.Count);
    }

    [Fact]
    public async Task Bounds_and_the_After_cursor_combine()
    {
        var grain = NewGrain();
        await PutKeysAsync(grain, "items", 10);

        var ascending = await Records.QueryAsync(grain, "items", new RecordQuery(After: "k004", Limit: 2, From: "k002", To: "k008"), None);
        var descending = await Records.QueryAsync(grain, "items", new RecordQuery(After: "k004", Descending: true, Limit: 5, From: "k002", To: "k008"), None);

        Assert.Equal(["k005", "k006"], ascending.Select(record => record.Key));
        Assert.Equal(["k003", "k002"], descending.Select(record => record.Key));
    }

    [Fact]
    public async Task Count_and_clear_cover_exactly_one_collection()
    {
        var grain = NewGrain();
        await PutKeysAsync(grain, "journal", 7);
        await PutKeysAsync(grain, "ticks", 3);

        Assert.Equal(7, await Records.CountAsync(grain, "journal", None));
        Assert.Equal(7, await Records.ClearAsync(grain, "journal", None));

        Assert.Equal(0, await Records.CountAsync(grain, "journal", None));
        Assert.Empty(await Records.QueryAsync(grain, "journal", new RecordQuery(), None));
        Assert.Equal(0, await Records.ClearAsync(grain, "journal", None));
        Assert.Equal(3, await Records.CountAsync(grain, "ticks", None));
    }

    [Fact]
    public async Task Collections_of_other_grains_and_other_names_are_isolated()
    {
        var grain = NewGrain();
        var sameKeyOtherType = new GrainId(grain.Type + "-other", grain.Key);
        var sameTypeOtherKey = new GrainId(grain.Type, grain.Key + "-other");
        await Records.PutAsync(grain, "journal", "k", Bytes("mine"), None);
        await Records.PutAsync(grain, "comments", "k", Bytes("my comment"), None);
        await Records.PutAsync(sameKeyOtherType, "journal", "k", Bytes("other type"), None);
        await Records.PutAsync(sameTypeOtherKey, "journal", "k", Bytes("other key"), None);

        await Records.RemoveAsync(grain, "comments", "k", None);
        await Records.ClearAsync(sameTypeOtherKey, "journal", None);

        Assert.Equal("mine", Text(await Records.GetAsync(grain, "journal", "k", None)));
        Assert.Equal("other type", Text(await Records.GetAsync(sameKeyOtherType, "journal", "k", None)));
        Assert.Single(await Records.QueryAsync(grain, "journal", new RecordQuery(), None));
        Assert.Equal(0, await Records.CountAsync(grain, "comments", None));
        Assert.Equal(0, await Records.CountAsync(sameTypeOtherKey, "journal", None));
    }

    [Fact]
    public async Task Appending_to_a_collection_of_ten_thousand_records_keeps_count_and_last_page_correct()
    {
        const int existing = 10_000;
        var grain = NewGrain();
        // Eight appenders at a time, each putting its own slice of keys.
        await Parallel.ForEachAsync(
            Enumerable.Range(0, existing),
            new ParallelOptions { MaxDegreeOfParallelism = 8 },
            async (i, token) => await Records.PutAsync(grain, "ticks", TickKey(i), Bytes($"tick {i}"), token));
        Assert.Equal(existing, await Records.CountAsync(grain, "ticks", None));

        await Records.PutAsync(grain, "ticks", TickKey(existing), Bytes($"tick {existing}"), None);
        await Records.PutAsync(grain, "ticks", TickKey(existing + 1), Bytes($"tick {existing + 1}"), None);

        Assert.Equal(existing + 2, await Records.CountAsync(grain, "ticks", None));
        var lastPage = await Records.QueryAsync(grain, "ticks", new RecordQuery(Descending: true, Limit: 3), None);
        Assert.Equal([TickKey(existing + 1), TickKey(existing), TickKey(existing - 1)], lastPage.Select(record => record.Key));
        Assert.Equal($"tick {existing + 1}", Text(lastPage[0].Payload));
        var afterCursor = await Records.QueryAsync(grain, "ticks", new RecordQuery(After: TickKey(existing - 2)), None);
        Assert.Equal([TickKey(existing - 1), TickKey(existing), TickKey(existing + 1)], afterCursor.Select(record => record.Key));
        Assert.Equal("tick 5000", Text(await Records.GetAsync(grain, "ticks", TickKey(5000), None)));

        static string TickKey(int i) => i.ToString("D8", System.Globalization.CultureInfo.InvariantCulture);
    }

    // ----- reminders -----

    [Fact]
    public async Task An_upserted_reminder_reads_back_with_all_its_fields()
    {
        var grain = NewGrain();
        var entry = new ReminderEntry(grain, "daily-checkin", 7, At(2030, 1, 1, 8), TimeSpan.FromDays(1), At(2030, 1, 2, 8));

        await Reminders.UpsertAsync(entry, None);

        Assert.Equal(entry, await Reminders.GetAsync(grain, "daily-checkin", None));
        Assert.Null(await Reminders.GetAsync(grain, "unknown", None));
        Assert.Equal([entry], await Reminders.GetForGrainAsync(grain, None));
    }

    [Fact]
    public async Task Reminder_times_are_kept_as_UTC_instants()
    {
        var grain = NewGrain();
        var local = new DateTimeOffset(2030, 6, 1, 10, 0, 0, TimeSpan.FromHours(2));
        await Reminders.UpsertAsync(new ReminderEntry(grain, "r", 1, local, TimeSpan.FromMinutes(90), local.AddHours(1)), None);

        var stored = await Reminders.GetAsync(grain, "r", None);

        Assert.Equal(TimeSpan.Zero, stored!.NextDue.Offset);
        Assert.Equal(new DateTimeOffset(2030, 6, 1, 9, 0, 0, TimeSpan.Zero), stored.NextDue);
        Assert.Equal(local.UtcDateTime, stored.StartAt.UtcDateTime);
        Assert.Equal(TimeSpan.FromMinutes(90), stored.Period);
    }

    [Fact]
    public async Task Upserting_a_reminder_again_replaces_it()
    {
        var grain = NewGrain();
        await Reminders.UpsertAsync(new ReminderEntry(grain, "r", 1, At(2030, 1, 1), TimeSpan.FromHours(1), At(2030, 1, 1)), None);
        var replacement = new ReminderEntry(grain, "r", 2, At(2031, 1, 1), TimeSpan.FromMinutes(5), At(2031, 1, 2));

        await Reminders.UpsertAsync(replacement, None);

        Assert.Equal([replacement], await Reminders.GetForGrainAsync(grain, None));
    }

    [Fact]
    public async Task Removing_a_reminder_reports_whether_it_existed()
    {
        var grain = NewGrain();
        await Reminders.UpsertAsync(new ReminderEntry(grain, "a", 1, At(2030, 1, 1), TimeSpan.FromHours(1), At(2030, 1, 1)), None);
        await Reminders.UpsertAsync(new ReminderEntry(grain, "b", 1, At(2030, 1, 1), TimeSpan.FromHours(1), At(2030, 1, 1)), None);

        Assert.True(await Reminders.RemoveAsync(grain, "a", None));
        Assert.False(await Reminders.RemoveAsync(grain, "a", None));

        Assert.Null(await Reminders.GetAsync(grain, "a", None));
        Assert.Equal(["b"], (await Reminders.GetForGrainAsync(grain, None)).Select(entry => entry.Name));
    }

    [Fact]
    public async Task GetDue_returns_only_due_reminders_oldest_first_within_the_limit()
    {
        var grain = NewGrain();
        var partition = UniquePartition();
        var now = At(2030, 3, 1, 12);
        await Reminders.UpsertAsync(new ReminderEntry(grain, "due-second", partition, now, TimeSpan.FromHours(1), now.AddMinutes(-10)), None);
        await Reminders.UpsertAsync(new ReminderEntry(grain, "due-first", partition, now, TimeSpan.FromHours(1), now.AddMinutes(-30)), None);
        await Reminders.UpsertAsync(new ReminderEntry(grain, "due-exactly-now", partition, now, TimeSpan.FromHours(1), now), None);
        await Reminders.UpsertAsync(new ReminderEntry(grain, "later", partition, now, TimeSpan.FromHours(1), now.AddTicks(10)), None);

        var all = await Reminders.GetDueAsync(now, [partition], 10, None);
        var firstTwo = await Reminders.GetDueAsync(now, [partition], 2, None);

        Assert.Equal(["due-first", "due-second", "due-exactly-now"], all.Select(entry => entry.Name));
        Assert.Equal(["due-first", "due-second"], firstTwo.Select(entry => entry.Name));
    }

    [Fact]
    public async Task GetDue_filters_by_partition_and_null_means_every_partition()
    {
        var grain = NewGrain();
        var (mine, theirs, unrelated) = (UniquePartition(), UniquePartition(), UniquePartition());
        var due = At(2001, 1, 1);
        await Reminders.UpsertAsync(new ReminderEntry(grain, "mine", mine, due, TimeSpan.FromHours(1), due), None);
        await Reminders.UpsertAsync(new ReminderEntry(grain, "theirs", theirs, due, TimeSpan.FromHours(1), due.AddSeconds(1)), None);

        var onlyMine = await Reminders.GetDueAsync(At(2030, 1, 1), [mine], 100, None);
        var both = await Reminders.GetDueAsync(At(2030, 1, 1), [mine, theirs, unrelated], 100, None);
        var none = await Reminders.GetDueAsync(At(2030, 1, 1), [], 100, None);
        var everywhere = await Reminders.GetDueAsync(At(2030, 1, 1), null, 100_000, None);

        Assert.Equal(["mine"], onlyMine.Select(entry => entry.Name));
        Assert.Equal(["mine", "theirs"], both.Select(entry => entry.Name));
        Assert.Empty(none);
        Assert.Equal(["mine", "theirs"], everywhere.Where(entry => entry.GrainId == grain).Select(entry => entry.Name));
    }

    [Fact]
    public async Task Advance_moves_the_next_due_time_of_a_reminder_that_is_still_due_at_the_fired_time()
    {
        var grain = NewGrain();
        var partition = UniquePartition();
        var due = At(2030, 1, 1, 9);
        await Reminders.UpsertAsync(new ReminderEntry(grain, "r", partition, due, TimeSpan.FromHours(1), due), None);
        var fired = Assert.Single(await Reminders.GetDueAsync(due, [partition], 10, None));

        await Reminders.AdvanceAsync(grain, "r", fired.NextDue, due.AddHours(1), None);

        Assert.Equal(due.AddHours(1), (await Reminders.GetAsync(grain, "r", None))!.NextDue);
        Assert.Empty(await Reminders.GetDueAsync(due, [partition], 10, None));
    }

    [Fact]
    public async Task Advance_leaves_a_reminder_alone_when_it_was_re_registered_or_removed_since_it_fired()
    {
        var grain = NewGrain();
        var due = At(2030, 1, 1, 9);
        var reRegistered = new ReminderEntry(grain, "r", 1, due, TimeSpan.FromDays(1), due.AddDays(3));
        await Reminders.UpsertAsync(new ReminderEntry(grain, "r", 1, due, TimeSpan.FromHours(1), due), None);
        await Reminders.UpsertAsync(reRegistered, None);

        await Reminders.AdvanceAsync(grain, "r", due, due.AddHours(1), None);
        await Reminders.AdvanceAsync(grain, "removed", due, due.AddHours(1), None);

        Assert.Equal(reRegistered, await Reminders.GetAsync(grain, "r", None));
        Assert.Null(await Reminders.GetAsync(grain, "removed", None));
    }

    // ----- streams -----

    [Fact]
    public async Task Appends_get_sequences_1_to_n_in_order()
    {
        var stream = NewStream();

        var sequences = new List<long>();
        for (var i = 1; i <= 5; i++)
        {
            sequences.Add(await Streams.AppendAsync(stream, Bytes($"event {i}"), None));
        }

        Assert.Equal([1L, 2, 3, 4, 5], sequences);
        var events = await Streams.ReadAsync(stream, 0, 100, None);
        Assert.Equal([1L, 2, 3, 4, 5], events.Select(e => e.Sequence));
        Assert.Equal(["event 1", "event 2", "event 3", "event 4", "event 5"], events.Select(e => Text(e.Payload)));
    }

    [Fact]
    public async Task Two_hundred_concurrent_appends_get_exactly_1_to_200()
    {
        var stream = NewStream();
        using var start = new ManualResetEventSlim();

        var appends = Enumerable.Range(0, 200)
            .Select(i => Task.Run(async () =>
            {
                start.Wait();
                return (Sequence: await Streams.AppendAsync(stream, Bytes($"event {i}"), None), Payload: $"event {i}");
            }))
            .ToArray();
        start.Set();
        var results = await Task.WhenAll(appends);

        Assert.Equal(Enumerable.Range(1, 200).Select(i => (long)i), results.Select(r => r.Sequence).Order());
        var events = await Streams.ReadAsync(stream, 0, 1000, None);
        Assert.Equal(Enumerable.Range(1, 200).Select(i => (long)i), events.Select(e => e.Sequence));
        var payloadBySequence = results.ToDictionary(r => r.Sequence, r => r.Payload);
        Assert.All(events, e => Assert.Equal(payloadBySequence[e.Sequence], Text(e.Payload)));
        Assert.Equal(200, await Streams.GetLastSequenceAsync(stream, None));
    }

    [Fact]
    public async Task Two_providers_on_one_store_appending_at_once_never_repeat_or_skip_a_sequence()
    {
        var stream = NewStream();
        var second = Fixture.Open(Fixture.Store);
        await second.InitializeAsync(None);

        var appends = Enumerable.Range(0, 100)
            .SelectMany(i => new[]
            {
                Task.Run(() => Streams.AppendAsync(stream, Bytes($"first {i}"), None)),
                Task.Run(() => second.Streams.AppendAsync(stream, Bytes($"second {i}"), None)),
            })
            .ToArray();
        var sequences = await Task.WhenAll(appends);

        Assert.Equal(Enumerable.Range(1, 200).Select(i => (long)i), sequences.Order());
        Assert.Equal(200, await second.Streams.GetLastSequenceAsync(stream, None));
        Assert.Equal(200, (await Streams.ReadAsync(stream, 0, 1000, None)).Count);
    }

    [Fact]
    public async Task Reading_after_a_sequence_returns_the_following_events_up_to_the_limit()
    {
        var stream = NewStream();
        for (var i = 1; i <= 10; i++)
        {
            await Streams.AppendAsync(stream, Bytes($"event {i}"), None);
        }

        var page = await Streams.ReadAsync(stream, 4, 3, None);
        var tail = await Streams.ReadAsync(stream, 8, 100, None);
        var beyond = await Streams.ReadAsync(stream, 10, 100, None);

        Assert.Equal([5L, 6, 7], page.Select(e => e.Sequence));
        Assert.Equal(["event 5", "event 6", "event 7"], page.Select(e => Text(e.Payload)));
        Assert.Equal([9L, 10], tail.Select(e => e.Sequence));
        Assert.Empty(beyond);
    }

    [Fact]
    public async Task Events_carry_their_UTC_creation_time()
    {
        var stream = NewStream();
        var before = DateTimeOffset.UtcNow.AddMinutes(-5);

        await Streams.AppendAsync(stream, Bytes("e"), None);

        var stored = Assert.Single(await Streams.ReadAsync(stream, 0, 10, None));
        Assert.Equal(TimeSpan.Zero, stored.CreatedAt.Offset);
        Assert.InRange(stored.CreatedAt, before, DateTimeOffset.UtcNow.AddMinutes(5));
    }

    [Fact]
    public async Task The_last_sequence_is_zero_for_a_new_stream_and_follows_appends()
    {
        var stream = NewStream();
        Assert.Equal(0, await Streams.GetLastSequenceAsync(stream, None));

        await Streams.AppendAsync(stream, Bytes("a"), None);
        await Streams.AppendAsync(stream, Bytes("b"), None);

        Assert.Equal(2, await Streams.GetLastSequenceAsync(stream, None));
    }

    [Fact]
    public async Task Deleting_a_stream_removes_its_events_without_reusing_sequence_numbers()
    {
        var stream = NewStream();
        var other = NewStream();
        await Streams.AppendAsync(stream, Bytes("a"), None);
        await Streams.AppendAsync(stream, Bytes("b"), None);
        await Streams.AppendAsync(other, Bytes("kept"), None);

        await Streams.DeleteStreamAsync(stream, None);

        Assert.Empty(await Streams.ReadAsync(stream, 0, 100, None));
        Assert.Equal(3, await Streams.AppendAsync(stream, Bytes("after delete"), None));
        Assert.Equal([3L], (await Streams.ReadAsync(stream, 0, 100, None)).Select(e => e.Sequence));
        Assert.Equal(["kept"], (await Streams.ReadAsync(other, 0, 100, None)).Select(e => Text(e.Payload)));
        await Streams.DeleteStreamAsync(NewStream(), None); // deleting an unknown stream is a no-op
    }

    [Fact]
    public async Task Streams_number_their_events_independently()
    {
        var first = NewStream();
        var sameKeyOtherNamespace = new StreamId(first.Namespace + "-other", first.Key);

        Assert.Equal(1, await Streams.AppendAsync(first, Bytes("a"), None));
        Assert.Equal(2, await Streams.AppendAsync(first, Bytes("b"), None));
        Assert.Equal(1, await Streams.AppendAsync(sameKeyOtherNamespace, Bytes("c"), None));

        Assert.Equal(["c"], (await Streams.ReadAsync(sameKeyOtherNamespace, 0, 10, None)).Select(e => Text(e.Payload)));
    }

    // ----- helpers -----

    private GrainId NewGrain() => new($"test.{_run}", Guid.NewGuid().ToString("N"));

    private StreamId NewStream() => new($"test.{_run}", Guid.NewGuid().ToString("N"));

    private static int UniquePartition() => Random.Shared.Next(1_000, int.MaxValue);

    private static DateTimeOffset At(int year, int month, int day, int hour = 0) => new(year, month, day, hour, 0, 0, TimeSpan.Zero);

    private static byte[] Bytes(string text) => Encoding.UTF8.GetBytes(text);

    private static string? Text(byte[]? payload) => payload is null ? null : Encoding.UTF8.GetString(payload);

    private async Task<List<string>> PutKeysAsync(GrainId grain, string collection, int count)
    {
        var keys = Enumerable.Range(0, count).Select(i => $"k{i:D3}").ToList();
        foreach (var key in keys.AsEnumerable().Reverse())
        {
            await Records.PutAsync(grain, collection, key, Bytes(key), None);
        }

        return keys;
    }

    private async Task<List<string>> PageThroughAsync(GrainId grain, string collection, bool descending, int pageSize)
    {
        var seen = new List<string>();
        string? after = null;
        while (true)
        {
            var page = await Records.QueryAsync(grain, collection, new RecordQuery(after, descending, pageSize), None);
            Assert.True(page.Count <= pageSize);
            seen.AddRange(page.Select(record => record.Key));
            if (page.Count < pageSize)
            {
                return seen;
            }

            after = page[^1].Key;
        }
    }

    /// <summary>Orders strings by their UTF-8 bytes, the order the stores promise.</summary>
    private sealed class Utf8Order : IComparer<string>
    {
        public static readonly Utf8Order Instance = new();

        public int Compare(string? x, string? y) =>
            Encoding.UTF8.GetBytes(x ?? string.Empty).AsSpan().SequenceCompareTo(Encoding.UTF8.GetBytes(y ?? string.Empty));
    }
}
