using Microsoft.Extensions.DependencyInjection;
using Mindspace.Grains.Interfaces;
using Mindspace.Grains.Interfaces.Shop;

namespace Mindspace.Grains.Shop;

/// <summary>Stored state of <see cref="CartGrain"/>.</summary>
[GenerateSerializer, Alias("ms.state.CartState")]
public sealed class CartState
{
    [Id(0)]
    public List<CartLineState> Lines { get; set; } = [];

    [Id(1)]
    public long Version { get; set; }
}

/// <param name="HeldUntil">When this line's stock hold lapses (it is renewed whenever the line changes).</param>
[GenerateSerializer, Immutable, Alias("ms.state.CartLineState")]
public sealed record CartLineState(Guid ProductId, int Quantity, DateTimeOffset HeldUntil);

/// <inheritdoc cref="ICartGrain"/>
public sealed class CartGrain(
    [PersistentState("cart")] IPersistentState<CartState> cart,
    [FromKeyedServices(MindspaceClock.Key)] TimeProvider clock) : Grain, ICartGrain, IRemindable
{
    private const string ExpiryReminder = "holds";
    private static readonly TimeSpan ReminderPeriod = TimeSpan.FromMinutes(1);

    private string Holder => CartKeys.Holder(this.GetPrimaryKeyString());

    private List<CartLineState> Lines => cart.State.Lines;

    public async Task<CartView> GetAsync() => await ViewAsync();

    public Task<CartResult> AddItemAsync(Guid productId, int quantity, long? expectedVersion)
        => SetAsync(productId, quantity, add: true, expectedVersion);

    public Task<CartResult> SetItemAsync(Guid productId, int quantity, long? expectedVersion)
        => SetAsync(productId, quantity, add: false, expectedVersion);

    public async Task<CartResult> RemoveItemAsync(Guid productId, long? expectedVersion)
    {
        if (expectedVersion is { } expected && expected != cart.State.Version)
        {
            return new CartResult(CartStatus.VersionMismatch, await ViewAsync());
        }

        var index = Lines.FindIndex(l => l.ProductId == productId);
        if (index < 0)
        {
            return new CartResult(CartStatus.NotInCart, await ViewAsync());
        }

        Lines.RemoveAt(index);
        await SaveAsync();
        await Stock(productId).ReleaseAsync(Holder);
        return new CartResult(CartStatus.Ok, await ViewAsync());
    }

    public async Task<CartView> MergeFromAsync(string guestCartKey)
    {
        if (guestCartKey == this.GetPrimaryKeyString())
        {
            return await ViewAsync();
        }

        var guestLines = await GrainFactory.GetGrain<ICartGrain>(guestCartKey).TakeLinesAsync(releaseHolds: true);
        var changed = false;
        foreach (var line in guestLines)
        {
            var existing = Lines.FirstOrDefault(l => l.ProductId == line.ProductId)?.Quantity ?? 0;
            var wanted = Math.Min(ShopRules.MaxQuantityPerLine, existing + line.Quantity);
            if (await TryPlaceAsync(line.ProductId, wanted, partial: true) is { } placed)
            {
                changed |= placed != existing;
            }
        }

        if (changed)
        {
            await SaveAsync();
        }

        return await ViewAsync();
    }

    public async Task<IReadOnlyList<CartLine>> TakeLinesAsync(bool releaseHolds)
    {
        var view = await ViewAsync();
        if (Lines.Count == 0)
        {
            return view.Items;
        }

        var taken = Lines.ToList();
        Lines.Clear();
        await SaveAsync();
        if (releaseHolds)
        {
            await Task.WhenAll(taken.Select(l => Stock(l.ProductId).ReleaseAsync(Holder)));
        }

        return view.Items;
    }

    public async Task RemoveBoughtAsync(IReadOnlyList<Guid> productIds)
    {
        if (Lines.RemoveAll(l => productIds.Contains(l.ProductId)) > 0)
        {
            await SaveAsync();
        }
    }

    public async Task ClearAsync()
    {
        var lines = Lines.ToList();
        await cart.ClearStateAsync();
        await Task.WhenAll(lines.Select(l => Stock(l.ProductId).ReleaseAsync(Holder)));
    }

    /// <summary>Releases the holds that have lapsed; stops reminding once no line holds anything.</summary>
    public async Task ReceiveReminder(string reminderName, TickStatus status)
    {
        var now = clock.GetUtcNow();
        await Task.WhenAll(Lines.Where(l => l.HeldUntil <= now).Select(l => Stock(l.ProductId).ReleaseAsync(Holder)));
        if (Lines.All(l => l.HeldUntil <= now) && await this.GetReminder(ExpiryReminder) is { } reminder)
        {
            await this.UnregisterReminder(reminder);
        }
    }

    private async Task<CartResult> SetAsync(Guid productId, int quantity, bool add, long? expectedVersion)
    {
        if (expectedVersion is { } expected && expected != cart.State.Version)
        {
            return new CartResult(CartStatus.VersionMismatch, await ViewAsync());
        }

        if (ShopRules.CheckQuantity(quantity) is { } error)
        {
            throw new ArgumentException(error, nameof(quantity));
        }

        var catalog = GrainFactory.GetGrain<ICatalogGrain>(0);
        if (await catalog.GetAsync(productId) is not { Active: true } product)
        {
            return new CartResult(CartStatus.NoSuchProduct, await ViewAsync());
        }

        var others = Lines.Where(l => l.ProductId != productId).Select(l => l.ProductId).ToList();
        if (others.Count > 0)
        {
            var otherProducts = await catalog.GetManyAsync(others);
            if (otherProducts.Any(p => p.Currency != product.Currency))
            {
                return new CartResult(CartStatus.CurrencyMismatch, await ViewAsync());
            }
        }

        var existing = Lines.FirstOrDefault(l => l.ProductId == productId);
        if (existing is null && Lines.Count >= ShopRules.MaxCartLines)
        {
            return new CartResult(CartStatus.TooManyLines, await ViewAsync());
        }

        var wanted = add ? (existing?.Quantity ?? 0) + quantity : quantity;
        if (ShopRules.CheckQuantity(wanted) is not null)
        {
            wanted = ShopRules.MaxQuantityPerLine;
        }

        var hold = await Stock(productId).HoldAsync(new StockHold(Holder, wanted, clock.GetUtcNow() + ShopRules.CartReservationLifetime));
        if (!hold.Held)
        {
            return new CartResult(CartStatus.OutOfStock, await ViewAsync(), hold.Obtainable);
        }

        Place(productId, wanted);
        await SaveAsync();
        return new CartResult(CartStatus.Ok, await ViewAsync());
    }

    /// <summary>Holds up to <paramref name="wanted"/> units (fewer when <paramref name="partial"/> and stock is short) and sets the line.</summary>
    /// <returns>The line's quantity now, or null when nothing could be placed.</returns>
    private async Task<int?> TryPlaceAsync(Guid productId, int wanted, bool partial)
    {
        var catalog = GrainFactory.GetGrain<ICatalogGrain>(0);
        if (await catalog.GetAsync(productId) is not { Active: true })
        {
            return null;
        }

        var expires = clock.GetUtcNow() + ShopRules.CartReservationLifetime;
        var hold = await Stock(productId).HoldAsync(new StockHold(Holder, wanted, expires));
        if (!hold.Held)
        {
            if (!partial || hold.Obtainable == 0)
            {
                return null;
            }

            wanted = hold.Obtainable;
            if (!(await Stock(productId).HoldAsync(new StockHold(Holder, wanted, expires))).Held)
            {
                return null;
            }
        }

        Place(productId, wanted);
        return wanted;
    }

    private void Place(Guid productId, int quantity)
    {
        var line = new CartLineState(productId, quantity, clock.GetUtcNow() + ShopRules.CartReservationLifetime);
        var index = Lines.FindIndex(l => l.ProductId == productId);
        if (index < 0)
        {
            Lines.Add(line);
        }
        else
        {
            Lines[index] = line;
        }
    }

    private async Task SaveAsync()
    {
        cart.State.Version++;
        await cart.WriteStateAsync();
        if (Lines.Count > 0)
        {
            await this.RegisterOrUpdateReminder(ExpiryReminder, ShopRules.CartReservationLifetime, ReminderPeriod);
        }
    }

    private async Task<CartView> ViewAsync()
    {
        if (Lines.Count == 0)
        {
            return new CartView([], 0, null, cart.State.Version, null);
        }

        var now = clock.GetUtcNow();
        var products = (await GrainFactory.GetGrain<ICatalogGrain>(0).GetManyAsync([.. Lines.Select(l => l.ProductId)])).ToDictionary(p => p.Id);
        var items = new List<CartLine>();
        foreach (var line in Lines)
        {
            if (products.TryGetValue(line.ProductId, out var p))
            {
                items.Add(new CartLine(p.Id, p.Name, p.Price, p.Currency, line.Quantity, p.Price * line.Quantity, line.HeldUntil > now));
            }
        }

        return new CartView(items, items.Sum(i => i.LineTotal), items.FirstOrDefault()?.Currency, cart.State.Version, Lines.Min(l => l.HeldUntil));
    }

    private IStockGrain Stock(Guid productId) => GrainFactory.GetGrain<IStockGrain>(productId);
}
