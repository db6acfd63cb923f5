using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Mindspace.Gateway.Tests.Infrastructure;
using Mindspace.Grains.Interfaces.Shop;
using Mindspace.Testing;

namespace Mindspace.Gateway.Tests.Shop;

/// <summary>"Bought together" from paid orders (paid by signed webhooks), with a same-category fallback.</summary>
public sealed class BoughtTogetherTests(ShopFixture shop) : IClassFixture<ShopFixture>
{
    private MindspaceTestHost Host => shop.Host;

    [Fact]
    public async Task Products_in_the_same_paid_orders_come_first_most_often_first_then_the_category_fills_up()
    {
        var category = Category();
        var a = (await shop.CreateProductAsync(category: category)).Id();
        var b = (await shop.CreateProductAsync(category: category)).Id();
        var c = (await shop.CreateProductAsync(category: category)).Id();
        var d = (await shop.CreateProductAsync(category: category)).Id();
        var elsewhere = (await shop.CreateProductAsync(category: Category())).Id();
        var unpaid = (await shop.CreateProductAsync(category: Category())).Id();
        var buyer = await Host.RegisterAndLoginAsync();

        await PaidOrderAsync(buyer, a, b);
        await PaidOrderAsync(buyer, a, b, elsewhere);
        await PaidOrderAsync(buyer, b, a, c);
        await (await buyer.Client.CreateOrderAsync(Items(a, unpaid))).ReadJsonAsync(HttpStatusCode.Created); // never paid: not counted

        var list = await Eventually.ReturnsAsync(
            () => RecommendAsync(a, limit: 4), r => r.Count == 4 && r[0].Orders == 3 && r.Any(i => i.Id == c && i.Orders == 1), "three paid orders counted");

        Assert.Equal((b, "bought-together", 3), (list[0].Id, list[0].Reason, list[0].Orders));
        Assert.Equal(new[] { elsewhere, c }.Order(), list.Skip(1).Take(2).Select(i => i.Id).Order());
        Assert.All(list.Skip(1).Take(2), i => Assert.Equal(("bought-together", 1), (i.Reason, i.Orders)));
        Assert.Equal((d, "same-category", 0), (list[3].Id, list[3].Reason, list[3].Orders));
        Assert.DoesNotContain(list, i => i.Id == a || i.Id == unpaid);

        var two = await RecommendAsync(a, limit: 2);
        Assert.Equal(b, two[0].Id);
        Assert.Equal(2, two.Count);
        Assert.Contains(c, (await RecommendAsync(b, limit: 4)).Select(i => i.Id));
    }

    [Fact]
    public async Task Inactive_and_sold_out_products_are_left_out()
    {
        var category = Category();
        var a = (await shop.CreateProductAsync(category: category)).Id();
        var last = (await shop.CreateProductAsync(category: category, stock: 1)).Id();
        var retired = await shop.CreateProductAsync(category: category);
        var kept = (await shop.CreateProductAsync(category: category)).Id();
        var buyer = await Host.RegisterAndLoginAsync();

        await PaidOrderAsync(buyer, a, last, retired.Id(), kept);
        await Eventually.ReturnsAsync(() => RecommendAsync(a, limit: 10), r => r.Any(i => i.Id == kept && i.Reason == "bought-together"), "the paid order counted");
        var admin = await shop.AdminAsync();
        var replace = await admin.Client.PutAsJsonAsync($"/api/v1/products/{retired.Id()}", new
        {
            name = retired.GetProperty("name").GetString(),
            description = "Retired.",
            price = 1500,
            currency = "EUR",
            images = new[] { "/images/test.svg" },
            category,
            tags = new[] { "test" },
            stock = 10,
            active = false,
        });
        await replace.ReadJsonAsync();

        var list = await RecommendAsync(a, limit: 10);

        Assert.Equal([kept], list.Select(i => i.Id)); // "last" sold out (its only unit was bought), "retired" inactive
        Assert.Equal(0, await Host.AvailableAsync(last));
    }

    [Fact]
    public async Task Without_history_the_same_category_is_suggested()
    {
        var category = Category();
        var lonely = (await shop.CreateProductAsync(category: category)).Id();
        var neighbour = (await shop.CreateProductAsync(category: category)).Id();
        var soldOut = (await shop.CreateProductAsync(category: category, stock: 0)).Id();
        _ = await shop.CreateProductAsync(category: Category());

        var list = await RecommendAsync(lonely, limit: 4);

        Assert.Equal([(neighbour, "same-category")], list.Select(i => (i.Id, i.Reason)));
        Assert.DoesNotContain(list, i => i.Id == soldOut);
    }

    [Fact]
    public async Task A_paid_order_is_counted_once_however_often_it_is_reported()
    {
        var recommendations = Host.Grains.GetGrain<IRecommendationsGrain>(0);
        var (x, y, order) = (Guid.NewGuid(), Guid.NewGuid(), Guid.NewGuid());

        await recommendations.RecordPaidOrderAsync(order, [x, y, y]);
        await recommendations.RecordPaidOrderAsync(order, [x, y]);
        await recommendations.RecordPaidOrderAsync(Guid.NewGuid(), [x]); // one product: no pair

        var pairs = await Eventually.ReturnsAsync(() => recommendations.GetBoughtWithAsync(x, 10), p => p.Count > 0, "the order counted");
        Assert.Equal([new BoughtWith(y, 1)], pairs);
        Assert.Equal([new BoughtWith(x, 1)], await recommendations.GetBoughtWithAsync(y, 10));
    }

    [Fact]
    public async Task A_returned_order_is_taken_back_once_and_one_returned_before_it_was_counted_never_counts()
    {
        var recommendations = Host.Grains.GetGrain<IRecommendationsGrain>(0);
        var (x, y, z) = (Guid.NewGuid(), Guid.NewGuid(), Guid.NewGuid());
        var (kept, returned, early) = (Guid.NewGuid(), Guid.NewGuid(), Guid.NewGuid());

        await recommendations.RecordPaidOrderAsync(kept, [x, y]);
        await recommendations.RecordPaidOrderAsync(returned, [x, y, z]);
        await recommendations.RecordReturnedOrderAsync(returned, [x, y, z]);
        await recommendations.RecordReturnedOrderAsync(returned, [x, y, z]); // reported twice: taken back once
        await recommendations.RecordReturnedOrderAsync(early, [x, z]); // the return overtook the count
        await recommendations.RecordPaidOrderAsync(early, [x, z]);
        await recommendations.RecordPaidOrderAsync(returned, [x, y, z]); // a late repeat of the count changes nothing either
        var (sentinel, w) = (Guid.NewGuid(), Guid.NewGuid());
        await recommendations.RecordPaidOrderAsync(sentinel, [z, w]); // sent last: once it shows, the calls before it were handled

        await Eventually.ReturnsAsync(() => recommendations.GetBoughtWithAsync(w, 10), p => p.Count == 1, "the last call handled");
        Assert.Equal([new BoughtWith(y, 1)], await recommendations.GetBoughtWithAsync(x, 10));
        Assert.Equal([new BoughtWith(x, 1)], await recommendations.GetBoughtWithAsync(y, 10));
        Assert.Equal([new BoughtWith(w, 1)], await recommendations.GetBoughtWithAsync(z, 10));
    }

    [Fact]
    public async Task Cancelling_a_paid_order_and_refunding_one_in_full_take_their_pairs_back()
    {
        var category = Category();
        var a = (await shop.CreateProductAsync(category: category)).Id();
        var b = (await shop.CreateProductAsync(category: category)).Id();
        var c = (await shop.CreateProductAsync(category: Category())).Id();
        var buyer = await Host.RegisterAndLoginAsync();
        var admin = await shop.AdminAsync();

        await PaidOrderAsync(buyer, a, b);
        var cancelled = await PaidOrderAsync(buyer, a, b);
        var refunded = await PaidOrderAsync(buyer, a, c);
        await Eventually.ReturnsAsync(() => RecommendAsync(a, limit: 2), r => r.Any(i => i.Id == b && i.Orders == 2) && r.Any(i => i.Id == c && i.Orders == 1), "three paid orders counted");

        await (await buyer.Client.PostAsJsonAsync($"/api/v1/orders/{cancelled}/cancel", new { reason = "Changed my mind" })).ReadJsonAsync();
        await (await admin.Client.PostAsJsonAsync($"/api/v1/orders/{refunded}/refunds", new { amount = 1000 })).ReadJsonAsync(HttpStatusCode.Created);
        Assert.Contains(await RecommendAsync(a, limit: 2), i => i.Id == c && i.Reason == "bought-together"); // a partial refund keeps the pair
        await (await admin.Client.PostAsJsonAsync($"/api/v1/orders/{refunded}/refunds", new { amount = 2000 })).ReadJsonAsync(HttpStatusCode.Created);
        Assert.Equal("refunded", (await buyer.Client.GetOrderAsync(refunded)).Status());

        var list = await Eventually.ReturnsAsync(
            () => RecommendAsync(a, limit: 2), r => r.Any(i => i.Id == b && i.Orders == 1) && !r.Any(i => i.Id == c && i.Reason == "bought-together"), "the cancelled and refunded orders taken back");
        Assert.Equal((b, "bought-together", 1), (list[0].Id, list[0].Reason, list[0].Orders));
    }

    [Theory]
    [InlineData("0")]
    [InlineData("21")]
    [InlineData("many")]
    public async Task A_bad_limit_is_a_400(string limit)
    {
        var product = (await shop.CreateProductAsync()).Id();
        await (await Host.Client.GetAsync($"/api/v1/products/{product}/bought-together?limit={limit}")).AssertValidationProblemAsync("limit");
    }

    [Fact]
    public async Task An_unknown_product_is_a_404()
    {
        await (await Host.Client.GetAsync($"/api/v1/products/{Guid.NewGuid()}/bought-together")).AssertProblemAsync(HttpStatusCode.NotFound);
        await (await Host.Client.GetAsync("/api/v1/products/not-an-id/bought-together")).AssertProblemAsync(HttpStatusCode.NotFound);
    }

    private static string Category() => $"bt-{Guid.NewGuid():N}"[..12];

    private static object Items(params Guid[] products) => new { items = products.Select(productId => new { productId, quantity = 1 }).ToArray(), paymentMethod = "card" };

    private async Task<Guid> PaidOrderAsync(TestUser buyer, params Guid[] products)
    {
        var order = await (await buyer.Client.CreateOrderAsync(Items(products))).ReadJsonAsync(HttpStatusCode.Created);
        await shop.PayAsync(order);
        Assert.Equal("paid", (await buyer.Client.GetOrderAsync(order.Id())).Status());
        return order.Id();
    }

    private async Task<List<(Guid Id, string Reason, int Orders)>> RecommendAsync(Guid product, int limit)
    {
        var body = await Host.Client.GetJsonAsync($"/api/v1/products/{product}/bought-together?limit={limit}");
        Assert.Equal(product, body.GetProperty("productId").GetGuid());
        return [.. body.GetProperty("items").EnumerateArray().Select(i => (
            i.GetProperty("product").GetProperty("id").GetGuid(),
            i.GetProperty("reason").GetString()!,
            i.GetProperty("boughtTogether").GetInt32()))];
    }
}
