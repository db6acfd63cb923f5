using Mindspace.Gateway.Billing;

namespace Mindspace.Gateway.Shop;

/// <summary>Every shop route: catalogue, cart, orders, payments, wallet and plans.</summary>
public static class ShopApi
{
    public static IEndpointRouteBuilder MapShopApi(this IEndpointRouteBuilder app)
    {
        app.MapProductsApi();
        app.MapCartApi();
        app.MapOrdersApi();
        app.MapPaymentsApi();
        app.MapBillingApi();
        return app;
    }
}
