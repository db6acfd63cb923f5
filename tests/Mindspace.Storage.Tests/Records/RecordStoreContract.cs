using System.Globalization;
using System.Text;
using System.Text.Json;
using Mindspace.Grains.Records;

namespace Mindspace.Storage.Tests.Records;

/// <summary>
/// What every <see cref="IRecordStore"/> must do. Each provider's test class derives from this and
/// gives every test a fresh, empty database.
/// </summary>
public abstract partial class RecordStoreContract : IAsyncLifetime
{
    protected const string Entries = "checkin_entries";
    protected const string Moods = "checkin_moods";

    private static readonly CancellationToken None = CancellationToken.None;

    /// <summary>UTF-8 byte order, the order both databases must sort keys in.</summary>
    private static readonly Comparer<string> Utf8Order = Comparer<string>.Create(
        (left, right) => Encoding.UTF8.GetBytes(left).AsSpan().SequenceCompareTo(Encoding.UTF8.GetBytes(right)));

    private IRecordStore? _store;

    /// <summary>The store of this test (more instances over the same database: <see cref="OpenStore"/>).</summary>
    protected IRecordStore Store => _store ?? throw new InvalidOperationException("The test has not been initialized.");

    public async Task InitializeAsync()
    {
        await CreateDatabaseAsync();
        _store = OpenStore();
    }

    public Task DisposeAsync() => CloseAsync();

    /// <summary>Prepares a fresh, empty database for this test.</summary>
    protected abstract Task CreateDatabaseAsync();

    /// <summary>A new store instance over this test's database, as another process would have; closed with the test.</summary>
    protected abstract IRecordStore OpenStore();

    /// <summary>Reads a row behind the store's back: the payload column as text, its SQL type, and one JSON property extracted by the database.</summary>
    protected abstract Task<RawRow?> ReadRawRowAsync(string table, string owner, string key, string jsonProperty);

    /// <summary>Runs a statement behind the store's back.</summary>
    protected abstract Task ExecuteRawAsync(string sql);

    /// <summary>Releases what the test opened.</summary>
    protected abstract Task CloseAsync();

    /// <summary>
    /// Holds <see cref="Store"/>'s group commit inside a batch until disposed, without depending on
    /// timing: every write made meanwhile queues, and the next batch takes them all (at most 256).
    /// </summary>
    protected abstract Task<IAsyncDisposable> HoldFlusherAsync();

    // ----- put, get, remove -----

    [Fact]
    public async Task A_record_that_was_never_put_reads_as_null_even_in_a_table_never_used()
    {
        Assert.Null(await Store.GetAsync(Entries, "alice", "missing", None));
        Assert.Empty(await Store.QueryAsync(Moods, "alice", new RecordQuery(), None));
        Assert.Equal(0, await Store.CountAsync("never_used_before", "alice", None));
    }

    [Fact]
    public async Task A_put_record_reads_back_byte_for_byte()
    {
        // Spacing, property order ($type last) and number spelling are kept exactly, as polymorphic JSON needs.
        var json = """{ "note":"Grüße, 世界 😀",  "score":1.50e1, "nested":{"b":2,"a":1}, "$type":"mood" }""";

        await Store.PutAsync(Entries, "alice", "2025-01-01", Bytes(json), None);

        Assert.Equal(Bytes(json), await Store.GetAsync(Entries, "alice", "2025-01-01", None));
    }

    [Fact]
    public async Task Putting_an_existing_key_replaces_its_payload()
    {
        await Store.PutAsync(Entries, "alice", "a", Json("first"), None);

        await Store.PutAsync(Entries, "alice", "a", Json("second"), None);

        Assert.Equal("second", Read(await Store.GetAsync(Entries, "alice", "a", None)));
        Assert.Equal(1, await Store.CountAsync(Entries, "alice", None));
    }

    [Fact]
    public async Task Adding_takes_a_free_key_and_never_replaces_a_taken_one()
    {
        Assert.True(await Store.AddAsync(Entries, "alice", "a", Json("first"), None));

        Assert.False(await Store.AddAsync(Entries, "alice", "a", Json("second"), None));
        Assert.True(await Store.AddAsync(Entries, "bob", "a", Json("bob's"), None));
        Assert.True(await Store.AddAsync("never_used_before_add", "alice", "a", Json("other table"), None));

        Assert.Equal("first", Read(await Store.GetAsync(Entries, "alice", "a", None)));
        Assert.Equal("bob's", Read(await Store.GetAsync(Entries, "bob", "a", None)));
        Assert.Equal(1, await Store.CountAsync(Entries, "alice", None));
    }

    [Fact]
    public async Task Removing_a_record_reports_whether_it_existed()
    {
        await Store.PutAsync(Entries, "alice", "a", Json("x"), None);
        await Store.PutAsync(Entries, "alice", "b", Json("y"), None);

        Assert.True(await Store.RemoveAsync(Entries, "alice", "a", None));
        Assert.False(await Store.RemoveAsync(Entries, "alice", "a", None));
        Assert.False(await Store.RemoveAsync(Entries, "alice", "never", None));
        Assert.False(await Store.RemoveAsync("never_used_before", "alice", "a", None));

        Assert.Null(await Store.GetAsync(Entries, "alice", "a", None));
        Assert.Equal("y", Read(await Store.GetAsync(Entries, "alice", "b", None)));
        Assert.Equal(1, await Store.CountAsync(Entries, "alice", None));
    }

    [Fact]
    public async Task An_empty_payload_round_trips_as_empty_not_null()
    {
        await Store.PutAsync(Entries, "alice", "k", ReadOnlyMemory<byte>.Empty, None);

        var payload = await Store.GetAsync(Entries, "alice", "k", None);

        Assert.NotNull(payload);
        Assert.Empty(payload);
    }

    [Fact]
    public async Task A_payload_that_is_a_slice_of_a_larger_buffer_stores_only_the_slice()
    {
        var buffer = Encoding.UTF8.GetBytes("xx\"hello\"xx");

        await Store.PutAsync(Entries, "alice", "k", buffer.AsMemory(2, 7), None);

        Assert.Equal("\"hello\"", Encoding.UTF8.GetString((await Store.GetAsync(Entries, "alice", "k", None))!));
    }

    [Fact]
    public async Task A_payload_that_is_not_UTF8_text_is_refused_and_nothing_is_stored()
    {
        await Assert.ThrowsAsync<ArgumentException>(() => Store.PutAsync(Entries, "alice", "bad", new byte[] { 0x7B, 0xFF, 0x7D }, None));
        await Assert.ThrowsAsync<ArgumentException>(() => Store.PutAsync(Entries, "alice", "nul", new byte[] { 0x22, 0x00, 0x22 }, None));

        Assert.Equal(0, await Store.CountAsync(Entries, "alice", None));
    }

    [Fact]
    public async Task Keys_and_owners_that_cannot_be_stored_exactly_are_refused()
    {
        // NUL (PostgreSQL text cannot hold it) and lone surrogates (UTF-8 would turn them into U+FFFD).
        // Built here rather than as theory data, which xUnit would pass through UTF-8 and repair.
        string[] unstorable = ["\0", "a\0b", "\uD83D", "x\uDE00", "\uDE00\uD83D"];
        foreach (var bad in unstorable)
        {
            await Assert.ThrowsAsync<ArgumentException>(() => Store.PutAsync(Entries, "alice", bad, Json("v"), None));
            await Assert.ThrowsAsync<ArgumentException>(() => Store.PutAsync(Entries, bad, "k", Json("v"), None));
            await Assert.ThrowsAsync<ArgumentException>(() => Store.GetAsync(Entries, "alice", bad, None));
            await Assert.ThrowsAsync<ArgumentException>(() => Store.RemoveAsync(Entries, "alice", bad, None));
            await Assert.ThrowsAsync<ArgumentException>(() => Store.QueryAsync(Entries, "alice", new RecordQuery(After: bad), None));
            await Assert.ThrowsAsync<ArgumentException>(() => Store.QueryAsync(Entries, "alice", new RecordQuery(From: bad), None));
            await Assert.ThrowsAsync<ArgumentException>(() => Store.CountAsync(Entries, bad, None));
        }

        await Store.PutAsync(Entries, "alice", "\uD83D\uDE00", Json("a whole pair is fine"), None);
        Assert.Equal(1, await Store.CountAsync(Entries, "alice", None));
    }

    // ----- isolation -----

    [Fact]
    public async Task Owners_do_not_see_or_change_each_others_records()
    {
        await Store.PutAsync(Entries, "alice", "k", Json("alice's"), None);
        await Store.PutAsync(Entries, "bob", "k", Json("bob's"), None);
        await Store.PutAsync(Entries, "bob", "only-bob", Json("bob's too"), None);

        Assert.True(await Store.RemoveAsync(Entries, "bob", "k", None));

        Assert.Equal("alice's", Read(await Store.GetAsync(Entries, "alice", "k", None)));
        Assert.Null(await Store.GetAsync(Entries, "alice", "only-bob", None));
        Assert.Equal(["k"], (await Store.QueryAsync(Entries, "alice", new RecordQuery(), None)).Select(record => record.Key));
        Assert.Equal(1, await Store.CountAsync(Entries, "alice", None));
        Assert.Equal(1, await Store.CountAsync(Entries, "bob", None));
    }

    [Fact]
    public async Task Tables_do_not_see_or_change_each_others_records()
    {
        await Store.PutAsync(Entries, "alice", "k", Json("entry"), None);
        await Store.PutAsync(Moods, "alice", "k", Json("mood"), None);
        await Store.PutAsync(Moods, "alice", "k2", Json("mood 2"), None);

        Assert.True(await Store.RemoveAsync(Moods, "alice", "k", None));

        Assert.Equal("entry", Read(await Store.GetAsync(Entries, "alice", "k", None)));
        Assert.Equal(1, await Store.CountAsync(Entries, "alice", None));
        Assert.Equal(["k2"], (await Store.QueryAsync(Moods, "alice", new RecordQuery(), None)).Select(record => record.Key));
    }

    [Fact]
    public async Task Owners_that_are_prefixes_of_each_other_stay_apart()
    {
        await Store.PutAsync(Entries, "user-1", "k", Json("one"), None);
        await Store.PutAsync(Entries, "user-10", "k", Json("ten"), None);

        Assert.Equal(1, await Store.ClearAsync(Entries, "user-1", None));

        Assert.Equal("ten", Read(await Store.GetAsync(Entries, "user-10", "k", None)));
    }

    // ----- queries -----

    [Fact]
    public async Task Records_are_ordered_by_the_UTF8_bytes_of_their_keys_in_both_directions()
    {
        // Upper case before lower case, digits as text, and characters outside the BMP after U+FFFD
        // (UTF-8 order; UTF-16 ordinal order would put the emoji first).
        string[] keys = ["b", "a", "B", "10", "9", "ä", "\uFFFD", "😀", "a-", "aa", "", "é", "z"];
        foreach (var key in keys)
        {
            await Store.PutAsync(Entries, "alice", key, Json(key), None);
        }

        var ascending = await Store.QueryAsync(Entries, "alice", new RecordQuery(), None);
        var descending = await Store.QueryAsync(Entries, "alice", new RecordQuery(Descending: true), None);

        string[] expected = ["", "10", "9", "B", "a", "a-", "aa", "b", "z", "ä", "é", "\uFFFD", "😀"];
        Assert.Equal(expected, keys.Order(Utf8Order));
        Assert.Equal(expected, ascending.Select(record => record.Key));
        Assert.Equal(expected.AsEnumerable().Reverse(), descending.Select(record => record.Key));
        Assert.All(ascending, record => Assert.Equal(record.Key, Read(record.Payload)));
    }

    [Fact]
    public async Task Cursors_and_bounds_between_non_ASCII_keys_compare_UTF8_bytes()
    {
        foreach (var key in new[] { "z", "é", "\uFFFD", "😀" })
        {
            await Store.PutAsync(Entries, "alice", key, Json(key), None);
        }

        var afterReplacementChar = await Store.QueryAsync(Entries, "alice", new RecordQuery(After: "\uFFFD"), None);
        var beforeReplacementChar = await Store.QueryAsync(Entries, "alice", new RecordQuery(After: "\uFFFD", Descending: true), None);
        var fromAccent = await Store.QueryAsync(Entries, "alice", new RecordQuery(From: "é", To: "😀"), None);

        Assert.Equal(["😀"], afterReplacementChar.Select(record => record.Key));
        Assert.Equal(["é", "z"], beforeReplacementChar.Select(record => record.Key));
        Assert.Equal(["é", "\uFFFD"], fromAccent.Select(record => record.Key));
    }

    [Fact]
    public async Task The_limit_caps_the_number_of_records_returned()
    {
        await PutKeysAsync(Entries, "alice", 10);

        var firstThree = await Store.QueryAsync(Entries, "alice", new RecordQuery(Limit: 3), None);
        var lastThree = await Store.QueryAsync(Entries, "alice", new RecordQuery(Descending: true, Limit: 3), None);
        var all = await Store.QueryAsync(Entries, "alice", new RecordQuery(Limit: 1000), None);

        Assert.Equal(["k000", "k001", "k002"], firstThree.Select(record => record.Key));
        Assert.Equal(["k009", "k008", "k007"], lastThree.Select(record => record.Key));
        Assert.Equal(10, all.Count);
    }

    [Theory]
    [InlineData(0)]
    [InlineData(-1)]
    public async Task A_limit_below_one_is_refused(int limit)
    {
        await Assert.ThrowsAnyAsync<ArgumentException>(() => Store.QueryAsync(Entries, "alice", new RecordQuery(Limit: limit), None));
    }

    [Fact]
    public async Task Paging_ascending_with_an_After_cursor_visits_every_record_once()
    {
        var keys = await PutKeysAsync(Entries, "alice", 23);

        var seen = await PageThroughAsync(Entries, "alice", descending: false, pageSize: 5);

        Assert.Equal(keys, seen);
    }

    [Fact]
    public async Task Paging_descending_with_an_After_cursor_visits_every_record_once()
    {
        var keys = await PutKeysAsync(Entries, "alice", 23);

        var seen = await PageThroughAsync(Entries, "alice", descending: true, pageSize: 5);

        Assert.Equal(keys.AsEnumerable().Reverse(), seen);
    }

    [Fact]
    public async Task From_is_inclusive_and_To_is_exclusive_in_both_directions()
    {
        await PutKeysAsync(Entries, "alice", 10);

        var ascending = await Store.QueryAsync(Entries, "alice", new RecordQuery(From: "k003", To: "k007"), None);
        var descending = await Store.QueryAsync(Entries, "alice", new RecordQuery(Descending: true, From: "k003", To: "k007"), None);
        var fromOnly = await Store.QueryAsync(Entries, "alice", new RecordQuery(From: "k008"), None);
        var fromOnlyDescending = await Store.QueryAsync(Entries, "alice", new RecordQuery(Descending: true, From: "k008"), None);
        var toOnly = await Store.QueryAsync(Entries, "alice", new RecordQuery(To: "k002"), None);
        var toOnlyDescending = await Store.QueryAsync(Entries, "alice", new RecordQuery(Descending: true, To: "k002"), None);
        var prefix = await Store.QueryAsync(Entries, "alice", new RecordQuery(From: "k00", To: "k01"), None);
        var empty = await Store.QueryAsync(Entries, "alice", new RecordQuery(From: "k005", To: "k005"), None);

        Assert.Equal(["k003", "k004", "k005", "k006"], ascending.Select(record => record.Key));
        Assert.Equal(["k006", "k005", "k004", "k003"], descending.Select(record => record.Key));
        Assert.Equal(["k008", "k009"], fromOnly.Select(record => record.Key));
        Assert.Equal(["k009", "k008"], fromOnlyDescending.Select(record => record.Key));
        Assert.Equal(["k000", "k001"], toOnly.Select(record => record.Key));
        Assert.Equal(["k001", "k000"], toOnlyDescending.Select(record => record.Key));
        Assert.Equal(10, prefix.Count);
        Assert.Empty(empty);
    }

    [Fact]
    public async Task Bounds_the_After_cursor_and_the_limit_combine()
    {
        await PutKeysAsync(Entries, "alice", 10);

        var ascending = await Store.QueryAsync(Entries, "alice", new RecordQuery(After: "k004", Limit: 2, From: "k002", To: "k008"), None);
        var descending = await Store.QueryAsync(Entries, "alice", new RecordQuery(After: "k004", Descending: true, Limit: 5, From: "k002", To: "k008"), None);
        var cursorBeforeFrom = await Store.QueryAsync(Entries, "alice", new RecordQuery(After: "k000", Limit: 3, From: "k005"), None);
        var cursorAboveTo = await Store.QueryAsync(Entries, "alice", new RecordQuery(After: "k009", Descending: true, Limit: 3, To: "k004"), None);
        var cursorAtTheEnd = await Store.QueryAsync(Entries, "alice", new RecordQuery(After: "k007", To: "k008"), None);

        Assert.Equal(["k005", "k006"], ascending.Select(record => record.Key));
        Assert.Equal(["k003", "k002"], descending.Select(record => record.Key));
        Assert.Equal(["k005", "k006", "k007"], cursorBeforeFrom.Select(record => record.Key));
        Assert.Equal(["k003", "k002", "k001"], cursorAboveTo.Select(record => record.Key));
        Assert.Empty(cursorAtTheEnd);
    }

    // ----- count and clear -----

    [Fact]
    public async Task Count_covers_one_owner_in_one_table()
    {
        await PutKeysAsync(Entries, "alice", 7);
        await PutKeysAsync(Entries, "bob", 2);
        await PutKeysAsync(Moods, "alice", 3);

        Assert.Equal(7, await Store.CountAsync(Entries, "alice", None));
        Assert.Equal(2, await Store.CountAsync(Entries, "bob", None));
        Assert.Equal(3, await Store.CountAsync(Moods, "alice", None));
        Assert.Equal(0, await Store.CountAsync(Moods, "bob", None));
    }

    [Fact]
    public async Task Clear_returns_how_many_records_it_removed_and_leaves_other_owners_and_tables_alone()
    {
        await PutKeysAsync(Entries, "alice", 7);
        await PutKeysAsync(Entries, "bob", 2);
        await PutKeysAsync(Moods, "alice", 3);

        Assert.Equal(7, await Store.ClearAsync(Entries, "alice", None));

        Assert.Equal(0, await Store.CountAsync(Entries, "alice", None));
        Assert.Empty(await Store.QueryAsync(Entries, "alice", new RecordQuery(), None));
        Assert.Equal(0, await Store.ClearAsync(Entries, "alice", None));
        Assert.Equal(2, await Store.CountAsync(Entries, "bob", None));
        Assert.Equal(3, await Store.CountAsync(Moods, "alice", None));
        Assert.Equal(0, await Store.ClearAsync("never_used_before", "alice", None));
    }

    // ----- durability, tables, concurrency -----

    [Fact]
    public async Task Records_survive_a_new_store_instance_on_the_same_database()
    {
        await PutKeysAsync(Entries, "alice", 3);
        await Store.PutAsync(Moods, "alice", "m", Json("calm"), None);

        var reopened = OpenStore();

        Assert.Equal(3, await reopened.CountAsync(Entries, "alice", None));
        Assert.Equal("calm", Read(await reopened.GetAsync(Moods, "alice", "m", None)));
        Assert.Equal(["k000", "k001", "k002"], (await reopened.QueryAsync(Entries, "alice", new RecordQuery(), None)).Select(record => record.Key));
        await reopened.PutAsync(Entries, "alice", "k003", Json("k003"), None);
        Assert.Equal(4, await Store.CountAsync(Entries, "alice", None));
    }

    [Fact]
    public async Task Eight_tasks_using_a_new_table_for_the_first_time_at_once_all_succeed()
    {
        var store = OpenStore();

        await Task.WhenAll(Enumerable.Range(0, 8).Select(i => Task.Run(() => store.PutAsync("brand_new", $"owner{i}", "k", Json($"v{i}"), None))));

        for (var i = 0; i < 8; i++)
        {
            Assert.Equal($"v{i}", Read(await store.GetAsync("brand_new", $"owner{i}", "k", None)));
        }
    }

    [Fact]
    public async Task Several_store_instances_creating_the_same_new_tables_at_once_all_succeed()
    {
        // As several silos would: each instance has its own cache of known tables, so each one issues the creation.
        var stores = Enumerable.Range(0, 3).Select(_ => OpenStore()).ToList();
        var tables = Enumerable.Range(0, 6).Select(i => $"raced_{i}").ToList();

        await Task.WhenAll(
            from store in stores.Select((store, index) => (Store: store, Index: index))
            from table in tables
            select Task.Run(() => store.Store.PutAsync(table, $"silo{store.Index}", "k", Json(table), None)));

        foreach (var table in tables)
        {
            for (var i = 0; i < stores.Count; i++)
            {
                Assert.Equal(table, Read(await Store.GetAsync(table, $"silo{i}", "k", None)));
            }
        }
    }

    [Fact]
    public async Task A_caller_that_gives_up_while_a_table_is_created_does_not_break_it_for_others()
    {
        var store = OpenStore();
        using var cancelled = new CancellationTokenSource();
        await cancelled.CancelAsync();

        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => store.PutAsync("created_once", "alice", "k", Json("first"), cancelled.Token));
        await store.PutAsync("created_once", "alice", "k", Json("second"), None);

        Assert.Equal("second", Read(await store.GetAsync("created_once", "alice", "k", None)));
    }

    [Fact]
    public async Task Concurrent_puts_and_removes_of_one_owner_all_land()
    {
        await Task.WhenAll(Enumerable.Range(0, 200).Select(i => Store.PutAsync(Entries, "alice", $"k{i:D3}", Json($"v{i}"), None)));
        var removed = await Task.WhenAll(Enumerable.Range(0, 200).Where(i => i % 2 == 0).Select(i => Store.RemoveAsync(Entries, "alice", $"k{i:D3}", None)));

        Assert.All(removed, Assert.True);
        Assert.Equal(100, await Store.CountAsync(Entries, "alice", None));
        Assert.Equal("v101", Read(await Store.GetAsync(Entries, "alice", "k101", None)));
        Assert.False(await Store.RemoveAsync(Entries, "alice", "k000", None));
    }

    [Fact]
    public async Task Appending_to_a_collection_of_ten_thousand_records_keeps_count_and_last_page_correct()
    {
        const int existing = 10_000;
        await Parallel.ForEachAsync(
            Enumerable.Range(0, existing),
            new ParallelOptions { MaxDegreeOfParallelism = 8 },
            async (i, token) => await Store.PutAsync(Entries, "alice", TickKey(i), Json($"tick {i}"), token));
        Assert.Equal(existing, await Store.CountAsync(Entries, "alice", None));

        await Store.PutAsync(Entries, "alice", TickKey(existing), Json($"tick {existing}"), None);
        await Store.PutAsync(Entries, "alice", TickKey(existing + 1), Json($"tick {existing + 1}"), None);

        Assert.Equal(existing + 2, await Store.CountAsync(Entries, "alice", None));
        var lastPage = await Store.QueryAsync(Entries, "alice", new RecordQuery(Descending: true, Limit: 3), None);
        Assert.Equal([TickKey(existing + 1), TickKey(existing), TickKey(existing - 1)], lastPage.Select(record => record.Key));
        Assert.Equal($"tick {existing + 1}", Read(lastPage[0].Payload));
        var afterCursor = await Store.QueryAsync(Entries, "alice", new RecordQuery(After: TickKey(existing - 2)), None);
        Assert.Equal([TickKey(existing - 1), TickKey(existing), TickKey(existing + 1)], afterCursor.Select(record => record.Key));
        Assert.Equal("tick 5000", Read(await Store.GetAsync(Entries, "alice", TickKey(5000), None)));

        static string TickKey(int i) => i.ToString("D8", CultureInfo.InvariantCulture);
    }

    // ----- table names and raw rows -----

    public static TheoryData<string?> InvalidTableNames => new()
    {
        null,
        string.Empty,
        "Entries",
        "1entries",
        "_entries",
        "check-ins",
        "check ins",
        "entries; DROP TABLE checkin_entries; --",
        "entries\"",
        "ümlaut",
        new string('a', 64),
    };

    [Theory]
    [MemberData(nameof(InvalidTableNames))]
    public async Task Invalid_table_names_are_refused_by_every_operation(string? table)
    {
        await Store.PutAsync(Entries, "alice", "k", Json("kept"), None);

        await Assert.ThrowsAsync<ArgumentException>(() => Store.PutAsync(table!, "alice", "k", Json("v"), None));
        await Assert.ThrowsAsync<ArgumentException>(() => Store.GetAsync(table!, "alice", "k", None));
        await Assert.ThrowsAsync<ArgumentException>(() => Store.RemoveAsync(table!, "alice", "k", None));
        await Assert.ThrowsAsync<ArgumentException>(() => Store.QueryAsync(table!, "alice", new RecordQuery(), None));
        await Assert.ThrowsAsync<ArgumentException>(() => Store.CountAsync(table!, "alice", None));
        await Assert.ThrowsAsync<ArgumentException>(() => Store.ClearAsync(table!, "alice", None));

        Assert.Equal("kept", Read(await Store.GetAsync(Entries, "alice", "k", None)));
    }

    [Theory]
    [InlineData("order")]
    [InlineData("user")]
    [InlineData("select")]
    [InlineData("a")]
    [InlineData("a_table_name_of_sixty_three_characters_which_is_the_longest_one")]
    public async Task Any_valid_table_name_works_even_an_SQL_keyword(string table)
    {
        Assert.True(RecordTables.IsValidName(table));

        await Store.PutAsync(table, "alice", "k", Json(table), None);

        Assert.Equal(table, Read(await Store.GetAsync(table, "alice", "k", None)));
        Assert.Equal(1, await Store.CountAsync(table, "alice", None));
        Assert.Single(await Store.QueryAsync(table, "alice", new RecordQuery(From: "a", To: "z"), None));
        Assert.Equal(1, await Store.ClearAsync(table, "alice", None));
    }

    [Fact]
    public async Task A_table_of_that_name_that_is_not_a_record_table_is_reported_rather_than_written()
    {
        await ExecuteRawAsync("CREATE TABLE grain_state (id integer PRIMARY KEY, payload text)");

        var error = await Assert.ThrowsAsync<InvalidOperationException>(() => Store.PutAsync("grain_state", "alice", "k", Json("v"), None));
        Assert.Contains("'grain_state'", error.Message, StringComparison.Ordinal);
        await Assert.ThrowsAsync<InvalidOperationException>(() => Store.CountAsync("grain_state", "alice", None));
    }

    [Fact]
    public async Task The_stored_row_holds_readable_JSON_text()
    {
        var json = """{"mood":"calm","note":"Grüße 😀"}""";
        await Store.PutAsync(Moods, "alice", "2025-03-01", Bytes(json), None);

        var row = await ReadRawRowAsync(Moods, "alice", "2025-03-01", "note");

        Assert.NotNull(row);
        Assert.Equal("text", row.SqlType);
        Assert.Equal(json, row.Payload);
        Assert.Equal("Grüße 😀", row.JsonProperty);
        Assert.Null(await ReadRawRowAsync(Moods, "bob", "2025-03-01", "note"));
    }

    // ----- helpers -----

    private async Task<List<string>> PutKeysAsync(string table, string owner, int count)
    {
        var keys = Enumerable.Range(0, count).Select(i => $"k{i:D3}").ToList();
        foreach (var key in keys)
        {
            await Store.PutAsync(table, owner, key, Json(key), None);
        }

        return keys;
    }

    private async Task<List<string>> PageThroughAsync(string table, string owner, bool descending, int pageSize)
    {
        var seen = new List<string>();
        string? cursor = null;
        while (true)
        {
            var page = await Store.QueryAsync(table, owner, new RecordQuery(After: cursor, Descending: descending, Limit: pageSize), None);
            Assert.True(page.Count <= pageSize);
            seen.AddRange(page.Select(record => record.Key));
            if (page.Count < pageSize)
            {
                return seen;
            }

            cursor = page[^1].Key;
        }
    }

    private static byte[] Bytes(string text) => Encoding.UTF8.GetBytes(text);

    /// <summary>A JSON string holding <paramref name="text"/>, as a record collection would serialize it.</summary>
    private static byte[] Json(string text) => JsonSerializer.SerializeToUtf8Bytes(text);

    private static string? Read(byte[]? payload) => payload is null ? null : JsonSerializer.Deserialize<string>(payload);
}

/// <summary>A row as the database holds it.</summary>
/// <param name="Payload">The payload column read as text.</param>
/// <param name="SqlType">The payload column's type as the database names it.</param>
/// <param name="JsonProperty">A property of the payload, extracted by the database's own JSON functions.</param>
public sealed record RawRow(string Payload, string SqlType, string? JsonProperty);
