using Mindspace.Gateway.Tests.Infrastructure;
using Mindspace.Grains.Interfaces.CheckIns;

namespace Mindspace.Gateway.Tests.CheckIns;

/// <summary>What the check-ins grain answers after storage refused to delete an entry.</summary>
public sealed class CheckInsDeleteFailureTests : IAsyncLifetime
{
    private CheckInsGrainHost _host = null!;
    private ObservedRecordStore _store = null!;
    private ICheckInsGrain _grain = null!;

    public async Task InitializeAsync()
    {
        (_host, _store) = await CheckInsGrainHost.StartObservedAsync(new DateTimeOffset(2025, 3, 10, 12, 0, 0, TimeSpan.Zero));
        _grain = _host.Grains.GetGrain<ICheckInsGrain>(Guid.NewGuid());
    }

    public async Task DisposeAsync() => await _host.DisposeAsync();

    [Fact]
    public async Task A_failed_delete_leaves_the_entry_in_the_first_page_and_a_later_delete_removes_it()
    {
        var older = await _grain.CreateEntryAsync(new NewEntry("The first one.", 3, []));
        var newer = await _grain.CreateEntryAsync(new NewEntry("The second one.", 4, []));
        Assert.Equal([newer.Id, older.Id], await FirstPageIdsAsync()); // the first page is now answered from memory

        _store.FailNextRemoval();
        await Assert.ThrowsAsync<InvalidOperationException>(() => _grain.DeleteEntryAsync(newer.Id));

        // Storage still holds the entry, so the first page must show it (not the page memory had after the delete began).
        Assert.Equal([newer.Id, older.Id], await FirstPageIdsAsync());
        Assert.NotNull(await _grain.GetEntryAsync(newer.Id, default));

        Assert.True(await _grain.DeleteEntryAsync(newer.Id));
        Assert.Equal([older.Id], await FirstPageIdsAsync());
        Assert.Null(await _grain.GetEntryAsync(newer.Id, default));
    }

    private async Task<Guid[]> FirstPageIdsAsync()
        => [.. (await _grain.ListEntriesAsync(new EntryQuery(), default)).Items.Select(entry => entry.Id)];
}
