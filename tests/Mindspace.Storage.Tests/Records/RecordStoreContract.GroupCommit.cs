namespace Mindspace.Storage.Tests.Records;

/// <summary>
/// Writes that share one group commit behave as if they were made one by one, in the order they were
/// made, and each caller gets its own outcome: also when several of them write the same key.
/// </summary>
public abstract partial class RecordStoreContract
{
    [Fact]
    public async Task Writes_of_one_key_in_one_batch_take_effect_in_order_with_each_callers_own_result()
    {
        await Store.PutAsync(Entries, "erin", "removed-then-added", Json("seed"), None);
        await Store.PutAsync(Entries, "erin", "seeded", Json("seed"), None);
        await Store.PutAsync(Moods, "erin", "elsewhere", Json("seed"), None); // both tables exist: every write below queues at once

        Task putFirst, putLast, putBeforeRemove, putAfterAdd;
        Task<bool> addFirst, addSecond, removeAfterPut, removeSeeded, addAfterRemove, addOnce, removeAdded, addAgain,
            removeMissing, removeMissingAgain, addSeeded, removeSeededAfterPut, removeSeededAgain, addOtherOwner, addOtherTable;
        await using (await HoldFlusherAsync())
        {
            putFirst = Store.PutAsync(Entries, "erin", "put-twice", Json("first"), None);
            addFirst = Store.AddAsync(Entries, "erin", "added-twice", Json("first"), None);
            putBeforeRemove = Store.PutAsync(Entries, "erin", "put-then-removed", Json("gone"), None);
            removeSeeded = Store.RemoveAsync(Entries, "erin", "removed-then-added", None);
            addOnce = Store.AddAsync(Entries, "erin", "add-remove-add", Json("one"), None);
            removeMissing = Store.RemoveAsync(Entries, "erin", "never-there", None);
            addSeeded = Store.AddAsync(Entries, "erin", "seeded", Json("refused"), None);
            addOtherOwner = Store.AddAsync(Entries, "frank", "added-twice", Json("frank's"), None);
            addOtherTable = Store.AddAsync(Moods, "erin", "added-twice", Json("other table"), None);

            putLast = Store.PutAsync(Entries, "erin", "put-twice", Json("last"), None);
            addSecond = Store.AddAsync(Entries, "erin", "added-twice", Json("second"), None);
            removeAfterPut = Store.RemoveAsync(Entries, "erin", "put-then-removed", None);
            addAfterRemove = Store.AddAsync(Entries, "erin", "removed-then-added", Json("again"), None);
            removeAdded = Store.RemoveAsync(Entries, "erin", "add-remove-add", None);
            removeMissingAgain = Store.RemoveAsync(Entries, "erin", "never-there", None);
            putAfterAdd = Store.PutAsync(Entries, "erin", "seeded", Json("replaced"), None);

            addAgain = Store.AddAsync(Entries, "erin", "add-remove-add", Json("three"), None);
            removeSeededAfterPut = Store.RemoveAsync(Entries, "erin", "seeded", None);
            removeSeededAgain = Store.RemoveAsync(Entries, "erin", "seeded", None);
            Assert.False(putLast.IsCompleted); // queued behind the held batch, so they share the next one
        }

        await Task.WhenAll(putFirst, putLast, putBeforeRemove, putAfterAdd);
        Assert.True(await addFirst);
        Assert.False(await addSecond);
        Assert.True(await addOtherOwner);
        Assert.True(await addOtherTable);
        Assert.True(await removeAfterPut);
        Assert.True(await removeSeeded);
        Assert.True(await addAfterRemove);
        Assert.True(await addOnce);
        Assert.True(await removeAdded);
        Assert.True(await addAgain);
        Assert.False(await removeMissing);
        Assert.False(await removeMissingAgain);
        Assert.False(await addSeeded);
        Assert.True(await removeSeededAfterPut);
        Assert.False(await removeSeededAgain);

        Assert.Equal("last", Read(await Store.GetAsync(Entries, "erin", "put-twice", None)));
        Assert.Equal("first", Read(await Store.GetAsync(Entries, "erin", "added-twice", None)));
        Assert.Equal("frank's", Read(await Store.GetAsync(Entries, "frank", "added-twice", None)));
        Assert.Equal("other table", Read(await Store.GetAsync(Moods, "erin", "added-twice", None)));
        Assert.Null(await Store.GetAsync(Entries, "erin", "put-then-removed", None));
        Assert.Equal("again", Read(await Store.GetAsync(Entries, "erin", "removed-then-added", None)));
        Assert.Equal("three", Read(await Store.GetAsync(Entries, "erin", "add-remove-add", None)));
        Assert.Null(await Store.GetAsync(Entries, "erin", "seeded", None));
        Assert.Null(await Store.GetAsync(Entries, "erin", "never-there", None));
        Assert.Equal(4, await Store.CountAsync(Entries, "erin", None));
    }

    [Fact]
    public async Task Many_writes_of_one_key_in_one_batch_end_with_the_last_one()
    {
        await Store.PutAsync(Entries, "gina", "seed", Json("seed"), None); // the table exists: every write below queues at once, in order

        List<Task> puts;
        List<Task<bool>> adds;
        await using (await HoldFlusherAsync())
        {
            puts = [.. Enumerable.Range(0, 50).Select(i => Store.PutAsync(Entries, "gina", "hot", Json($"v{i}"), None))];
            adds = [.. Enumerable.Range(0, 50).Select(i => Store.AddAsync(Entries, "gina", "cold", Json($"v{i}"), None))];
        }

        await Task.WhenAll(puts);
        bool[] onlyTheFirstAdds = [true, .. Enumerable.Repeat(false, 49)];
        Assert.Equal(onlyTheFirstAdds, await Task.WhenAll(adds));
        Assert.Equal("v49", Read(await Store.GetAsync(Entries, "gina", "hot", None)));
        Assert.Equal("v0", Read(await Store.GetAsync(Entries, "gina", "cold", None)));
    }
}
