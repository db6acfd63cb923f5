using System.Globalization;
using System.Text;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Mvc;
using Mindspace.Gateway.Auth;
using Mindspace.Gateway.Hosting;
using Mindspace.Grains.Interfaces.Shop;

namespace Mindspace.Gateway.Shop;

/// <summary>The query string of a product search (strings, so a bad value gets a field error rather than a bare 400).</summary>
public sealed record ProductQuery(string? Q, string? Category, string? Tag, string? MinPrice, string? MaxPrice, string? Sort, string? Cursor, string? Limit, string? IncludeInactive);

/// <summary>The catalogue: <c>/api/v1/products</c>. Anyone may browse; admins create, replace and delete.</summary>
public static class ProductsApi
{
    public const int MaxQueryLength = 200;

    public static RouteGroupBuilder MapProductsApi(this IEndpointRouteBuilder app)
    {
        var api = app.MapGroup("/api/v1/products")
            .WithTags("Shop")
            .RequireRateLimiting(RateLimitPolicies.User);

        api.MapGet("", SearchAsync)
            .WithName("SearchProducts")
            .WithSummary("Browse and search products")
            .WithDescription("`q` is a full-text query ranked by relevance (every word must match a word of the product, or the start of one). Filters: `category`, `tag`, `minPrice`/`maxPrice` (minor units, inclusive). `sort`: relevance (default with q), newest (default without), price, -price, name. Facet counts for category, tag and price band are computed with every other filter applied. Pages of `limit` (1–100, default 20): pass `nextCursor` back as `cursor`.");

        api.MapGet("/{id}", GetAsync).WithName("GetProduct").WithSummary("Read one product");
        api.MapGet("/{id}/bought-together", BoughtTogether.GetAsync).WithName("GetBoughtTogether").WithSummary("Products often bought with this one")
            .WithDescription("Active, in-stock products that were most often in the same paid orders (`boughtTogether` counts them), then, to fill up to `limit` (1–20, default 4), the newest active, in-stock products of the same category (`reason: same-category`).")
            .ProducesProblem(StatusCodes.Status404NotFound);

        api.MapPost("", CreateAsync).WithName("CreateProduct").WithSummary("Add a product (admins)").RequireAuthorization(AuthPolicies.Admin);
        api.MapPut("/{id}", ReplaceAsync).WithName("ReplaceProduct").WithSummary("Replace a product (admins); stock sets the units on hand").RequireAuthorization(AuthPolicies.Admin);
        api.MapDelete("/{id}", DeleteAsync).WithName("DeleteProduct").WithSummary("Delete a product (admins); orders keep their copy").RequireAuthorization(AuthPolicies.Admin);
        return api;
    }

    public static async Task<Results<Ok<ProductSearchResponse>, ValidationProblem>> SearchAsync(
        [AsParameters] ProductQuery query, HttpContext http, [FromServices] IGrainFactory grains)
    {
        var errors = new FieldErrors();
        var q = query.Q?.Trim();
        errors.Add("q", q is { Length: > MaxQueryLength } ? $"Keep the search to {MaxQueryLength} characters." : null);
        string? category = null, tag = null;
        if (!string.IsNullOrWhiteSpace(query.Category))
        {
            errors.Add("category", ShopRules.CheckSlug(query.Category, out var c));
            category = c;
        }

        if (!string.IsNullOrWhiteSpace(query.Tag))
        {
            errors.Add("tag", ShopRules.CheckSlug(query.Tag, out var t));
            tag = t;
        }

        var minPrice = ParseLong(query.MinPrice, "minPrice", errors);
        var maxPrice = ParseLong(query.MaxPrice, "maxPrice", errors);
        errors.Add("maxPrice", minPrice is { } lo && maxPrice is { } hi && hi < lo ? "maxPrice must not be below minPrice." : null);
        var sort = string.IsNullOrWhiteSpace(query.Sort) ? (string.IsNullOrWhiteSpace(q) ? "newest" : "relevance") : query.Sort.Trim().ToLowerInvariant();
        errors.Add("sort", ShopRules.Sorts.Contains(sort) ? null : $"Sort by one of {string.Join(", ", ShopRules.Sorts)}.");
        var limit = ShopRules.DefaultPageSize;
        if (query.Limit is not null && (!int.TryParse(query.Limit, NumberStyles.None, CultureInfo.InvariantCulture, out limit) || limit is < 1 or > ShopRules.MaxPageSize))
        {
            errors.Add("limit", $"Limit must be from 1 to {ShopRules.MaxPageSize}.");
        }

        ProductCursor? after = null;
        if (!string.IsNullOrEmpty(query.Cursor) && !TryDecodeCursor(query.Cursor, sort, out after))
        {
            errors.Add("cursor", "This cursor is not valid for this sort. Use the nextCursor of the previous page.");
        }

        var includeInactive = string.Equals(query.IncludeInactive, "true", StringComparison.OrdinalIgnoreCase);
        if (includeInactive && !http.User.IsInRole(AuthPolicies.Admin))
        {
            errors.Add("includeInactive", "Only admins can see inactive products.");
        }

        if (errors.Any)
        {
            return errors.ToProblem();
        }

        var result = await grains.GetGrain<ICatalogGrain>(0).SearchAsync(new ProductSearch(q, category, tag, minPrice, maxPrice, sort, after, limit, includeInactive));
        return TypedResults.Ok(new ProductSearchResponse(
            [.. result.Items.Select(h => ProductResponse.From(h.Product, string.IsNullOrWhiteSpace(q) ? null : h.ScoreMicros / 1_000_000.0))],
            result.Next is { } next ? EncodeCursor(sort, next) : null,
            result.Facets,
            result.Total));
    }

    public static async Task<Results<Ok<ProductResponse>, ProblemHttpResult>> GetAsync(string id, HttpContext http, [FromServices] IGrainFactory grains)
        => Guid.TryParse(id, out var productId)
            && await grains.GetGrain<ICatalogGrain>(0).GetAsync(productId) is { } product
            && (product.Active || http.User.IsInRole(AuthPolicies.Admin))
            ? TypedResults.Ok(ProductResponse.From(product))
            : NotFound();

    public static async Task<Results<Created<ProductResponse>, ValidationProblem>> CreateAsync(ProductRequest request, [FromServices] IGrainFactory grains)
    {
        if (Validate(request) is not { } input)
        {
            return Errors(request);
        }

        var product = await grains.GetGrain<ICatalogGrain>(0).CreateAsync(input);
        return TypedResults.Created($"/api/v1/products/{product.Id}", ProductResponse.From(product));
    }

    public static async Task<Results<Ok<ProductResponse>, ValidationProblem, ProblemHttpResult>> ReplaceAsync(string id, ProductRequest request, [FromServices] IGrainFactory grains)
    {
        if (!Guid.TryParse(id, out var productId))
        {
            return NotFound();
        }

        if (Validate(request) is not { } input)
        {
            return Errors(request);
        }

        return await grains.GetGrain<ICatalogGrain>(0).UpdateAsync(productId, input) is { } product ? TypedResults.Ok(ProductResponse.From(product)) : NotFound();
    }

    public static async Task<Results<NoContent, ProblemHttpResult>> DeleteAsync(string id, [FromServices] IGrainFactory grains)
        => Guid.TryParse(id, out var productId) && await grains.GetGrain<ICatalogGrain>(0).DeleteAsync(productId) ? TypedResults.NoContent() : NotFound();

    public static string EncodeCursor(string sort, ProductCursor cursor)
        => Convert.ToBase64String(Encoding.UTF8.GetBytes($"{sort}|{cursor.Id:N}|{cursor.Primary.ToString(CultureInfo.InvariantCulture)}|{cursor.Secondary}"))
            .TrimEnd('=').Replace('+', '-').Replace('/', '_');

    public static bool TryDecodeCursor(string text, string sort, out ProductCursor? cursor)
    {
        cursor = null;
        try
        {
            var base64 = text.Replace('-', '+').Replace('_', '/');
            base64 = base64.PadRight(base64.Length + ((4 - (base64.Length % 4)) % 4), '=');
            var parts = Encoding.UTF8.GetString(Convert.FromBase64String(base64)).Split('|', 4);
            if (parts.Length == 4 && parts[0] == sort && Guid.TryParseExact(parts[1], "N", out var id)
                && long.TryParse(parts[2], NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var primary))
            {
                cursor = new ProductCursor(primary, parts[3], id);
                return true;
            }
        }
        catch (FormatException)
        {
        }

        return false;
    }

    private static ProductInput? Validate(ProductRequest request)
    {
        var errors = CheckRequest(request, out var input);
        return errors.Any ? null : input;
    }

    private static ValidationProblem Errors(ProductRequest request) => CheckRequest(request, out _).ToProblem();

    private static FieldErrors CheckRequest(ProductRequest request, out ProductInput? input)
    {
        var errors = new FieldErrors();
        errors.Add("name", ShopRules.CheckName(request.Name, out var name));
        errors.Add("description", ShopRules.CheckDescription(request.Description, out var description));
        errors.Add("price", request.Price is { } price ? ShopRules.CheckPrice(price) : "Give a price in minor units (e.g. 1999 for 19.99).");
        errors.Add("currency", ShopRules.CheckCurrency(request.Currency, out var currency));
        errors.Add("images", ShopRules.CheckImages(request.Images, out var images));
        errors.Add("category", ShopRules.CheckSlug(request.Category, out var category));
        errors.Add("tags", ShopRules.CheckTags(request.Tags, out var tags));
        errors.Add("stock", request.Stock is { } stock ? ShopRules.CheckStock(stock) : "Give the units in stock.");
        input = errors.Any ? null : new ProductInput(name, description, request.Price!.Value, currency, images, category, tags, request.Stock!.Value, request.Active ?? true);
        return errors;
    }

    private static long? ParseLong(string? text, string field, FieldErrors errors)
    {
        if (string.IsNullOrWhiteSpace(text))
        {
            return null;
        }

        if (long.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out var value) && value <= ShopRules.MaxPrice)
        {
            return value;
        }

        errors.Add(field, $"Use a whole number of minor units from 0 to {ShopRules.MaxPrice}.");
        return null;
    }

    private static ProblemHttpResult NotFound()
        => TypedResults.Problem(statusCode: StatusCodes.Status404NotFound, title: "Not found", detail: "There is no product with this id.");
}
