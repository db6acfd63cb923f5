using System.Net;
using System.Net.Http.Json;
using Mindspace.Gateway.Tests.Infrastructure;
using Mindspace.Grains.Interfaces.Shop;

namespace Mindspace.Gateway.Tests.Shop;

public sealed class CheckoutTests(ShopFixture shop) : IClassFixture<ShopFixture>
{
    private MindspaceTestHost Host => shop.Host;

    [Fact]
    public async Task The_same_Idempotency_Key_and_body_get_the_same_response_and_one_order()
    {
        var user = await Host.RegisterAndLoginAsync();
        var product = await shop.CreateProductAsync(stock: 10);
        var body = new { items = new[] { new { productId = product.Id(), quantity = 2 } } };
        var key = Guid.NewGuid().ToString();

        var first = await user.Client.CreateOrderAsync(body, key);
        var firstText = await first.Content.ReadAsStringAsync();
        Assert.Equal(HttpStatusCode.Created, first.StatusCode);
        var replay = await user.Client.CreateOrderAsync(body, key);
        Assert.Equal(HttpStatusCode.Created, replay.StatusCode);
        Assert.Equal(firstText, await replay.Content.ReadAsStringAsync());
        Assert.Equal(first.Headers.Location, replay.Headers.Location);
        Assert.Equal("true", replay.Headers.GetValues("Idempotent-Replayed").Single());

        Assert.Equal(8, await Host.AvailableAsync(product.Id()));
        Assert.Single((await (await user.Client.GetAsync("/api/v1/orders")).ReadJsonAsync()).GetProperty("items").EnumerateArray());

        var other = await user.Client.CreateOrderAsync(new { items = new[] { new { productId = product.Id(), quantity = 3 } } }, key);
        await other.AssertProblemAsync(HttpStatusCode.Conflict);
        Assert.Equal(8, await Host.AvailableAsync(product.Id()));

        // Keys belong to their user: another user's same key is a new order.
        var stranger = await Host.RegisterAndLoginAsync();
        await (await stranger.Client.CreateOrderAsync(body, key)).ReadJsonAsync(HttpStatusCode.Created);
        Assert.Equal(6, await Host.AvailableAsync(product.Id()));
    }

    [Fact]
    public async Task A_refusal_is_replayed_too_and_a_bad_key_is_a_field_error()
    {
        var user = await Host.RegisterAndLoginAsync();
        var product = await shop.CreateProductAsync(stock: 1);
        var body = new { items = new[] { new { productId = product.Id(), quantity = 2 } } };
        var key = Guid.NewGuid().ToString();
        var refused = await (await user.Client.CreateOrderAsync(body, key)).AssertProblemAsync(HttpStatusCode.Conflict);
        Assert.Equal(1, refused.GetProperty("available").GetInt32());
        var again = await user.Client.CreateOrderAsync(body, key);
        await again.AssertProblemAsync(HttpStatusCode.Conflict);
        Assert.Equal("true", again.Headers.GetValues("Idempotent-Replayed").Single());

        await (await user.Client.CreateOrderAsync(body, new string('k', 201))).AssertValidationProblemAsync("Idempotency-Key");
        await (await user.Client.CreateOrderAsync(new { paymentMethod = "cheque" })).AssertValidationProblemAsync("paymentMethod");
        await (await user.Client.CreateOrderAsync()).AssertValidationProblemAsync("items");
        await (await user.Client.CreateOrderAsync(new { items = new[] { new { productId = Guid.NewGuid(), quantity = 1 } } })).AssertValidationProblemAsync("items");
        await (await user.Client.PostAsync("/api/v1/orders", new StringContent("{not json", System.Text.Encoding.UTF8, "application/json"))).AssertProblemAsync(HttpStatusCode.BadRequest);
        Assert.Empty((await (await user.Client.GetAsync("/api/v1/orders")).ReadJsonAsync()).GetProperty("items").EnumerateArray());
    }

    [Fact]
    public async Task Concurrent_checkouts_of_the_last_item_have_exactly_one_winner()
    {
        var product = await shop.CreateProductAsync(stock: 1);
        var buyers = await Task.WhenAll(Enumerable.Range(0, 8).Select(_ => Host.RegisterAndLoginAsync()));

        var responses = await Task.WhenAll(buyers.Select(b => b.Client.CreateOrderAsync(
            new { items = new[] { new { productId = product.Id(), quantity = 1 } } }, Guid.NewGuid().ToString())));

        Assert.Single(responses, r => r.StatusCode == HttpStatusCode.Created);
        Assert.Equal(7, responses.Count(r => r.StatusCode == HttpStatusCode.Conflict));
        Assert.Equal(0, await Host.AvailableAsync(product.Id()));

        var winner = await responses.Single(r => r.StatusCode == HttpStatusCode.Created).ReadJsonAsync(HttpStatusCode.Created);
        await shop.PayAsync(winner);
        var stock = await Host.Grains.GetGrain<IStockGrain>(product.Id()).GetAsync();
        Assert.Equal((0, 0), (stock.OnHand, stock.Reserved));
    }

    [Fact]
    public async Task Concurrent_carts_racing_for_the_last_item_have_exactly_one_winner()
    {
        var product = await shop.CreateProductAsync(stock: 1);
        var buyers = await Task.WhenAll(Enumerable.Range(0, 6).Select(_ => Host.RegisterAndLoginAsync()));
        var adds = await Task.WhenAll(buyers.Select(b => b.Client.AddToCartAsync(product.Id())));
        Assert.Single(adds, r => r.StatusCode == HttpStatusCode.OK);
        var holder = buyers[Array.FindIndex(adds, r => r.StatusCode == HttpStatusCode.OK)];
        var order = await (await holder.Client.CreateOrderAsync()).ReadJsonAsync(HttpStatusCode.Created);
        Assert.Equal(1, order.GetProperty("items")[0].GetProperty("quantity").GetInt32());
        Assert.Equal(0, await Host.AvailableAsync(product.Id()));
    }
}

/// <summary>The payment window moves the clock, so it runs in a shop of its own.</summary>
public sealed class PaymentWindowTests(ClockShopFixture shop) : IClassFixture<ClockShopFixture>
{
    [Fact]
    public async Task An_order_left_unpaid_past_its_window_is_cancelled_and_its_items_go_back()
    {
        var user = await shop.Host.RegisterAndLoginAsync();
        var product = await shop.CreateProductAsync(stock: 1);
        var order = await user.Client.BuyAsync(product.Id());
        var grain = shop.Host.Grains.GetGrain<IOrderGrain>(order.Id());

        Assert.False(await grain.ExpireIfDueAsync());
        shop.Clock.Advance(ShopRules.PaymentWindow + TimeSpan.FromSeconds(1));
        Assert.Equal(1, await shop.Host.AvailableAsync(product.Id()));

        // What the payment-window reminder runs:
        Assert.True(await grain.ExpireIfDueAsync());
        var expired = await user.Client.GetOrderAsync(order.Id());
        Assert.Equal("cancelled", expired.Status());
        Assert.Contains("No payment arrived in time", expired.GetProperty("history").EnumerateArray().Last().GetProperty("note").GetString());
        Assert.Equal(1, await shop.Host.AvailableAsync(product.Id()));
    }
}
