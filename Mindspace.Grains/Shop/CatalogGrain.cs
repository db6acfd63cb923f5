using Microsoft.Extensions.DependencyInjection;
using Mindspace.Grains.Interfaces;
using Mindspace.Grains.Interfaces.Shop;
using Mindspace.Grains.Records;

namespace Mindspace.Grains.Shop;

/// <summary>A product as stored (its id is the record key). Stock lives in the product's stock grain.</summary>
[GenerateSerializer, Immutable, Alias("ms.state.StoredProduct")]
public sealed record StoredProduct(
    string Name, string Description, long Price, string Currency, string[] Images, string Category, string[] Tags,
    bool Active, DateTimeOffset CreatedAt, DateTimeOffset UpdatedAt);

/// <inheritdoc cref="ICatalogGrain"/>
public sealed class CatalogGrain(
    [RecordCollection("shop_products")] IRecordCollection<StoredProduct> products,
    [FromKeyedServices(MindspaceClock.Key)] TimeProvider clock) : Grain, ICatalogGrain
{
    private const int LoadBatch = 500;

    private readonly Dictionary<Guid, StoredProduct> _products = [];
    private readonly Dictionary<Guid, int> _available = [];
    private readonly ProductIndex _index = new();

    public override async Task OnActivateAsync(CancellationToken cancellationToken)
    {
        string? after = null;
        while (true)
        {
            var batch = await products.QueryAsync(new RecordQuery(after, Limit: LoadBatch), cancellationToken);
            foreach (var record in batch)
            {
                var id = Guid.Parse(record.Key);
                _products[id] = record.Value;
                Index(id, record.Value);
            }

            if (batch.Count < LoadBatch)
            {
                break;
            }

            after = batch[^1].Key;
        }

        // Display copies of the available counts; stock grains report changes as they happen.
        var levels = await Task.WhenAll(_products.Keys.Select(async id => (id, level: await GrainFactory.GetGrain<IStockGrain>(id).GetAsync())));
        foreach (var (id, level) in levels)
        {
            _available[id] = level.Available;
        }
    }

    public async Task<Product> CreateAsync(ProductInput input)
    {
        var now = clock.GetUtcNow();
        var stored = Normalize(input, now, now);
        var id = Guid.CreateVersion7(now);
        await products.PutAsync(id.ToString("D"), stored);
        _products[id] = stored;
        Index(id, stored);
        var level = await GrainFactory.GetGrain<IStockGrain>(id).SetOnHandAsync(input.Stock);
        _available[id] = level.Available;
        return View(id, stored);
    }

    public async Task<Product?> UpdateAsync(Guid id, ProductInput input)
    {
        if (!_products.TryGetValue(id, out var existing))
        {
            return null;
        }

        var stored = Normalize(input, existing.CreatedAt, clock.GetUtcNow());
        await products.PutAsync(id.ToString("D"), stored);
        _products[id] = stored;
        Index(id, stored);
        var level = await GrainFactory.GetGrain<IStockGrain>(id).SetOnHandAsync(input.Stock);
        _available[id] = level.Available;
        return View(id, stored);
    }

    public async Task<bool> DeleteAsync(Guid id)
    {
        if (!_products.ContainsKey(id))
        {
            return false;
        }

        await products.RemoveAsync(id.ToString("D"));
        _products.Remove(id);
        _available.Remove(id);
        _index.Remove(id);
        return true;
    }

    public Task<Product?> GetAsync(Guid id) => Task.FromResult(_products.TryGetValue(id, out var stored) ? View(id, stored) : null);

    public Task<IReadOnlyList<Product>> GetManyAsync(IReadOnlyList<Guid> ids)
        => Task.FromResult<IReadOnlyList<Product>>([.. ids.Where(_products.ContainsKey).Select(id => View(id, _products[id]))]);

    public Task<ProductSearchResult> SearchAsync(ProductSearch search)
    {
        ArgumentNullException.ThrowIfNull(search);
        var terms = ProductIndex.Terms(search.Query);
        var sort = search.Sort == "relevance" && terms.Count == 0 ? "newest" : search.Sort;
        var matches = new List<(Guid Id, StoredProduct Product, long Score)>();
        foreach (var (id, product) in _products)
        {
            if ((product.Active || search.IncludeInactive) && _index.Score(id, terms) is { } score)
            {
                matches.Add((id, product, (long)Math.Round(score * 1_000_000)));
            }
        }

        bool InCategory(StoredProduct p) => search.Category is null || p.Category == search.Category;
        bool HasTag(StoredProduct p) => search.Tag is null || p.Tags.Contains(search.Tag);
        bool InPrice(StoredProduct p) => (search.MinPrice is not { } min || p.Price >= min) && (search.MaxPrice is not { } max || p.Price <= max);

        var facets = new ProductFacets(
            Count(matches.Where(m => HasTag(m.Product) && InPrice(m.Product)).Select(m => m.Product.Category)),
            Count(matches.Where(m => InCategory(m.Product) && InPrice(m.Product)).SelectMany(m => m.Product.Tags)),
            [.. ShopRules.PriceBands.Select(band => new FacetCount(band.Label, matches.Count(m =>
                InCategory(m.Product) && HasTag(m.Product) && m.Product.Price >= band.From && (band.To is not { } to || m.Product.Price < to))))]);

        var filtered = matches.Where(m => InCategory(m.Product) && HasTag(m.Product) && InPrice(m.Product))
            .Select(m => (m.Id, m.Product, m.Score, Key: SortKey(sort, m.Id, m.Product, m.Score)))
            .OrderBy(m => m.Key, CursorComparer.Instance)
            .ToList();
        var total = filtered.Count;
        var page = filtered.Where(m => search.After is null || CursorComparer.Instance.Compare(m.Key, search.After) > 0)
            .Take(search.Limit + 1)
            .ToList();
        var next = page.Count > search.Limit ? page[search.Limit - 1].Key : null;
        var items = page.Take(search.Limit).Select(m => new ProductHit(View(m.Id, m.Product), m.Score)).ToList();
        return Task.FromResult(new ProductSearchResult(items, next, facets, total));
    }

    public async Task<int> SeedIfEmptyAsync(IReadOnlyList<ProductInput> seed)
    {
        if (_products.Count > 0 || await products.CountAsync() > 0)
        {
            return 0;
        }

        foreach (var input in seed)
        {
            await CreateAsync(input);
        }

        return seed.Count;
    }

    public Task StockChangedAsync(Guid id, int available)
    {
        if (_products.ContainsKey(id))
        {
            _available[id] = available;
        }

        return Task.CompletedTask;
    }

    private static ProductCursor SortKey(string sort, Guid id, StoredProduct product, long score) => sort switch
    {
        "relevance" => new ProductCursor(-score, string.Empty, id),
        "price" => new ProductCursor(product.Price, string.Empty, id),
        "-price" => new ProductCursor(-product.Price, string.Empty, id),
        "name" => new ProductCursor(0, product.Name.ToLowerInvariant(), id),
        _ => new ProductCursor(-product.CreatedAt.ToUnixTimeMilliseconds(), string.Empty, id),
    };

    private static List<FacetCount> Count(IEnumerable<string> values)
        => [.. values.GroupBy(v => v, StringComparer.Ordinal).Select(g => new FacetCount(g.Key, g.Count()))
            .OrderByDescending(f => f.Count).ThenBy(f => f.Value, StringComparer.Ordinal)];

    private static StoredProduct Normalize(ProductInput input, DateTimeOffset createdAt, DateTimeOffset updatedAt)
    {
        ArgumentNullException.ThrowIfNull(input);
        Require(ShopRules.CheckName(input.Name, out var name), "name");
        Require(ShopRules.CheckDescription(input.Description, out var description), "description");
        Require(ShopRules.CheckPrice(input.Price), "price");
        Require(ShopRules.CheckCurrency(input.Currency, out var currency), "currency");
        Require(ShopRules.CheckImages(input.Images, out var images), "images");
        Require(ShopRules.CheckSlug(input.Category, out var category), "category");
        Require(ShopRules.CheckTags(input.Tags, out var tags), "tags");
        Require(ShopRules.CheckStock(input.Stock), "stock");
        return new StoredProduct(name, description, input.Price, currency, images, category, tags, input.Active, createdAt, updatedAt);
    }

    private static void Require(string? error, string field)
    {
        if (error is not null)
        {
            throw new ArgumentException(error, field);
        }
    }

    private void Index(Guid id, StoredProduct product) => _index.Put(id, product.Name, product.Description, product.Category, product.Tags);

    private Product View(Guid id, StoredProduct p)
        => new(id, p.Name, p.Description, p.Price, p.Currency, p.Images, p.Category, p.Tags, _available.GetValueOrDefault(id), p.Active, p.CreatedAt, p.UpdatedAt);

    /// <summary>Primary ascending, then secondary (ordinal), then id: a total order, so a cursor never skips or repeats.</summary>
    private sealed class CursorComparer : IComparer<ProductCursor>
    {
        public static readonly CursorComparer Instance = new();

        public int Compare(ProductCursor? x, ProductCursor? y)
        {
            ArgumentNullException.ThrowIfNull(x);
            ArgumentNullException.ThrowIfNull(y);
            var primary = x.Primary.CompareTo(y.Primary);
            if (primary != 0)
            {
                return primary;
            }

            var secondary = string.CompareOrdinal(x.Secondary, y.Secondary);
            return secondary != 0 ? secondary : x.Id.CompareTo(y.Id);
        }
    }
}
