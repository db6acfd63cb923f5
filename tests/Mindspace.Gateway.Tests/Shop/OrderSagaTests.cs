using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Mindspace.Gateway.Tests.Infrastructure;
using Mindspace.Grains.Interfaces.Shop;

namespace Mindspace.Gateway.Tests.Shop;

public sealed class OrderSagaTests(ShopFixture shop) : IClassFixture<ShopFixture>
{
    private MindspaceTestHost Host => shop.Host;

    [Fact]
    public async Task An_order_goes_from_cart_to_delivered_committing_stock_on_payment()
    {
        var user = await Host.RegisterAndLoginAsync();
        var admin = await shop.AdminAsync();
        var product = await shop.CreateProductAsync(stock: 5, price: 2000);
        await (await user.Client.AddToCartAsync(product.Id(), 2)).ReadJsonAsync();

        var order = await (await user.Client.CreateOrderAsync()).ReadJsonAsync(HttpStatusCode.Created);
        Assert.Equal("awaiting_payment", order.Status());
        Assert.Equal(4000, order.GetProperty("total").GetInt64());
        Assert.StartsWith("pi_fake_", order.GetProperty("payment").GetProperty("reference").GetString());
        Assert.Equal(3, await Host.AvailableAsync(product.Id()));
        Assert.Equal(0, (await (await user.Client.GetAsync("/api/v1/cart")).ReadJsonAsync()).GetProperty("items").GetArrayLength());
        Assert.Equal(5, (await Host.Grains.GetGrain<IStockGrain>(product.Id()).GetAsync()).OnHand);

        // Nothing a client says makes it paid: the member cannot move it on, and there is no invoice yet.
        await (await user.Client.PostAsJsonAsync($"/api/v1/orders/{order.Id()}/status", new { status = "fulfilled" })).AssertProblemAsync(HttpStatusCode.Forbidden);
        await (await user.Client.GetAsync($"/api/v1/orders/{order.Id()}/invoice")).AssertProblemAsync(HttpStatusCode.Conflict);

        await shop.PayAsync(order);
        var paid = await user.Client.GetOrderAsync(order.Id());
        Assert.Equal("paid", paid.Status());
        Assert.Equal(4000, paid.GetProperty("paid").GetInt64());
        Assert.Matches(@"^MS-\d{4}-\d{6}$", paid.GetProperty("invoiceNumber").GetString());
        var stock = await Host.Grains.GetGrain<IStockGrain>(product.Id()).GetAsync();
        Assert.Equal((3, 0), (stock.OnHand, stock.Reserved));

        // Shipping before packing is not a transition.
        await (await admin.Client.PostAsJsonAsync($"/api/v1/orders/{order.Id()}/status", new { status = "shipped" })).AssertProblemAsync(HttpStatusCode.Conflict);
        await (await admin.Client.PostAsJsonAsync($"/api/v1/orders/{order.Id()}/status", new { status = "fulfilled" })).ReadJsonAsync();
        await (await admin.Client.PostAsJsonAsync($"/api/v1/orders/{order.Id()}/status", new { status = "shipped", carrier = "DHL", trackingNumber = "JJD0001", description = "Handed to the carrier" })).ReadJsonAsync();
        await (await admin.Client.PostAsJsonAsync($"/api/v1/orders/{order.Id()}/tracking", new { description = "Arrived at the local depot" })).ReadJsonAsync();
        var delivered = await (await admin.Client.PostAsJsonAsync($"/api/v1/orders/{order.Id()}/status", new { status = "delivered" })).ReadJsonAsync();

        Assert.Equal("delivered", delivered.Status());
        Assert.Equal(
            ["created", "awaiting_payment", "paid", "fulfilled", "shipped", "delivered"],
            delivered.GetProperty("history").EnumerateArray().Select(h => h.GetProperty("status").GetString()));
        Assert.Equal(["Handed to the carrier", "Arrived at the local depot"], delivered.GetProperty("tracking").EnumerateArray().Select(t => t.GetProperty("description").GetString()));
        await (await user.Client.PostAsJsonAsync($"/api/v1/orders/{order.Id()}/cancel", new { })).AssertProblemAsync(HttpStatusCode.Conflict);

        var list = await (await user.Client.GetAsync("/api/v1/orders")).ReadJsonAsync();
        Assert.Equal(order.Id(), list.GetProperty("items")[0].Id());
    }

    [Fact]
    public async Task Cancelling_an_unpaid_order_puts_its_items_back()
    {
        var user = await Host.RegisterAndLoginAsync();
        var product = await shop.CreateProductAsync(stock: 2);
        var order = await user.Client.BuyAsync(product.Id(), 2);
        Assert.Equal(0, await Host.AvailableAsync(product.Id()));

        var cancelled = await (await user.Client.PostAsJsonAsync($"/api/v1/orders/{order.Id()}/cancel", new { reason = "Changed my mind" })).ReadJsonAsync();
        Assert.Equal("cancelled", cancelled.Status());
        Assert.Equal(2, await Host.AvailableAsync(product.Id()));

        // A payment that arrives after the cancellation is refunded in full, and the stock stays put.
        await shop.PayAsync(order);
        var after = await user.Client.GetOrderAsync(order.Id());
        Assert.Equal("cancelled", after.Status());
        Assert.Equal("succeeded", after.GetProperty("refunds")[0].GetProperty("status").GetString());
        Assert.Equal(after.GetProperty("paid").GetInt64(), after.GetProperty("refunded").GetInt64());
        Assert.Equal(2, await Host.AvailableAsync(product.Id()));
    }

    [Fact]
    public async Task Cancelling_a_paid_order_returns_the_stock_and_refunds_in_full()
    {
        var user = await Host.RegisterAndLoginAsync();
        var product = await shop.CreateProductAsync(stock: 3, price: 999);
        var order = await user.Client.BuyAsync(product.Id(), 1);
        await shop.PayAsync(order);
        Assert.Equal(2, (await Host.Grains.GetGrain<IStockGrain>(product.Id()).GetAsync()).OnHand);

        var cancelled = await (await user.Client.PostAsJsonAsync($"/api/v1/orders/{order.Id()}/cancel", new { })).ReadJsonAsync();
        Assert.Equal("cancelled", cancelled.Status());
        Assert.Equal(999, cancelled.GetProperty("refunded").GetInt64());
        Assert.StartsWith("re_fake_", cancelled.GetProperty("refunds")[0].GetProperty("providerRefundId").GetString());
        Assert.Equal(3, (await Host.Grains.GetGrain<IStockGrain>(product.Id()).GetAsync()).OnHand);
    }

    [Fact]
    public async Task Partial_refunds_add_up_to_at_most_what_was_paid_and_then_the_order_is_refunded()
    {
        var user = await Host.RegisterAndLoginAsync();
        var admin = await shop.AdminAsync();
        var product = await shop.CreateProductAsync(stock: 3, price: 3000);
        var order = await user.Client.BuyAsync(product.Id(), 1);
        await shop.PayAsync(order);
        var refunds = $"/api/v1/orders/{order.Id()}/refunds";

        await (await user.Client.PostAsJsonAsync(refunds, new { amount = 100 })).AssertProblemAsync(HttpStatusCode.Forbidden);
        var first = await (await admin.Client.PostAsJsonAsync(refunds, new { amount = 1000, reason = "Damaged box" })).ReadJsonAsync(HttpStatusCode.Created);
        Assert.Equal("succeeded", first.GetProperty("status").GetString());
        await (await admin.Client.PostAsJsonAsync(refunds, new { amount = 2001 })).AssertValidationProblemAsync("amount");
        await (await admin.Client.PostAsJsonAsync(refunds, new { amount = 0 })).AssertValidationProblemAsync("amount");
        Assert.Equal("paid", (await user.Client.GetOrderAsync(order.Id())).Status());

        await (await admin.Client.PostAsJsonAsync(refunds, new { amount = 2000, toWallet = true })).ReadJsonAsync(HttpStatusCode.Created);
        var refunded = await user.Client.GetOrderAsync(order.Id());
        Assert.Equal("refunded", refunded.Status());
        Assert.Equal(3000, refunded.GetProperty("refunded").GetInt64());
        await (await admin.Client.PostAsJsonAsync(refunds, new { amount = 1 })).AssertValidationProblemAsync("amount");

        var wallet = await (await user.Client.GetAsync("/api/v1/wallet")).ReadJsonAsync();
        Assert.Equal(2000, wallet.GetProperty("balance").GetInt64());
        Assert.Equal(2, (await (await user.Client.GetAsync(refunds)).ReadJsonAsync()).GetArrayLength());
    }

    [Fact]
    public async Task Someone_elses_order_is_not_found()
    {
        var owner = await Host.RegisterAndLoginAsync();
        var stranger = await Host.RegisterAndLoginAsync();
        var order = await owner.Client.BuyAsync((await shop.CreateProductAsync()).Id());
        foreach (var path in new[] { "", "/invoice", "/refunds" })
        {
            await (await stranger.Client.GetAsync($"/api/v1/orders/{order.Id()}{path}")).AssertProblemAsync(HttpStatusCode.NotFound);
        }

        await (await stranger.Client.PostAsJsonAsync($"/api/v1/orders/{order.Id()}/cancel", new { })).AssertProblemAsync(HttpStatusCode.NotFound);
        await (await stranger.Client.GetAsync("/api/v1/orders/not-an-id")).AssertProblemAsync(HttpStatusCode.NotFound);
        Assert.Equal("awaiting_payment", (await owner.Client.GetOrderAsync(order.Id())).Status());
    }

    [Fact]
    public async Task Invoices_come_as_PDF_and_HTML_with_tax_lines_and_sequential_numbers()
    {
        var user = await Host.RegisterAndLoginAsync();
        var book = await shop.CreateProductAsync(price: 1070, category: "books");
        var cushion = await shop.CreateProductAsync(price: 5950, category: "cushions");
        var order = await (await user.Client.CreateOrderAsync(new { items = new[] { new { productId = book.Id(), quantity = 1 }, new { productId = cushion.Id(), quantity = 1 } } }))
            .ReadJsonAsync(HttpStatusCode.Created);
        var taxes = order.GetProperty("taxLines").EnumerateArray().ToDictionary(t => t.GetProperty("rateBasisPoints").GetInt32());
        Assert.Equal((1000, 70, 1070), Line(taxes[700]));
        Assert.Equal((5000, 950, 5950), Line(taxes[1900]));

        await shop.PayAsync(order);
        var second = await user.Client.BuyAsync(book.Id());
        await shop.PayAsync(second);
        var first = (await user.Client.GetOrderAsync(order.Id())).GetProperty("invoiceNumber").GetString()!;
        var next = (await user.Client.GetOrderAsync(second.Id())).GetProperty("invoiceNumber").GetString()!;
        Assert.Equal(long.Parse(first[^6..]) + 1, long.Parse(next[^6..]));

        var pdf = await user.Client.GetAsync($"/api/v1/orders/{order.Id()}/invoice");
        Assert.Equal("application/pdf", pdf.Content.Headers.ContentType?.MediaType);
        var bytes = await pdf.Content.ReadAsByteArrayAsync();
        Assert.Equal("%PDF", System.Text.Encoding.ASCII.GetString(bytes, 0, 4));

        var html = await user.Client.GetStringAsync($"/api/v1/orders/{order.Id()}/invoice?format=html");
        Assert.Contains(first, html);
        Assert.Contains("EUR 0.70", html);
        Assert.Contains("EUR 9.50", html);
        Assert.Contains("EUR 70.20", html);
        await (await user.Client.GetAsync($"/api/v1/orders/{order.Id()}/invoice?format=doc")).AssertValidationProblemAsync("format");

        static (long, long, long) Line(JsonElement t) => (t.GetProperty("net").GetInt64(), t.GetProperty("tax").GetInt64(), t.GetProperty("gross").GetInt64());
    }

    [Fact]
    public async Task Store_credit_pays_in_full_or_not_at_all_and_never_goes_negative()
    {
        var user = await Host.RegisterAndLoginAsync();
        var admin = await shop.AdminAsync();
        var product = await shop.CreateProductAsync(stock: 5, price: 1500);
        await (await admin.Client.PostAsJsonAsync($"/api/v1/admin/wallets/{user.UserId}/credits", new { amount = 2000, currency = "EUR", reason = "Goodwill" })).ReadJsonAsync();

        var paid = await user.Client.BuyAsync(product.Id(), 1, paymentMethod: "wallet");
        Assert.Equal("paid", paid.Status());
        Assert.Equal("wallet", paid.GetProperty("payment").GetProperty("provider").GetString());

        var refused = await (await user.Client.CreateOrderAsync(new { items = new[] { new { productId = product.Id(), quantity = 1 } }, paymentMethod = "wallet" }))
            .AssertProblemAsync(HttpStatusCode.Conflict);
        Assert.Equal(500, (await (await user.Client.GetAsync("/api/v1/wallet")).ReadJsonAsync()).GetProperty("balance").GetInt64());
        var refusedOrder = await user.Client.GetOrderAsync(refused.GetProperty("orderId").GetGuid());
        Assert.Equal("cancelled", refusedOrder.Status());
        Assert.Equal(4, await Host.AvailableAsync(product.Id()));

        var cancelled = await (await user.Client.PostAsJsonAsync($"/api/v1/orders/{paid.Id()}/cancel", new { })).ReadJsonAsync();
        Assert.Equal(1500, cancelled.GetProperty("refunded").GetInt64());
        var wallet = await (await user.Client.GetAsync("/api/v1/wallet")).ReadJsonAsync();
        Assert.Equal(2000, wallet.GetProperty("balance").GetInt64());
        Assert.All(wallet.GetProperty("entries").EnumerateArray(), e => Assert.True(e.GetProperty("balanceAfter").GetInt64() >= 0));
    }
}
