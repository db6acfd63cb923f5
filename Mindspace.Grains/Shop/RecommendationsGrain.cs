using Mindspace.Grains.Interfaces.Shop;
using Mindspace.Grains.Records;

namespace Mindspace.Grains.Shop;

/// <summary>One product's row in <c>shop_bought_together</c>: every product bought with it (by id) and in how many paid orders.</summary>
[GenerateSerializer, Alias("ms.shop.StoredBoughtTogether")]
public sealed record StoredBoughtTogether(IReadOnlyDictionary<string, int> Partners);

/// <inheritdoc cref="IRecommendationsGrain"/>
/// <remarks>A row of <c>shop_bought_together_orders</c> is true while its order counts and false once taken back (or refused before it was counted).</remarks>
public sealed class RecommendationsGrain(
    [RecordCollection("shop_bought_together")] IRecordCollection<StoredBoughtTogether> rows,
    [RecordCollection("shop_bought_together_orders")] IRecordCollection<bool> counted) : Grain, IRecommendationsGrain
{
    /// <summary>Products of one order that are paired (an order of n distinct products makes n·(n−1) counts).</summary>
    public const int MaxProductsPerOrder = 50;

    private const int LoadBatch = 500;

    private readonly Dictionary<Guid, Dictionary<Guid, int>> _partners = [];

    public override async Task OnActivateAsync(CancellationToken cancellationToken)
    {
        string? after = null;
        while (true)
        {
            var batch = await rows.QueryAsync(new RecordQuery(after, Limit: LoadBatch), cancellationToken);
            foreach (var row in batch)
            {
                if (Guid.TryParse(row.Key, out var id))
                {
                    _partners[id] = row.Value.Partners.Where(p => Guid.TryParse(p.Key, out _)).ToDictionary(p => Guid.Parse(p.Key), p => p.Value);
                }
            }

            if (batch.Count < LoadBatch)
            {
                break;
            }

            after = batch[^1].Key;
        }
    }

    public async Task RecordPaidOrderAsync(Guid orderId, IReadOnlyList<Guid> productIds)
    {
        ArgumentNullException.ThrowIfNull(productIds);
        var distinct = productIds.Distinct().Take(MaxProductsPerOrder).ToList();
        if (distinct.Count < 2 || !await counted.AddAsync(orderId.ToString("D"), true))
        {
            return;
        }

        await AddPairsAsync(distinct, +1);
    }

    public async Task RecordReturnedOrderAsync(Guid orderId, IReadOnlyList<Guid> productIds)
    {
        ArgumentNullException.ThrowIfNull(productIds);
        var distinct = productIds.Distinct().Take(MaxProductsPerOrder).ToList();
        var key = orderId.ToString("D");
        if (distinct.Count < 2 || await counted.AddAsync(key, false))
        {
            // Not counted yet (or never will be): the claim now says "taken back", so a late count is refused.
            return;
        }

        if (!await counted.GetAsync(key))
        {
            return; // Taken back before.
        }

        await counted.PutAsync(key, false);
        await AddPairsAsync(distinct, -1);
    }

    private async Task AddPairsAsync(List<Guid> distinct, int change)
    {
        foreach (var product in distinct)
        {
            if (!_partners.TryGetValue(product, out var partners))
            {
                _partners[product] = partners = [];
            }

            foreach (var other in distinct.Where(other => other != product))
            {
                var count = partners.GetValueOrDefault(other) + change;
                if (count > 0)
                {
                    partners[other] = count;
                }
                else
                {
                    partners.Remove(other);
                }
            }

            await rows.PutAsync(product.ToString("D"), new StoredBoughtTogether(partners.ToDictionary(p => p.Key.ToString("D"), p => p.Value)));
        }
    }

    public Task<IReadOnlyList<BoughtWith>> GetBoughtWithAsync(Guid productId, int limit)
    {
        IReadOnlyList<BoughtWith> top = _partners.TryGetValue(productId, out var partners)
            ? [.. partners.OrderByDescending(p => p.Value).ThenBy(p => p.Key).Take(Math.Max(0, limit)).Select(p => new BoughtWith(p.Key, p.Value))]
            : [];
        return Task.FromResult(top);
    }
}
