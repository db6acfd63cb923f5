using System.Text;
using Microsoft.Data.Sqlite;
using Mindspace.Silo.Storage.Sqlite;

namespace Mindspace.Storage.Tests.Records;

/// <summary>
/// Group commit on SQLite: writes queued while a commit runs share the next one (one
/// <c>BEGIN IMMEDIATE … COMMIT</c>, a savepoint per write). To put writes in one batch without
/// depending on timing, a test holds the flusher: a write of its own that waits, inside its batch,
/// until the test lets it go; every write made meanwhile queues for the next batch.
/// </summary>
public sealed partial class SqliteRecordStoreTests
{
    private SqliteDatabase Database => _databases[0];

    [Fact]
    public async Task Concurrent_writers_share_one_commit_and_each_gets_its_own_result()
    {
        await Store.PutAsync(Entries, "seed", "taken", Payload("old"), CancellationToken.None);
        await Store.PutAsync(Entries, "seed", "doomed", Payload("old"), CancellationToken.None);
        var before = Database.WriteCounts;

        Task<bool> addTaken, addFree, addTwiceFirst, addTwiceSecond, removeDoomed, removeMissing;
        List<Task> puts;
        await using (await HoldFlusherAsync())
        {
            puts = Enumerable.Range(0, 200)
                .Select(i => Store.PutAsync(Entries, $"owner{i % 20}", $"k{i:D3}", Payload($"v{i}"), CancellationToken.None))
                .ToList();
            addTaken = Store.AddAsync(Entries, "seed", "taken", Payload("new"), CancellationToken.None);
            addFree = Store.AddAsync(Entries, "seed", "free", Payload("new"), CancellationToken.None);
            addTwiceFirst = Store.AddAsync(Entries, "seed", "twice", Payload("first"), CancellationToken.None);
            addTwiceSecond = Store.AddAsync(Entries, "seed", "twice", Payload("second"), CancellationToken.None);
            removeDoomed = Store.RemoveAsync(Entries, "seed", "doomed", CancellationToken.None);
            removeMissing = Store.RemoveAsync(Entries, "seed", "never-there", CancellationToken.None);
            Assert.All(puts, put => Assert.False(put.IsCompleted)); // all queued behind the held batch
        }

        await Task.WhenAll(puts);
        Assert.False(await addTaken);
        Assert.True(await addFree);
        Assert.True(await addTwiceFirst); // in queue order: the first add of a key in a batch wins
        Assert.False(await addTwiceSecond);
        Assert.True(await removeDoomed);
        Assert.False(await removeMissing);

        // The held write, then the 206 made meanwhile: one commit for all of them, not 206.
        var after = Database.WriteCounts;
        Assert.Equal(1 + 206, after.Writes - before.Writes);
        Assert.Equal(1 + 1, after.Commits - before.Commits);

        // Durable: a new database instance on the file (a restart) reads every outcome.
        var restarted = OpenStore();
        for (var owner = 0; owner < 20; owner++)
        {
            Assert.Equal(10, await restarted.CountAsync(Entries, $"owner{owner}", CancellationToken.None));
        }

        Assert.Equal("v137", Text(await restarted.GetAsync(Entries, "owner17", "k137", CancellationToken.None)));
        Assert.Equal("old", Text(await restarted.GetAsync(Entries, "seed", "taken", CancellationToken.None)));
        Assert.Equal("new", Text(await restarted.GetAsync(Entries, "seed", "free", CancellationToken.None)));
        Assert.Equal("first", Text(await restarted.GetAsync(Entries, "seed", "twice", CancellationToken.None)));
        Assert.Null(await restarted.GetAsync(Entries, "seed", "doomed", CancellationToken.None));
    }

    [Fact]
    public async Task A_failing_write_in_a_batch_fails_only_its_own_caller_and_undoes_only_itself()
    {
        await Store.PutAsync(Entries, "seed", "a", Payload("ok"), CancellationToken.None);
        await ExecuteRawAsync($"""
            CREATE TRIGGER no_poison BEFORE INSERT ON "{Entries}"
            WHEN NEW.payload LIKE '%poison%' BEGIN SELECT RAISE(ABORT, 'poisoned payload'); END
            """);
        var before = Database.WriteCounts;

        Task poisoned;
        Task<int> halfDone;
        List<Task<bool>> adds;
        await using (await HoldFlusherAsync())
        {
            adds = Enumerable.Range(0, 10).Select(i => Store.AddAsync(Entries, "bob", $"before{i}", Payload("fine"), CancellationToken.None)).ToList();
            poisoned = Store.PutAsync(Entries, "bob", "bad", Payload("poison"), CancellationToken.None);

            // A multi-statement write that fails after its first statement: its savepoint undoes both.
            halfDone = Database.WriteAsync<int>(
                async (session, token) =>
                {
                    await session.Statement($"INSERT INTO \"{Entries}\" (owner, record_key, payload, updated_at) VALUES ('bob', 'half', '\"x\"', 'now')").ExecuteNonQueryAsync(token);
                    throw new InvalidOperationException("the write gives up half way");
                },
                CancellationToken.None);
            adds.AddRange(Enumerable.Range(0, 10).Select(i => Store.AddAsync(Entries, "bob", $"after{i}", Payload("fine"), CancellationToken.None)));
        }

        var failure = await Assert.ThrowsAsync<SqliteException>(() => poisoned);
        Assert.Contains("poisoned payload", failure.Message, StringComparison.Ordinal);
        await Assert.ThrowsAsync<InvalidOperationException>(() => halfDone);
        Assert.All(await Task.WhenAll(adds), Assert.True);
        Assert.Equal(20, await Store.CountAsync(Entries, "bob", CancellationToken.None));
        Assert.Null(await Store.GetAsync(Entries, "bob", "bad", CancellationToken.None));
        Assert.Null(await Store.GetAsync(Entries, "bob", "half", CancellationToken.None));

        // The held write and one batch of 22: no write had to be retried alone.
        Assert.Equal(2, Database.WriteCounts.Commits - before.Commits);
    }

    [Fact]
    public async Task Adds_of_one_key_racing_in_one_batch_and_across_processes_have_exactly_one_winner()
    {
        var other = OpenStore(); // its own SqliteDatabase: another process's writer on the same file
        await Store.PutAsync(Entries, "seed", "x", Payload("x"), CancellationToken.None);
        await other.PutAsync(Entries, "seed", "y", Payload("y"), CancellationToken.None);

        List<Task<bool>> racers;
        await using (await HoldFlusherAsync())
        {
            // The other process's adds wait on the file's write lock (busy timeout) until the held batch commits.
            racers = Enumerable.Range(0, 40)
                .Select(i => (i % 2 == 0 ? Store : other).AddAsync(Entries, "carol", "the-one", Payload($"racer{i}"), CancellationToken.None))
                .ToList();
        }

        var results = await Task.WhenAll(racers);
        var winner = Assert.Single(Enumerable.Range(0, 40), i => results[i]);
        Assert.Equal($"racer{winner}", Text(await Store.GetAsync(Entries, "carol", "the-one", CancellationToken.None)));
    }

    [Fact]
    public async Task A_write_cancelled_before_its_batch_takes_it_is_cancelled_and_never_written()
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
    public async Task Reads_are_not_blocked_by_a_write_transaction_in_progress()
    {
        await Store.PutAsync(Entries, "erin", "k", Payload("committed"), CancellationToken.None);

        Task pending;
        await using (await HoldFlusherAsync())
        {
            pending = Store.PutAsync(Entries, "erin", "k", Payload("pending"), CancellationToken.None);

            // WAL: readers see the last commit and never wait for the writer.
            Assert.Equal("committed", Text(await Store.GetAsync(Entries, "erin", "k", CancellationToken.None)));
            Assert.Equal(1, await Store.CountAsync(Entries, "erin", CancellationToken.None));
            Assert.False(pending.IsCompleted);
        }

        // Released: the write commits in the next batch; read once it is acknowledged, not before.
        await pending;
        Assert.Equal("pending", Text(await Store.GetAsync(Entries, "erin", "k", CancellationToken.None)));
    }

    /// <summary>
    /// Starts a write that waits inside its batch (the file's write lock held) until disposed: until
    /// then the flusher is busy and every new write of <see cref="Database"/> queues for the next batch.
    /// </summary>
    protected override async Task<IAsyncDisposable> HoldFlusherAsync()
    {
        var entered = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var release = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var held = Database.WriteAsync(
            async (_, _) =>
            {
                entered.SetResult();
                await release.Task;
                return 0;
            },
            CancellationToken.None);
        await entered.Task;
        return new Release(async () =>
        {
            release.SetResult();
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
