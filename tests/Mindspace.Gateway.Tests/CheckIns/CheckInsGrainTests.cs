using Mindspace.Grains.Interfaces.CheckIns;

namespace Mindspace.Gateway.Tests.CheckIns;

/// <summary>The check-ins grain on real storage, with a clock the tests control.</summary>
public sealed class CheckInsGrainTests : IAsyncLifetime
{
    private static readonly DateTimeOffset Start = new(2025, 3, 10, 12, 0, 0, TimeSpan.Zero);

    private readonly Guid _userId = Guid.NewGuid();
    private CheckInsGrainHost _host = null!;
    private ICheckInsGrain _grain = null!;

    public async Task InitializeAsync()
    {
        _host = await CheckInsGrainHost.StartAsync(Start);
        _grain = _host.Grains.GetGrain<ICheckInsGrain>(_userId);
    }

    public async Task DisposeAsync() => await _host.DisposeAsync();

    [Fact]
    public async Task A_user_without_check_ins_has_no_streak()
    {
        Assert.Equal(new CheckInStreaks(0, 0, null), await _grain.GetStreaksAsync("Europe/Berlin"));
    }

    [Fact]
    public async Task Consecutive_days_ending_today_make_the_current_streak()
    {
        await AtAsync("2025-03-08T09:00:00Z", () => _grain.CreateEntryAsync(Entry()));
        await AtAsync("2025-03-09T09:00:00Z", () => _grain.RecordMoodAsync(Mood()));
        await AtAsync("2025-03-10T09:00:00Z", () => _grain.CreateEntryAsync(Entry()));
        await AtAsync("2025-03-10T10:00:00Z", () => _grain.CreateEntryAsync(Entry()));

        Assert.Equal(new CheckInStreaks(3, 3, new DateOnly(2025, 3, 10)), await _grain.GetStreaksAsync("UTC"));
    }

    [Fact]
    public async Task A_streak_ending_yesterday_still_counts_but_one_ending_earlier_does_not()
    {
        await AtAsync("2025-03-08T09:00:00Z", () => _grain.CreateEntryAsync(Entry()));
        await AtAsync("2025-03-09T09:00:00Z", () => _grain.CreateEntryAsync(Entry()));

        _host.Clock.Set(DateTimeOffset.Parse("2025-03-10T23:00:00Z"));
        Assert.Equal(new CheckInStreaks(2, 2, new DateOnly(2025, 3, 9)), await _grain.GetStreaksAsync("UTC"));

        _host.Clock.Set(DateTimeOffset.Parse("2025-03-11T00:00:00Z"));
        Assert.Equal(new CheckInStreaks(0, 2, new DateOnly(2025, 3, 9)), await _grain.GetStreaksAsync("UTC"));
    }

    [Fact]
    public async Task The_longest_streak_is_kept_after_a_gap()
    {
        foreach (var day in new[] { 1, 2, 3, 4, 6, 7 })
        {
            await AtAsync($"2025-03-{day:D2}T12:00:00Z", () => _grain.RecordMoodAsync(Mood()));
        }

        _host.Clock.Set(DateTimeOffset.Parse("2025-03-07T20:00:00Z"));
        Assert.Equal(new CheckInStreaks(2, 4, new DateOnly(2025, 3, 7)), await _grain.GetStreaksAsync("UTC"));
    }

    [Fact]
    public async Task Days_are_the_days_of_the_time_zone_asked_about()
    {
        // 10:00Z and 20:00Z are the same UTC day, but 15:30 on the 10th and 01:30 on the 11th in Kolkata (+05:30).
        await AtAsync("2025-03-10T10:00:00Z", () => _grain.CreateEntryAsync(Entry()));
        await AtAsync("2025-03-10T20:00:00Z", () => _grain.CreateEntryAsync(Entry()));

        Assert.Equal(new CheckInStreaks(2, 2, new DateOnly(2025, 3, 11)), await _grain.GetStreaksAsync("Asia/Kolkata"));
        Assert.Equal(new CheckInStreaks(1, 1, new DateOnly(2025, 3, 10)), await _grain.GetStreaksAsync("UTC"));

        // 01:00Z on the 11th is still the 10th in Los Angeles (-07:00 in March, after DST began on the 9th).
        await AtAsync("2025-03-11T01:00:00Z", () => _grain.CreateEntryAsync(Entry()));
        Assert.Equal(new CheckInStreaks(1, 1, new DateOnly(2025, 3, 10)), await _grain.GetStreaksAsync("America/Los_Angeles"));
        Assert.Equal(new CheckInStreaks(2, 2, new DateOnly(2025, 3, 11)), await _grain.GetStreaksAsync("UTC"));
    }

    [Fact]
    public async Task An_unknown_time_zone_counts_in_utc()
    {
        await AtAsync("2025-03-10T20:00:00Z", () => _grain.CreateEntryAsync(Entry()));
        Assert.Equal(new CheckInStreaks(1, 1, new DateOnly(2025, 3, 10)), await _grain.GetStreaksAsync("Not/A_Zone"));
    }

    [Fact]
    public async Task A_day_counts_while_it_holds_any_entry_or_mood()
    {
        var first = await AtAsync("2025-03-09T08:00:00Z", () => _grain.CreateEntryAsync(Entry()));
        var mood = await AtAsync("2025-03-09T08:05:00Z", () => _grain.RecordMoodAsync(Mood()));
        var second = await AtAsync("2025-03-09T21:00:00Z", () => _grain.CreateEntryAsync(Entry()));
        await AtAsync("2025-03-10T08:00:00Z", () => _grain.CreateEntryAsync(Entry()));
        Assert.Equal(2, (await _grain.GetStreaksAsync("UTC")).Current);

        Assert.True(await _grain.DeleteEntryAsync(first.Id));
        Assert.Equal(2, (await _grain.GetStreaksAsync("UTC")).Current);
        Assert.True(await _grain.DeleteMoodAsync(mood.Id));
        Assert.Equal(2, (await _grain.GetStreaksAsync("UTC")).Current);
        Assert.True(await _grain.DeleteEntryAsync(second.Id));
        Assert.Equal(new CheckInStreaks(1, 1, new DateOnly(2025, 3, 10)), await _grain.GetStreaksAsync("UTC"));
        Assert.False(await _grain.DeleteEntryAsync(second.Id));
    }

    [Fact]
    public async Task Ids_increase_strictly_and_carry_the_creation_time_even_within_one_millisecond()
    {
        // The clock stands still: each id still gets its own, later millisecond.
        var ids = new List<Guid>();
        for (var i = 0; i < 5; i++)
        {
            ids.Add((await _grain.CreateEntryAsync(Entry())).Id);
            ids.Add((await _grain.RecordMoodAsync(Mood())).Id);
        }

        var keys = ids.Select(CheckInKeys.Of).ToList();
        Assert.Equal(keys.Order(StringComparer.Ordinal), keys);
        Assert.Equal(keys.Count, keys.Distinct().Count());
        Assert.All(ids, id => Assert.Equal(7, id.Version));

        var first = await _grain.GetEntryAsync(ids[0], default);
        var second = await _grain.GetEntryAsync(ids[2], default);
        Assert.Equal(Start, first!.CreatedAt);
        Assert.Equal(Start.AddMilliseconds(2), second!.CreatedAt);
        Assert.Equal(second.CreatedAt.ToUnixTimeMilliseconds(), CheckInKeys.UnixMillisecondsOf(second.Id));
    }

    [Fact]
    public async Task A_tag_filter_pages_through_entries_it_has_to_skip()
    {
        var tagged = new List<Guid>();
        for (var i = 0; i < 230; i++)
        {
            var entry = await _grain.CreateEntryAsync(new NewEntry("Entry", null, i % 100 == 0 || i == 229 ? ["walk"] : ["other"]));
            if (entry.Tags.Contains("walk"))
            {
                tagged.Add(entry.Id);
            }

            _host.Clock.Advance(TimeSpan.FromSeconds(1));
        }

        var first = await _grain.ListEntriesAsync(new EntryQuery(Limit: 2, Tag: "Walk"), default);
        Assert.Equal([tagged[3], tagged[2]], first.Items.Select(e => e.Id));
        Assert.NotNull(first.Next);
        var second = await _grain.ListEntriesAsync(new EntryQuery(first.Next, Limit: 2, Tag: "walk"), default);
        Assert.Equal([tagged[1], tagged[0]], second.Items.Select(e => e.Id));
        Assert.Null(second.Next);
    }

    [Fact]
    public async Task Entries_filter_by_created_time_with_an_exclusive_end()
    {
        var a = await AtAsync("2025-03-10T10:00:00Z", () => _grain.CreateEntryAsync(Entry()));
        var b = await AtAsync("2025-03-10T11:00:00Z", () => _grain.CreateEntryAsync(Entry()));
        var c = await AtAsync("2025-03-10T12:00:00Z", () => _grain.CreateEntryAsync(Entry()));

        var page = await _grain.ListEntriesAsync(new EntryQuery(From: b.CreatedAt, To: c.CreatedAt), default);
        Assert.Equal([b.Id], page.Items.Select(e => e.Id));
        page = await _grain.ListEntriesAsync(new EntryQuery(From: a.CreatedAt.AddTicks(1)), default);
        Assert.Equal([c.Id, b.Id], page.Items.Select(e => e.Id));
        page = await _grain.ListEntriesAsync(new EntryQuery(From: c.CreatedAt, To: a.CreatedAt), default);
        Assert.Empty(page.Items);
    }

    [Fact]
    public async Task Mood_lists_are_oldest_first_and_keep_the_most_recent_when_cut()
    {
        var moods = new List<MoodView>();
        for (var i = 1; i <= 5; i++)
        {
            moods.Add(await _grain.RecordMoodAsync(new NewMood(i, [], null)));
            _host.Clock.Advance(TimeSpan.FromMinutes(1));
        }

        var all = await _grain.ListMoodsAsync(new MoodQuery(), default);
        Assert.Equal(moods.Select(m => m.Id), all.Items.Select(m => m.Id));
        Assert.False(all.Truncated);

        var cut = await _grain.ListMoodsAsync(new MoodQuery(Limit: 3), default);
        Assert.Equal(moods.Skip(2).Select(m => m.Id), cut.Items.Select(m => m.Id));
        Assert.True(cut.Truncated);
    }

    [Fact]
    public async Task The_first_page_served_from_memory_always_matches_what_is_stored()
    {
        var created = new List<EntryView>();
        for (var i = 0; i < 55; i++)
        {
            created.Add(await _grain.CreateEntryAsync(new NewEntry($"Entry {i}", null, [])));
            _host.Clock.Advance(TimeSpan.FromSeconds(1));
        }

        async Task AssertFirstPagesMatchStorageAsync()
        {
            foreach (var limit in new[] { 1, 20, 50, 51, 100 })
            {
                var page = await _grain.ListEntriesAsync(new EntryQuery(Limit: limit), default);
                // A filter that matches everything takes the query path: the stored truth.
                var stored = await _grain.ListEntriesAsync(new EntryQuery(Limit: limit, From: DateTimeOffset.UnixEpoch), default);
                Assert.Equal(Json(stored), Json(page));
            }
        }

        await AssertFirstPagesMatchStorageAsync(); // loads the newest entries into memory
        created.Add(await _grain.CreateEntryAsync(new NewEntry("Newest", 4, ["late"])));
        await _grain.UpdateEntryAsync(created[^3].Id, new EntryPatch(Text: "Rewritten"));
        await _grain.DeleteEntryAsync(created[^2].Id);
        await _grain.DeleteEntryAsync(created[0].Id);
        await AssertFirstPagesMatchStorageAsync();

        var page = await _grain.ListEntriesAsync(new EntryQuery(Limit: 20), default);
        Assert.Equal("Newest", page.Items[0].Text);
        Assert.Equal("Rewritten", page.Items[1].Text);
        Assert.DoesNotContain(page.Items, e => e.Id == created[^2].Id);

        await _grain.EraseAsync();
        Assert.Empty((await _grain.ListEntriesAsync(new EntryQuery(), default)).Items);
    }

    [Fact]
    public async Task The_first_page_is_handed_out_again_until_an_entry_changes()
    {
        var first = await _grain.CreateEntryAsync(new NewEntry("First", 3, ["a"]));
        _host.Clock.Advance(TimeSpan.FromSeconds(1));
        var second = await _grain.CreateEntryAsync(new NewEntry("Second", null, []));

        // The silo is in this process and pages are immutable: a reused page arrives as the same object.
        var page = await FirstPageAsync();
        Assert.Same(page, await FirstPageAsync());
        await _grain.RecordMoodAsync(Mood());
        await _grain.UpdateEntryAsync(first.Id, new EntryPatch(Text: "First"));
        Assert.Same(page, await FirstPageAsync());
        Assert.NotSame(page, await _grain.ListEntriesAsync(new EntryQuery(Limit: 1), default));
        page = await FirstPageAsync();
        Assert.Same(page, await FirstPageAsync());

        _host.Clock.Advance(TimeSpan.FromSeconds(1));
        var third = await _grain.CreateEntryAsync(new NewEntry("Third", null, []));
        page = await AssertChangedAsync(page);
        Assert.Equal(["Third", "Second", "First"], page.Items.Select(e => e.Text));

        await _grain.UpdateEntryAsync(first.Id, new EntryPatch(Text: "First, edited"));
        page = await AssertChangedAsync(page);
        Assert.Equal("First, edited", page.Items[2].Text);

        await _grain.UpdateEntryAsync(second.Id, new EntryPatch(SetMood: true, Mood: 2));
        page = await AssertChangedAsync(page);
        Assert.Equal(2, page.Items[1].Mood);

        await _grain.UpdateEntryAsync(third.Id, new EntryPatch(Tags: ["late"]));
        page = await AssertChangedAsync(page);
        Assert.Equal(["late"], page.Items[0].Tags);

        await _grain.DeleteEntryAsync(second.Id);
        page = await AssertChangedAsync(page);
        Assert.Equal([third.Id, first.Id], page.Items.Select(e => e.Id));

        await _grain.EraseAsync();
        Assert.Empty((await AssertChangedAsync(page)).Items);

        Task<EntryPage> FirstPageAsync() => _grain.ListEntriesAsync(new EntryQuery(), default);

        // A filter that matches everything takes the query path: the stored truth.
        async Task<EntryPage> AssertChangedAsync(EntryPage before)
        {
            var after = await FirstPageAsync();
            Assert.NotSame(before, after);
            var stored = await _grain.ListEntriesAsync(new EntryQuery(From: DateTimeOffset.UnixEpoch), default);
            Assert.Equal(Json(stored), Json(after));
            Assert.Same(after, await FirstPageAsync());
            return after;
        }
    }

    [Fact]
    public async Task Updating_changes_only_what_the_patch_names_and_stamps_the_time()
    {
        var entry = await _grain.CreateEntryAsync(new NewEntry("  First draft ", 2, ["Work", "work", " sleep "]));
        Assert.Equal("First draft", entry.Text);
        Assert.Equal(["work", "sleep"], entry.Tags);

        _host.Clock.Advance(TimeSpan.FromMinutes(5));
        var unchanged = await _grain.UpdateEntryAsync(entry.Id, new EntryPatch(Text: "First draft", Tags: ["WORK", "sleep"]));
        Assert.Equal(Json(entry), Json(unchanged));

        var updated = await _grain.UpdateEntryAsync(entry.Id, new EntryPatch(SetMood: true, Mood: null));
        Assert.NotNull(updated);
        Assert.Null(updated.Mood);
        Assert.Equal(entry.Text, updated.Text);
        Assert.Equal(entry.Tags, updated.Tags);
        Assert.Equal(Start.AddMinutes(5), updated.UpdatedAt);
        Assert.Null(await _grain.UpdateEntryAsync(Guid.CreateVersion7(), new EntryPatch(Text: "x")));
    }

    [Fact]
    public async Task The_grain_refuses_what_the_rules_refuse()
    {
        await Assert.ThrowsAsync<ArgumentException>(() => _grain.CreateEntryAsync(new NewEntry(" ", null, [])));
        await Assert.ThrowsAsync<ArgumentException>(() => _grain.RecordMoodAsync(new NewMood(6, [], null)));
        Assert.Empty((await _grain.ExportAsync()).Entries);
    }

    [Fact]
    public async Task Export_returns_everything_oldest_first_and_erase_removes_it()
    {
        var first = await _grain.CreateEntryAsync(Entry());
        var mood = await _grain.RecordMoodAsync(new NewMood(4, ["calm"], "A quiet evening"));
        var second = await _grain.CreateEntryAsync(Entry());

        var export = await _grain.ExportAsync();
        Assert.Equal(Json(new[] { first, second }), Json(export.Entries));
        Assert.Equal(Json(new[] { mood }), Json(export.Moods));

        await _grain.EraseAsync();
        export = await _grain.ExportAsync();
        Assert.Empty(export.Entries);
        Assert.Empty(export.Moods);
        Assert.Null(await _grain.GetEntryAsync(first.Id, default));
        Assert.Equal(new CheckInStreaks(0, 0, null), await _grain.GetStreaksAsync("UTC"));

        var again = await _grain.CreateEntryAsync(Entry());
        Assert.Equal(Json(new[] { again }), Json((await _grain.ExportAsync()).Entries));
    }

    [Fact]
    public async Task Streaks_and_the_next_id_come_back_from_storage_after_a_restart()
    {
        await AtAsync("2025-03-08T09:00:00Z", () => _grain.CreateEntryAsync(Entry()));
        await AtAsync("2025-03-09T09:00:00Z", () => _grain.RecordMoodAsync(Mood()));
        await AtAsync("2025-03-10T09:00:00Z", () => _grain.CreateEntryAsync(Entry()));

        // The clock stands still: the newest id (a mood's) is two milliseconds ahead of it.
        await _grain.CreateEntryAsync(Entry());
        var newest = await _grain.RecordMoodAsync(Mood());
        Assert.Equal(Start.AddHours(-3).AddMilliseconds(2), newest.CreatedAt);

        await RestartAsync();

        Assert.Equal(new CheckInStreaks(3, 3, new DateOnly(2025, 3, 10)), await _grain.GetStreaksAsync("UTC"));
        Assert.Equal(new CheckInStreaks(3, 3, new DateOnly(2025, 3, 10)), await _grain.GetStreaksAsync("Asia/Kolkata"));

        var next = await _grain.CreateEntryAsync(Entry());
        Assert.Equal(newest.CreatedAt.AddMilliseconds(1), next.CreatedAt);
        Assert.True(string.CompareOrdinal(CheckInKeys.Of(next.Id), CheckInKeys.Of(newest.Id)) > 0);
        var nextMood = await _grain.RecordMoodAsync(Mood());
        Assert.Equal(newest.CreatedAt.AddMilliseconds(2), nextMood.CreatedAt);

        // The newest is an entry now; a second restart takes the last id from the entries.
        await RestartAsync();
        Assert.Equal(newest.CreatedAt.AddMilliseconds(3), (await _grain.CreateEntryAsync(Entry())).CreatedAt);

        // A new quarter hour and day written after the restart count, and survive the next one.
        await AtAsync("2025-03-11T07:00:00Z", () => _grain.RecordMoodAsync(Mood()));
        await RestartAsync();
        Assert.Equal(new CheckInStreaks(4, 4, new DateOnly(2025, 3, 11)), await _grain.GetStreaksAsync("UTC"));
    }

    [Fact]
    public async Task Deleting_the_last_check_in_of_a_day_removes_the_day_after_a_restart_too()
    {
        await AtAsync("2025-03-08T09:00:00Z", () => _grain.CreateEntryAsync(Entry()));
        var entry = await AtAsync("2025-03-09T09:00:00Z", () => _grain.CreateEntryAsync(Entry()));
        var mood = await AtAsync("2025-03-09T09:10:00Z", () => _grain.RecordMoodAsync(Mood())); // the same quarter hour
        var evening = await AtAsync("2025-03-09T21:00:00Z", () => _grain.CreateEntryAsync(Entry()));
        await AtAsync("2025-03-10T09:00:00Z", () => _grain.CreateEntryAsync(Entry()));

        // The 9th keeps its place while anything is left in it, before and after a restart.
        Assert.True(await _grain.DeleteEntryAsync(entry.Id));
        Assert.True(await _grain.DeleteEntryAsync(evening.Id));
        await RestartAsync();
        Assert.Equal(new CheckInStreaks(3, 3, new DateOnly(2025, 3, 10)), await _grain.GetStreaksAsync("UTC"));

        Assert.True(await _grain.DeleteMoodAsync(mood.Id));
        Assert.Equal(new CheckInStreaks(1, 1, new DateOnly(2025, 3, 10)), await _grain.GetStreaksAsync("UTC"));
        await RestartAsync();
        Assert.Equal(new CheckInStreaks(1, 1, new DateOnly(2025, 3, 10)), await _grain.GetStreaksAsync("UTC"));
        Assert.False(await _grain.DeleteMoodAsync(mood.Id));

        // Erasing clears the quarter hours with the records, across a restart as well.
        await _grain.EraseAsync();
        await RestartAsync();
        Assert.Equal(new CheckInStreaks(0, 0, null), await _grain.GetStreaksAsync("UTC"));
        Assert.Empty((await _grain.ExportAsync()).Entries);
    }

    private static NewEntry Entry() => new("Today felt a little lighter.", 3, []);

    private static NewMood Mood() => new(3, [], null);

    /// <summary>Records holding lists compare by reference; their JSON compares by value.</summary>
    private static string Json<T>(T value) => System.Text.Json.JsonSerializer.Serialize(value);

    /// <summary>Restarts the silo on the same storage and clock, and addresses the same user's grain again.</summary>
    private async Task RestartAsync()
    {
        _host = await _host.RestartAsync();
        _grain = _host.Grains.GetGrain<ICheckInsGrain>(_userId);
    }

    private async Task<T> AtAsync<T>(string instant, Func<Task<T>> action)
    {
        _host.Clock.Set(DateTimeOffset.Parse(instant, System.Globalization.CultureInfo.InvariantCulture));
        return await action();
    }
}
