using Microsoft.Extensions.DependencyInjection;
using Mindspace.Grains.Interfaces;
using Mindspace.Grains.Interfaces.Shop;

namespace Mindspace.Grains.Shop;

/// <summary>Stored state of <see cref="StockGrain"/>.</summary>
[GenerateSerializer, Alias("ms.state.StockState")]
public sealed class StockState
{
    [Id(0)]
    public int OnHand { get; set; }

    [Id(1)]
    public Dictionary<string, StockHoldState> Holds { get; set; } = new(StringComparer.Ordinal);
}

[GenerateSerializer, Immutable, Alias("ms.state.StockHoldState")]
public sealed record StockHoldState(int Quantity, DateTimeOffset ExpiresAt);

/// <inheritdoc cref="IStockGrain"/>
public sealed class StockGrain(
    [PersistentState("stock")] IPersistentState<StockState> stock,
    [FromKeyedServices(MindspaceClock.Key)] TimeProvider clock) : Grain, IStockGrain, IRemindable
{
    private const string SweepReminder = "sweep";
    private static readonly TimeSpan SweepPeriod = TimeSpan.FromMinutes(1);

    private bool _reminderRegistered;

    private StockState State => stock.State;

    public Task<StockLevel> GetAsync() => Task.FromResult(Level());

    public async Task<StockLevel> SetOnHandAsync(int onHand)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(onHand);
        DropExpired();
        State.OnHand = onHand;
        await SaveAsync();
        return Level();
    }

    public async Task<HoldResult> HoldAsync(StockHold hold)
    {
        ArgumentNullException.ThrowIfNull(hold);
        ArgumentOutOfRangeException.ThrowIfNegative(hold.Quantity);
        DropExpired();
        var own = State.Holds.TryGetValue(hold.Holder, out var current) ? current.Quantity : 0;
        if (hold.Replaces is { } replaced && State.Holds.TryGetValue(replaced, out var replacedHold))
        {
            own += replacedHold.Quantity;
        }

        var obtainable = Math.Max(0, State.OnHand - Reserved()) + own;
        if (hold.Quantity > obtainable)
        {
            return new HoldResult(false, obtainable);
        }

        if (hold.Replaces is not null)
        {
            State.Holds.Remove(hold.Replaces);
        }

        if (hold.Quantity == 0)
        {
            State.Holds.Remove(hold.Holder);
        }
        else
        {
            State.Holds[hold.Holder] = new StockHoldState(hold.Quantity, hold.ExpiresAt);
        }

        await SaveAsync();
        return new HoldResult(true, obtainable);
    }

    public async Task ReleaseAsync(string holder)
    {
        DropExpired();
        if (State.Holds.Remove(holder))
        {
            await SaveAsync();
        }
    }

    public async Task<bool> CommitAsync(string holder, int quantity)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(quantity);
        DropExpired();
        var held = State.Holds.TryGetValue(holder, out var hold) ? hold.Quantity : 0;
        if (held < quantity && Math.Max(0, State.OnHand - Reserved()) < quantity - held)
        {
            return false;
        }

        State.Holds.Remove(holder);
        State.OnHand -= quantity;
        await SaveAsync();
        return true;
    }

    public async Task RestockAsync(int quantity)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(quantity);
        DropExpired();
        State.OnHand += quantity;
        await SaveAsync();
    }

    public async Task<int> SweepAsync()
    {
        var dropped = DropExpired();
        if (dropped > 0)
        {
            await SaveAsync();
        }

        if (State.Holds.Count == 0 && await this.GetReminder(SweepReminder) is { } reminder)
        {
            await this.UnregisterReminder(reminder);
            _reminderRegistered = false;
        }

        return dropped;
    }

    public Task ReceiveReminder(string reminderName, TickStatus status) => SweepAsync();

    private StockLevel Level()
    {
        var now = clock.GetUtcNow();
        return new StockLevel(State.OnHand, State.Holds.Values.Where(h => h.ExpiresAt > now).Sum(h => h.Quantity));
    }

    private int Reserved() => State.Holds.Values.Sum(h => h.Quantity);

    /// <summary>Expired holds stop counting the moment they expire, whether or not the reminder has run.</summary>
    private int DropExpired()
    {
        var now = clock.GetUtcNow();
        var expired = State.Holds.Where(h => h.Value.ExpiresAt <= now).Select(h => h.Key).ToList();
        foreach (var holder in expired)
        {
            State.Holds.Remove(holder);
        }

        return expired.Count;
    }

    private async Task SaveAsync()
    {
        await stock.WriteStateAsync();
        if (State.Holds.Count > 0 && !_reminderRegistered)
        {
            await this.RegisterOrUpdateReminder(SweepReminder, SweepPeriod, SweepPeriod);
            _reminderRegistered = true;
        }

        // After the write: the catalogue's copy of the available count is for display only.
        GrainFactory.GetGrain<ICatalogGrain>(0).StockChangedAsync(this.GetPrimaryKey(), Level().Available).Ignore();
    }
}
