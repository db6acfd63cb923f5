using System.Globalization;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Mvc;
using Mindspace.Gateway.Auth;
using Mindspace.Gateway.Hosting;
using Mindspace.Grains.Interfaces.Shop;

namespace Mindspace.Gateway.Shop;

/// <summary>A recommended product and why: <c>bought-together</c> (with how many paid orders held both) or <c>same-category</c>.</summary>
public sealed record RecommendedProduct(ProductResponse Product, string Reason, int BoughtTogether);

public sealed record BoughtTogetherResponse(Guid ProductId, IReadOnlyList<RecommendedProduct> Items);

/// <summary>
/// <c>GET /api/v1/products/{id}/bought-together</c>: the active, in-stock products most often in the
/// same paid orders; when history gives fewer than asked, the rest are the newest active, in-stock
/// products of the same category.
/// </summary>
public static class BoughtTogether
{
    public const string BoughtTogetherReason = "bought-together";
    public const string SameCategoryReason = "same-category";
    public const int DefaultLimit = 4;
    public const int MaxLimit = 20;

    /// <summary>Partners read per request: enough to fill a page after inactive and sold-out ones are left out.</summary>
    private const int Candidates = 100;

    public static async Task<Results<Ok<BoughtTogetherResponse>, ValidationProblem, ProblemHttpResult>> GetAsync(
        string id, string? limit, HttpContext http, [FromServices] IGrainFactory grains)
    {
        var count = DefaultLimit;
        if (limit is not null && (!int.TryParse(limit, NumberStyles.None, CultureInfo.InvariantCulture, out count) || count is < 1 or > MaxLimit))
        {
            return FieldErrors.Problem("limit", $"Limit must be from 1 to {MaxLimit}.");
        }

        var catalog = grains.GetGrain<ICatalogGrain>(0);
        if (!Guid.TryParse(id, out var productId)
            || await catalog.GetAsync(productId) is not { } product
            || (!product.Active && !http.User.IsInRole(AuthPolicies.Admin)))
        {
            return TypedResults.Problem(statusCode: StatusCodes.Status404NotFound, title: "Not found", detail: "There is no product with this id.");
        }

        var items = new List<RecommendedProduct>();
        var pairs = await grains.GetGrain<IRecommendationsGrain>(0).GetBoughtWithAsync(productId, Candidates);
        if (pairs.Count > 0)
        {
            var products = (await catalog.GetManyAsync([.. pairs.Select(p => p.ProductId)])).ToDictionary(p => p.Id);
            foreach (var pair in pairs)
            {
                if (items.Count < count && products.TryGetValue(pair.ProductId, out var other) && Buyable(other, productId))
                {
                    items.Add(new RecommendedProduct(ProductResponse.From(other), BoughtTogetherReason, pair.Orders));
                }
            }
        }

        if (items.Count < count)
        {
            var same = await catalog.SearchAsync(new ProductSearch(null, product.Category, null, null, null, "newest", null, ShopRules.MaxPageSize));
            foreach (var hit in same.Items)
            {
                if (items.Count < count && Buyable(hit.Product, productId) && items.All(i => i.Product.Id != hit.Product.Id))
                {
                    items.Add(new RecommendedProduct(ProductResponse.From(hit.Product), SameCategoryReason, 0));
                }
            }
        }

        return TypedResults.Ok(new BoughtTogetherResponse(productId, items));
    }

    private static bool Buyable(Product product, Guid self) => product.Id != self && product.Active && product.Available > 0;
}
