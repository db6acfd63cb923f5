using Orleans.Concurrency;

namespace Mindspace.Grains.Interfaces.Shop;

/// <param name="OnHand">Units in the warehouse (sold units have left it).</param>
/// <param name="Reserved">Units held by carts and unpaid orders whose hold has not expired.</param>
[GenerateSerializer, Immutable, Alias("ms.shop.StockLevel")]
public sealed record StockLevel(int OnHand, int Reserved)
{
    public int Available => Math.Max(0, OnHand - Reserved);
}

/// <summary>A hold on units for <paramref name="Holder"/> (a cart or an order) until <paramref name="ExpiresAt"/>.</summary>
/// <param name="Quantity">The holder's whole hold after this call (not an increment); 0 releases it.</param>
/// <param name="Replaces">Another holder whose hold is released in the same turn (a cart's, when its order takes over).</param>
[GenerateSerializer, Immutable, Alias("ms.shop.StockHold")]
public sealed record StockHold(string Holder, int Quantity, DateTimeOffset ExpiresAt, string? Replaces = null);

/// <param name="Held">Whether the hold is in place.</param>
/// <param name="Obtainable">Units the holder could hold: what is available plus its own live hold.</param>
[GenerateSerializer, Immutable, Alias("ms.shop.HoldResult")]
public sealed record HoldResult(bool Held, int Obtainable);

/// <summary>
/// One product's stock: the only place units are counted, one call at a time, so two checkouts
/// of the last unit can never both win.
/// </summary>
/// <remarks>
/// A hold that expires stops counting at once (every call compares against the product clock),
/// and a reminder deletes expired holds from the stored state while any exist.
/// </remarks>
[Alias("ms.shop.IStockGrain")]
public interface IStockGrain : IGrainWithGuidKey
{
    [ReadOnly]
    [Alias("get")]
    Task<StockLevel> GetAsync();

    /// <summary>Sets the units on hand (an admin's count).</summary>
    [Alias("set-on-hand")]
    Task<StockLevel> SetOnHandAsync(int onHand);

    /// <returns>Whether the hold is in place (when not, nothing changed) and how many units this holder could hold now.</returns>
    [Alias("hold")]
    Task<HoldResult> HoldAsync(StockHold hold);

    /// <summary>Releases <paramref name="holder"/>'s hold, if any.</summary>
    [Idempotent]
    [Alias("release")]
    Task ReleaseAsync(string holder);

    /// <summary>
    /// Turns <paramref name="holder"/>'s hold of <paramref name="quantity"/> into a sale: the units
    /// leave the stock. Without a live hold the units are taken from what is available.
    /// </summary>
    /// <returns>Whether the units were there to take.</returns>
    [Alias("commit")]
    Task<bool> CommitAsync(string holder, int quantity);

    /// <summary>Puts sold units back (a cancelled paid order).</summary>
    [Alias("restock")]
    Task RestockAsync(int quantity);

    /// <summary>Drops expired holds (the reminder calls this too).</summary>
    [Alias("sweep")]
    Task<int> SweepAsync();
}
