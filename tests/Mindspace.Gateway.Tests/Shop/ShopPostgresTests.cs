using System.Net;
using Mindspace.Gateway.Tests.Infrastructure;
using Mindspace.Grains.Interfaces.Shop;

namespace Mindspace.Gateway.Tests.Shop;

/// <summary>The same shop on PostgreSQL (cluster mode): no seeding, the same search, the same saga.</summary>
public sealed class PostgresShopFixture : ShopFixture
{
    public override async Task InitializeAsync() => SetHost(await MindspaceTestHost.StartOnPostgresAsync(Configure));
}

public sealed class ShopPostgresTests(PostgresShopFixture shop) : IClassFixture<PostgresShopFixture>
{
    [Fact]
    public async Task Search_facets_and_a_paid_checkout_work_the_same_on_PostgreSQL()
    {
        var host = shop.Host;
        var word = "saffron" + Guid.NewGuid().ToString("N")[..6];
        var inDescription = await shop.CreateProductAsync(name: "Plain mug", description: $"Glazed the colour of {word}.", price: 900);
        var inName = await shop.CreateProductAsync(name: $"{word} cushion", category: "cushions", price: 4900, stock: 1);

        var page = await (await host.Client.GetAsync($"/api/v1/products?q={word}")).ReadJsonAsync();
        Assert.Equal([inName.Id(), inDescription.Id()], page.GetProperty("items").EnumerateArray().Select(p => p.Id()));
        Assert.Equal(2, page.GetProperty("total").GetInt32());

        // Nothing seeded in cluster mode: the catalogue holds exactly what was created.
        var all = await (await host.Client.GetAsync("/api/v1/products?limit=100")).ReadJsonAsync();
        Assert.Equal(2, all.GetProperty("total").GetInt32());

        var user = await host.RegisterAndLoginAsync();
        var order = await user.Client.BuyAsync(inName.Id());
        await (await (await host.RegisterAndLoginAsync()).Client.CreateOrderAsync(new { items = new[] { new { productId = inName.Id(), quantity = 1 } } }))
            .AssertProblemAsync(HttpStatusCode.Conflict);
        await shop.PayAsync(order);
        Assert.Equal("paid", (await user.Client.GetOrderAsync(order.Id())).Status());
        Assert.Equal(0, (await host.Grains.GetGrain<IStockGrain>(inName.Id()).GetAsync()).OnHand);
    }
}
