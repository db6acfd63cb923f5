using Mindspace.Runtime.Tests.Grains;

namespace Mindspace.Runtime.Tests.Semantics;

public sealed class CopyAndStateTests : IAsyncLifetime
{
    private TestSilo _silo = null!;

    public async Task InitializeAsync() => _silo = await TestSilo.StartAsync();

    public async Task DisposeAsync() => await _silo.DisposeAsync();

    [Fact]
    public async Task Arguments_and_results_are_copies_even_in_process()
    {
        var grain = _silo.Grains.GetGrain<IBasketGrain>(Guid.NewGuid());
        var mine = new Basket { Items = ["apple"] };

        var returned = await grain.AddAsync(mine, "pear");

        Assert.Equal(["apple"], mine.Items); // the grain mutated its copy, not mine
        returned.Items.Add("mutated-by-caller");
        Assert.Equal(["pear"], (await grain.GetAsync()).Items); // and my copy of the result is mine
    }

    [Fact]
    public async Task State_survives_deactivation_and_a_restart_of_the_silo()
    {
        var id = Guid.NewGuid();
        await _silo.Grains.GetGrain<IBasketGrain>(id).AddAsync(new Basket(), "kept");
        _silo = await _silo.RestartAsync();
        Assert.Equal(["kept"], (await _silo.Grains.GetGrain<IBasketGrain>(id).GetAsync()).Items);
    }

    [Fact]
    public async Task A_write_over_a_newer_stored_version_throws_and_the_stale_activation_reloads()
    {
        var id = Guid.NewGuid();
        var grain = _silo.Grains.GetGrain<IBasketGrain>(id);
        await grain.AddAsync(new Basket(), "first");
        var etag = long.Parse((await grain.GetEtagAsync())!, System.Globalization.CultureInfo.InvariantCulture);

        // Someone else (another activation during a hand-off) writes newer state behind this activation's back.
        var grainId = GrainReferenceId(grain);
        await _silo.Storage.States.WriteAsync(grainId, "basket", """{"items":["first","written-elsewhere"]}"""u8.ToArray(), etag, CancellationToken.None);

        await Assert.ThrowsAsync<InconsistentStateException>(() => grain.AddAsync(new Basket(), "lost"));

        // The stale activation was deactivated; the next call sees the stored state and can write again.
        Assert.Equal(["first", "written-elsewhere"], (await grain.GetAsync()).Items);
        Assert.Equal(["first", "written-elsewhere", "second"], (await grain.AddAsync(new Basket(), "second")).Items);
    }

    [Fact]
    public async Task Clearing_state_resets_it_and_a_new_write_starts_from_empty()
    {
        var grain = _silo.Grains.GetGrain<IBasketGrain>(Guid.NewGuid());
        await grain.AddAsync(new Basket(), "gone");
        await grain.ClearAsync();
        Assert.Empty((await grain.GetAsync()).Items);
        Assert.Equal(["fresh"], (await grain.AddAsync(new Basket(), "fresh")).Items);
    }

    [Fact]
    public async Task A_record_collection_grows_one_row_at_a_time_and_reads_newest_first()
    {
        var grain = _silo.Grains.GetGrain<IJournalProbeGrain>(Guid.NewGuid());
        await grain.AppendAsync(1_000);
        await grain.AppendAsync(10);
        Assert.Equal(1_010, await grain.CountAsync());
        Assert.Equal(["00001010", "00001009", "00001008"], await grain.NewestKeysAsync(3));
    }

    private static GrainId GrainReferenceId(object reference) => Messaging.GrainReference.IdOf(reference);
}
