namespace Mindspace.Grains.Interfaces.Shop;

/// <summary>Another product and how many paid orders held both.</summary>
[GenerateSerializer, Immutable, Alias("ms.shop.BoughtWith")]
public sealed record BoughtWith(Guid ProductId, int Orders);

/// <summary>
/// "Bought together": for each product, how many paid orders also held each other product. One
/// grain (key 0) keeps every count in memory and one row per product (<c>shop_bought_together</c>).
/// </summary>
/// <remarks>
/// Each order is counted once: its id is claimed in <c>shop_bought_together_orders</c> before its
/// pairs are added, so a repeated call never counts twice (a crash between the two counts it never).
/// A refunded or cancelled order's claim is turned to "taken back" before its pairs are subtracted,
/// so it is subtracted at most once too.
/// </remarks>
[Alias("ms.shop.IRecommendationsGrain")]
public interface IRecommendationsGrain : IGrainWithIntegerKey
{
    /// <summary>Counts the pairs of a paid order's products. Sent by the order after its payment is stored.</summary>
    [Orleans.Concurrency.OneWay]
    [Alias("record-paid-order")]
    Task RecordPaidOrderAsync(Guid orderId, IReadOnlyList<Guid> productIds);

    /// <summary>
    /// Takes back the pairs of an order that was fully refunded or cancelled after payment. Once per
    /// order, in either order of arrival: an order taken back before it was counted is never counted.
    /// </summary>
    [Orleans.Concurrency.OneWay]
    [Alias("record-returned-order")]
    Task RecordReturnedOrderAsync(Guid orderId, IReadOnlyList<Guid> productIds);

    /// <summary>The products most often bought with <paramref name="productId"/>, most first (ties by id).</summary>
    [Alias("get-bought-with")]
    Task<IReadOnlyList<BoughtWith>> GetBoughtWithAsync(Guid productId, int limit);
}
