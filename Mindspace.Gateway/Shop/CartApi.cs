using System.Globalization;
using Microsoft.AspNetCore.Mvc;
using Mindspace.Gateway.Auth;
using Mindspace.Gateway.Hosting;
using Mindspace.Grains.Interfaces.Shop;

namespace Mindspace.Gateway.Shop;

/// <summary>
/// The cart: <c>/api/v1/cart</c>. A signed-in user's cart, or a guest's, named by the signed
/// token in <c>X-Guest-Cart</c> (issued with the first item a guest adds). When a signed-in
/// request carries a guest token, the guest cart is merged into the user's first: quantities
/// summed and capped by what is in stock. Every answer carries the cart's version as an ETag;
/// send it back as <c>If-Match</c> to change the cart only if nobody else has (else 412).
/// </summary>
public static class CartApi
{
    public static RouteGroupBuilder MapCartApi(this IEndpointRouteBuilder app)
    {
        var api = app.MapGroup("/api/v1/cart")
            .WithTags("Shop")
            .RequireRateLimiting(RateLimitPolicies.User);

        api.MapGet("", GetAsync).WithName("GetCart").WithSummary("Your cart (or a guest's, by X-Guest-Cart)");
        api.MapPost("/items/{productId}", AddAsync).WithName("AddToCart")
            .WithSummary("Add units of a product")
            .WithDescription("Body `{\"quantity\": n}` (default 1). The units are held for you for 15 minutes from the last change to that line.");
        api.MapPut("/items/{productId}", SetAsync).WithName("SetCartItem").WithSummary("Set a line's quantity (0 removes it)");
        api.MapDelete("/items/{productId}", RemoveAsync).WithName("RemoveFromCart").WithSummary("Remove a product from the cart; its hold is released");
        api.MapPost("/merge", MergeAsync).WithName("MergeGuestCart")
            .WithSummary("Move a guest cart (X-Guest-Cart) into your cart after signing in")
            .RequireAuthorization(AuthPolicies.Member);
        return api;
    }

    private static async Task<IResult> GetAsync(HttpContext http, [FromServices] IGrainFactory grains, [FromServices] ShopSettings settings)
    {
        var (cart, problem) = await ResolveAsync(http, grains, settings, create: false);
        if (problem is not null)
        {
            return problem;
        }

        return cart is null ? Cart(http, new CartView([], 0, null, 0, null)) : Cart(http, await cart.GetAsync());
    }

    private static Task<IResult> AddAsync(string productId, CartItemRequest? request, HttpContext http, [FromServices] IGrainFactory grains, [FromServices] ShopSettings settings)
        => ChangeAsync(http, grains, settings, productId, request?.Quantity ?? 1, (cart, id, quantity, version) => cart.AddItemAsync(id, quantity, version));

    private static Task<IResult> SetAsync(string productId, CartItemRequest request, HttpContext http, [FromServices] IGrainFactory grains, [FromServices] ShopSettings settings)
    {
        if (request.Quantity is null)
        {
            return Task.FromResult<IResult>(FieldErrors.Problem("quantity", "Give a quantity (0 removes the line)."));
        }

        return request.Quantity == 0
            ? RemoveAsync(productId, http, grains, settings)
            : ChangeAsync(http, grains, settings, productId, request.Quantity.Value, (cart, id, quantity, version) => cart.SetItemAsync(id, quantity, version));
    }

    private static async Task<IResult> RemoveAsync(string productId, HttpContext http, [FromServices] IGrainFactory grains, [FromServices] ShopSettings settings)
    {
        if (!Guid.TryParse(productId, out var id))
        {
            return NotInCart();
        }

        var (cart, problem) = await ResolveAsync(http, grains, settings, create: false);
        if (problem is not null)
        {
            return problem;
        }

        if (!TryIfMatch(http, out var version))
        {
            return VersionMismatch();
        }

        if (cart is null)
        {
            return NotInCart();
        }

        return Outcome(http, await cart.RemoveItemAsync(id, version));
    }

    private static async Task<IResult> MergeAsync(HttpContext http, [FromServices] IGrainFactory grains, [FromServices] ShopSettings settings)
    {
        if (!http.Request.Headers.ContainsKey(GuestCartTokens.Header))
        {
            return FieldErrors.Problem(GuestCartTokens.Header, "Send the guest cart token to merge.");
        }

        var (cart, problem) = await ResolveAsync(http, grains, settings, create: true);
        return problem ?? Cart(http, await cart!.GetAsync());
    }

    private static async Task<IResult> ChangeAsync(
        HttpContext http, IGrainFactory grains, ShopSettings settings, string productId, int quantity,
        Func<ICartGrain, Guid, int, long?, Task<CartResult>> change)
    {
        if (ShopRules.CheckQuantity(quantity) is { } quantityError)
        {
            return FieldErrors.Problem("quantity", quantityError);
        }

        if (!Guid.TryParse(productId, out var id))
        {
            return NoSuchProduct();
        }

        if (!TryIfMatch(http, out var version))
        {
            return VersionMismatch();
        }

        var (cart, problem) = await ResolveAsync(http, grains, settings, create: true);
        return problem ?? Outcome(http, await change(cart!, id, quantity, version));
    }

    /// <summary>
    /// The caller's cart: the user's (after merging any guest cart the request names) or the
    /// guest's. A new guest gets a token in the response when <paramref name="create"/>.
    /// </summary>
    private static async Task<(ICartGrain? Cart, IResult? Problem)> ResolveAsync(HttpContext http, IGrainFactory grains, ShopSettings settings, bool create)
    {
        var token = http.Request.Headers[GuestCartTokens.Header].ToString();
        Guid? guestId = null;
        if (!string.IsNullOrEmpty(token))
        {
            if (!GuestCartTokens.TryRead(token, settings.GuestCartKey, out var parsed))
            {
                return (null, FieldErrors.Problem(GuestCartTokens.Header, "This guest cart token is not valid. Drop it to start a new cart."));
            }

            guestId = parsed;
        }

        if (http.Request.Headers.Authorization.Count > 0 && http.User.Identity?.IsAuthenticated != true)
        {
            // A token that no longer verifies must not quietly turn a member into a guest with an empty cart.
            return (null, TypedResults.Problem(statusCode: StatusCodes.Status401Unauthorized, title: "Unauthorized", detail: "Sign in again to reach your cart."));
        }

        if (http.User.TryGetUserId(out var userId))
        {
            var userCart = grains.GetGrain<ICartGrain>(CartKeys.ForUser(userId));
            if (guestId is { } guest)
            {
                await userCart.MergeFromAsync(CartKeys.ForGuest(guest));
            }

            return (userCart, null);
        }

        if (guestId is null)
        {
            if (!create)
            {
                return (null, null);
            }

            guestId = Guid.NewGuid();
        }

        http.Response.Headers[GuestCartTokens.Header] = GuestCartTokens.Issue(guestId.Value, settings.GuestCartKey);
        return (grains.GetGrain<ICartGrain>(CartKeys.ForGuest(guestId.Value)), null);
    }

    /// <summary>Reads <c>If-Match</c>: absent or <c>*</c> means no check; anything but one of our ETags never matches.</summary>
    private static bool TryIfMatch(HttpContext http, out long? version)
    {
        version = null;
        var header = http.Request.Headers.IfMatch.ToString().Trim();
        if (header.Length == 0 || header == "*")
        {
            return true;
        }

        if (header.Length > 2 && header[0] == '"' && header[^1] == '"'
            && long.TryParse(header.AsSpan(1, header.Length - 2), NumberStyles.None, CultureInfo.InvariantCulture, out var parsed))
        {
            version = parsed;
            return true;
        }

        return false;
    }

    private static IResult Outcome(HttpContext http, CartResult result) => result.Status switch
    {
        CartStatus.Ok => Cart(http, result.Cart),
        CartStatus.VersionMismatch => VersionMismatch(),
        CartStatus.NoSuchProduct => NoSuchProduct(),
        CartStatus.NotInCart => NotInCart(),
        CartStatus.OutOfStock => TypedResults.Problem(statusCode: StatusCodes.Status409Conflict, title: "Not enough in stock",
            detail: result.Available is 0 ? "Sorry, this is sold out right now." : $"Sorry, only {result.Available} can be had right now.",
            extensions: new Dictionary<string, object?> { ["available"] = result.Available }),
        CartStatus.CurrencyMismatch => TypedResults.Problem(statusCode: StatusCodes.Status409Conflict, title: "Different currency",
            detail: "This product is priced in another currency than your cart. Check out your cart first."),
        _ => TypedResults.Problem(statusCode: StatusCodes.Status409Conflict, title: "Cart is full", detail: $"A cart holds up to {ShopRules.MaxCartLines} different products."),
    };

    private static IResult Cart(HttpContext http, CartView cart)
    {
        http.Response.Headers.ETag = ETag(cart.Version);
        return TypedResults.Ok(cart);
    }

    public static string ETag(long version) => $"\"{version.ToString(CultureInfo.InvariantCulture)}\"";

    private static IResult VersionMismatch()
        => TypedResults.Problem(statusCode: StatusCodes.Status412PreconditionFailed, title: "The cart has changed",
            detail: "Your cart changed since you last read it (perhaps on another device). Read it again and retry.");

    private static IResult NoSuchProduct()
        => TypedResults.Problem(statusCode: StatusCodes.Status404NotFound, title: "Not found", detail: "There is no product with this id for sale.");

    private static IResult NotInCart()
        => TypedResults.Problem(statusCode: StatusCodes.Status404NotFound, title: "Not found", detail: "This product is not in the cart.");
}
