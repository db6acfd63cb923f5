using System.Text;
using Mindspace.Silo.Storage.Postgres;
using Npgsql;

namespace Mindspace.Storage.Tests.Records;

/// <summary>
/// Group commit: concurrent single-row writes share one batch (one round trip, one commit). To put
/// writes in one batch without depending on timing, a test holds the flusher: a row lock taken in a
/// transaction of its own makes a first write wait inside its batch, and every write made meanwhile
/// queues for the next batch.
/// </summary>
public sealed partial class PostgresRecordStoreTests
{
    private const string Blocked = "group-commit-blocker";

    private PostgresRecordStore GroupStore => (PostgresRecordStore)Store;

    [Fact]
    public async Task Concurrent_writers_all_land_and_each_gets_its_own_result()
    {
        await Store.PutAsync(Entries, "seed", "taken", Payload("old"), CancellationToken.None);
        await Store.PutAsync(Entries, "seed", "doomed", Payload("old"), CancellationToken.None);

        Task<bool> addTaken, addFree, removeDoomed, removeMissing;
        List<Task> puts;
        await using (await HoldFlusherAsync())
        {
            puts = Enumerable.Range(0, 200)
                .Select(i => Store.PutAsync(Entries, $"owner{i % 20}", $"k{i:D3}", Payload($"v{i}"), CancellationToken.None))
                .ToList();
            addTaken = Store.AddAsync(Entries, "seed", "taken", Payload("new"), CancellationToken.None);
            addFree = Store.AddAsync(Entries, "seed", "free", Payload("new"), CancellationToken.None);
            removeDoomed = Store.RemoveAsync(Entries, "seed", "doomed", CancellationToken.None);
            removeMissing = Store.RemoveAsync(Entries, "seed", "never-there", CancellationToken.None);
            Assert.All(puts, put => Assert.False(put.IsCompleted)); // all queued behind the held batch
        }

        await Task.WhenAll(puts);
        Assert.False(await addTaken);
        Assert.True(await addFree);
        Assert.True(await removeDoomed);
        Assert.False(await removeMissing);

        for (var owner = 0; owner < 20; owner++)
        {
            Assert.Equal(10, await Store.CountAsync(Entries, $"owner{owner}", CancellationToken.None));
        }

        Assert.Equal("v137", Text(await Store.GetAsync(Entries, "owner17", "k137", CancellationToken.None)));
        Assert.Equal("old", Text(await Store.GetAsync(Entries, "seed", "taken", CancellationToken.None)));
        Assert.Equal("new", Text(await Store.GetAsync(Entries, "seed", "free", CancellationToken.None)));
        Assert.Null(await Store.GetAsync(Entries, "seed", "doomed", CancellationToken.None));

        // The 204 writes made while the flusher was held went in 256-write batches: one commit, not 204,
        // and one statement per kind of write: the 200 puts, the 2 adds, the 2 removes.
        var (commits, writes, statements) = GroupStore.WriteCounts;
        Assert.Equal(2 + 2 + 204, writes); // two seeds, the held row's put and the held write, the 204
        Assert.Equal(2 + 2 + 1, commits);
        Assert.Equal(2 + 2 + 3, statements);
    }

    [Fact]
    public async Task A_batch_sends_one_statement_per_kind_and_table_and_one_more_round_per_repeat_of_a_key()
    {
        await Store.PutAsync(Moods, "seed", "m", Payload("m"), CancellationToken.None);
        await Store.PutAsync(Entries, "seed", "e", Payload("e"), CancellationToken.None);
        var before = GroupStore.WriteCounts;

        var writes = new List<Task>();
        await using (await HoldFlusherAsync())
        {
            writes.AddRange(Enumerable.Range(0, 100).Select(i => Store.PutAsync(Entries, "hana", $"p{i}", Payload("p"), CancellationToken.None)));
            writes.AddRange(Enumerable.Range(0, 20).Select(i => Store.AddAsync(Entries, "hana", $"a{i}", Payload("a"), CancellationToken.None)));
            writes.AddRange(Enumerable.Range(0, 10).Select(i => Store.PutAsync(Moods, "hana", $"m{i}", Payload("m"), CancellationToken.None)));
            writes.AddRange(Enumerable.Range(0, 3).Select(i => Store.PutAsync(Entries, "hana", "hot", Payload($"hot{i}"), CancellationToken.None)));
        }

        await Task.WhenAll(writes);
        var after = GroupStore.WriteCounts;

        // The held row's put and the held write, then one batch: the puts to entries (with the first
        // "hot"), the adds, the puts to moods; then the second "hot", then the third.
        Assert.Equal(2 + 1, after.Commits - before.Commits);
        Assert.Equal(2 + 133, after.Writes - before.Writes);
        Assert.Equal(2 + 3 + 1 + 1, after.Statements - before.Statements);
        Assert.Equal("hot2", Text(await Store.GetAsync(Entries, "hana", "hot", CancellationToken.None)));
        Assert.Equal(100 + 20 + 1, await Store.CountAsync(Entries, "hana", CancellationToken.None));
    }

    [Fact]
    public async Task A_failing_write_in_a_batch_fails_only_its_own_caller()
    {
        await Store.PutAsync(Entries, "seed", "a", Payload("ok"), CancellationToken.None);
        await ExecuteRawAsync($"ALTER TABLE \"{Entries}\" ADD CONSTRAINT no_poison CHECK (payload NOT LIKE '%poison%')");

        Task poisoned;
        List<Task<bool>> adds;
        await using (await HoldFlusherAsync())
        {
            adds = Enumerable.Range(0, 10).Select(i => Store.AddAsync(Entries, "bob", $"before{i}", Payload("fine"), CancellationToken.None)).ToList();
            poisoned = Store.PutAsync(Entries, "bob", "bad", Payload("poison"), CancellationToken.None);
            adds.AddRange(Enumerable.Range(0, 10).Select(i => Store.AddAsync(Entries, "bob", $"after{i}", Payload("fine"), CancellationToken.None)));
        }

        var failure = await Assert.ThrowsAsync<PostgresException>(() => poisoned);
        Assert.Equal(PostgresErrorCodes.CheckViolation, failure.SqlState);
        Assert.All(await Task.WhenAll(adds), Assert.True);
        Assert.Equal(20, await Store.CountAsync(Entries, "bob", CancellationToken.None));
        Assert.Null(await Store.GetAsync(Entries, "bob", "bad", CancellationToken.None));

        // The seed, the held row's put, the held write, the failed batch of 21, then each of the 21 alone.
        Assert.Equal(1 + 2 + 1 + 21, GroupStore.WriteCounts.Commits);
    }

    [Fact]
    public async Task Adds_of_one_key_racing_in_one_batch_and_across_processes_have_exactly_one_winner()
    {
        var other = (PostgresRecordStore)OpenStore();
        await Store.PutAsync(Entries, "seed", "x", Payload("x"), CancellationToken.None);
        await other.PutAsync(Entries, "seed", "y", Payload("y"), CancellationToken.None);

        List<Task<bool>> racers;
        await using (await HoldFlusherAsync())
        {
            racers = Enumerable.Range(0, 40)
                .Select(i => (i % 2 == 0 ? Store : other).AddAsync(Entries, "carol", "the-one", Payload($"racer{i}"), CancellationToken.None))
                .ToList();
        }

        var results = await Task.WhenAll(racers);
        var winner = Assert.Single(Enumerable.Range(0, 40), i => results[i]);
        Assert.Equal($"racer{winner}", Text(await Store.GetAsync(Entries, "carol", "the-one", CancellationToken.None)));
    }

    [Fact]
    public async Task A_write_cancelled_before_it_is_sent_is_cancelled_and_never_written()
    {
        await Store.PutAsync(Entries, "seed", "a", Payload("a"), CancellationToken.None);
        using var cancellation = new CancellationTokenSource();

        Task cancelled, kept;
        await using (await HoldFlusherAsync())
        {
            cancelled = Store.PutAsync(Entries, "dave", "cancelled", Payload("no"), cancellation.Token);
            kept = Store.PutAsync(Entries, "dave", "kept", Payload("yes"), CancellationToken.None);
            await cancellation.CancelAsync();
            await Assert.ThrowsAnyAsync<OperationCanceledException>(() => cancelled); // at once, while the flusher is still held
        }

        await kept;
        Assert.Null(await Store.GetAsync(Entries, "dave", "cancelled", CancellationToken.None));
        Assert.Equal("yes", Text(await Store.GetAsync(Entries, "dave", "kept", CancellationToken.None)));
    }

    [Fact]
    public async Task A_table_declared_fan_out_commits_in_its_own_lane_in_order()
    {
        const string Inbox = "notification_inbox";
        Store.GatherWrites(Inbox);
        await Store.PutAsync(Inbox, "seed", "n", Payload("n"), CancellationToken.None); // creates the table
        var before = GroupStore.GatheredWriteCounts;

        Task entry;
        await using (await HoldFlusherAsync())
        {
            entry = Store.PutAsync(Entries, "erin", "queued", Payload("waits"), CancellationToken.None);

            // The inbox's writes do not queue behind the held check-in lane; among themselves they keep their order.
            var inboxWrites = Enumerable.Range(0, 30).Select(i => Store.PutAsync(Inbox, "erin", "n1", Payload($"v{i}"), CancellationToken.None)).ToList();
            inboxWrites.Add(Store.AddAsync(Inbox, "erin", "n2", Payload("added"), CancellationToken.None));
            await Task.WhenAll(inboxWrites).WaitAsync(TimeSpan.FromSeconds(30));
            Assert.True(await Store.RemoveAsync(Inbox, "erin", "n2", CancellationToken.None).WaitAsync(TimeSpan.FromSeconds(30)));
            Assert.False(entry.IsCompleted);
        }

        await entry;
        Assert.Equal("v29", Text(await Store.GetAsync(Inbox, "erin", "n1", CancellationToken.None)));
        Assert.Null(await Store.GetAsync(Inbox, "erin", "n2", CancellationToken.None));
        Assert.Equal("waits", Text(await Store.GetAsync(Entries, "erin", "queued", CancellationToken.None)));
        Assert.Equal(32, GroupStore.GatheredWriteCounts.Writes - before.Writes); // none of the held lane's
    }

    /// <summary>
    /// Locks a row from another connection and starts a write to it, then waits until PostgreSQL
    /// reports that write waiting for the lock: until disposed, the store's flusher is inside a batch
    /// and every new write queues. Disposing releases the lock and lets the held write finish.
    /// </summary>
    protected override async Task<IAsyncDisposable> HoldFlusherAsync()
    {
        await Store.PutAsync(Entries, Blocked, "row", Payload("held"), CancellationToken.None);
        var dataSource = NpgsqlDataSource.Create(_connectionString!);
        var connection = await dataSource.OpenConnectionAsync();
        var transaction = await connection.BeginTransactionAsync();
        await using (var lockRow = new NpgsqlCommand($"SELECT 1 FROM \"{Entries}\" WHERE owner = '{Blocked}' AND record_key = 'row' FOR UPDATE", connection, transaction))
        {
            await lockRow.ExecuteNonQueryAsync();
        }

        var held = Store.PutAsync(Entries, Blocked, "row", Payload("after"), CancellationToken.None);
        await using (var waiting = new NpgsqlCommand(
            "SELECT count(*) FROM pg_stat_activity WHERE datname = current_database() AND wait_event_type = 'Lock'",
            connection))
        {
            while ((long)(await waiting.ExecuteScalarAsync())! == 0)
            {
                Assert.False(held.IsCompleted, "the held write finished without waiting for the lock");
                await Task.Delay(5);
            }
        }

        return new Release(async () =>
        {
            await transaction.RollbackAsync();
            await connection.DisposeAsync();
            await dataSource.DisposeAsync();
            await held;
        });
    }

    private static byte[] Payload(string text) => System.Text.Json.JsonSerializer.SerializeToUtf8Bytes(text);

    private static string? Text(byte[]? payload) => payload is null ? null : System.Text.Json.JsonSerializer.Deserialize<string>(Encoding.UTF8.GetString(payload));

    private sealed class Release(Func<Task> release) : IAsyncDisposable
    {
        public async ValueTask DisposeAsync() => await release();
    }
}
