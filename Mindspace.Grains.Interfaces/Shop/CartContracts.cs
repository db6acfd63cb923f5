namespace Mindspace.Grains.Interfaces.Shop;

/// <summary>Cart grain keys: one cart per user and one per guest.</summary>
public static class CartKeys
{
    public static string ForUser(Guid userId) => $"u:{userId:D}";

    public static string ForGuest(Guid guestId) => $"g:{guestId:D}";

    /// <summary>The stock holder name of a cart.</summary>
    public static string Holder(string cartKey) => $"cart:{cartKey}";
}

/// <param name="Reserved">Whether the cart's hold on these units is still live.</param>
[GenerateSerializer, Immutable, Alias("ms.shop.CartLine")]
public sealed record CartLine(Guid ProductId, string Name, long UnitPrice, string Currency, int Quantity, long LineTotal, bool Reserved);

/// <param name="Version">Changes with every change to the cart: the ETag.</param>
/// <param name="ReservedUntil">When the cart's holds lapse unless it changes again; null when empty.</param>
[GenerateSerializer, Immutable, Alias("ms.shop.CartView")]
public sealed record CartView(IReadOnlyList<CartLine> Items, long Subtotal, string? Currency, long Version, DateTimeOffset? ReservedUntil);

[GenerateSerializer, Alias("ms.shop.CartStatus")]
public enum CartStatus
{
    Ok,

    /// <summary>The If-Match version is not the cart's version.</summary>
    VersionMismatch,

    /// <summary>No active product has this id.</summary>
    NoSuchProduct,

    /// <summary>Too few units are available.</summary>
    OutOfStock,

    /// <summary>The product's currency differs from what is already in the cart.</summary>
    CurrencyMismatch,

    /// <summary>The cart already holds <see cref="ShopRules.MaxCartLines"/> products.</summary>
    TooManyLines,

    /// <summary>The product is not in the cart.</summary>
    NotInCart,
}

/// <param name="Available">With <see cref="CartStatus.OutOfStock"/>: how many could be had.</param>
[GenerateSerializer, Immutable, Alias("ms.shop.CartResult")]
public sealed record CartResult(CartStatus Status, CartView Cart, int? Available = null);

/// <summary>
/// A shopping cart (a user's or a guest's). Each line holds its units in the product's stock
/// grain until <see cref="ShopRules.CartReservationLifetime"/> after the cart last changed; a
/// reminder releases the holds when they lapse.
/// </summary>
[Alias("ms.shop.ICartGrain")]
public interface ICartGrain : IGrainWithStringKey
{
    [Alias("get")]
    Task<CartView> GetAsync();

    /// <summary>Sets a line's quantity (adding the line when new).</summary>
    /// <param name="expectedVersion">The If-Match version, or null to skip the check.</param>
    [Alias("set-item")]
    Task<CartResult> SetItemAsync(Guid productId, int quantity, long? expectedVersion);

    /// <summary>Adds <paramref name="quantity"/> to a line (creating it).</summary>
    [Alias("add-item")]
    Task<CartResult> AddItemAsync(Guid productId, int quantity, long? expectedVersion);

    [Alias("remove-item")]
    Task<CartResult> RemoveItemAsync(Guid productId, long? expectedVersion);

    /// <summary>
    /// Moves the lines of the cart <paramref name="guestCartKey"/> into this one: quantities summed,
    /// each capped by what can be had; the guest cart ends empty.
    /// </summary>
    [Alias("merge")]
    Task<CartView> MergeFromAsync(string guestCartKey);

    /// <summary>Returns the lines and empties the cart (a guest cart merging into a user's), releasing its holds when <paramref name="releaseHolds"/>.</summary>
    [Alias("take-lines")]
    Task<IReadOnlyList<CartLine>> TakeLinesAsync(bool releaseHolds);

    /// <summary>Removes the given products (bought in an order) from the cart.</summary>
    [Alias("remove-bought")]
    Task RemoveBoughtAsync(IReadOnlyList<Guid> productIds);

    [Alias("clear")]
    Task ClearAsync();
}
