using Orleans.Concurrency;

namespace Mindspace.Grains.Interfaces.Shop;

/// <summary>What an admin sends to create or replace a product; normalised with <see cref="ShopRules"/>.</summary>
/// <param name="Price">Gross price (tax included) in the currency's minor unit.</param>
/// <param name="Stock">Units on hand.</param>
[GenerateSerializer, Immutable, Alias("ms.shop.ProductInput")]
public sealed record ProductInput(
    string Name, string Description, long Price, string Currency, IReadOnlyList<string> Images,
    string Category, IReadOnlyList<string> Tags, int Stock, bool Active);

/// <summary>A product as the shop shows it.</summary>
/// <param name="Available">Units that can be bought now: on hand less those held in carts and unpaid orders.</param>
[GenerateSerializer, Immutable, Alias("ms.shop.Product")]
public sealed record Product(
    Guid Id, string Name, string Description, long Price, string Currency, IReadOnlyList<string> Images,
    string Category, IReadOnlyList<string> Tags, int Available, bool Active, DateTimeOffset CreatedAt, DateTimeOffset UpdatedAt);

/// <summary>Where the previous page ended in the order of its sort: continue strictly after it.</summary>
/// <param name="Primary">The sort's number (a price, a negated time or score), ascending.</param>
[GenerateSerializer, Immutable, Alias("ms.shop.ProductCursor")]
public sealed record ProductCursor(long Primary, string Secondary, Guid Id);

/// <summary>A product search. Null filters do not filter.</summary>
/// <param name="Sort">One of <see cref="ShopRules.Sorts"/>.</param>
/// <param name="IncludeInactive">Admins see inactive products too.</param>
[GenerateSerializer, Immutable, Alias("ms.shop.ProductSearch")]
public sealed record ProductSearch(
    string? Query, string? Category, string? Tag, long? MinPrice, long? MaxPrice, string Sort,
    ProductCursor? After, int Limit, bool IncludeInactive = false);

/// <param name="ScoreMicros">Relevance in millionths (0 without a query): whole numbers, so a score can go in a cursor exactly.</param>
[GenerateSerializer, Immutable, Alias("ms.shop.ProductHit")]
public sealed record ProductHit(Product Product, long ScoreMicros);

[GenerateSerializer, Immutable, Alias("ms.shop.FacetCount")]
public sealed record FacetCount(string Value, int Count);

/// <summary>
/// Counts of matching products per value. Each facet counts with every other filter applied but
/// not its own, so choosing a category still shows how many products the other categories hold.
/// </summary>
[GenerateSerializer, Immutable, Alias("ms.shop.ProductFacets")]
public sealed record ProductFacets(IReadOnlyList<FacetCount> Categories, IReadOnlyList<FacetCount> Tags, IReadOnlyList<FacetCount> PriceBands);

/// <param name="Total">How many products match every filter.</param>
[GenerateSerializer, Immutable, Alias("ms.shop.ProductSearchResult")]
public sealed record ProductSearchResult(IReadOnlyList<ProductHit> Items, ProductCursor? Next, ProductFacets Facets, int Total);

/// <summary>The shop's catalogue: one grain holding every product and a full-text index in memory.</summary>
/// <remarks>
/// Products are rows (one per product) read at activation; searching never touches the database,
/// so SQLite and PostgreSQL answer the same. Stock lives in one <see cref="IStockGrain"/> per
/// product; the catalogue keeps a copy of each product's available count for display.
/// </remarks>
[Alias("ms.shop.ICatalogGrain")]
public interface ICatalogGrain : IGrainWithIntegerKey
{
    /// <exception cref="ArgumentException">The input breaks <see cref="ShopRules"/> (callers validate first).</exception>
    [Alias("create")]
    Task<Product> CreateAsync(ProductInput input);

    /// <returns>The product as it is now, or null when there is none with this id.</returns>
    [Alias("update")]
    Task<Product?> UpdateAsync(Guid id, ProductInput input);

    /// <returns>Whether a product was deleted. Orders keep their own copy of what was bought.</returns>
    [Alias("delete")]
    Task<bool> DeleteAsync(Guid id);

    [ReadOnly]
    [Alias("get")]
    Task<Product?> GetAsync(Guid id);

    [ReadOnly]
    [Alias("get-many")]
    Task<IReadOnlyList<Product>> GetManyAsync(IReadOnlyList<Guid> ids);

    [Alias("search")]
    Task<ProductSearchResult> SearchAsync(ProductSearch search);

    /// <summary>Adds the starter catalogue when the catalogue has never held a product.</summary>
    /// <returns>How many products were added.</returns>
    /// <remarks>
    /// Writes every starter product and its stock one after another; on a busy machine that took longer than
    /// the default response timeout (a CI run where many test hosts started at once), so it gets the long one.
    /// </remarks>
    [ResponseTimeout(GrainCallTimeouts.WholeHistory)]
    [Alias("seed")]
    Task<int> SeedIfEmptyAsync(IReadOnlyList<ProductInput> products);

    /// <summary>A product's stock grain reports its available count (after its own write).</summary>
    [Orleans.Concurrency.OneWay]
    [Alias("stock-changed")]
    Task StockChangedAsync(Guid id, int available);
}
