using Orleans;
using Orleans.Runtime;

namespace Mindspace.Storage.Tests.Reminders;

/// <summary>
/// What every reminder table the silo may use must do, run against each of them: upsert and read,
/// etag-checked removal, hash-range reads on the ring (wrapping past the top), durability.
/// </summary>
/// <remarks>Each test starts on an empty table of its own.</remarks>
public abstract class ReminderTableContractTests : IAsyncLifetime
{
    private static readonly DateTime StartAt = new(2026, 3, 1, 8, 30, 15, 123, DateTimeKind.Utc);
    private static readonly TimeSpan Period = TimeSpan.FromMinutes(90);

    private IReminderTable? _table;

    /// <summary>The table under test (the latest instance after <see cref="RestartAsync"/>).</summary>
    protected IReminderTable Table => _table ?? throw new InvalidOperationException("Not initialized.");

    /// <summary>Creates and starts a new table instance on the same store as every earlier one of this test.</summary>
    protected abstract Task<IReminderTable> CreateTableAsync();

    public virtual async Task InitializeAsync() => _table = await CreateTableAsync();

    public virtual Task DisposeAsync() => Task.CompletedTask;

    /// <summary>Replaces the table with a new instance on the same store, as a silo restart does.</summary>
    protected async Task RestartAsync()
    {
        await Table.StopAsync();
        _table = await CreateTableAsync();
    }

    [Fact]
    public async Task An_upserted_reminder_is_read_back_with_the_etag_the_upsert_returned()
    {
        var entry = Reminder(NewGrainId(), "daily-check-in");

        var etag = await Table.UpsertRow(entry);

        Assert.False(string.IsNullOrEmpty(etag));
        var read = await Table.ReadRow(entry.GrainId, entry.ReminderName);
        Assert.NotNull(read);
        Assert.Equal(entry.GrainId, read.GrainId);
        Assert.Equal(entry.ReminderName, read.ReminderName);
        Assert.Equal(StartAt, read.StartAt);
        Assert.Equal(DateTimeKind.Utc, read.StartAt.Kind);
        Assert.Equal(Period, read.Period);
        Assert.Equal(etag, read.ETag);
    }

    [Fact]
    public async Task Reading_an_unknown_reminder_gives_null()
    {
        var grainId = NewGrainId();
        await Table.UpsertRow(Reminder(grainId, "known"));

        Assert.Null(await Table.ReadRow(grainId, "unknown"));
        Assert.Null(await Table.ReadRow(NewGrainId(), "known"));
    }

    [Fact]
    public async Task Upserting_again_replaces_the_reminder_and_changes_its_etag()
    {
        var grainId = NewGrainId();
        var firstETag = await Table.UpsertRow(Reminder(grainId, "weekly-report"));
        var changed = Reminder(grainId, "weekly-report");
        changed.StartAt = StartAt.AddDays(1);
        changed.Period = TimeSpan.FromDays(7);

        var secondETag = await Table.UpsertRow(changed);

        Assert.NotEqual(firstETag, secondETag);
        var read = await Table.ReadRow(grainId, "weekly-report");
        Assert.NotNull(read);
        Assert.Equal(StartAt.AddDays(1), read.StartAt);
        Assert.Equal(TimeSpan.FromDays(7), read.Period);
        Assert.Equal(secondETag, read.ETag);
        Assert.Single((await Table.ReadRows(grainId)).Reminders);
    }

    [Fact]
    public async Task Reading_a_grains_rows_returns_all_of_its_reminders_and_no_others()
    {
        var grainId = NewGrainId();
        var other = NewGrainId();
        await Table.UpsertRow(Reminder(grainId, "morning"));
        await Table.UpsertRow(Reminder(grainId, "evening"));
        await Table.UpsertRow(Reminder(other, "morning"));

        var rows = await Table.ReadRows(grainId);

        Assert.Equal(["evening", "morning"], rows.Reminders.Select(row => row.ReminderName).Order(StringComparer.Ordinal));
        Assert.All(rows.Reminders, row => Assert.Equal(grainId, row.GrainId));
        Assert.Empty((await Table.ReadRows(NewGrainId())).Reminders);
    }

    [Fact]
    public async Task Remove_with_a_stale_etag_returns_false_and_keeps_the_reminder()
    {
        var grainId = NewGrainId();
        var staleETag = await Table.UpsertRow(Reminder(grainId, "focus"));
        var currentETag = await Table.UpsertRow(Reminder(grainId, "focus"));

        Assert.False(await Table.RemoveRow(grainId, "focus", staleETag!));

        var read = await Table.ReadRow(grainId, "focus");
        Assert.NotNull(read);
        Assert.Equal(currentETag, read.ETag);
    }

    [Fact]
    public async Task Remove_with_the_current_etag_removes_the_reminder_once()
    {
        var grainId = NewGrainId();
        var etag = await Table.UpsertRow(Reminder(grainId, "focus"));
        await Table.UpsertRow(Reminder(grainId, "kept"));

        Assert.False(await Table.RemoveRow(grainId, "other-name", etag!));
        Assert.True(await Table.RemoveRow(grainId, "focus", etag!));
        Assert.False(await Table.RemoveRow(grainId, "focus", etag!));

        Assert.Null(await Table.ReadRow(grainId, "focus"));
        Assert.NotNull(await Table.ReadRow(grainId, "kept"));
    }

    [Fact]
    public async Task A_range_read_returns_the_reminders_hashed_above_begin_up_to_and_including_end()
    {
        var hashes = await UpsertRangeGrainsAsync();
        var sorted = hashes.Order().ToArray();

        // Begin and end on stored hashes, so both bounds are exercised, plus ranges that straddle 2^31
        // (where signed and unsigned order disagree).
        var ranges = new List<(uint Begin, uint End)>
        {
            (sorted[2], sorted[9]),
            (sorted[0], sorted[^1]),
            (sorted[5] - 1, sorted[5]),
            (sorted[5], sorted[5] + 1),
            (0, uint.MaxValue),
            (int.MaxValue - 1000u, int.MaxValue + 1000u),
            (sorted[0], (uint)int.MaxValue + 1),
            ((uint)int.MaxValue, sorted[^1]),
        };

        foreach (var (begin, end) in ranges)
        {
            await AssertRangeAsync(hashes, begin, end);
        }
    }

    [Fact]
    public async Task A_range_read_with_begin_at_or_after_end_wraps_around_the_ring()
    {
        var hashes = await UpsertRangeGrainsAsync();
        var sorted = hashes.Order().ToArray();

        var ranges = new List<(uint Begin, uint End)>
        {
            (sorted[9], sorted[2]),
            (sorted[^1], sorted[0]),
            (sorted[5], sorted[5]),
            (0, 0),
            (uint.MaxValue, 0),
            (uint.MaxValue, sorted[3]),
            (int.MaxValue + 1000u, int.MaxValue - 1000u),
        };

        foreach (var (begin, end) in ranges)
        {
            await AssertRangeAsync(hashes, begin, end);
        }
    }

    [Fact]
    public async Task Reminders_survive_a_new_table_instance()
    {
        var grainId = NewGrainId();
        var etag = await Table.UpsertRow(Reminder(grainId, "durable"));

        await RestartAsync();

        var read = await Table.ReadRow(grainId, "durable");
        Assert.NotNull(read);
        Assert.Equal(etag, read.ETag);
        Assert.Equal(StartAt, read.StartAt);
        Assert.Single((await Table.ReadRows(0, 0)).Reminders);
        Assert.True(await Table.RemoveRow(grainId, "durable", etag!));
    }

    [Fact]
    public async Task Clearing_the_table_removes_every_reminder()
    {
        await Table.UpsertRow(Reminder(NewGrainId(), "a"));
        await Table.UpsertRow(Reminder(NewGrainId(), "b"));

        await Table.TestOnlyClearTable();

        Assert.Empty((await Table.ReadRows(0, 0)).Reminders);
    }

    private async Task<List<uint>> UpsertRangeGrainsAsync()
    {
        // Fixed keys: the hashes (and so this test's ranges) are the same on every run.
        var hashes = new List<uint>();
        for (var i = 0; i < 24; i++)
        {
            var grainId = GrainId.Create("range", $"grain-{i}");
            await Table.UpsertRow(Reminder(grainId, "tick"));
            hashes.Add(grainId.GetUniformHashCode());
        }

        Assert.Contains(hashes, hash => hash > int.MaxValue);
        Assert.Contains(hashes, hash => hash <= int.MaxValue);
        return hashes;
    }

    private async Task AssertRangeAsync(List<uint> hashes, uint begin, uint end)
    {
        var expected = begin < end
            ? hashes.Where(hash => hash > begin && hash <= end)
            : hashes.Where(hash => hash > begin || hash <= end);

        var rows = await Table.ReadRows(begin, end);

        var actual = rows.Reminders.Select(row => row.GrainId.GetUniformHashCode());
        Assert.True(
            expected.Order().SequenceEqual(actual.Order()),
            $"Range ({begin}, {end}]: expected [{string.Join(", ", expected.Order())}], got [{string.Join(", ", actual.Order())}]");
    }

    private static GrainId NewGrainId() => GrainId.Create("journal", Guid.NewGuid().ToString("N") + "/with slash #and ?");

    private static ReminderEntry Reminder(GrainId grainId, string name) => new()
    {
        GrainId = grainId,
        ReminderName = name,
        StartAt = StartAt,
        Period = Period,
    };
}
