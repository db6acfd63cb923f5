using System.Net;
using System.Net.Http.Json;
using Mindspace.Gateway.Tests.Infrastructure;
using Mindspace.Grains.Interfaces.Shop;

namespace Mindspace.Gateway.Tests.Shop;

public sealed class ShopPrivacyTests(ShopFixture shop) : IClassFixture<ShopFixture>
{
    private MindspaceTestHost Host => shop.Host;

    [Fact]
    public async Task The_export_holds_orders_and_wallet_and_deletion_erases_all_but_the_orders_kept_for_the_accounts()
    {
        var user = await Host.RegisterAndLoginAsync();
        var admin = await shop.AdminAsync();
        var product = await shop.CreateProductAsync(stock: 5, price: 1200);
        var order = await user.Client.BuyAsync(product.Id());
        await shop.PayAsync(order);
        await (await admin.Client.PostAsJsonAsync($"/api/v1/admin/wallets/{user.UserId}/credits", new { amount = 700, currency = "EUR", reason = "Sorry for the wait" })).ReadJsonAsync();
        await (await user.Client.AddToCartAsync(product.Id(), 2)).ReadJsonAsync();

        var export = await (await user.Client.GetAsync("/api/v1/me/export")).ReadJsonAsync();
        var shopPart = export.GetProperty("shop");
        Assert.Equal(order.Id(), shopPart.GetProperty("orders")[0].Id());
        Assert.Equal("paid", shopPart.GetProperty("orders")[0].Status());
        Assert.Equal(700, shopPart.GetProperty("wallet").GetProperty("balance").GetInt64());
        Assert.Contains("invoices are kept", shopPart.GetProperty("retention").GetString());

        var delete = await user.Client.SendAsync(new HttpRequestMessage(HttpMethod.Delete, "/api/v1/me") { Content = JsonContent.Create(new { password = user.Password }) });
        Assert.Equal(HttpStatusCode.NoContent, delete.StatusCode);

        Assert.Empty((await Host.Grains.GetGrain<IWalletGrain>(user.UserId).ExportAsync()).Entries);
        Assert.Empty((await Host.Grains.GetGrain<ICustomerGrain>(user.UserId).ExportAsync()).OrderIds);
        Assert.Empty((await Host.Grains.GetGrain<ICartGrain>(CartKeys.ForUser(user.UserId)).GetAsync()).Items);
        Assert.Equal(4, await Host.AvailableAsync(product.Id()));
        var kept = await Host.Grains.GetGrain<IOrderGrain>(order.Id()).GetAsync();
        Assert.Equal(OrderStatus.Paid, kept!.Status);
    }
}
